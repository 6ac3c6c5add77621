"""The store: the schema (every table), the queries, and the writes (sources, releases,
progress). SQLAlchemy Core; below it only the domain and the leaves."""
