"""Streamlit helpers shared by the pages: engine, caching, login, Dutch formatting, source lines.

Everything that touches Streamlit lives here (and in the page scripts); `dashboard.*` otherwise
stays plain Python.
"""

from __future__ import annotations

import html
import importlib
import re
import threading

import pandas as pd
import streamlit as st

from . import auth, queries, settings
from .build import build, is_complete
from .db import create_schema, make_engine
from .ui_format import fmt_date, fmt_number, neutralise

__all__ = ["fmt_date", "fmt_number"]
_build_lock = threading.Lock()


# ---------------------------------------------------------------- untrusted text
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape(text: object) -> str:
    """Escape untrusted text (area names, labels from data files) before it reaches HTML."""
    return html.escape("" if text is None else str(text), quote=True)


def md(text: object) -> str:
    """Escape untrusted text for Streamlit markdown (titles, captions, labels).

    Streamlit does not render raw HTML in markdown, but links and images would render: an
    area name like `![x](http://host/)` must stay text and never make the browser fetch.
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape("" if text is None else str(text), quote=False))


def md_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A table for `st.table`, which renders every cell and header as markdown: both escaped."""
    out = df.map(md)
    out.columns = [md(c) for c in out.columns]
    return out


# ---------------------------------------------------------------- engine and data version
def engine():
    """The engine for the configured `DATABASE_URL` (one per process and URL)."""
    return _engine_for(settings.get("DATABASE_URL"))


@st.cache_resource(show_spinner=False)
def _engine_for(url: str):
    eng = make_engine(url)
    create_schema(eng)
    return eng


def ensure_data(eng) -> None:
    """Fill the database from the shipped data when it does not hold all of it yet (a first
    start, a build that was interrupted, or new shipped data), with visible progress.
    Checked once per process and database: hashing the shipped files takes a moment."""
    flag = _complete_flag(eng.url.render_as_string(hide_password=True))
    if flag.get("done"):
        return
    with _build_lock:
        if not is_complete(eng):
            bar = st.progress(0.0, text="De database wordt gevuld met de meegeleverde gegevens…")
            build(eng, progress=lambda f, msg: bar.progress(min(f, 1.0), text=msg))
            bar.empty()
        flag["done"] = True


@st.cache_resource(show_spinner=False)
def _complete_flag(url: str) -> dict:
    return {}


def data_version(eng) -> tuple:
    """Cache key for everything read from the database: changes with every import, and
    differs per database (a process serving one database, or tests on copies)."""
    return (*queries.data_version(eng), eng.url.render_as_string(hide_password=True))


@st.cache_data(show_spinner=False)
def cached(name: str, _eng, version: tuple[int, int], *args):
    """Cache a read function per data version: a new import shows at once.

    `name` is a function of `dashboard.queries` ("sources") or "module.function" for another
    `dashboard` module ("policy.themes"). Every such function takes the engine first.
    """
    module_name, _, func = name.rpartition(".")
    module = importlib.import_module(f"dashboard.{module_name}") if module_name else queries
    return getattr(module, func)(_eng, *args)


# ---------------------------------------------------------------- login and roles
def _users() -> dict:
    try:
        return {k: dict(v) for k, v in st.secrets.get("users", {}).items()}
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def role() -> str | None:
    return st.session_state.get("role")


def login_box() -> None:
    """Sidebar login for beheerders and redacteuren. Viewers never need it."""
    users = _users()
    if not users:
        return
    with st.sidebar:
        if role():
            st.caption(f"Ingelogd als **{md(st.session_state['user'])}** ({role()})")
            if st.button("Uitloggen", key="logout"):
                st.session_state.pop("role", None)
                st.session_state.pop("user", None)
                st.rerun()
            return
        with st.expander("Inloggen (beheer)"):
            with st.form("login", clear_on_submit=True):
                user = st.text_input("Gebruikersnaam")
                password = st.text_input("Wachtwoord", type="password")
                if st.form_submit_button("Inloggen"):
                    found = auth.authenticate(users, user, password)
                    if found:
                        st.session_state["role"], st.session_state["user"] = found, user
                        st.rerun()
                    else:
                        st.error("Onbekende gebruiker of onjuist wachtwoord.")


