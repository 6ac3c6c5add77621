"""Database schema and engine (SQLAlchemy 2.x Core). Works on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)

metadata = MetaData()

source = Table(
    "source",
    metadata,
    Column("key", Text, primary_key=True),
    Column("owner", Text, nullable=False),
    Column("table_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("licence", Text, nullable=False),
    Column("url", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
)

release = Table(
    "release",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_key", Text, ForeignKey("source.key"), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("file_format", String(30), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("skipped_count", Integer, nullable=False, default=0),
    Column("active", Boolean, nullable=False, default=True),
    # Who imported it ('' for the build, the command line and rows from before this column).
    Column("imported_by", Text, nullable=False, default=""),
    UniqueConstraint("source_key", "checksum", name="uq_release_source_checksum"),
)

area = Table(
    "area",
    metadata,
    Column("code", Text, primary_key=True),
    Column("indeling", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("level", String(20), nullable=False),
    Column("parent_code", Text),
    Column("release_id", Integer, ForeignKey("release.id")),
)
Index("ix_area_level", area.c.level, area.c.parent_code)

area_alias = Table(
    "area_alias",
    metadata,
    Column("alias", Text, primary_key=True),
    Column("code", Text, nullable=False),
    Column("note", Text, nullable=False, default=""),
)

geometry = Table(
    "geometry",
    metadata,
    Column("area_code", Text, primary_key=True),
    Column("indeling", Integer, primary_key=True),
    Column("wkb", LargeBinary, nullable=False),
    Column("crs", String(20), nullable=False, default="EPSG:28992"),
    Column("release_id", Integer, ForeignKey("release.id"), nullable=False),
)

indicator = Table(
    "indicator",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("definition", Text, nullable=False, default=""),
    Column("source_key", Text),
    Column("better", String(10), nullable=False, default="neutraal"),
    Column("kind", Text, nullable=False, default="waarde"),
    Column("levels", Text, nullable=False, default=""),
    Column("theme", Text, nullable=False, default=""),
    Column("footprint", Integer),  # position in the G32 footprint (Veiligheidsmonitor), if any
    # The first year of a new series that cannot be compared with the years before (the
    # Veiligheidsmonitor changed in 2021), and why, in plain Dutch.
    Column("series_break", Integer),
    Column("series_break_note", Text, nullable=False, default=""),
    Column("derived_from", Text, nullable=False, default=""),
    Column("auto", Boolean, nullable=False, default=False),
)

observation = Table(
    "observation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_id", Text, ForeignKey("indicator.id"), nullable=False),
    Column("area_code", Text, nullable=False),
    Column("period", String(12), nullable=False),
    Column("value", Float),
    Column("lower", Float),
    Column("upper", Float),
    Column("count", Float),
    Column("denominator", Float),
    Column("variant", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("provisional", Boolean, nullable=False, default=False),
    Column("derived", Boolean, nullable=False, default=False),
    Column("current", Boolean, nullable=False, default=True),
    Column("release_id", Integer, ForeignKey("release.id")),
    UniqueConstraint(
        "indicator_id", "area_code", "period", "variant", "release_id", name="uq_observation"
    ),
)
Index(
    "ix_observation_lookup", observation.c.indicator_id, observation.c.period, observation.c.current
)
Index("ix_observation_area", observation.c.area_code)

peer_group = Table(
    "peer_group",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
)

peer_group_member = Table(
    "peer_group_member",
    metadata,
    Column("group_id", Text, ForeignKey("peer_group.id"), primary_key=True),
    Column("area_code", Text, primary_key=True),
)


# ---------------------------------------------------------------- plans and progress
policy_element = Table(
    "policy_element",
    metadata,
    Column("plan_id", Text, primary_key=True),
    Column("code", Text, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("parent_code", Text),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("source_ref", Text, nullable=False, default=""),
    Column("release_id", Integer, ForeignKey("release.id")),
)


# A plan belongs to one gemeente (CBS code): every read of a plan filters on it. A table of
# its own (not a column) so that `create_schema` adds it to a database of an older version.
policy_plan = Table(
    "policy_plan",
    metadata,
    Column("plan_id", Text, primary_key=True),
    Column("gemeente", Text, nullable=False),
    Column("release_id", Integer, ForeignKey("release.id")),
)


Index("ix_policy_plan_gemeente", policy_plan.c.gemeente)


# Budgets where a plan has them (a begroting: "totale lasten (x 1.000 euro)" per doel).
policy_budget = Table(
    "policy_budget",
    metadata,
    Column("plan_id", Text, primary_key=True),
    Column("code", Text, primary_key=True),
    Column("lasten", Float, nullable=False),  # x 1.000 euro, as the document gives them
    Column("release_id", Integer, ForeignKey("release.id")),
    ForeignKeyConstraint(["plan_id", "code"], ["policy_element.plan_id", "policy_element.code"]),
)


policy_indicator = Table(
    "policy_indicator",
    metadata,
    Column("plan_id", Text, primary_key=True),
    Column("theme_code", Text, primary_key=True),
    Column("indicator_id", Text, ForeignKey("indicator.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=1),
    Column("note", Text, nullable=False, default=""),
    Column("release_id", Integer, ForeignKey("release.id")),
    ForeignKeyConstraint(
        ["plan_id", "theme_code"], ["policy_element.plan_id", "policy_element.code"]
    ),
)


policy_update = Table(
    "policy_update",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Text, nullable=False),
    Column("action_code", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("owner", Text, nullable=False),
    Column("due_date", Date),
    Column("update_date", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("user_name", Text, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(
        ["plan_id", "action_code"], ["policy_element.plan_id", "policy_element.code"]
    ),
)


Index("ix_policy_update_action", policy_update.c.plan_id, policy_update.c.action_code)


policy_update_area = Table(
    "policy_update_area",
    metadata,
    Column("update_id", Integer, ForeignKey("policy_update.id"), primary_key=True),
    Column("area_code", Text, primary_key=True),
)


Index("ix_policy_update_area_code", policy_update_area.c.area_code)


# ---------------------------------------------------------------- notes on the figures
# A note on an area's figures (`store.notes`). Never edited in place: `area_note` holds who
# started it where, and each change is a new `area_note_version` (version 1, 2, ...); a
# removal is a version with `removed` true, by whoever removed it, so a trace remains.
area_note = Table(
    "area_note",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("gemeente", Text, nullable=False),
    Column("area_code", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


Index("ix_area_note_area", area_note.c.gemeente, area_note.c.area_code)


area_note_version = Table(
    "area_note_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("note_id", Integer, ForeignKey("area_note.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("indicator_id", Text),  # no foreign key: a note outlives a re-import of indicators
    Column("period_from", String(12)),
    Column("period_to", String(12)),
    Column("text", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("removed", Boolean, nullable=False, default=False),
    # Two people changing the same version: the second insert fails instead of hiding the first.
    UniqueConstraint("note_id", "version", name="uq_area_note_version"),
)


def make_engine(url: str) -> Engine:
    """Create an engine. On SQLite: foreign keys on, a busy timeout, and write-ahead logging
    for a file database, so pages keep reading while an import writes."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        in_memory = url in ("sqlite://", "sqlite:///:memory:")

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if not in_memory:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    """Create missing tables, and add the columns a newer version added to an existing table
    (additive only: a column is never changed or dropped here)."""
    metadata.create_all(engine)
    _add_missing_columns(engine)


