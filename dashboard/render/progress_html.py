"""The progress of the veiligheidsbeleid as HTML for `st.html`: stacked bars per thema or doel,
and the doelenboom (thema → doel → actie as nested boxes, each actie a tile in its status's
colour with its status word).

HTML rather than a chart library: the browser lays the boxes out and wraps the text, the words
are real text (read aloud, found with Ctrl+F, sharp on a projector), and a page with them loads
no chart bundle. Every text from the plan passes `safe.escape`; nothing here links or loads.
"""

from __future__ import annotations

import pandas as pd

from dashboard.domain import progress
from dashboard.domain.explain import count_text
from dashboard.domain.fmt import fmt_number
from dashboard.render.safe import escape

KEPT = ("thema", "doel", "subdoel", "actie")

STYLE = """<style>
.vb-bars{font-size:1rem;margin:0 0 .5rem 0}
.vb-bars .vb-row{display:flex;align-items:center;gap:.75rem;margin:.3rem 0}
.vb-bars .vb-label{flex:0 0 30%;text-align:right;line-height:1.2}
.vb-bars .vb-bar{flex:1;display:flex;height:2.1rem;border:1px solid #555}
.vb-bars .vb-seg{display:flex;align-items:center;justify-content:center;overflow:hidden;
 border-right:1px solid #555;font-weight:600}
.vb-bars .vb-seg:last-child{border-right:0}
.vb-legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;margin:.4rem 0 0 calc(30% + .75rem);
 padding:0;list-style:none;font-size:.95rem}
.vb-legend li{display:flex;align-items:center;gap:.35rem;margin:0}
.vb-legend i{display:inline-block;width:1rem;height:1rem;border:1px solid #555}
.vb-boom{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.6rem}
.vb-boom.vb-een{grid-template-columns:1fr}
.vb-boom .vb-thema{border:2px solid #555;border-radius:.3rem;padding:.4rem .5rem}
.vb-boom p{margin:0 0 .3rem 0;line-height:1.25}
.vb-boom ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem}
.vb-boom li{margin:0}
.vb-boom .vb-doel{flex:1 1 100%;border:1px solid #555;padding:.3rem .4rem;background:#fff}
.vb-boom.vb-een .vb-doel{flex:1 1 28rem}
.vb-boom .vb-actie{flex:1 1 6rem;border:1px solid #555;padding:.15rem .35rem;
 font-size:.9rem;line-height:1.2}
.vb-boom.vb-een .vb-actie{flex:1 1 13rem}
.vb-boom .vb-n{color:#333;font-size:.9rem}
</style>"""


def bars(long: pd.DataFrame, labels: dict[str, str], alt: str) -> str:
    """Stacked bars: per group (`progress.shares`) the share of its acties per status, the
    number in each part; one image with `alt` (the numbers in words) for a screen reader."""
    rows = []
    for group in dict.fromkeys(long["group"]):
        sub = long[long["group"] == group].set_index("status")
        segs = []
        for status in progress.STATUS_ORDER:
            if status not in sub.index or not sub.at[status, "n"]:
                continue
            n, share = int(sub.at[status, "n"]), float(sub.at[status, "share"])
            part = f"{n} ({fmt_number(100 * share, 0)}%)"
            tip = escape(f"{labels.get(group, group)}: {status}, {part}")
            segs.append(
                f'<span class="vb-seg" title="{tip}" style="width:{100 * share:.2f}%;'
                f"background:{progress.STATUS_COLOURS[status]};"
                f'color:{progress.STATUS_TEXT_COLOURS[status]}">{n}</span>'
            )
        rows.append(
            f'<div class="vb-row"><span class="vb-label">{escape(labels.get(group, group))}'
            f'</span><span class="vb-bar">{"".join(segs)}</span></div>'
        )
    legend = "".join(
        f'<li><i style="background:{progress.STATUS_COLOURS[s]}"></i>{escape(s)}</li>'
        for s in progress.STATUS_ORDER
    )
    return (
        f'{STYLE}<div class="vb-bars" role="img" aria-label="{escape(alt)}">{"".join(rows)}'
        f'<ul class="vb-legend" aria-hidden="true">{legend}</ul></div>'
    )


def tree(els: pd.DataFrame, acts: pd.DataFrame, theme_codes: list[str], alt: str) -> str:
    """Doelenboom of `theme_codes`: a box per thema (or the begroting's doel), inside it a box
    per doel or subdoel with its budget (`lasten`) where the plan has one, inside that a tile
    per actie with its code and status word (one thema: also the start of its text). The full
    text of every element is its tooltip."""
    status = dict(zip(acts["code"], acts["status"], strict=True))
    detail = len(theme_codes) == 1
    by_code = els.set_index("code")
    kids: dict[str, list[str]] = {}
    for code in progress.document_order(els):
        if by_code.at[code, "kind"] in KEPT:
            kids.setdefault(by_code.at[code, "parent_code"], []).append(code)
    lasten = progress.budgets(els)

    def is_actie(code: str) -> bool:
        return by_code.at[code, "kind"] == "actie"

    def n_acties(code: str) -> int:
        return sum(1 if is_actie(c) else n_acties(c) for c in kids.get(code, []))

    def head(code: str, width: int) -> str:
        el = by_code.loc[code]
        words = [f"<b>{escape(code)}</b> {escape(progress.short(el['title'], width))}"]
        count = count_text(n_acties(code), "actie", "acties")
        if code in lasten:  # the budget of a doel in a begroting
            count = f"{count}; {progress.budget_text(lasten[code])}"
        words.append(f'<span class="vb-n">{escape(count)}</span>')
        tip = el["title"] if el["kind"] == "thema" else el["text"]  # a thema's text: its intro
        return f'<p title="{escape(tip)}">{"<br>".join(words)}</p>'

    def actie(code: str) -> str:
        el = by_code.loc[code]
        s = status.get(code, progress.NOT_REGISTERED)
        text = f"<br>{escape(progress.short(el['title'], 60))}" if detail else ""
        return (
            f'<li class="vb-actie" title="{escape(el["text"])} ({escape(s)})" '
            f'style="background:{progress.STATUS_COLOURS[s]};'
            f'color:{progress.STATUS_TEXT_COLOURS[s]}"><b>{escape(code)}</b>{text}'
            f"<br>{escape(s)}</li>"
        )

    def doel(code: str) -> str:
        inner = "".join(actie(c) if is_actie(c) else doel(c) for c in kids.get(code, []))
        return (
            f'<li class="vb-doel">{head(code, 200 if detail else 70)}'
            f"{f'<ul>{inner}</ul>' if inner else ''}</li>"
        )

    themes = []
    for t in theme_codes:
        if t not in by_code.index:
            continue
        inner = "".join(actie(c) if is_actie(c) else doel(c) for c in kids.get(t, []))
        themes.append(
            f'<div class="vb-thema">{head(t, 200)}{f"<ul>{inner}</ul>" if inner else ""}</div>'
        )
    kind = "vb-boom vb-een" if detail else "vb-boom"
    label = escape(alt)
    return f'{STYLE}<div class="{kind}" role="group" aria-label="{label}">{"".join(themes)}</div>'
