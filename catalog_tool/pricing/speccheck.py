"""差比价 check of multi-spec payment standards: each spec against the first printed spec of
its packaging variant, K = 1.7^log2(X) for content (the rules file says which base applies)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from catalog_tool.model import DrugItem
from catalog_tool.model.pricing import PaymentStandard, SpecCheck
from catalog_tool.pricing.normalise import NormalisationRules, expected_price, measure


def check_standard(item: DrugItem, standard: PaymentStandard, rules: NormalisationRules) -> list[SpecCheck]:
    """Rows for every spec but the reference of each variant; empty for single-spec standards."""
    if len(standard.specs) < 2:
        return []
    injection = "注射" in item.name
    groups: dict[str | None, list] = {}
    for s in standard.specs:
        groups.setdefault(s.variant, []).append(s)
    out = []
    for specs in groups.values():
        measured = [s for s in specs if measure(s, rules) is not None]
        ref = measured[0] if measured else None  # the first printed spec is the representative (代表品)
        for s in specs:
            if s is ref:
                continue
            common = dict(name=item.name, section=_section(item), number=item.number, spec=s.spec, amount=s.amount)
            exp = expected_price(ref, s, rules, injection) if ref is not None else None
            if exp is None:
                why = "several actives" if s.compound else "no single content, or a unit unlike the reference's"
                out.append(SpecCheck(**common, reference=ref.spec if ref else None, status="not comparable", reason=why))
                continue
            expected, rule = exp
            dev = (s.amount / expected - 1).quantize(Decimal("0.0001")) if expected else None
            ok = dev is not None and (abs(dev) <= rules.tolerance or abs(s.amount - expected) <= Decimal("0.01"))
            reason = f"{ref.amount}元 × K: {rule}"
            if not ok and ref.two_chamber and s.two_chamber and rules.solvent_price is None:
                reason += _solvent_split(ref, s, expected)
            out.append(SpecCheck(**common, reference=ref.spec, expected=expected.quantize(Decimal("0.01")), deviation=dev,
                                 status="ok" if ok else "deviation", reason=reason))
    return out


def spec_check(items: Iterable[DrugItem], rules: NormalisationRules, parse) -> list[SpecCheck]:
    """Every multi-spec standard of `items`; `parse` turns a text into a PaymentStandard."""
    out = []
    for item in items:
        if not item.payment_standard:
            continue
        ps = parse(item.payment_standard)
        out += [SpecCheck(name=item.name, section=_section(item), number=item.number, spec=text, amount=Decimal(0), status="not understood",
                          reason="payment standard text not understood") for text in ps.unparsed]
        out += check_standard(item, ps, rules)
    return out


def _solvent_split(ref, other, expected: Decimal) -> str:
    """For two-chamber bags: the drug part d and solvent part c with ref = d + c and other = d·K + c,
    a hint that only the powder chamber follows 差比价."""
    k = expected / ref.amount
    if k == 1:
        return ""
    drug = (other.amount - ref.amount) / (k - 1)
    solvent = ref.amount - drug
    return f"; fits drug {drug.quantize(Decimal('0.01'))}元 × K + solvent chamber {solvent.quantize(Decimal('0.01'))}元"


def _section(item: DrugItem) -> str | None:
    return item.section.value if item.section else None
