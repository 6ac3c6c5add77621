"""Ingest: reading files (CSV, geometry, catalogue, plan), checking every value, and writing
them into the store in one transaction; the build of the shipped data; derived values."""