def may(needed: str) -> bool:
    return auth.allows(role(), needed)


# ---------------------------------------------------------------- source lines
def source_line(owner: str, table: str, period: str, extra: str = "") -> None:
    """Every figure names its source and period."""
    text = f"Bron: {md(owner)}, {md(table)}; periode {md(period)}."
    if extra:
        text += f" {md(extra)}"
    st.caption(text)


def dataframe(df: pd.DataFrame, columns: dict[str, str], **kwargs) -> None:
    """Show selected columns with Dutch headers; data are passed as data, never as HTML."""
    # The table's download button exports these cells: text from data files must not run as
    # a spreadsheet formula.
    view = neutral_cells(df[list(columns)].rename(columns=columns))
    kwargs.setdefault("height", grid_height(len(view)))
    st.dataframe(view, hide_index=True, **kwargs)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as CSV for Dutch Excel: semicolons, UTF-8 with BOM, no formulas from data."""
    out = neutral_cells(df)
    out.columns = [neutralise(str(c)) for c in out.columns]  # headers hold area names
    return out.to_csv(sep=";", index=False).encode("utf-8-sig")


def neutral_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (object and string dtypes:
    pandas 3 gives text columns the 'str' dtype, which is not `object`)."""
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def grid_height(rows: int) -> str | int:
    """Every row of a short table in view ("content" follows the row height of the theme's
    font size, where a pixel count cut the last row off); a long one scrolls in a 640px frame."""
    return "content" if rows <= 15 else 640


# ---------------------------------------------------------------- map geometry (cached per release)
@st.cache_data(show_spinner=False)
def base_layers(_eng, version: tuple[int, int], gemeente: str, level: str) -> dict:
    """Simplified shapes of the gemeente's wijken or buurten and the quiet Twente context,
    computed once per data version (an import changes the version, so no restart is needed).

    Names are labelled per wijk: 62 buurt names cannot be read on a projector, so a buurt
    map shows the wijk names and borders on top, and buurt names in the tooltip and table.
    """
    from . import maps

    areas = queries.areas(_eng, level, gemeente)
    main = maps.shapes_from_wkb(queries.geometries(_eng, areas["code"].tolist()), level)
    wijken = areas if level == "wijk" else queries.areas(_eng, "wijk", gemeente)
    wijk_shapes = (
        main
        if level == "wijk"
        else maps.shapes_from_wkb(queries.geometries(_eng, wijken["code"].tolist()), "wijk")
    )
    ctx_codes = queries.context_codes(_eng, gemeente)
    ctx_gm = maps.shapes_from_wkb(queries.geometries(_eng, ctx_codes["gemeenten"]), "gemeente")
    ctx_wk = maps.shapes_from_wkb(queries.geometries(_eng, ctx_codes["wijken"]), "context")
    return {
        "main": main,
        "labels": maps.label_records(
            wijk_shapes, dict(zip(wijken["code"], wijken["name"], strict=True))
        ),
        "outline": [] if level == "wijk" else maps.polygon_records(wijk_shapes),
        "context": [maps.polygon_records(ctx_gm), maps.polygon_records(ctx_wk)],
        "view": maps.fit_view(main) if not main.empty else None,
        "areas": areas,
    }


def legend(meta: dict, legend: dict, period: str) -> None:
    """Colour legend with class bounds in Dutch number format. All text is escaped."""
    from .classify import NO_DATA, NOT_APPLICABLE

    items = list(zip(legend["colours"], legend["labels"], strict=True))
    if legend["has_nvt"]:
        items.append((NOT_APPLICABLE, legend_nvt_text()))
    if legend["has_no_data"]:
        items.append((NO_DATA, "geen gegevens"))
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:10px;margin:4px 0">'
        f'<span style="width:28px;height:20px;background:{escape(colour)};'
        f'border:1px solid #555;display:inline-block"></span>'
        f"<span>{escape(label)}</span></div>"
        for colour, label in items
    )
    st.markdown(
        f'<div role="img" aria-label="Legenda" style="font-size:1rem">'
        f"<b>{escape(meta['name'])}</b><br/><span>{escape(meta['unit'])}, {escape(period)}"
        f" ({escape(legend['direction'])})</span>{rows}</div>",
        unsafe_allow_html=True,
    )


