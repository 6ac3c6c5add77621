"""Command line: `python -m dashboard build`, `import FILE [--dry-run]`, `ophalen TABEL`
and `wachtwoord`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from dashboard import settings
from dashboard.domain.auth import hash_password
from dashboard.errors import ValidationError
from dashboard.ingest.build import build
from dashboard.ingest.importer import import_file
from dashboard.ingest.odata import TABLES, FetchError, ophalen
from dashboard.store.schema import create_schema, make_engine


def _progress(fraction: float, message: str) -> None:
    sys.stderr.write(f"[{fraction * 100:5.1f}%] {message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Veiligheidsdashboard: database vullen en bijwerken.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="maak de database en laad de meegeleverde gegevens uit data/")
    imp = sub.add_parser(
        "import", help="importeer één bestand (CSV, Excel .xlsx, GeoJSON, GeoPackage, Shapefile)"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--dry-run", action="store_true", help="controleer alleen; er wordt niets opgeslagen"
    )
    imp.add_argument(
        "--blad", metavar="NAAM", help="Excel: het blad dat wordt gelezen (standaard het eerste)"
    )
    imp.add_argument(
        "--wijzigen",
        action="store_true",
        help="catalogus: sta toe dat bestaande gebieden een andere naam of een ander niveau en "
        "bestaande indicatoren een andere eenheid krijgen (staat in het overzicht)",
    )
    oph = sub.add_parser(
        "ophalen",
        help="haal een CBS- of politietabel op bij de open-databron (OData) en importeer die",
        description="Haal een tabel op bij CBS StatLine (CBS_ODATA_URL) of de open data van de "
        "politie (POLITIE_ODATA_URL), gefilterd op de gemeente, haar wijken en buurten, de "
        "gemeenten van haar vergelijkingsgroepen en Nederland. Elke pagina van de bron wordt "
        "gevolgd en het aantal rijen gecontroleerd; daarna gaat de tabel door dezelfde import "
        "als een bestand (één release, alles of niets). Zonder verbinding of bij een "
        "onvolledige bron: een foutmelding en niets veranderd. Tabellen: "
        + ", ".join(f"{t.table_id} ({t.title})" for t in TABLES.values())
        + ".",
        epilog=f"Instellingen: CBS_ODATA_URL (nu {settings.get('CBS_ODATA_URL')}), "
        f"POLITIE_ODATA_URL (nu {settings.get('POLITIE_ODATA_URL')}), DATABASE_URL, GEMEENTE. "
        "Afsluitcode: 0 gelukt, 2 import geweigerd, 3 ophalen mislukt.",
    )
    oph.add_argument("tabel", help="tabelnummer, bijvoorbeeld 83648NED of 47018NED")
    oph.add_argument(
        "--gemeente",
        help="CBS-code van de gemeente (standaard de instelling GEMEENTE, nu "
        f"{settings.get('GEMEENTE')})",
    )
    oph.add_argument(
        "--dry-run", action="store_true", help="haal op en controleer; er wordt niets opgeslagen"
    )
    sub.add_parser("wachtwoord", help="maak een wachtwoord-hash voor .streamlit/secrets.toml")
    args = parser.parse_args(argv)
    if args.command == "wachtwoord":
        sys.stdout.write(hash_password(getpass.getpass("Wachtwoord: ")) + "\n")
        return 0
    engine = make_engine(settings.get("DATABASE_URL"))
    try:
        if args.command == "build":
            results = build(engine, progress=_progress)
        elif args.command == "ophalen":
            create_schema(engine)
            gemeente = args.gemeente or settings.get("GEMEENTE")
            results = [
                ophalen(engine, args.tabel, gemeente, dry_run=args.dry_run, progress=_progress)
            ]
        else:
            create_schema(engine)
            results = [
                import_file(
                    engine,
                    args.file,
                    dry_run=args.dry_run,
                    allow_changes=args.wijzigen,
                    sheet=args.blad,
                    progress=_progress,
                )
            ]
    except ValidationError as exc:
        sys.stderr.write(exc.summary() + "\n")
        return 2
    except FetchError as exc:
        sys.stderr.write(f"{exc}\n")
        return 3
    for result in results:
        sys.stdout.write(result.summary() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
