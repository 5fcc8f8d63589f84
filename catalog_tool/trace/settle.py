""""无码不付": judge settlement lines by their trace codes. One box, one sale — a code settled twice
means a fake, resold (回流药) or swapped (串换) box; split-pack (拆零, trdn_flag) sales may repeat a
box code only up to the box's content.

Lines are judged in sale order (date, settlement, line) so that the first sale of a code keeps it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from catalog_tool.formats.settlements import NoCodeStock, ProductMapping
from catalog_tool.model.trace import CodeFamily, SettlementVerdict, Reason, SettlementLine, SettlementSummary, TraceCode, Verdict
from catalog_tool.trace.parse import parse_code
from catalog_tool.trace.products import ProductIndex


@dataclass(frozen=True)
class SettleRules:
    """Policy dates (医保发〔2025〕7号) kept as data."""

    codes_required_from: date = date(2025, 7, 1)
    no_code_bought_before: date = date(2025, 7, 1)


@dataclass
class CatalogIndex:
    """Whether the chosen edition lists a dispensed drug: by national code (or 曾用码) where the edition
    carries codes, else by name (the NRDL lists generic names; the sale's name adds the form)."""

    edition: str
    codes: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)

    @classmethod
    def from_items(cls, edition: str, items: Iterable) -> CatalogIndex:
        index = cls(edition)
        for item in items:
            if item.code:
                index.codes.add(item.code)
                index.codes.update(c.strip() for c in (item.former_codes or "").split(";") if c.strip())
            if item.name:
                index.names.extend(n for n in item.name.split("、") if n)
        index.names.sort(key=len, reverse=True)
        return index

    def problem(self, line: SettlementLine) -> str | None:
        if line.drug_code in self.codes or (line.drug_name and any(line.drug_name.startswith(n) for n in self.names)):
            return None
        return f"{line.drug_name or line.drug_code} is not in edition {self.edition} (self-pay, 自费)"


def box_key(tc: TraceCode) -> str:
    """One identity per box whatever the spelling: GTIN + serial for GS1, product + serial for MA."""
    if tc.family is CodeFamily.gs1 and tc.product_id and tc.serial:
        return f"01{tc.product_id}21{tc.serial}"
    if tc.family is CodeFamily.ma_udi and tc.serial:
        return f"{tc.product_id}.S{tc.serial}"
    return tc.code


@dataclass
class _Ledger:
    """What earlier lines used: whole-box codes, split-pack units per code, 无码库 stock."""

    whole: dict[str, str] = field(default_factory=dict)
    split: dict[str, Decimal] = field(default_factory=dict)
    split_first: dict[str, str] = field(default_factory=dict)
    stock: dict[str, Decimal] = field(default_factory=dict)


def _r(code: str, message: str) -> Reason:
    return Reason(code=code, message=message)


def settle(lines: list[SettlementLine], *, no_code: Iterable[NoCodeStock] = (), mapping: Iterable[ProductMapping] = (),
           catalog: CatalogIndex | None = None, rules: SettleRules = SettleRules()) -> tuple[list[SettlementVerdict], SettlementSummary]:
    """A verdict per line (in the order given) and the summary."""
    ledger = _Ledger()
    for s in no_code:
        if s.purchase_date < rules.no_code_bought_before:
            ledger.stock[s.drug_code] = ledger.stock.get(s.drug_code, Decimal(0)) + s.quantity
    products = ProductIndex(mapping)
    verdicts: dict[int, SettlementVerdict] = {}
    for i in sorted(range(len(lines)), key=lambda i: (lines[i].sale_date, lines[i].settlement_id, lines[i].line)):
        verdicts[i] = _judge(lines[i], ledger, products, catalog, rules)
    ordered = [verdicts[i] for i in range(len(lines))]
    return ordered, summarise(ordered)