def _add_missing_columns(engine: Engine) -> None:
    from sqlalchemy import inspect, literal, text

    inspector = inspect(engine)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                kind = column.type.compile(dialect=engine.dialect)
                default = column.default.arg if column.default is not None else None
                clause = ""
                if isinstance(default, str | bool | int | float):
                    # The default as the dialect writes it ('' or FALSE or 0), so the rows
                    # already there get it and a NOT NULL column can be added.
                    value = literal(default, column.type).compile(
                        dialect=engine.dialect, compile_kwargs={"literal_binds": True}
                    )
                    clause = f" DEFAULT {value}" + ("" if column.nullable else " NOT NULL")
                # Identifiers come from our own metadata, never from input.
                conn.execute(
                    text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{clause}')
                )


def is_empty(engine: Engine) -> bool:
    """True when the schema is missing or holds no release yet."""
    from sqlalchemy import inspect, select

    if not inspect(engine).has_table("release"):
        return True
    with engine.connect() as conn:
        return conn.execute(select(release.c.id).limit(1)).first() is None


indicator_mapping = Table(
    "indicator_mapping",
    metadata,
    Column("table_id", Text, primary_key=True),
    Column("dimension", Text, primary_key=True),
    Column("measure", Text, primary_key=True),
    Column("indicator_id", Text, primary_key=True),
    Column("role", String(20), nullable=False),
)

derivation = Table(
    "derivation",
    metadata,
    Column("indicator_id", Text, ForeignKey("indicator.id"), primary_key=True),
    Column("numerator", Text, nullable=False),
    Column("denominator", Text, nullable=False),
    Column("factor", Float, nullable=False),
    Column("period_offsets", Text, nullable=False, default="0"),
    Column("method", String(20), nullable=False, default="verhouding"),
)