def legend_nvt_text() -> str:
    from .classify import MIN_POPULATION

    return f"n.v.t.: minder dan {MIN_POPULATION} inwoners"


# ---------------------------------------------------------------- navigation guard
def ensure_navigation() -> None:
    """Keep Streamlit in `st.navigation` mode.

    Streamlit still has its legacy multipage mode for a folder named `pages/` next to the main
    script: until `st.navigation` has run once in the process, a first visit to a deep link
    such as `/kaart` runs `pages/kaart.py` on its own (no page config, file names in the
    sidebar). Every page calls this first; in legacy mode it switches the process to
    navigation mode and reruns, so `app.py` routes the request.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# ---------------------------------------------------------------- G32 benchmark (cached)
@st.cache_data(show_spinner=False)
def footprint(_eng, version: tuple[int, int], gemeente: str, group: str, base: str, latest: str):
    """All comparisons for the footprint, computed once per data version and selection."""
    from . import agenda

    return agenda.footprint(_eng, gemeente, group, base, latest)


@st.cache_data(show_spinner=False)
def trend_vs_group(
    _eng, version: tuple[int, int], indicator_id: str, gemeente: str, group: str
) -> dict:
    """The gemeente's series and the group's mean (CBS aggregate where published) and range."""
    from . import agenda

    return agenda.trend_vs_group(_eng, indicator_id, gemeente, group)


@st.cache_resource(show_spinner=False, max_entries=64)
def group_map(
    _eng, version: tuple[int, int], indicator_id: str, period: str, gemeente: str, group: str
):
    """National map of the group's gemeenten coloured by the indicator, the gemeente outlined."""
    from . import maps, wijkbeeld

    geo = queries.gemeente_geometries(_eng, int(period[:4]))
    if geo.empty:
        return None
    shapes = maps.shapes_from_wkb(geo, "land")
    members = set(queries.group_members(_eng, group)) | {gemeente}
    names = queries.gemeente_names(_eng)
    meta = queries.indicator_meta(_eng, indicator_id)
    values = queries.group_values(_eng, [indicator_id], sorted(members), [period])
    inside = shapes[shapes["area_code"].isin(members)]
    areas = pd.DataFrame(
        {"code": inside["area_code"], "name": [names.get(c, c) for c in inside["area_code"]]}
    )
    shaded, _legend = wijkbeeld.shade(values.drop(columns=["indicator_id", "period"]), areas, meta)
    source = queries.source_of(_eng, indicator_id)
    shaded = shaded.join(
        shaded.apply(
            lambda r: maps.tooltip_fields(
                r["name"], r["area_code"], r["text"], period, f"{source['owner']} {source['table']}"
            ),
            axis=1,
            result_type="expand",
        )
    )
    outside = shapes[~shapes["area_code"].isin(members)]
    own = shapes[shapes["area_code"] == gemeente]
    return maps.choropleth(
        maps.polygon_records(inside, shaded),
        [],
        [maps.polygon_records(outside)],
        maps.fit_view(inside, 640, 400),
        outline=maps.polygon_records(own),
    )


@st.cache_resource(show_spinner=False, max_entries=128)
def kaart_view(
    _eng,
    version: tuple,
    gemeente: str,
    niveau: str,
    indicator: str,
    jaar: str,
    size: tuple[int, int] | None = None,
) -> dict:
    """Everything the Kaart page draws for one selection, built once per data version: the
    coloured areas, the legend and the deck (whose JSON is then serialised only once)."""
    from . import maps, wijkbeeld

    options = queries.level_options(_eng, niveau, gemeente).set_index("id")
    meta = {"id": indicator, **options.loc[indicator].to_dict()}
    source = queries.source_of(_eng, indicator)
    values = queries.level_values(_eng, indicator, jaar, niveau, gemeente)
    base = base_layers(_eng, version, gemeente, niveau)
    shaded, legend_spec = wijkbeeld.shade(values, base["areas"], meta)
    source_text = f"{source['owner']} {source['table']}".strip()
    shaded = shaded.join(
        shaded.apply(
            lambda r: maps.tooltip_fields(r["name"], r["area_code"], r["text"], jaar, source_text),
            axis=1,
            result_type="expand",
        )
    )
    view = maps.fit_view(base["main"], *size) if size else base["view"]
    deck = maps.choropleth(
        maps.polygon_records(base["main"], shaded),
        base["labels"],
        base["context"],
        view,
        outline=base["outline"],
    )
    return {"meta": meta, "source": source, "shaded": shaded, "legend": legend_spec, "deck": deck}


