"""Drug traceability codes (药品追溯码) parsed and checked, and settlement lines judged by them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, Field


class CodeFamily(str, Enum):
    """The code families in circulation (DOMAIN.md §4)."""

    msfx = "码上放心"  # 20 digits: 7-digit 药品标识码 + 9-digit serial + 4 check positions
    gs1 = "GS1"  # element string: (01) GTIN-14, (17) expiry, (10) lot, (21) serial …
    ma_udi = "MA"  # MA.156.… device/drug UDI with .L/.S/.M/.V/.E qualifiers
    manufacturer = "manufacturer"  # numeric codes under NMPAB/T 1002-2019 of other lengths
    unknown = "unknown"


class Reason(BaseModel):
    """Why a code is invalid: a stable code for machines and a sentence for people."""

    code: str = Field(..., description="stable reason code, e.g. gtin-check-digit, msfx-prefix, bad-date")
    message: str


class GS1Element(BaseModel):
    """One element string of a GS1 message: application identifier and its value."""

    ai: str
    value: str


class TraceCode(BaseModel):
    """One scanned code explained: family, the identifiers read from it, and whether it is valid."""

    raw: str = Field(..., description="the input as given (control characters shown escaped)")
    code: str = Field("", description="the code after removing the symbology prefix and outer whitespace")
    family: CodeFamily
    valid: bool
    reasons: list[Reason] = Field(default_factory=list)
    symbology: str | None = Field(None, description="scanner symbology prefix such as ]d2, ]C1, ]Q3")
    product_id: str | None = Field(None, description="药品标识码 (7 digits), GTIN-14, or MA product part")
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = Field(None, description="expiry; YYMMDD with DD=00 means the last day of the month")
    production_date: date | None = None
    gtin_check_ok: bool | None = Field(None, description="GTIN mod-10 check digit; None when there is no GTIN")
    packaging_level: str | None = Field(None, description="GTIN indicator digit meaning, or the mapping's level")
    elements: list[GS1Element] = Field(default_factory=list, description="GS1 element strings in order")


class Verdict(str, Enum):
    payable = "PAYABLE"
    unpayable = "UNPAYABLE"


class SettlementLine(BaseModel):
    """One drug line of a settlement (3505 sale message): what was dispensed and the codes scanned."""

    settlement_id: str
    line: int
    drug_code: str = Field(..., description="national drug code (医保药品代码) dispensed")
    drug_name: str = ""
    quantity: Decimal = Field(..., description="quantity sold in minimum units (片/支/瓶)")
    package_content: Decimal = Field(..., description="minimum units per box")
    trdn_flag: bool = Field(False, description="拆零: split-pack sale")
    sale_date: date
    amount: Decimal
    trace_codes: list[str] = Field(default_factory=list)
    source_row: int | None = None


class SettlementVerdict(BaseModel):
    """A settlement line judged: PAYABLE, or UNPAYABLE with every reason."""

    settlement_id: str
    line: int
    drug_code: str
    drug_name: str = ""
    amount: Decimal
    codes: int
    verdict: Verdict
    reasons: list[Reason] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="facts that do not block payment, e.g. paid from 无码库 stock")


class SettlementSummary(BaseModel):
    """Totals over a settlement file."""

    lines: int
    payable_lines: int
    unpayable_lines: int
    payable_amount: Decimal
    unpayable_amount: Decimal
    reasons: dict[str, int] = Field(default_factory=dict, description="reason code → lines")


class RepeatSale(BaseModel):
    """A code sold again after its first sale: the first sale kept, this one listed."""

    code: str
    sales: int = Field(..., description="how many times the code was sold in all the files")
    first_time: str | None = None
    first_settlement: str | None = None
    first_file: str
    time: str | None = None
    settlement: str | None = None
    file: str
