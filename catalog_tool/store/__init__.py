"""The SQLite database: schema (SQLModel), imports, queries. All SQL lives here."""

from catalog_tool.store.db import CatalogDB, ImportResult

__all__ = ["CatalogDB", "ImportResult"]