@st.cache_resource(show_spinner=False, max_entries=256)
def figure(name: str, *args):
    """A figure from `dashboard.<module>.<function>(*args)`, built once per distinct argument
    values (data frames are hashed by content, so new progress or a new import makes a new one)
    and shared: `st.plotly_chart` only reads it; never change it in place. Building a plotly
    figure costs about 10 ms; unpickling one from `cache_data` costs more."""
    module_name, _, func = name.rpartition(".")
    return getattr(importlib.import_module(f"dashboard.{module_name}"), func)(*args)


@st.cache_resource(show_spinner=False, max_entries=64)
def trend_figure(
    _eng,
    version: tuple[int, int],
    indicator_id: str,
    gemeente: str,
    group: str,
    own_label: str,
    group_label: str,
    unit: str,
):
    """The gemeente against its group over all years: data and figure, built once per version."""
    from . import figures

    data = trend_vs_group(_eng, version, indicator_id, gemeente, group)
    return data, figures.trend(data["own"], own_label, data["peers"], group_label, unit)


@st.cache_resource(show_spinner=False, max_entries=64)
def ranking_figure(
    _eng,
    version: tuple[int, int],
    gemeente: str,
    group: str,
    base: str,
    latest: str,
    indicator_id: str,
    group_label: str,
):
    """Ranking of the group in the latest year, the gemeente highlighted."""
    from . import figures

    comps, data = footprint(_eng, version, gemeente, group, base, latest)
    comp = next(c for c in comps if c.indicator_id == indicator_id)
    values = data["values"]
    in_year = values[(values["indicator_id"] == indicator_id) & (values["period"] == latest)]
    in_year = in_year[in_year["area_code"].isin(set(data["members"]) | {gemeente})]
    names = queries.gemeente_names(_eng)
    return figures.ranking(
        in_year, names, gemeente, comp.better, comp.unit, comp.peer[latest].value, group_label
    )


@st.cache_resource(show_spinner=False, max_entries=128)
def locator_deck(_eng, version: tuple, gemeente: str, level: str, code: str):
    """A small map that shows where one wijk or buurt lies in the gemeente."""
    from . import maps

    base = base_layers(_eng, version, gemeente, level)
    frame = base["areas"].rename(columns={"code": "area_code"})[["area_code", "name"]]
    frame["fill"] = ["#0072B2" if c == code else "#f2f2f2" for c in frame["area_code"]]
    frame["dashed"] = False
    frame = frame.join(
        frame.apply(
            lambda r: maps.tooltip_fields(r["name"], r["area_code"], "", "", ""),
            axis=1,
            result_type="expand",
        )
    )
    return maps.choropleth(
        maps.polygon_records(base["main"], frame),
        [],
        base["context"][:1],
        maps.fit_view(base["main"], 520, 330),
        outline=base["outline"],
    )


def upload_form(eng) -> None:
    """The beheerder's upload form: the same importer and messages as the command line."""
    from .errors import ValidationError
    from .importer import import_upload

    st.markdown(
        "Lees een CBS- of politie-download, het sjabloon met eigen cijfers "
        "(`data/sjabloon_indicatoren.csv`), een beleidsplan of gebiedsgrenzen in. Bij "
        "een fout wordt niets opgeslagen."
    )
    with st.form("upload", clear_on_submit=False):
        upload = st.file_uploader("Bestand", type=["csv", "geojson", "json", "gpkg", "zip"])
        dry_run = st.checkbox("Alleen controleren (proefimport)")
        submitted = st.form_submit_button("Inlezen")
    if not (submitted and upload is not None):
        return
    bar = st.progress(0.0, text="Bezig…")
    try:
        result = import_upload(
            eng,
            upload.name,
            upload.getvalue(),
            dry_run=dry_run,
            progress=lambda f, m: bar.progress(min(f, 1.0), text=m),
        )
    except ValidationError as exc:
        bar.empty()
        st.error(
            f"Import geweigerd: {len(exc.problems)} probleem/problemen. Er is niets veranderd."
        )
        st.code(exc.summary(), language=None, wrap_lines=True)  # text, never markdown
    else:
        bar.empty()
        st.success(f"Klaar: {result.status}.")
        st.code(result.summary(), language=None, wrap_lines=True)


