"""Payment standards (医保支付标准) parsed into prices per spec, and the results of pricing checks."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class Quantity(BaseModel):
    """An amount with its unit as printed (10 mg, 0.2 ml, 2500 IU, 185 MBq)."""

    value: Decimal
    unit: str


class SpecPrice(BaseModel):
    """One price of one spec: `52.60元(10mg/瓶)` → amount 52.60, unit 元, per 瓶, spec `10mg/瓶`."""

    amount: Decimal = Field(..., description="price as printed")
    currency: str = Field("元", description="currency unit")
    per_unit: str | None = Field(None, description="the unit the price applies to: 片, 支, 瓶, 袋, 盒, 人次 …")
    per_count: Decimal = Field(Decimal(1), description="how many per_unit the price covers (`5g/25粒` → 25)")
    spec: str = Field("", description="spec text inside the first brackets, verbatim")
    notes: list[str] = Field(default_factory=list, description="further bracketed text after the spec")
    variant: str | None = Field(None, description="packaging variant, e.g. 预充式 / 西林瓶式")
    content: Quantity | None = Field(None, description="active content per unit, when one is stated")
    volume: Quantity | None = Field(None, description="fill volume per unit (ml), when stated")
    compound: bool = Field(False, description="several actives: only comparable per dose")
    components: list[Quantity] = Field(default_factory=list, description="amounts of the actives of a compound, in order")
    two_chamber: bool = Field(False, description="two-chamber bag (粉体室 + 液体室)")
    text: str = Field(..., description="the source text of this price, verbatim")
    start: int = Field(..., description="offset of `text` in the payment standard")


class PriceTier(BaseModel):
    """One step of a tiered price (阶梯价格): quantities from..to cost unit_price each."""

    low: Decimal
    high: Decimal
    unit_price: Decimal
    unit: str = "毫居"


class PaymentStandard(BaseModel):
    """A payment standard as published, with its prices per spec and what could not be read."""

    text: str = Field(..., description="医保支付标准 verbatim")
    confidential: bool = Field(False, description="`*` (企业申请价格保密)")
    specs: list[SpecPrice] = Field(default_factory=list)
    reference: str | None = Field(None, description="a footnote the price is given in, e.g. 备注2")
    reference_text: str | None = Field(None, description="bracketed text after the footnote reference")
    tiers: list[PriceTier] = Field(default_factory=list, description="tiered prices of the footnote")
    unparsed: list[str] = Field(default_factory=list, description="parts of the text not understood")

    @property
    def ok(self) -> bool:
        return not self.unparsed


class Comparable(BaseModel):
    """A spec's price per comparable unit (per mg, per ml, per IU, per dose) and why."""

    dimension: str = Field(..., description="mass, volume, activity, radioactivity or dose")
    unit: str = Field(..., description="the comparable unit: mg, ml, IU, MBq, or the dose unit")
    quantity: Decimal = Field(..., description="comparable units in one priced unit")
    price_per_unit: Decimal
    reason: str


class RenewalCase(BaseModel):
    """One negotiated drug up for renewal (续约): the figures the 2023 rules look at."""

    name: str
    actual_spend: Decimal = Field(..., description="annual actual fund spend (元)")
    budget: Decimal = Field(..., description="annual fund budget of the agreement (元)")
    next_budget: Decimal | None = Field(None, description="annual budget the company submits for the next two years (元)")
    expansion_increase: Decimal = Field(Decimal(0), description="budget increase from indication expansion, ratio")
    years_negotiated: int = Field(..., description="consecutive years in the negotiated part")
    exclusive: bool = True
    unchanged_periods: int = Field(0, description="agreement periods in a row without change")
    payment_standard: Decimal | None = Field(None, description="current payment standard (元), if public")


class RenewalDecision(BaseModel):
    """The path a renewal case takes, with the cut and the reason for each step."""

    name: str
    path: str = Field(..., description="regular (转常规), renegotiate (重新谈判) or renew (简易续约)")
    cut_a: Decimal | None = None
    cut_b: Decimal | None = None
    combined: Decimal | None = None
    halved: bool = False
    cut: Decimal | None = Field(None, description="final cut applied to the payment standard")
    new_payment_standard: Decimal | None = None
    reasons: list[str] = Field(default_factory=list)


class PriceDrop(BaseModel):
    """1 − negotiated / pre-negotiation price per comparable unit, for one drug."""

    name: str
    section: str | None = None
    category: str | None = None
    before: str
    after: str
    drop: Decimal | None = None
    volume: Decimal | None = None
    reason: str


class SpecCheck(BaseModel):
    """One spec of a multi-spec payment standard against its 差比价 expectation."""

    name: str
    section: str | None = Field(None, description="目录部分: numbers restart in each part")
    number: str | None = None
    spec: str
    amount: Decimal
    reference: str | None = Field(None, description="the spec the expectation starts from")
    expected: Decimal | None = None
    deviation: Decimal | None = Field(None, description="amount / expected − 1")
    status: str = Field(..., description="ok, deviation, not comparable or not understood")
    reason: str
