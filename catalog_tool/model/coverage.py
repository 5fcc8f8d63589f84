"""How much of an edition's restriction text the rule parser structured."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DimensionCount(BaseModel):
    dimension: str
    rows: int = Field(..., description="Restricted rows with at least one condition of this dimension")
    conditions: int = Field(..., description="Conditions of this dimension over all restricted rows")


class UnparsedFragment(BaseModel):
    text: str = Field(..., description="The fragment, verbatim")
    reason: str
    rows: int = Field(..., description="How many rows carry it")
    example: str = Field(..., description="One row: 部分 编号 名称")


class CoverageReport(BaseModel):
    """Share of restricted rows (non-empty 备注) whose restriction is fully structured, i.e. has
    no unparsed fragment. Diagnosis wording is kept as text; `icd10_mapped` says how many
    diagnosis conditions also carry ICD-10 codes."""

    edition: str
    rows: int
    restricted_rows: int
    structured_rows: int
    share: float
    distinct_texts: int
    structured_texts: int
    coded_rows: int = Field(..., description="Structured rows whose every diagnosis condition has ICD-10 codes")
    grouped_rows: int = Field(..., description="◇ rows: grouped entries, no restriction to structure")
    fanli_rows: int = Field(..., description="Rows reached by a rule stated only in the 凡例")
    diagnosis_conditions: int
    icd10_mapped: int
    dimensions: list[DimensionCount]
    unparsed: list[UnparsedFragment]
