"""A local CBS OData v3 feed for the `ophalen` tests, served from our shipped files.

Each table is built from a file under data/bronnen/indicatoren/ (PROVENANCE.md) as CBS's
TypedDataSet gives it: codes padded with spaces (regions from names through the database's own
AreaResolver), periods like 2023JJ00, topics by key, Marges as codes with their code list.
The server answers TableInfos, DataProperties, Marges, TypedDataSet/$count and TypedDataSet
with a small page size and an `odata.nextLink`, like CBS (which caps a page at 10.000 rows).
`mode` breaks it on purpose: "geen_link" never gives a nextLink (the client must ask for $skip);
"laatste_kwijt" loses the last page; "dubbel" serves the first page twice; "kapot" sends a page
that is not JSON; "omleiding" redirects the second page elsewhere; "andere_server" links the next
page on another host.
"""

from __future__ import annotations

import csv
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from dashboard.ingest.areas import AreaResolver

ROOT = Path(__file__).resolve().parents[2]
FILES = ROOT / "data" / "bronnen" / "indicatoren"
MARGES = {
    "Waarde": "MW00000",
    "Betrouwbaarheidsmarge ondergrens": "MOG0095",
    "Betrouwbaarheidsmarge bovengrens": "MBG0095",
    "Betrouwbaarheidsmarge": "CI00095",
}
SOORT_83648 = {"Misdrijven, totaal": "0000000"}
FILTER_RE = re.compile(r"startswith\((\w+),'([A-Z0-9]+)'\)", re.ASCII)


@dataclass
class FeedTable:
    title: str
    modified: str
    props: list[dict]
    rows: list[dict]
    codelists: dict[str, list[dict]] = field(default_factory=dict)


def _props(dims: dict[str, str], topics: list[str]) -> list[dict]:
    out = [{"ID": i, "Key": k, "Type": t} for i, (k, t) in enumerate(dims.items())]
    return out + [{"ID": len(out) + i, "Key": k, "Type": "Topic"} for i, k in enumerate(topics)]


def _number(v: str):
    v = v.strip()
    if not v or v == ".":
        return None
    f = float(v)
    return int(f) if f.is_integer() and "." not in v else f


def politie_47018(bump: int = 0) -> FeedTable:
    """politie_47018NED_hengelo_buurten_2023.csv; `bump` is added to every count (made up, so
    a test sees the fetched values rather than the shipped ones)."""
    with (FILES / "politie_47018NED_hengelo_buurten_2023.csv").open(encoding="utf-8") as fh:
        src = list(csv.DictReader(fh))
    rows = [
        {
            "ID": i,
            "SoortMisdrijf": r["soort_misdrijf_code"].ljust(6),
            "WijkenEnBuurten": r["buurtcode"].ljust(10),
            "Perioden": f"{r['jaar']}JJ00",
            "GeregistreerdeMisdrijven_1": int(r["geregistreerde_misdrijven"]) + bump,
        }
        for i, r in enumerate(src)
    ]
    # Made-up rows of another gemeente's buurten: the filter must leave them at the source.
    rows += [
        {**r, "ID": len(rows) + i, "WijkenEnBuurten": "BU0153" + r["WijkenEnBuurten"][6:]}
        for i, r in enumerate(rows[:10])
    ]
    dims = {"SoortMisdrijf": "Dimension", "WijkenEnBuurten": "GeoDimension"}
    return FeedTable(
        "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers",
        "2024-08-15T02:00:00",
        _props({**dims, "Perioden": "TimeDimension"}, ["GeregistreerdeMisdrijven_1"]),
        rows,
    )


def _cbs_labelled(engine, file_name: str, codes: dict[str, dict[str, str]]) -> FeedTable:
    """A shipped cbsodata table (labels for regions and other dimensions) back into codes."""
    with (FILES / file_name).open(encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, delimiter=";")
        header = next(reader)
        src = list(reader)
    dims = [c for c in header[1:] if not re.search(r"_[0-9]+$", c)]
    topics = [c for c in header if re.search(r"_[0-9]+$", c)]
    with engine.connect() as conn:
        resolver = AreaResolver(conn)
    rows = []
    for r in src:
        rec = dict(zip(header, r, strict=True))
        period = f"{rec['Perioden'][:4]}JJ00"
        code, _ = resolver.resolve(rec["RegioS"], period)
        if code is None or not re.match(r"^(GM[0-9]{4}|NL01)$", code):
            continue
        row = {"ID": len(rows), "RegioS": code.ljust(8), "Perioden": period}
        for d in dims:
            if d in codes:
                row[d] = codes[d][rec[d]]
        row |= {t: _number(rec[t]) for t in topics}
        rows.append(row)
    types = {d: "Dimension" for d in dims if d in codes}
    types |= {"RegioS": "GeoDimension", "Perioden": "TimeDimension"}
    lists = {d: [{"Key": k, "Title": t} for t, k in codes[d].items()] for d in codes if d in dims}
    return FeedTable(file_name, "2025-06-30T02:00:00", _props(types, topics), rows, lists)


