"""The briefing export: views of the agenda as a PDF (one A4 landscape page per view) and PNG.

Made on the server without internet and without a browser:
- ReportLab writes the PDF: real text (searchable, copyable, `pdftotext` reads it), tables
  that break across pages, and an embedded font (DejaVu Sans, shipped with Matplotlib) for
  the Dutch text and the footprint marks (▲ ● ▼).
- Matplotlib draws the map from the stored geometries (no tiles, no base map).
- pypdfium2 renders each view's PDF page to PNG, so the image and the PDF are the same page.

All text from data files passes `_text()` before ReportLab's paragraph markup sees it.
"""

from __future__ import annotations

import html
import io
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.domain import benchmark, labels, progress
from dashboard.domain.fmt import fmt_date
from dashboard.render import figures, maps, marks
from dashboard.store import queries
from dashboard.views import agenda, signals

PAGE = landscape(A4)
MARGIN = 14 * mm
FRAME_HEIGHT = PAGE[1] - 2 * MARGIN - 4 * mm
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
MAP_INCHES = 3.6
LEGEND_WIDTH = 40 * mm
INK, MUTED, RULE = (
    colors.HexColor("#111111"),
    colors.HexColor("#444444"),
    colors.HexColor("#999999"),
)


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=19, leading=23),
        "sub": ParagraphStyle("sub", base, textColor=MUTED, fontSize=9.5),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8, leading=10, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5, alignment=TA_LEFT),
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        "caption": ParagraphStyle("caption", base, fontName=FONT_BOLD, fontSize=10, leading=13),
        "mlabel": ParagraphStyle("mlabel", base, fontSize=8.5, leading=10.5, textColor=MUTED),
        "mvalue": ParagraphStyle("mvalue", base, fontName=FONT_BOLD, fontSize=16, leading=19),
    }


def _text(value: object) -> str:
    """Untrusted text for a ReportLab paragraph: its markup characters become entities."""
    return html.escape("" if value is None else str(value), quote=False)


# ---------------------------------------------------------------- map
def map_figure(
    spec: agenda.MapSpec, shapes: gpd.GeoDataFrame, names: dict[str, str]
) -> tuple[Figure, list[str]]:
    """The areas coloured as on the screen, uncertain areas hatched, the highlighted area
    outlined, names placed so that none overlaps another. Returns the figure and the key of
    the areas drawn as a number."""
    minx, miny, maxx, maxy = shapes.total_bounds
    ratio = (maxy - miny) / max(maxx - minx, 1.0)
    fig = Figure(figsize=(MAP_INCHES, MAP_INCHES * ratio), dpi=150)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    ax.set_aspect("equal")
    fills = [spec.fills.get(c, "#f2f2f2") for c in shapes["area_code"]]
    shapes.plot(ax=ax, color=fills, edgecolor="#555555", linewidth=0.6)
    for status, hatch in marks.PDF_HATCH.items():
        hatched = shapes[shapes["area_code"].map(spec.marked.get) == status]
        for colour, width in (("#ffffff", 2.4), ("#222222", 0.9)):  # dark lines, white edges
            if not hatched.empty:  # so the hatching reads on the lightest and darkest class
                hatched.plot(
                    ax=ax,
                    facecolor="none",
                    hatch=hatch,
                    hatchcolor=colour,
                    hatch_linewidth=width,
                    edgecolor="none",
                    linewidth=0,
                )
    if spec.highlight in set(shapes["area_code"]):
        shapes[shapes["area_code"] == spec.highlight].boundary.plot(
            ax=ax, color="#0072B2", linewidth=3
        )
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    width_pt = 0.98 * MAP_INCHES * 72
    placed, scale = marks.figure_labels(
        shapes, names, (minx, miny, maxx, maxy), width_pt, width_pt * ratio
    )
    for p in placed:
        if p.box is None:
            continue
        ax.annotate(
            p.text,
            (minx + p.x / scale, miny + p.y / scale),
            ha="center",
            va="center",
            fontsize=marks.PDF_LABEL_PT,
            color="#111111",
            parse_math=False,  # a '$' in a name is text, not mathtext
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            gid=f"label-{p.key}",
        )
    return fig, labels.key_lines(placed)


