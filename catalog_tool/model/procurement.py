"""Volume-based procurement (国家组织药品集中带量采购): a batch's drugs and bids, the rule set a batch
is evaluated under, and the results: who wins and why, provinces, agreed quantities, completion."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


class VbpDrug(BaseModel):
    """One drug (品种) of a batch: its representative spec and ceiling."""

    drug: str = Field(..., description="品种编号")
    name: str = Field(..., description="药品通用名")
    form: str = Field(..., description="剂型")
    spec: str = Field(..., description="代表品规格, e.g. 10mg or 5ml:0.5g")
    ceiling: Decimal = Field(..., description="最高有效申报价, 元 per minimal unit of the representative spec")
    antimicrobial: bool = Field(False, description="特殊抗菌药物: lower agreed-volume shares")
    pre_price: Decimal | None = Field(None, description="集采前价格, 元 per minimal unit of the representative spec")
    row: int | None = Field(None, description="row in drugs file")


class VbpBid(BaseModel):
    """One quantity-price bid (申报): a company's product of one spec, priced per pack."""

    drug: str
    company: str = Field(..., description="企业名称")
    product: str = Field("", description="产品名称")
    spec: str = Field(..., description="规格 of the product")
    pack: int = Field(..., description="包装数量: minimal units (片/粒/支) per pack")
    price: Decimal = Field(..., description="申报价, 元 per pack")
    revival: bool = Field(False, description="accepts the highest winning price if it loses (batch-10 复活)")
    row: int | None = Field(None, description="row in bids file")


class VbpDemand(BaseModel):
    """One row of demand.csv: a hospital's reported yearly demand (报送需求量) for one drug."""

    hospital: str = Field(..., description="医疗机构编码")
    hospital_name: str = Field("", description="医疗机构名称")
    province: str = Field(..., description="省份: the region whose supplier serves the hospital")
    drug: str = Field(..., description="品种编号")
    quantity: int = Field(..., ge=0, description="需求量, minimal units of the representative spec a year")


class VbpReferencePrice(BaseModel):
    """One row of reference-prices.csv."""

    drug: str = Field(..., description="品种编号")
    pre_price: Decimal = Field(..., gt=0, description="集采前价格, 元 per minimal unit of the representative spec")


class VbpPreference(BaseModel):
    """One row of preferences.csv: a region a winner would choose, by rank."""

    drug: str = Field(..., description="品种编号")
    company: str = Field(..., description="企业名称")
    rank: int = Field(..., ge=1, description="顺位, 1 = first choice")
    province: str = Field(..., description="省份")


class VbpPurchase(BaseModel):
    """One row of a purchases file for `vbp progress`."""

    hospital: str = Field(..., description="医疗机构编码")
    drug: str = Field(..., description="品种编号")
    quantity: int = Field(..., ge=0, description="采购量, minimal units of the representative spec")
    company: str = Field("", description="企业名称; without it every purchase counts as from the supplier")
    date: str = Field("", description="采购日期")


class VbpRuleSet(BaseModel):
    """A batch's rules as data: copy a file from `catalog-tool vbp rules show NAME`, change a number."""

    model_config = ConfigDict(extra="forbid")  # a misspelt key is an error, not a silently ignored rule

    id: str = Field(..., description="name used with --rules, e.g. batch-9")
    version: str
    title: str
    source: str = Field("", description="where the figures come from")
    notes: list[str] = Field(default_factory=list, description="assumptions and deviations, stated")
    anchor: str = Field("lowest", description="lowest | lowest-or-mean-fraction: the price winners are compared with")
    anchor_mean_fraction: Decimal | None = Field(None, description="for lowest-or-mean-fraction: anchor = max(lowest, mean × this)")
    ratio_to_anchor: Decimal = Field(..., description="win when unit comparable price ≤ this × anchor (1.8)")
    unit_price_floor: Decimal | None = Field(None, description="win when unit comparable price ≤ this (0.10元); null: no such route")
    drop_vs_ceiling: Decimal | None = Field(None, description="win when drop versus ceiling ≥ this (0.50); null: no such route")
    form_thresholds: dict[str, Decimal] = Field(default_factory=dict,
                                                description="剂型 substring → low-price threshold (batch 10); first match wins, '*' any form")
    revival: bool = Field(False, description="losers that accept the highest winning price win at that price (batch 10)")
    max_winners: list[int] = Field(..., description="maximum winners for 1, 2, 3 … qualified bidders; the last entry for all above")
    volume_share: list[Decimal] = Field(..., description="agreed-volume share for 1, 2, 3 … winners; the last entry for all above")
    antimicrobial_share: list[Decimal] = Field(..., description="the same for special antimicrobials (特殊抗菌药物)")
    contract_years: list[int] = Field(..., description="contract term in years for 1, 2, 3 … winners; the last for all above")
    content_ratio_base: Decimal = Field(Decimal("1.7"), description="差比价 K = base^log2(content ratio)")
    fill_volume_base: Decimal = Field(Decimal("1.9"), description="差比价 K = base^log2(fill-volume ratio)")
    injection_max_ml: Decimal = Field(Decimal("10"), description="injections up to this fill volume are not differentiated")