def cbs_83648(engine) -> FeedTable:
    return _cbs_labelled(
        engine,
        "cbs_83648NED_misdrijven_totaal_regio_2010-2024.csv",
        {"SoortMisdrijf": SOORT_83648},
    )


def cbs_85146(engine) -> FeedTable:
    return _cbs_labelled(
        engine,
        "cbs_85146NED_veiligheidsmonitor_kerncijfers_regio_2021-2023.csv",
        {"Marges": MARGES},
    )


class Feed:
    """The server: `Feed(tables, page=50)` as a context manager; `url` is its base."""

    def __init__(self, tables: dict[str, FeedTable], page: int = 50, mode: str = ""):
        self.tables, self.page, self.mode = tables, page, mode
        self.requests: list[str] = []
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                feed.requests.append(self.path)
                status, body, kind = feed.answer(self.path)
                data = body.encode("utf-8")
                self.send_response(status)
                if kind.startswith("redirect:"):  # mode "omleiding"
                    self.send_header("Location", kind.removeprefix("redirect:"))
                    kind = "text/plain"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ODataApi/odata"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _filtered(self, table: FeedTable, flt: str) -> list[dict]:
        if not flt:
            return table.rows
        clauses = FILTER_RE.findall(flt)
        if len(clauses) != flt.count("startswith"):
            raise ValueError(flt)
        return [r for r in table.rows if any(str(r[k]).startswith(p) for k, p in clauses)]

    def answer(self, raw: str) -> tuple[int, str, str]:
        parts = urlsplit(raw)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        m = re.match(r"^/ODataApi/odata/(\w+)/(\w+)(/\$count)?$", parts.path)
        if not m or m.group(1) not in self.tables:
            return 404, "{}", "application/json"
        table, part = self.tables[m.group(1)], m.group(2)
        js = "application/json"
        if part == "TableInfos":
            info = {"ID": 0, "Title": table.title, "Modified": table.modified}
            return 200, json.dumps({"value": [info]}), js
        if part == "DataProperties":
            return 200, json.dumps({"value": table.props}), js
        if part in table.codelists:
            return 200, json.dumps({"value": table.codelists[part]}), js
        if part != "TypedDataSet":
            return 404, "{}", js
        try:
            rows = self._filtered(table, q.get("$filter", ""))
        except ValueError:
            return 400, '{"odata.error": "filter"}', js
        if m.group(3):
            return 200, str(len(rows)), "text/plain"
        skip = int(q.get("$skip", "0"))
        last_start = (len(rows) - 1) // self.page * self.page
        if self.mode == "laatste_kwijt" and skip >= last_start:
            return 200, json.dumps({"value": []}), js
        if self.mode == "kapot" and skip > 0:
            return 200, '{"value": [{"ID": 1,', js
        if self.mode == "omleiding" and skip > 0:
            return 302, "", "redirect:http://example.invalid/ODataApi/odata/x/TypedDataSet"
        if self.mode == "dubbel" and skip == self.page:
            skip = 0
        body: dict = {"value": rows[skip : skip + self.page]}
        more = skip + self.page < len(rows)
        if more and self.mode != "geen_link":
            if not (self.mode == "laatste_kwijt" and skip + self.page >= last_start):
                link = {"$filter": q.get("$filter", ""), "$format": "json"}
                link["$skip"] = str(skip + self.page)
                here = self.url
                if self.mode == "andere_server":
                    here = here.replace("127.0.0.1", "example.invalid")
                body["odata.nextLink"] = f"{here}/{m.group(1)}/TypedDataSet?{urlencode(link)}"
        return 200, json.dumps(body), js
