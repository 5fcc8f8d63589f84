"""Prescription / claim lines checked against the restricted-payment rules, and the verdicts."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, Field


class Verdict(str, Enum):
    """Ordered DENY < REVIEW < PAY, so a conjunction is the minimum and an alternative the maximum."""

    deny = "DENY"
    review = "REVIEW"
    pay = "PAY"


class Claim(BaseModel):
    """One claim line (处方/结算明细). Only the drug is required; a condition whose facts are
    missing from the line gives REVIEW, never PAY."""

    row: int | None = Field(None, description="Row number in the claims file")
    claim_id: str | None = Field(None, description="单据号 / line id")
    code: str | None = Field(None, description="医保药品代码")
    section: str | None = Field(None, description="目录部分; default 西药部分")
    number: str | None = Field(None, description="编号, e.g. 368 or ★(376)")
    dosage_form: str | None = Field(None, description="剂型, to pick one of several ★ rows")
    age_days: float | None = Field(None, description="Patient age in days (年龄 `45`, `8月`, `16天` parsed)")
    sex: str | None = Field(None, description="男 / 女")
    fund: str | None = Field(None, description="职工医保 / 居民医保 / 基本医保 / 生育保险 / 工伤保险")
    institution_level: int | None = Field(None, ge=1, le=3, description="医疗机构级别 1–3")
    setting: str | None = Field(None, description="门诊 / 住院 / 急诊 / 抢救")
    diagnosis_codes: list[str] = Field(default_factory=list, description="ICD-10 codes")
    diagnosis_text: list[str] = Field(default_factory=list, description="Diagnoses as text")
    line_of_therapy: int | None = Field(None, ge=1)
    days: int | None = Field(None, ge=0, description="Days supplied (用药天数)")
    prescriber: str | None = Field(None, description="Prescriber title and/or specialty, e.g. 主任医师 眼科")
    quantity: Decimal | None = None
    unit: str | None = None
    amount: Decimal | None = Field(None, description="Amount of the line (元)")
    pre_approved: bool | None = Field(None, description="事前审批 granted")
    screening: bool | None = Field(None, description="营养风险筛查 done and positive")
    prior_therapy: str | None = Field(None, description="既往治疗, free text (`无` = none)")
    concomitant: str | None = Field(None, description="合并用药 on the same prescription")
    procedure: str | None = Field(None, description="手术/操作/检查")
    onset_hours: Decimal | None = Field(None, description="Hours from onset to first dose")


class LineVerdict(BaseModel):
    """The verdict on one claim line and the condition that decided it, quoted from its source."""

    row: int | None = None
    claim_id: str | None = None
    drug: str = Field(..., description="部分 编号 名称 of the catalog row, or the identifier not found")
    verdict: Verdict
    dimension: str | None = Field(None, description="The deciding condition's dimension")
    quote: str | None = Field(None, description="The deciding text, verbatim")
    source: str | None = Field(None, description="备注, 凡例（十一）…")
    reason: str = Field("", description="Why, in words")
    amount: Decimal | None = None


class VerdictTotal(BaseModel):
    verdict: Verdict
    lines: int
    amount: Decimal | None = None


class CheckSummary(BaseModel):
    """Counts and amounts per verdict for a claims file."""

    edition: str
    lines: int
    totals: list[VerdictTotal]
