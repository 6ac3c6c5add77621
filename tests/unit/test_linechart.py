"""SVG line charts (`render.linechart`, `render.figures`): well-formed, escaped, Dutch axis
numbers, a gap at a series break, and four panels for the four sides."""

import re
import xml.etree.ElementTree as ET

import pandas as pd

from dashboard.render import figures, linechart

HOSTILE = '<img src=x onerror=alert(1)> "q" ![x](http://example.com/x.png)'
NS = {"s": "http://www.w3.org/2000/svg"}


def polylines(svg: str) -> list[list[tuple[float, float]]]:
    runs = re.findall(r'<polyline points="([^"]+)"', svg)
    return [[tuple(map(float, p.split(","))) for p in run.split()] for run in runs]


def trend(series_break=None) -> str:
    own = pd.DataFrame({"period": ["2017", "2019", "2021", "2023"], "value": [7.3, 7.5, 7.4, 7.7]})
    peers = pd.DataFrame(
        {
            "period": ["2017", "2019", "2021", "2023"],
            "mean": [7.2, 7.3, 7.5, 7.5],
            "min": [6.8, 6.9, 7.0, 7.0],
            "max": [7.6, 7.7, 7.8, 7.9],
        }
    )
    return figures.trend(own, HOSTILE, peers, "G40", "rapportcijfer", series_break, alt=HOSTILE)


def test_a_trend_is_well_formed_svg_with_its_words_and_tooltips():
    svg = trend()
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == HOSTILE
    tips = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert tips[:4] == [
        f"G40-gemiddelde, {y}: {v}"
        for y, v in zip(("2017", "2019", "2021", "2023"), ("7,2", "7,3", "7,5", "7,5"), strict=True)
    ]
    assert f"{HOSTILE}, 2023: 7,7" in tips
    assert "<img" not in svg and "href" not in svg  # escaped, and nothing to fetch
    assert len(root.findall("s:polygon", NS)) == 1  # the group's range
    # Y from 0 in round steps, Dutch numbers; the legend names all three.
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"0", "2", "4", "6", "8"} <= set(labels)
    assert {"G40: gemiddelde", "G40: laagste tot hoogste"} <= set(labels)


def test_a_series_break_is_a_gap_with_its_words():
    svg = trend(series_break=2021)
    assert "reeksbreuk 2021" in svg
    runs = polylines(svg)
    assert len(runs) == 4 and all(len(r) == 2 for r in runs)  # two lines, each cut in two
    cut = float(re.search(r'<line x1="([\d.]+)"[^>]*stroke-dasharray="2 3"', svg).group(1))
    assert all(max(x for x, _ in r) < cut or min(x for x, _ in r) > cut for r in runs)
    assert len(re.findall("<polygon", svg)) == 2  # the range, also cut
    assert "reeksbreuk" not in trend(series_break=2030)  # outside the years: no break


def test_ticks_are_round_and_decimals_dutch():
    assert linechart.ticks(0, 7.9) == [0, 2, 4, 6, 8]
    svg = linechart.chart(
        [linechart.Series("a", [0, 1], [0.12, 0.31])], {0: "2020", 1: "2021"}, "%", "a"
    )
    labels = re.findall(r'text-anchor="end" dominant-baseline="middle" fill="#333">([^<]+)<', svg)
    assert labels == ["0,0", "0,1", "0,2", "0,3", "0,4"]
    assert not re.search(r">\d+\.\d+<", svg)  # no English decimal point in a label


def test_crowded_years_are_labelled_every_second_year():
    years = list(range(2010, 2025))
    svg = linechart.chart(
        [linechart.Series("a", [float(y) for y in years], [1.0] * len(years))],
        {float(y): str(y) for y in years},
        "n",
        "a",
        frame=figures.PANEL,
        legend=False,
    )
    shown = re.findall(r">(20\d\d)</text>", svg)
    assert shown[0] == "2010" and len(shown) < len(years)
    steps = {int(b) - int(a) for a, b in zip(shown, shown[1:], strict=False)}
    assert len(steps) == 1  # evenly spaced
    assert 'class="legenda"' not in svg


def test_missing_values_and_intervals():
    s = linechart.Series(
        "a",
        [0, 1, 2, 3],
        [1.0, None, 2.0, 3.0],
        lower=[0.5, None, 1.5, None],
        upper=[1.5, None, 2.5, None],
    )
    svg = linechart.chart([s], {0: "a", 1: "b", 2: "c", 3: "d"}, "n", "x")
    assert [len(r) for r in polylines(svg)] == [1, 2]  # no line through the missing year
    assert len(re.findall(r"<path d=\"M", svg)) == 2  # two intervals
    assert len(re.findall("<circle", svg)) == 3
