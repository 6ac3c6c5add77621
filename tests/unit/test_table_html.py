"""Tables as HTML (`render.table_html`): every header and cell text, never markup."""

import math

import pandas as pd

from dashboard.domain import benchmark
from dashboard.render.table_html import table


def test_headers_and_cells_are_escaped_text():
    frame = pd.DataFrame({"<img src=x> 2017": ["<a href='http://h/'>klik</a>", "57,2 ± 4,4"]})
    html = table(frame)
    assert "<img" not in html and "<a " not in html
    assert "&lt;img src=x&gt; 2017</th>" in html
    assert "<td>&lt;a href=&#x27;http://h/&#x27;&gt;klik&lt;/a&gt;</td>" in html
    assert "<td>57,2 ± 4,4</td>" in html


def test_missing_values_are_empty_cells_and_numbers_text():
    html = table(pd.DataFrame({"a": [None, math.nan, 3]}, dtype=object))
    assert html.count("<td></td>") == 2 and "<td>3</td>" in html


def test_verdict_cells_are_coloured_and_figures_kept_together():
    frame = pd.DataFrame(
        {"Indicator": ["Misdrijven"], "Hengelo 2017": ["50,6"], "Positie 2017": ["▲ beter"]}
    )
    html = table(
        frame,
        style=benchmark.verdict_style,
        styled=benchmark.verdict_columns(frame.columns),
        whole=["Hengelo 2017", "Positie 2017"],
    )
    style = benchmark.verdict_style("▲ beter")
    assert f'<td class="vb-heel" style="{style}">▲ beter</td>' in html
    assert '<td class="vb-heel">50,6</td>' in html
    assert "<td>Misdrijven</td>" in html  # the name may wrap
    assert html.count("<tr>") == 2  # header and one row, no index


def test_label_names_the_table():
    html = table(pd.DataFrame({"a": [1]}), label='Footprint "G32"')
    assert 'aria-label="Footprint &quot;G32&quot;"' in html


def test_web_addresses_in_link_columns_are_links_by_their_host_and_nothing_else_is():
    frame = pd.DataFrame(
        {
            "Vindplaats": [
                "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/83648NED?a=1&b=2",
                "javascript:alert(1)",
                'https://x.nl/"><img src=y>',
                "data.politie.nl",
            ],
            "Toelichting": ["https://niet.hier/", "", "", ""],
        }
    )
    html = table(frame, links=["Vindplaats"])
    href = "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/83648NED?a=1&amp;b=2"
    assert (
        f'<td><a href="{href}" title="{href}" target="_blank" rel="noopener noreferrer">'
        "opendata.cbs.nl</a></td>" in html
    )
    assert html.count("<a ") == 1  # no scheme but http(s), no quote or tag in an address
    assert "<td>javascript:alert(1)</td>" in html and "<img" not in html
    assert "<td>data.politie.nl</td>" in html and "<td>https://niet.hier/</td>" in html


def test_a_scrolling_table_is_a_named_region_the_keyboard_reaches():
    html = table(pd.DataFrame({"a": [1]}), scroll=True, label="Bronnen")
    assert '<div class="vb-tabel-w vb-rol" tabindex="0" role="region" aria-label="Bronnen">' in html
    assert '<div class="vb-tabel-w">' in table(pd.DataFrame({"a": [1]}))


def test_loose_cells_may_break_inside_a_word():
    html = table(pd.DataFrame({"a": ["x"], "b": ["y"]}), loose=["a"], whole=["b"])
    assert '<td class="vb-breek">x</td>' in html and '<td class="vb-heel">y</td>' in html