def map_png(
    spec: agenda.MapSpec, shapes: gpd.GeoDataFrame, names: dict[str, str]
) -> tuple[bytes, float, list[str]]:
    """The map as a PNG, its height/width ratio and the key of numbered areas."""
    fig, key = map_figure(spec, shapes, names)
    width, height = fig.get_size_inches()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150)
    return out.getvalue(), height / width, key


def _plain(text: str) -> str:
    """Text from data files for a Matplotlib label: a '$' is a dollar, not mathtext."""
    return text.replace("$", r"\$")


def sides_png(view) -> tuple[bytes, float]:
    """The four sides of safety as four small panels, each on its own scale (as on the
    screen): the gemeente with its 95% intervals, the group dashed, a gap at a series break.
    Returns the PNG and its height/width ratio."""
    width, height = 10.5, 2.8
    fig = Figure(figsize=(width, height), dpi=150)
    axes = fig.subplots(1, len(view.sides))
    for ax, side in zip(axes, view.sides, strict=True):
        for points, colour, style in ((side.peer, "#6E6E6E", "--"), (side.own, "#0072B2", "-")):
            shown = sorted((int(p[:4]), pt) for p, pt in points.items() if pt.ok)
            brk = side.series_break or 10_000
            for part in ([s for s in shown if s[0] < brk], [s for s in shown if s[0] >= brk]):
                if not part:  # a series break is a gap in the line
                    continue
                x = [year for year, _ in part]
                y = [pt.value for _, pt in part]
                low = [pt.value - pt.lower if pt.has_interval else 0 for _, pt in part]
                high = [pt.upper - pt.value if pt.has_interval else 0 for _, pt in part]
                ax.plot(x, y, style, color=colour, lw=1.6, marker="o", ms=2.5)
                ax.errorbar(x, y, yerr=[low, high], fmt="none", ecolor=colour, elinewidth=0.8)
        group = figures.group_line(side).replace(", ", ",\n")
        title = f"{side.spec.title}\ntegen {group}"
        ax.set_title(_plain(title), fontsize=7.5, loc="left")
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=6.5)
        ax.set_ylabel(_plain(side.unit), fontsize=6.5)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", color="#DDDDDD", lw=0.5)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        if side.series_break and any(int(p[:4]) < side.series_break for p in side.own):
            ax.axvline(side.series_break - 1, color="#333333", lw=0.8, ls=":")
            ax.text(
                side.series_break - 1.2,
                0.02,
                f"reeksbreuk {side.series_break}",
                fontsize=6,
                ha="right",
                va="bottom",
                color="#333333",
                transform=ax.get_xaxis_transform(),
                parse_math=False,
            )
    fig.legend(
        handles=[
            Line2D([], [], color="#0072B2", lw=1.6, label=_plain(view.city)),
            Line2D([], [], color="#6E6E6E", ls="--", lw=1.6, label="vergelijkingsgroep"),
        ],
        loc="lower center",
        ncol=2,
        fontsize=7,
        frameon=False,
    )
    fig.subplots_adjust(left=0.05, right=0.99, top=0.74, bottom=0.2, wspace=0.3)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150)
    return out.getvalue(), height / width


def _legend(spec: agenda.MapSpec, styles, key: list[str] | None = None) -> Table:
    rows = [["", Paragraph(_text(label), styles["cell"])] for _colour, label in spec.legend]
    rows += [
        [marks.pdf_swatch(status, 6 * mm - 4, 4.6 * mm - 4), Paragraph(_text(t), styles["cell"])]
        for status, t in spec.marks
    ]
    if key:
        rows.append(["", Paragraph("<b>Nummers op de kaart</b>", styles["cell"])])
        rows += [["", Paragraph(_text(line), styles["cell"])] for line in key]
    heights = [4.6 * mm] * len(spec.legend) + [None] * (len(rows) - len(spec.legend))
    table = Table(
        rows, colWidths=[6 * mm, LEGEND_WIDTH - 6 * mm], rowHeights=heights, hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, i), (0, i), colors.HexColor(colour))
                for i, (colour, _label) in enumerate(spec.legend)
            ]
            + [("BOX", (0, i), (0, i), 0.5, RULE) for i in range(len(spec.legend))]
            + [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            + [("LEFTPADDING", (0, i), (0, i), 2) for i in range(len(spec.legend), len(rows))]
        )
    )
    return table


