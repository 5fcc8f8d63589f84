"""The diff document (`catalog-tool diff --format json`): summary of a year-on-year comparison and
its entries. The JSON Schema in `schemas/DiffDocument.json` is generated from these models."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field


class DiffEntry(BaseModel):
    """One change: an added or removed row, or one field of a matched row."""

    kind: str = Field(..., description="added, removed, negotiated_to_regular, section_moved, class_changed, "
                      "restriction_changed, payment_changed, agreement_changed, renamed, recoded, category_changed, "
                      "other_changed or cosmetic")
    label: str = Field(..., description="the kind as an announcement words it (调入, 调出, 谈判转常规 …)")
    section_old: str | None = Field(None, description="目录部分 in the old edition (null: added, or no section column)")
    section_new: str | None = Field(None, description="目录部分 in the new edition (null: removed)")
    key: str | None = Field(None, description="the matching key's values, joined by ' | '")
    name: str | None = Field(None, description="药品名称 (new edition's when both exist)")
    dosage_form: str | None = Field(None, description="剂型")
    field: str | None = Field(None, description="the changed field (null for added/removed rows)")
    old: str | None = Field(None, description="old text of the field")
    new: str | None = Field(None, description="new text of the field")
    old_marked: str | None = Field(None, description="old text with the changed span in 【】 (restriction, name)")
    new_marked: str | None = Field(None, description="new text with the changed span in 【】")
    old_amount: Decimal | None = Field(None, description="leading amount of the old 支付标准 (`52.60元(10mg/瓶)` → 52.60)")
    new_amount: Decimal | None = Field(None, description="leading amount of the new 支付标准")
    pct_change: float | None = Field(None, description="(new / old − 1) × 100, 2 decimals, over the specs both editions price; null when confidential or not comparable")
    matched_by: str | None = Field(None, description="key, former_code, recode_table, name or similar_name")


class SectionChange(BaseModel):
    """Per section (目录部分): totals before → after and what moved."""

    section: str
    before_rows: int
    after_rows: int
    before_numbers: int | None = Field(None, description="distinct 编号 (a ★(n) row repeats n)")
    after_numbers: int | None = None
    added: int
    removed: int
    moved_in: int = Field(..., description="matched rows that came from another section")
    moved_out: int
    net: int = Field(..., description="after_rows − before_rows")
    class_changed: int
    restriction_changed: int


class StatedTotalCheck(BaseModel):
    """A total the edition's 凡例 states beside the counted rows."""

    key: str
    label: str
    stated: int | None
    counted: int
    ok: bool | None


class DiffRows(BaseModel):
    old: int
    new: int
    matched: int


class DiffSummary(BaseModel):
    """The announcement-style summary."""

    old: str
    new: str
    key: list[str]
    compared_fields: list[str]
    notes: list[str] = Field(..., description="scope decisions, e.g. compared on 西药 only")
    rows: DiffRows
    counts: dict[str, int] = Field(..., description="rows per kind, plus changed_rows, cosmetic_only_rows, unchanged_rows")
    kind_labels: dict[str, str]
    sections: list[SectionChange]
    stated_totals: dict[str, list[StatedTotalCheck]] = Field(..., description="per edition id (database mode only)")


class DiffDocument(BaseModel):
    """`catalog-tool diff --format json`."""

    format_version: Literal[1] = 1
    summary: DiffSummary
    entries: list[DiffEntry]
