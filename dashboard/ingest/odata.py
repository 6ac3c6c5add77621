"""Fetch a CBS StatLine or politie open-data table from its OData v3 feed (`ophalen`).

Flow: TableInfos and DataProperties (which column holds the regions) -> the number of rows the
feed holds for the filter (`TypedDataSet/$count`) -> every page of `TypedDataSet`, following
`odata.nextLink` and, where a server gives none although rows are missing, asking for the next
`$skip` -> a check that exactly that many rows arrived (a lost page is an error, never a short
table) -> the rows as a CBS OData CSV (codes, periods like 2023JJ00, topics by key) -> the same
importer as a file: one release, all-or-nothing.

The filter keeps the gemeente, its wijken (WK<4 digits>..) and buurten (BU<4 digits>..) when
the table has them, the gemeenten of its comparison groups and Nederland (NL01).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from sqlalchemy import Engine, select

from dashboard import settings
from dashboard.ingest.importer import import_file
from dashboard.ingest.result import ImportResult, Progress, noop
from dashboard.store.schema import peer_group_member

CONNECT_TIMEOUT = 10  # seconds
READ_TIMEOUT = 120
# CBS returns at most 10.000 rows per response; a longer table comes in pages.
MAX_PAGE = 10_000
FILTER_PARTS = 20  # regions per request
GEMEENTE_RE = re.compile(r"^GM[0-9]{4}$", re.ASCII)


@dataclass(frozen=True)
class Table:
    table_id: str
    feed: str  # "cbs" (opendata.cbs.nl) or "politie" (dataderden.cbs.nl)
    title: str


TABLES: dict[str, Table] = {
    t.table_id: t
    for t in (
        Table("47018NED", "politie", "Geregistreerde misdrijven; wijk en buurt, per jaar"),
        Table("47022NED", "politie", "Geregistreerde misdrijven; wijk en buurt, per maand"),
        Table("83648NED", "cbs", "Geregistreerde criminaliteit; soort misdrijf, regio"),
        Table("81877NED", "cbs", "Veiligheidsmonitor: veiligheidsbeleving; regio, 2012-2019"),
        Table("81924NED", "cbs", "Veiligheidsmonitor: leefbaarheid en overlast; regio 2012-2019"),
        Table("81926NED", "cbs", "Veiligheidsmonitor: preventie; regio, 2012-2019"),
        Table("81928NED", "cbs", "Veiligheidsmonitor: politie en burger; regio, 2012-2019"),
        Table("85146NED", "cbs", "Veiligheidsmonitor: kerncijfers; regio, 2021-2023"),
    )
}
DIMENSION_TYPES = {"Dimension", "GeoDimension", "TimeDimension"}


class FetchError(Exception):
    """Fetching failed; nothing was written. The message is Dutch and complete."""

    def __init__(self, message: str):
        super().__init__(f"Ophalen mislukt: {message}\nEr is niets in de database veranderd.")


def base_url(feed: str) -> str:
    return settings.get("POLITIE_ODATA_URL" if feed == "politie" else "CBS_ODATA_URL").rstrip("/")


def peers(engine: Engine, gemeente: str) -> list[str]:
    """The gemeenten of every comparison group the gemeente belongs to (itself excluded)."""
    m, other = peer_group_member, peer_group_member.alias("other")
    with engine.connect() as conn:
        rows = conn.execute(
            select(other.c.area_code)
            .join(m, m.c.group_id == other.c.group_id)
            .where(m.c.area_code == gemeente, other.c.area_code != gemeente)
            .distinct()
        )
        return sorted(r.area_code for r in rows if GEMEENTE_RE.match(r.area_code))


def region_prefixes(gemeente: str, peer_codes: list[str], wijken: bool) -> list[str]:
    digits = gemeente[2:]
    prefixes = [gemeente, *([f"WK{digits}", f"BU{digits}"] if wijken else [])]
    return list(dict.fromkeys([*prefixes, *peer_codes, "NL01"]))


def region_filter(key: str, gemeente: str, peer_codes: list[str], wijken: bool) -> str:
    """The OData `$filter` on the region column `key`: prefixes, because CBS pads its codes
    with spaces ('GM0164  ')."""
    return _clauses(key, region_prefixes(gemeente, peer_codes, wijken))


def _clauses(key: str, prefixes: list[str]) -> str:
    return " or ".join(f"startswith({key},'{p}')" for p in prefixes)


def region_filters(key: str, gemeente: str, peer_codes: list[str], wijken: bool) -> list[str]:
    """The filter in parts of at most FILTER_PARTS regions: a web server limits the length
    of a query string (IIS: 2.048 bytes by default), and a comparison group has 40 gemeenten."""
    prefixes = region_prefixes(gemeente, peer_codes, wijken)
    return [
        _clauses(key, prefixes[i : i + FILTER_PARTS]) for i in range(0, len(prefixes), FILTER_PARTS)
    ]


class Feed:
    """One table's OData feed; every request goes through `_get` (timeouts, Dutch errors)."""

    def __init__(self, table: Table, session: requests.Session | None = None):
        self.table = table
        self.base = base_url(table.feed)
        self.root = f"{self.base}/{table.table_id}"
        self.session = session or requests.Session()

    def _get(self, url: str, params: dict | None = None) -> requests.Response:
        try:
            # No redirects: a feed that sends us elsewhere is refused (status 3xx below),
            # as a next page on another server is.
            resp = self.session.get(
                url,
                params=params,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                allow_redirects=False,
            )
        except requests.Timeout:
            raise FetchError(f"de bron {self.base} antwoordde niet op tijd") from None
        except requests.ConnectionError:
            raise FetchError(
                f"geen verbinding met {self.base} (offline, of de bron is niet bereikbaar)"
            ) from None
        except requests.RequestException as exc:
            raise FetchError(f"verzoek aan {self.base} mislukt ({type(exc).__name__})") from None
        if resp.status_code != 200:
            raise FetchError(
                f"{urlsplit(url).path} gaf HTTP-status {resp.status_code} (verwacht 200); "
                f"bestaat tabel {self.table.table_id} nog bij {self.base}?"
            )
        return resp

    def _json(self, url: str, params: dict | None = None) -> dict:
        try:
            data = self._get(url, params).json()
        except ValueError:
            raise FetchError(f"{urlsplit(url).path} gaf geen geldige JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get("value"), list):
            raise FetchError(f"{urlsplit(url).path} gaf geen OData-lijst ('value' ontbreekt)")
        return data

    def values(self, part: str) -> list[dict]:
        return self._json(f"{self.root}/{part}", {"$format": "json"})["value"]

    def count(self, flt: str) -> int:
        text = self._get(f"{self.root}/TypedDataSet/$count", {"$filter": flt}).text.strip()
        if not text.isdigit():
            raise FetchError(f"het aantal rijen van de bron is geen getal: '{text[:40]}'")
        return int(text)

    def rows(self, flt: str, expected: int, progress: Progress = noop) -> list[dict]:
        """Every row for the filter, page by page; raises FetchError unless exactly `expected`
        distinct rows arrived."""
        url = f"{self.root}/TypedDataSet"
        params: dict | None = {"$filter": flt, "$format": "json"}
        out: list[dict] = []
        pages = 0
        while True:
            data = self._json(url, params)
            page = data["value"]
            out.extend(page)
            pages += 1
            if len(out) > expected:
                raise FetchError(
                    f"de bron meldt {expected} rijen voor tabel {self.table.table_id}, maar "
                    f"stuurde er meer ({len(out)} na {pages} pagina's)"
                )
            progress(0.05 + 0.4 * min(len(out) / max(expected, 1), 1), f"pagina {pages}")
            link = data.get("odata.nextLink")
            if link and page:
                there, here = urlsplit(link), urlsplit(self.base)
                if (there.scheme, there.netloc) != (here.scheme, here.netloc):
                    raise FetchError(f"de volgende pagina wijst naar een andere server: {link}")
                url, params = link, None
            elif page and len(out) < expected:
                # No link although rows are missing: ask for the next page ourselves.
                url = f"{self.root}/TypedDataSet"
                params = {"$filter": flt, "$format": "json", "$skip": str(len(out))}
            else:
                break
        ids = [r.get("ID") for r in out]
        if len(set(ids)) != len(ids):
            raise FetchError("de bron stuurde rijen dubbel (zelfde ID); de tabel is niet gelezen")
        if len(out) != expected:
            raise FetchError(
                f"de bron meldt {expected} rijen voor tabel {self.table.table_id}, maar er "
                f"kwamen er {len(out)} binnen in {pages} pagina('s): een pagina ontbreekt"
            )
        return out


@dataclass
class Fetched:
    table_id: str
    gemeente: str
    title: str
    modified: str
    rows: int
    filters: list[str]
    csv: bytes


def fetch(
    engine: Engine,
    table_id: str,
    gemeente: str,
    *,
    session: requests.Session | None = None,
    progress: Progress = noop,
) -> Fetched:
    """Fetch a supported table for the gemeente as CBS OData CSV bytes (nothing is written)."""
    table = TABLES.get(table_id.strip().upper())
    if table is None:
        raise FetchError(f"tabel '{table_id}' wordt niet ondersteund; kies uit {', '.join(TABLES)}")
    gemeente = gemeente.strip().upper()
    if not GEMEENTE_RE.match(gemeente):
        raise FetchError(f"'{gemeente}' is geen gemeentecode (verwacht GM gevolgd door 4 cijfers)")
    feed = Feed(table, session)
    progress(0.01, f"{table.table_id}: tabelgegevens ophalen bij {feed.base}")
    infos = feed.values("TableInfos")
    props = feed.values("DataProperties")
    dims = [p["Key"] for p in props if p.get("Type") in DIMENSION_TYPES and p.get("Key")]
    topics = [p["Key"] for p in props if p.get("Type") == "Topic" and p.get("Key")]
    geo = next((p["Key"] for p in props if p.get("Type") == "GeoDimension"), None)
    if geo is None or "Perioden" not in dims or not topics:
        raise FetchError(
            f"DataProperties van {table.table_id} noemen geen regio-, periode- of "
            "onderwerpkolommen; dit is geen tabel met cijfers per gebied"
        )
    titles: dict[str, dict[str, str]] = {}
    if "Marges" in dims:  # the margin role is read from the label ('Waarde', 'ondergrens')
        titles["Marges"] = {str(v["Key"]): str(v["Title"]) for v in feed.values("Marges")}
    filters = region_filters(geo, gemeente, peers(engine, gemeente), geo == "WijkenEnBuurten")
    counts = [feed.count(flt) for flt in filters]
    if not sum(counts):
        raise FetchError(f"de bron heeft geen rijen van tabel {table.table_id} voor {gemeente}")
    progress(0.05, f"{table.table_id}: {sum(counts)} rijen ophalen")
    rows = [
        r for flt, n in zip(filters, counts, strict=True) if n for r in feed.rows(flt, n, progress)
    ]
    ids = [r.get("ID") for r in rows]
    if len(set(ids)) != len(ids):
        raise FetchError("de bron stuurde rijen dubbel (zelfde ID); de tabel is niet gelezen")
    info = infos[0] if infos else {}
    return Fetched(
        table.table_id,
        gemeente,
        str(info.get("Title") or table.title),
        str(info.get("Modified") or ""),
        len(rows),
        filters,
        to_csv(rows, ["ID", *dims, *topics], titles),
    )


def to_csv(rows: list[dict], columns: list[str], titles: dict[str, dict[str, str]]) -> bytes:
    """The rows as the CSV CBS writes for a table (',' between fields, '.' for decimals); a
    column missing from a row is a malformed page."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for i, row in enumerate(rows):
        missing = [c for c in columns if c not in row]
        if missing:
            raise FetchError(f"rij {i + 1} van de bron mist kolom(men) {', '.join(missing)}")
        out = []
        for c in columns:
            v = row[c]
            if c in titles:
                v = titles[c].get(str(v).strip(), v)
            out.append("" if v is None else repr(v) if isinstance(v, float) else str(v))
        writer.writerow(out)
    return buf.getvalue().encode("utf-8")


def ophalen(
    engine: Engine,
    table_id: str,
    gemeente: str,
    *,
    dry_run: bool = False,
    session: requests.Session | None = None,
    progress: Progress = noop,
) -> ImportResult:
    """Fetch the table and import it as a file: the importer's rules, releases and
    all-or-nothing hold as for `import FILE`."""
    got = fetch(engine, table_id, gemeente, session=session, progress=progress)
    name = f"{got.table_id}_odata_{got.gemeente}.csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(got.csv)
        result = import_file(engine, path, dry_run=dry_run, progress=progress)
    result.notices.append(
        f"opgehaald bij {base_url(TABLES[got.table_id].feed)}: {got.rows} rijen"
        + (f"; tabel gewijzigd {got.modified[:10]}" if got.modified else "")
    )
    return result