# ---------------------------------------------------------------- tables
def _widths(frame, width: float) -> list[float]:
    """Column widths in proportion to the longest word-run in each column (header: longest
    word), so short columns stay narrow and names wrap as little as possible."""
    need = []
    for col in frame.columns:
        cells = [len(str(v)) for v in frame[col]] or [0]
        longest = max(max(cells), *(1.25 * len(w) for w in str(col).split()))
        need.append(min(max(longest, 10), 32) + 2)
    total = sum(need)
    return [width * n / total for n in need]


def _table(frame, styles, width: float) -> Table:
    head = [Paragraph(_text(c), styles["head"]) for c in frame.columns]
    body = [[Paragraph(_text(v), styles["cell"]) for v in row] for row in frame.itertuples(False)]
    widths = _widths(frame, width)
    style = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for r, row in enumerate(frame.itertuples(False), start=1):
        for c, value in enumerate(row):
            for verdict, (bg, fg) in benchmark.COLOURS.items():
                if str(value).endswith(verdict) and str(value)[:1] in "▲●▼":
                    style.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(bg)))
                    body[r - 1][c] = Paragraph(
                        f'<font color="{fg}">{_text(value)}</font>', styles["cell"]
                    )
    table = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _metrics(view: agenda.View, styles, width: float) -> Table:
    cells = [
        [
            Paragraph(_text(m.label), styles["mlabel"]),
            Paragraph(_text(m.value), styles["mvalue"]),
            Paragraph(_text(m.note), styles["small"]),
        ]
        for m in view.metrics
    ]
    table = Table([cells], colWidths=[width / len(cells)] * len(cells), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBEFORE", (1, 0), (-1, 0), 0.5, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


# ---------------------------------------------------------------- the document
def _view_flowables(
    view: agenda.View,
    styles,
    map_image: bytes | None,
    image_ratio: float,
    created: datetime,
    key: list[str] | None = None,
):
    width = PAGE[0] - 2 * MARGIN
    out = [
        Paragraph(_text(view.title), styles["title"]),
        Paragraph(f"Briefing van {_text(fmt_date(created.date()))}", styles["sub"]),
        Spacer(1, 2 * mm),
        Paragraph(_text(view.explanation), styles["body"]),
        Spacer(1, 2 * mm),
    ]
    if view.metrics:
        out += [_metrics(view, styles, width), Spacer(1, 1.5 * mm)]
    tables = list(view.tables)
    if map_image is not None and view.map is not None:
        # The map with its legend, and beside it the first tables (the map's own table first).
        map_width = 85 * mm
        image_height = min(map_width * image_ratio, 62 * mm)
        image = Image(io.BytesIO(map_image), width=image_height / image_ratio, height=image_height)
        legend = _legend(view.map, styles, key)
        # The legend beside the map where it fits in the map's column and the gap after
        # it, else under the map.
        gap_after = 6 * mm
        beside_map = image_height / image_ratio + 2 * mm + LEGEND_WIDTH
        picture = Table(
            [[image, legend]] if beside_map <= map_width + gap_after else [[image], [legend]],
            colWidths=[image_height / image_ratio + 2 * mm, None]
            if beside_map <= map_width + gap_after
            else [map_width],
            hAlign="LEFT",
        )
        picture.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
            )
        )
        left = [Paragraph(_text(view.map.caption), styles["caption"]), picture]
        beside, tables = (
            tables[: 2 if view.key == "beeld" else 1],
            tables[2 if view.key == "beeld" else 1 :],
        )
        gap = 6 * mm
        rest = width - map_width - gap * (len(beside) + 1)
        shares = [0.4, 0.6] if len(beside) == 2 else [1.0]
        cells = [left] + [
            [Paragraph(_text(t.caption), styles["caption"]), _table(t.frame, styles, rest * f)]
            for t, f in zip(beside, shares, strict=False)
        ]
        grid = Table(
            [cells],
            colWidths=[map_width + gap] + [rest * f + gap for f in shares[: len(beside)]],
            hAlign="LEFT",
        )
        grid.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        if grid.wrap(width, FRAME_HEIGHT)[1] < FRAME_HEIGHT * 0.75:
            out += [grid, Spacer(1, 1 * mm)]
        else:  # too tall side by side: the map, then its tables one below the other
            out += [*left, Spacer(1, 2 * mm)]
            tables = beside + tables
    for t in tables:
        picture = []
        if t.key == "kanten" and view.sides is not None:
            png, ratio = sides_png(view.sides)
            picture = [Image(io.BytesIO(png), width=width, height=width * ratio)]
        note = [Spacer(1, 1.5 * mm), Paragraph(_text(t.note), styles["body"])] if t.note else []
        frame = progress.without_empty_statuses(t.frame) if t.key == "themas" else t.frame
        out.append(
            KeepTogether(
                [
                    Paragraph(_text(t.caption), styles["caption"]),
                    *picture,
                    _table(frame, styles, width),
                    *note,
                    Spacer(1, 2 * mm),
                ]
            )
        )
    if view.plan_text and view.plan_text not in view.sentences:  # a gemeente without a plan
        out += [Paragraph(_text(view.plan_text), styles["body"]), Spacer(1, 2 * mm)]
    if view.sentences or view.notes:
        said = [*view.sentences, *view.notes]
        lines = [Paragraph(f"• {_text(s)}", styles["body"]) for s in said]
        out.append(KeepTogether([Paragraph("In woorden", styles["caption"]), lines[0]]))
        out += lines[1:]
        out.append(Spacer(1, 3 * mm))
    if view.sources:
        out.append(Paragraph("Bronnen: " + _text("; ".join(view.sources)) + ".", styles["small"]))
    return out