def _judge(line: SettlementLine, ledger: _Ledger, products: ProductIndex, catalog: CatalogIndex | None,
           rules: SettleRules) -> SettlementVerdict:
    reasons: list[Reason] = []
    notes: list[str] = []
    where = f"{line.settlement_id}/{line.line}"
    if catalog and (problem := catalog.problem(line)):
        reasons.append(_r("not-in-catalog", problem))
    parsed = [parse_code(c) for c in line.trace_codes]
    for tc in parsed:
        if not tc.valid:
            reasons.append(_r("malformed-code", f"{tc.raw}: {tc.reasons[0].message}"))
    good = [tc for tc in parsed if tc.valid]
    if not parsed:
        _no_code(line, ledger, rules, reasons, notes)
    for tc in good:
        mapped = products.drug_codes(tc)
        if mapped and line.drug_code not in mapped:
            reasons.append(_r("product-mismatch", f"{tc.code}: product {tc.product_id} is {'/'.join(sorted(mapped))}, not {line.drug_code}"))
        if tc.expiry and tc.expiry < line.sale_date:
            reasons.append(_r("expired", f"{tc.code}: expired {tc.expiry}, sold {line.sale_date}"))
    if parsed:
        (_split_pack if line.trdn_flag else _whole_boxes)(line, parsed, good, ledger, where, reasons)
    return SettlementVerdict(settlement_id=line.settlement_id, line=line.line, drug_code=line.drug_code, drug_name=line.drug_name,
                       amount=line.amount, codes=len(parsed), verdict=Verdict.unpayable if reasons else Verdict.payable,
                       reasons=reasons, notes=notes)


def _no_code(line: SettlementLine, ledger: _Ledger, rules: SettleRules, reasons: list[Reason], notes: list[str]) -> None:
    if line.sale_date < rules.codes_required_from:
        notes.append(f"sold before {rules.codes_required_from}: no code required")
        return
    left = ledger.stock.get(line.drug_code)
    if left is not None and left >= line.quantity:
        ledger.stock[line.drug_code] = left - line.quantity
        notes.append(f"无码库 stock bought before {rules.no_code_bought_before}: {left - line.quantity} left")
    elif left is not None:
        reasons.append(_r("missing-code", f"no trace code and 无码库 stock of {line.drug_code} has {left} left, {line.quantity} sold"))
    else:
        reasons.append(_r("missing-code", f"no trace code, and {line.drug_code} is not in the 无码库"))


def _seen_whole(key: str, ledger: _Ledger, where: str, reasons: list[Reason], code: str) -> bool:
    first = ledger.whole.get(key) or ledger.split_first.get(key)
    if first is None:
        return False
    same = first.split("/")[0] == where.split("/")[0]
    reasons.append(_r("duplicate-code", f"{code} already settled in {first}" + (" (same settlement)" if same else "")))
    return True


def _whole_boxes(line: SettlementLine, parsed: list[TraceCode], good: list[TraceCode], ledger: _Ledger, where: str, reasons: list[Reason]) -> None:
    boxes = line.quantity / line.package_content if line.package_content else None
    if boxes is None or boxes != boxes.to_integral_value():
        reasons.append(_r("not-whole-boxes", f"{line.quantity} units is not a whole number of boxes of {line.package_content}; "
                          "a split-pack sale needs trdn_flag=1"))
    elif len(parsed) != boxes:
        reasons.append(_r("code-count", f"{len(parsed)} code(s) for {boxes} box(es)"))
    for tc in good:
        key = box_key(tc)
        if not _seen_whole(key, ledger, where, reasons, tc.code):
            ledger.whole[key] = where


def _split_pack(line: SettlementLine, parsed: list[TraceCode], good: list[TraceCode], ledger: _Ledger, where: str, reasons: list[Reason]) -> None:
    left = line.quantity
    for tc in good:
        key = box_key(tc)
        if key in ledger.whole:
            _seen_whole(key, ledger, where, reasons, tc.code)
            continue
        used = ledger.split.get(key, Decimal(0))
        take = min(left, max(line.package_content - used, Decimal(0)))
        ledger.split[key] = used + take
        ledger.split_first.setdefault(key, where)
        left -= take
    if left > 0 and good and len(good) == len(parsed):
        reasons.append(_r("split-exceeds-box", f"{line.quantity} units sold under {', '.join(tc.code for tc in good)}, but only "
                          f"{line.quantity - left} were left in the box(es) of {line.package_content}"))


def summarise(verdicts: list[SettlementVerdict]) -> SettlementSummary:
    pay = [v for v in verdicts if v.verdict is Verdict.payable]
    unpay = [v for v in verdicts if v.verdict is Verdict.unpayable]
    reasons = Counter(code for v in unpay for code in dict.fromkeys(r.code for r in v.reasons))
    return SettlementSummary(lines=len(verdicts), payable_lines=len(pay), unpayable_lines=len(unpay),
                             payable_amount=sum((v.amount for v in pay), Decimal(0)),
                             unpayable_amount=sum((v.amount for v in unpay), Decimal(0)),
                             reasons=dict(reasons.most_common()))
