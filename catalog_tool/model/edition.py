"""An edition (版本) of a catalog: immutable once published and imported."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from catalog_tool.model.common import CatalogKind


class SourceFile(BaseModel):
    """A file an edition was imported from, with its checksum."""

    name: str
    sha256: str
    rows: int


class Edition(BaseModel):
    """Metadata of one release of one catalog."""

    kind: CatalogKind
    id: str = Field(..., description="edition id, e.g. nrdl-2025", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str | None = Field(None, description="e.g. 国家基本医疗保险、生育保险和工伤保险药品目录（2025年）")
    document_no: str | None = Field(None, description="文号, e.g. 医保发〔2025〕33号")
    issuer: str | None = None
    published: date | None = None
    effective: date | None = None
    replaces: str | None = Field(None, description="the edition this one replaces (id or title)")
    source_files: list[SourceFile] = Field(default_factory=list)
    stated_totals: dict[str, int] = Field(
        default_factory=dict, description="totals the release states about itself (凡例), e.g. west_part"
    )
    tiered_payment_standards: dict[str, dict] = Field(
        default_factory=dict, description="tiered prices a release gives in a footnote (备注2: 碘[131I]), by drug, "
        "as its edition.json states them: {text, table}"
    )
    content_sha256: str | None = Field(None, description="sha256 of the imported items, in order")
    item_count: int = 0
    imported_at: datetime | None = None