def render_pdf(
    views: list[agenda.View],
    shapes: dict[str, gpd.GeoDataFrame],
    names: dict[str, str],
    release: str,
    organisation: str,
    created: datetime,
) -> bytes:
    """One A4 landscape page per view (a long table continues on the next page)."""
    _register_fonts()
    styles = _styles()
    out = io.BytesIO()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 8 * mm, f"{organisation} · {release}")
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, f"pagina {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=" · ".join(v.title for v in views) or "Briefing",
        author=organisation,
        subject="Briefing uit het veiligheidsdashboard",
        lang="nl-NL",
    )
    story = []
    for i, view in enumerate(views):
        if i:
            story.append(PageBreak())
        image, ratio, key = None, 1.0, []
        if view.map is not None and view.map.level in shapes:
            image, ratio, key = map_png(view.map, shapes[view.map.level], names)
        story += _view_flowables(view, styles, image, ratio, created, key)
    if not story:
        story.append(Paragraph("Geen onderdelen gekozen.", styles["body"]))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def briefing_pdf(
    engine,
    gemeente: str,
    keys: list[str] | tuple[str, ...] = agenda.STEPS,
    focus: str | None = None,
    created: datetime | None = None,
) -> bytes:
    """The briefing for the chosen views, straight from the database."""
    views = agenda.build_views(engine, gemeente, keys, focus)
    if views and views[0].key == "beeld":  # the section 'Opvallend' after the Veiligheidsbeeld
        views.insert(1, signals.briefing_view(engine, gemeente, focus))
    levels = {v.map.level for v in views if v.map is not None}
    shapes, names = {}, {}
    for level in levels:
        areas = queries.areas(engine, level, gemeente)
        shapes[level] = maps.shapes_from_wkb(
            queries.geometries(engine, areas["code"].tolist()), level
        )
        names.update(zip(areas["code"], areas["name"], strict=True))
    city = queries.area_name(engine, gemeente) or gemeente
    return render_pdf(
        views,
        shapes,
        names,
        agenda.release_text(engine),
        f"Veiligheidsdashboard gemeente {city}",
        created or datetime.now(),
    )


def page_pngs(pdf: bytes, scale: float = 2.0) -> list[bytes]:
    """Every page of a PDF as a PNG image (for slides, mails and notes)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for page in doc:
            image = page.render(scale=scale).to_pil()
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=True)
            out.append(buf.getvalue())
    finally:
        doc.close()
    return out


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as a reader extracts it (used to check that the text is real)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()