def compact_layout() -> None:
    """Less white space at the top of the page, so an overview fits a 1920x1080 screen.
    Static CSS only; no data goes into this HTML."""
    st.markdown(
        "<style>[data-testid='stMainBlockContainer']{padding-top:2.2rem;"
        "padding-bottom:0.5rem} h1{padding-top:0;padding-bottom:0.3rem}</style>",
        unsafe_allow_html=True,
    )


# ---------------------------------------------------------------- meeting and briefing
BRIEFING_PARTS = {
    "beeld": "Veiligheidsbeeld",
    "wijk": "Wijk (de gekozen wijk)",
    "g32": "G32-footprint",
    "themas": "Thema's",
}


@st.cache_data(show_spinner=False, max_entries=16)
def briefing(_eng, version: tuple, gemeente: str, parts: tuple[str, ...], focus, day: str):
    """The briefing PDF and a PNG per page, made once per data version, choice and day."""
    from datetime import datetime

    from . import export

    pdf = export.briefing_pdf(_eng, gemeente, parts, focus, datetime.fromisoformat(day))
    return pdf, export.page_pngs(pdf)


def meeting_tools(page) -> None:
    """Sidebar: presentation mode for this page, and the briefing download (PDF, PNG)."""
    from datetime import date

    from . import agenda, policy, presentation

    params = st.query_params.to_dict()
    with st.sidebar:
        if st.button(
            "Presentatiemodus",
            icon=":material/slideshow:",
            help="Groot en zonder knoppen, voor de beamer. Bladeren met de pijltjes of een "
            "klikker; Esc stopt.",
            key="presentatiemodus",
            width="stretch",
        ):
            st.switch_page(page, query_params=presentation.link_params(params, True))
        with st.expander("Briefing downloaden", icon=":material/picture_as_pdf:"):
            here = agenda.PAGE_STEPS.get(page.url_path, "beeld")
            parts = st.multiselect(
                "Onderdelen",
                list(BRIEFING_PARTS),
                default=[here],
                format_func=BRIEFING_PARTS.get,
                key="briefing-onderdelen",
            )
            eng = engine()
            gemeente = settings.get("GEMEENTE")
            code = (params.get("gebied") or "").strip().upper()
            focus = code if code.startswith("WK") else None
            key = (data_version(eng), policy.progress_version(eng))
            day = date.today().isoformat()
            ordered = tuple(p for p in BRIEFING_PARTS if p in parts)
            name = f"briefing-{gemeente}-{day[:10]}"

            def made() -> tuple[bytes, list[bytes]]:
                return briefing(eng, key, gemeente, ordered, focus, day)

            downloads = [
                ("PDF", lambda: made()[0], ".pdf", "application/pdf", "download"),
                (
                    "PNG (per pagina, in een zip)",
                    lambda: _zip_pngs(made()[1], name),
                    "-png.zip",
                    "application/zip",
                    "image",
                ),
            ]
            for label, data, suffix, mime, icon in downloads:
                st.download_button(
                    label,
                    data=data,  # made on the click, from the cached briefing
                    file_name=f"{name}{suffix}",
                    mime=mime,
                    icon=f":material/{icon}:",
                    disabled=not ordered,
                    on_click="ignore",
                )
            st.caption(
                "Met titel, datum, cijfers met bron en periode, de zinnen van de "
                "G32-vergelijking en de datastand. Gemaakt op de server, zonder internet."
            )


def _zip_pngs(pngs: list[bytes], name: str) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i, png in enumerate(pngs, start=1):
            zf.writestr(f"{name}-pagina-{i}.png", png)
    return out.getvalue()
