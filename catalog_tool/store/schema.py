"""Tables of the database, declared with SQLModel. Item tables follow the catalog layouts, so a
field added to a model is a column here without a second declaration."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Integer, Table, Text
from sqlmodel import Field, SQLModel

from catalog_tool.formats.layout import LAYOUTS
from catalog_tool.model import CatalogKind

SCHEMA_VERSION = 2  # 2: edition.tiered_payment_standards

ITEM_TABLES = {
    CatalogKind.drugs: "drug_item",
    CatalogKind.consumables: "consumable_item",
    CatalogKind.services: "service_item",
}
INTEGER_FIELDS = {"high_value"}


class EditionRow(SQLModel, table=True):
    """One edition. `state` is `importing` inside the import transaction, `ready` after it."""

    __tablename__ = "edition"
    id: str = Field(primary_key=True)
    kind: str = Field(index=True)
    title: str | None = None
    document_no: str | None = None
    issuer: str | None = None
    published: str | None = None
    effective: str | None = None
    replaces: str | None = None
    stated_totals: str = "{}"
    tiered_payment_standards: str = "{}"
    content_sha256: str | None = None
    item_count: int = 0
    state: str = "importing"
    imported_at: datetime | None = None


class SourceFileRow(SQLModel, table=True):
    __tablename__ = "source_file"
    id: int | None = Field(default=None, primary_key=True)
    edition_id: str = Field(index=True, foreign_key="edition.id")
    name: str
    sha256: str
    rows: int


def _item_table(kind: CatalogKind) -> Table:
    name = ITEM_TABLES[kind]
    cols = [
        Column("edition_id", Text, nullable=False),
        Column("seq", Integer, nullable=False),
        *(Column(f, Integer if f in INTEGER_FIELDS else Text) for f in LAYOUTS[kind].fields),
        Column("pinyin", Text),
    ]
    return Table(
        name,
        SQLModel.metadata,
        *cols,
        # One index: rows are read back in rowid order (= seq order) per edition, and by code.
        Index(f"ix_{name}_edition_code", "edition_id", "code"),
    )


for _kind in CatalogKind:
    _item_table(_kind)


def create_all(path: str) -> None:
    """Create missing tables in the database file."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
