"""A hospital formulary (医院药品目录, 院内码 → 医保代码 对码) and the report of checking it
against a catalog edition: one finding per problem, with national-code suggestions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, Field


class Severity(str, Enum):
    """`error` fails the check (exit 1); `warning` needs a look; `info` is for the record."""

    error = "error"
    warning = "warning"
    info = "info"


class FindingKind(str, Enum):
    """What is wrong with one formulary row. The value is the sheet name hospital staff see."""

    excel_quirk = "excel_quirk"  # codes mangled into numbers / scientific notation, full-width, spaces
    bad_value = "bad_value"  # a price or flag that cannot be read
    duplicate_local_code = "duplicate_local_code"
    unmapped = "unmapped"  # no national code (未对码)
    code_malformed = "code_malformed"
    code_unknown = "code_unknown"
    code_former = "code_former"  # mapped to a code the edition lists as 曾用码 of a new code
    wrong_mapping = "wrong_mapping"  # the mapped code's name or dosage form differs (项目对应错误)
    self_pay = "self_pay"  # out of catalog: 自费
    removed = "removed"  # in the previous edition, not in this one (调出)
    class_changed = "class_changed"  # 甲 ↔ 乙 since the previous edition
    restricted = "restricted"  # 限定支付范围
    price_above_standard = "price_above_standard"  # 医保支付标准 below the hospital's price
    agreement_expired = "agreement_expired"
    agreement_expiring = "agreement_expiring"
    vbp_not_stocked = "vbp_not_stocked"  # 集采中选 product of this drug not stocked


class FormularyItem(BaseModel):
    """One row of a hospital formulary as read and cleaned (values after the Excel fixes)."""

    row: int = Field(..., description="row number as the spreadsheet shows it")
    local_code: str = Field(..., description="院内编码")
    national_code: str | None = Field(None, description="医保代码 (对码), cleaned; None when unusable")
    name: str = Field(..., description="药品名称 as the hospital writes it")
    dosage_form: str | None = Field(None, description="剂型")
    spec: str | None = Field(None, description="规格")
    price: Decimal | None = Field(None, description="单价 (元)")
    stocked: bool | None = Field(None, description="是否在用")


class Suggestion(BaseModel):
    """A candidate national code (or NRDL entry, which has none) for an item, best first."""

    code: str | None = Field(None, description="医保药品代码; None for an NRDL entry")
    name: str
    dosage_form: str | None = None
    spec: str | None = None
    drug_class: str | None = None
    score: float = Field(..., description="0–100: name, dosage form and spec similarity")


class Finding(BaseModel):
    """One problem of one formulary row."""

    kind: FindingKind
    severity: Severity
    row: int | None = None
    local_code: str | None = None
    national_code: str | None = None
    name: str | None = None
    message: str
    catalog_name: str | None = Field(None, description="the catalog entry the item matched, if any")
    restriction: str | None = Field(None, description="备注 text for restricted items")
    suggestions: list[Suggestion] = Field(default_factory=list)


class FormularyReport(BaseModel):
    """The result of validating a formulary against an edition (and its previous edition)."""

    edition: str
    previous: str | None = None
    on: date
    items: int
    matched: int = Field(..., description="items matched to an entry of the edition")
    findings: list[Finding] = Field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.error for f in self.findings)

    def counts(self) -> dict[str, dict[str, int]]:
        """Findings per kind and severity, kinds in their declared order."""
        out: dict[str, dict[str, int]] = {}
        for kind in FindingKind:
            hits = [f for f in self.findings if f.kind is kind]
            if hits:
                out[kind.value] = {s.value: sum(f.severity is s for f in hits) for s in Severity
                                   if any(f.severity is s for f in hits)}
        return out
