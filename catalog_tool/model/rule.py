"""Structured restricted-payment rules (限定支付范围): conditions by dimension, their logical
structure, and the verbatim source span each part came from."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field


class Dimension(str, Enum):
    """The dimensions of NHSA's audit rule base (智能监管"两库") plus those the 备注 text uses."""

    fund = "险种"
    institution = "机构级别"
    setting = "就医方式"
    prescriber = "专科/职称"
    sex = "性别"
    age = "年龄"
    diagnosis = "疾病/诊断"
    procedure = "操作"
    quantity = "用量"
    duration = "疗程"
    line = "线数"
    prior_therapy = "既往治疗"
    single_use = "单独使用"
    pre_approval = "事前审批"
    screening = "营养风险筛查"


class AgeBound(BaseModel):
    """One end of an age range: `18岁`, `3月`, `16日`."""

    model_config = ConfigDict(frozen=True)

    value: Decimal
    unit: Literal["岁", "月", "日"] = "岁"
    inclusive: bool = True


class Span(BaseModel):
    """Where a part of a rule came from: the quoted text and its offsets in the source."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(..., description="The source text of this part, verbatim")
    start: int = Field(..., ge=0)
    end: int = Field(..., ge=0)
    source: str = Field("备注", description="备注, or the 凡例 clause, e.g. 凡例（十四）")


class Condition(Span):
    """One condition on one dimension. Only the parameters of its dimension are set."""

    kind: Literal["condition"] = "condition"
    dimension: Dimension
    negated: bool = Field(False, description="An exclusion: 除外, 不包括, 未接受过 …")
    funds: list[str] | None = Field(None, description="险种: 生育保险 / 工伤保险")
    min_level: int | None = Field(None, description="机构级别: lowest level (1–3)")
    max_level: int | None = Field(None, description="机构级别: highest level")
    institution_type: str | None = Field(None, description="机构级别: e.g. 眼科专科医院")
    settings: list[str] | None = Field(None, description="就医方式: 门诊 / 住院 / 急诊 / 抢救")
    specialty: str | None = Field(None, description="专科: 眼科, 专科医师 …")
    title: str | None = Field(None, description="职称: 高级职称 …")
    first_prescription: bool | None = Field(None, description="Only the first prescription (首次处方)")
    sex: Literal["男", "女"] | None = None
    age_min: AgeBound | None = None
    age_max: AgeBound | None = None
    terms: list[str] | None = Field(None, description="疾病/诊断: disease terms found in the text")
    icd10: list[str] | None = Field(None, description="ICD-10 codes (prefixes) the terms map to")
    qualifiers: list[str] | None = Field(None, description="Stage, marker, severity … kept as text")
    partial_codes: bool | None = Field(
        None, description="Some alternative of the text has no ICD-10 code: a claim outside the codes is REVIEW, not DENY")
    procedures: list[str] | None = Field(None, description="操作: procedures or care contexts")
    max_quantity: Decimal | None = None
    unit: str | None = None
    per: str | None = Field(None, description="用量 scope: 每日, 每眼累计, 第1年度 …")
    pooled_with: list[str] | None = Field(None, description="Drugs whose quantities count together")
    max_days: int | None = Field(None, description="疗程: longest paid duration in days")
    scope: str | None = Field(None, description="疗程 scope: 单次, 单次住院, 连续使用 …")
    review_after_days: int | None = Field(None, description="疗程: stop when not effective after N days")
    onset_hours: Decimal | None = Field(None, description="Start within N hours of onset")
    line_min: int | None = Field(None, description="线数: lowest line of therapy")
    line_max: int | None = Field(None, description="线数: highest line of therapy")
    agents: list[str] | None = Field(None, description="既往治疗: therapies named")
    min_prior_lines: int | None = Field(None, description="既往治疗: at least N earlier lines")
    outcome: str | None = Field(None, description="既往治疗: 失败, 不耐受, 进展 …")
    partners: list[str] | None = Field(None, description="单独使用: drugs it must be combined with")
    not_with: list[str] | None = Field(
        None, description="单独使用: herbs of the edition under the same rule; a prescription made only of them is not paid")


class Note(Span):
    """A recognised statement that restricts nothing beyond the label (按说明书用药 …)."""

    kind: Literal["note"] = "note"
    note: str


class Unparsed(Span):
    """Text the parser could not structure; kept verbatim, forces a REVIEW verdict."""

    kind: Literal["unparsed"] = "unparsed"
    reason: str


class Group(Span):
    """All children must hold (`all`, AND) or one of them must (`any`, OR)."""

    kind: Literal["all", "any"]
    children: list[Node]


Node = Annotated[Union[Condition, Note, Unparsed, Group], Field(discriminator="kind")]
Group.model_rebuild()


class Restriction(BaseModel):
    """The structured form of one restriction text (备注) or 凡例 clause."""

    text: str = Field(..., description="The restriction text, verbatim")
    source: str = Field("备注", description="备注 or the 凡例 clause")
    root: Node | None = Field(None, description="None when the text restricts nothing")
    grouped: bool = Field(False, description="◇: a grouped entry (凡例（十）), not a restriction")

    @property
    def unparsed(self) -> list[Unparsed]:
        return [n for n in walk(self.root) if isinstance(n, Unparsed)]

    @property
    def conditions(self) -> list[Condition]:
        return [n for n in walk(self.root) if isinstance(n, Condition)]

    @property
    def fully_structured(self) -> bool:
        return not self.unparsed


class RowRule(BaseModel):
    """The payment rule of one catalog row: its 备注 restriction and the 凡例 rules that apply."""

    section: str | None = None
    number: str | None = None
    code: str | None = None
    name: str
    dosage_form: str | None = None
    remarks: Restriction | None = None
    fanli: list[Restriction] = Field(default_factory=list, description="Rules stated only in the 凡例")

    @property
    def restrictions(self) -> list[Restriction]:
        return ([self.remarks] if self.remarks is not None else []) + list(self.fanli)


def walk(node):
    """Every node of a rule tree, depth first, parents before children."""
    if node is None:
        return
    yield node
    if isinstance(node, Group):
        for child in node.children:
            yield from walk(child)
