"""The shape of `datasets/manifest.json`: the embedded editions with their files' sha256, the
changes a maintainer acknowledged, and named download sources with pinned checksums."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from catalog_tool.model.common import CatalogKind

SHA256_PATTERN = r"^[0-9a-f]{64}$"


class ManifestFile(BaseModel):
    """One data file of an edition, relative to the datasets folder."""

    model_config = ConfigDict(extra="forbid")

    path: str
    sha256: str = Field(..., pattern=SHA256_PATTERN)


class ManifestAcknowledge(BaseModel):
    """Changes versus the previous edition that a maintainer accepted (the check allows up to these shares)."""

    model_config = ConfigDict(extra="forbid")

    removed_share: float | None = Field(None, ge=0, le=1, description="share of the previous edition's rows removed")
    added_share: float | None = Field(None, ge=0, description="rows added, as a share of the previous edition's rows")
    reason: str | None = Field(None, description="why, for the reviewer")


class ManifestEdition(BaseModel):
    """An embedded edition: its metadata (as `Edition`) and its files."""

    kind: CatalogKind
    id: str = Field(..., pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str | None = None
    document_no: str | None = None
    issuer: str | None = None
    published: date | None = None
    effective: date | None = None
    replaces: str | None = Field(None, description="the previous edition: an id in this manifest, or a title")
    stated_totals: dict[str, int] = Field(default_factory=dict)
    files: list[ManifestFile] = Field(..., min_length=1)
    acknowledge: ManifestAcknowledge | None = None


class ManifestSource(BaseModel):
    """A named download (`catalog-tool fetch NAME`): where it is and the sha256 it must have."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(..., pattern=r"^https?://")
    sha256: str = Field(..., pattern=SHA256_PATTERN)
    filename: str | None = Field(None, description="name to save as (default: the last part of the URL)")
    description: str | None = None


class ManifestReference(BaseModel):
    """A table that refers to items of named editions; its unknown references are errors."""

    model_config = ConfigDict(extra="forbid")

    path: str
    editions: list[str] = Field(..., min_length=1)
    columns: dict[str, Literal["code", "name"]] | None = Field(
        None, description="column → what it holds (national codes or drug names); default: the code columns")


class ManifestChangeLimits(BaseModel):
    """Shares of rows removed or added versus the previous edition beyond which a change is an error."""

    model_config = ConfigDict(extra="forbid")

    removed_share: float | None = Field(None, ge=0, le=1)
    added_share: float | None = Field(None, ge=0)


class Manifest(BaseModel):
    """`datasets/manifest.json`."""

    editions: list[ManifestEdition] = Field(default_factory=list)
    sources: dict[str, ManifestSource] = Field(default_factory=dict)
    references: list[ManifestReference] = Field(default_factory=list)
    change_limits: ManifestChangeLimits | None = None
