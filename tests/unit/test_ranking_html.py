"""The G32 ranking as HTML bars: order, highlight, Dutch numbers, the mean, escaped names."""

import re

import pandas as pd

from dashboard.render import ranking_html

HOSTILE = '<img src=x onerror=alert(1)> "quote" ![x](http://example.com/x.png)'


def bars(better: str, peer: float | None = 2.5) -> str:
    values = pd.DataFrame(
        {"area_code": ["GM1", "GM2", "GM3", "GM4"], "value": [3.3, 1.5, None, 2.0]}
    )
    names = {"GM1": HOSTILE, "GM2": "Twee", "GM4": "Vier"}
    return ranking_html.ranking(values, names, "GM2", better, "%", peer, "G32-gemiddelde", HOSTILE)


def names(body: str) -> list[str]:
    return re.findall(r'<span class="vb-name">([^<]*)</span>', body)


def test_best_on_top_in_either_direction_without_missing_values():
    escaped = "&lt;img src=x onerror=alert(1)&gt; &quot;quote&quot; ![x](http://example.com/x.png)"
    assert names(bars("lager")) == ["Twee", "Vier", escaped]
    assert names(bars("hoger")) == [escaped, "Vier", "Twee"]


def test_the_gemeente_stands_out_and_every_value_is_dutch():
    body = bars("lager")
    assert body.count("vb-own") == 2  # the style rule and the one highlighted row
    assert '<div class="vb-r vb-own" title="Twee: 1,5">' in body
    assert re.findall(r'<span class="vb-v">([^<]*)</span>', body) == ["1,5", "2,0", "3,3"]
    assert "G32-gemiddelde: 2,5" in body and "vb-line" in body.split("</style>")[1]
    # The longest bar takes 80% of the track, the others in proportion.
    assert "width:80.00%" in body and "width:36.36%" in body


def test_without_a_group_value_no_line():
    body = bars("lager", peer=None).split("</style>")[1]
    assert "vb-line" not in body and "gemiddelde" not in body


def test_names_and_alt_text_are_escaped():
    body = bars("hoger")
    assert "<img" not in body and 'aria-label="&lt;img' in body
    assert '"quote"' not in body