class BidStatus(str, Enum):
    won = "中选"
    revived = "复活中选"
    lost = "未中选"
    invalid = "无效"


class BidResult(BaseModel):
    """One bid judged: its unit comparable price (单位可比价), the routes it met, the outcome and why."""

    drug: str
    company: str
    product: str = ""
    spec: str
    pack: int
    price: Decimal = Field(..., description="申报价 per pack")
    unit_price: Decimal = Field(..., description="price per minimal unit of its own spec")
    factor: Decimal = Field(..., description="差比价 K of its spec versus the representative spec")
    factor_reason: str
    comparable: Decimal = Field(..., description="单位可比价: unit price ÷ K, per minimal unit of the representative spec")
    valid: bool = Field(..., description="not above the ceiling")
    rank: int | None = Field(None, description="order among valid bids by unit comparable price (1 = lowest)")
    ratio_to_anchor: Decimal | None = None
    routes: list[str] = Field(default_factory=list, description="winning conditions met")
    status: BidStatus
    reason: str
    final_comparable: Decimal | None = Field(None, description="unit comparable price it supplies at (the revival price for 复活)")
    drop_vs_ceiling: Decimal | None = Field(None, description="1 − final comparable ÷ ceiling")
    drop_vs_pre: Decimal | None = Field(None, description="1 − final comparable ÷ pre-VBP price")


class DrugResult(BaseModel):
    """One drug's evaluation: counts, the rule figures that applied, every bid's outcome."""

    drug: str
    name: str
    form: str
    spec: str
    ceiling: Decimal
    pre_price: Decimal | None = None
    antimicrobial: bool = False
    rules: str = Field(..., description="rule set id and version")
    bids: int
    qualified: int = Field(..., description="valid bids (not above the ceiling)")
    max_winners: int
    anchor: Decimal | None = None
    anchor_reason: str = ""
    threshold: Decimal | None = Field(None, description="low-price threshold of this form, when the rules have one")
    winners: int
    share: Decimal | None = Field(None, description="agreed-volume share of reported demand")
    contract_years: int | None = None
    results: list[BidResult] = Field(default_factory=list)
    steps: list[str] = Field(default_factory=list, description="the reasoning, in order")


class Assignment(BaseModel):
    """A region given to a winner: as its supply region (主供) or its backup (备供)."""

    drug: str
    province: str
    company: str
    role: str = Field(..., description="主供 or 备供")
    round: int
    demand: int = Field(..., description="reported demand of the province (minimal units)")
    agreed: int = Field(..., description="agreed volume of the province (minimal units); 0 for 备供")
    why: str


class HospitalQuota(BaseModel):
    """A hospital's agreed quantity of one drug and the winner that supplies it."""

    hospital: str
    hospital_name: str = ""
    province: str
    drug: str
    name: str = ""
    company: str
    demand: int
    share: Decimal
    agreed: int


class ProgressRow(BaseModel):
    """A hospital's completion of its agreed quantity of one drug."""

    hospital: str
    hospital_name: str = ""
    province: str
    drug: str
    name: str
    company: str
    agreed: int
    purchased: int
    purchased_from_winner: int
    completion: Decimal | None = Field(None, description="purchased from the winner ÷ agreed")
    status: str


class VbpSummary(BaseModel):
    """The figures of an official results announcement (中选结果公告)."""

    batch: str
    rules: str
    drugs: int
    drugs_with_winner: int
    bids: int
    valid_bids: int
    companies: int
    winning_bids: int
    winning_companies: int
    average_drop_vs_ceiling: Decimal | None = Field(None, description="mean over drugs of the winners' mean drop")
    average_drop_vs_pre: Decimal | None = None
    agreed_volume: int = Field(0, description="sum of agreed quantities (minimal units)")
    demand: int = Field(0, description="sum of reported demand (minimal units)")
