"""Price drops of negotiated drugs: 1 − negotiated / pre-negotiation price per comparable unit,
with mean, median and volume-weighted mean per group. Drugs that cannot be compared are listed
with the reason, never guessed."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable
from decimal import Decimal

from pydantic import BaseModel, Field

from catalog_tool.model import DrugItem
from catalog_tool.model.pricing import PriceDrop, SpecPrice
from catalog_tool.pricing.normalise import NormalisationRules, expected_price, measure, piece
from catalog_tool.pricing.parse import parse_payment_standard, spec_key

Q = Decimal("0.0001")


class DropGroup(BaseModel):
    """Summary of one group (a category, a section, or all)."""

    group: str
    drugs: int
    mean: Decimal | None = None
    median: Decimal | None = None
    weighted_mean: Decimal | None = Field(None, description="weighted by the annual volume (年销量) of each drug")
    weighted_drugs: int = 0


def name_key(name: str) -> str:
    """Names compared without cosmetic differences: bracket widths and spaces."""
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


def compare(before: SpecPrice, after: list[SpecPrice], rules: NormalisationRules, injection: bool) -> tuple[Decimal, str] | None:
    """The negotiated price at the pre-negotiation spec, and how it was obtained."""
    same = [s for s in after if spec_key(s) == spec_key(before) and s.per_count == before.per_count]
    if same:
        return same[0].amount, f"same spec {before.spec or before.per_unit}"
    mb = measure(before, rules)
    if mb is None:
        return None
    for s in after:
        ms = measure(s, rules)
        if ms is not None and ms[:2] == mb[:2] and piece(s, ms) == piece(before, mb):
            price = (s.amount / s.per_count * before.per_count).quantize(Q)
            pieces = f", × {_fmt(before.per_count)} pieces" if before.per_count != s.per_count else ""
            return price, f"same {mb[1]} content ({_fmt(piece(before, mb))} {mb[1]}){pieces}"
    # 差比价 from the nearest spec of the same dimension (fewest doublings away)
    near = sorted((abs(math.log(float(piece(s, ms) / piece(before, mb)))), i) for i, s in enumerate(after)
                  if (ms := measure(s, rules)) is not None and ms[:2] == mb[:2] and ms[2] > 0 and mb[2] > 0)
    for _, i in near:
        exp = expected_price(after[i], before, rules, injection)
        if exp is not None:
            return exp[0], f"差比价 from {after[i].spec} to {before.spec}: {exp[1]}"
    return None


def _fmt(d: Decimal) -> str:
    return f"{d.normalize():f}"


def price_drops(items: Iterable[DrugItem], before_rows: list[tuple[int, str, str, Decimal | None]],
                rules: NormalisationRules) -> list[PriceDrop]:
    """One PriceDrop per pre-negotiation row; `drop` is None (with the reason) when not comparable."""
    by_name: dict[str, DrugItem] = {}
    for it in items:
        by_name.setdefault(name_key(it.name), it)
    out = []
    for row, name, before_text, volume in before_rows:
        item = by_name.get(name_key(name))
        base = dict(name=name, before=before_text, volume=volume, after="")
        if item is None:
            out.append(PriceDrop(**base, reason=f"row {row}: not in the edition's negotiated or 竞价 part"))
            continue
        base.update(after=item.payment_standard or "", section=item.section.value if item.section else None,
                    category=item.category_name)
        b, a = parse_payment_standard(before_text), parse_payment_standard(item.payment_standard)
        if len(b.specs) != 1 or b.unparsed:
            out.append(PriceDrop(**base, reason=f"row {row}: pre-negotiation price not understood (one price with its spec, e.g. 120.00元(10mg/片))"))
            continue
        if a.confidential:
            out.append(PriceDrop(**base, reason="payment standard is confidential (*)"))
            continue
        if not a.specs:
            out.append(PriceDrop(**base, reason="payment standard has no price per spec" + (f" (see {a.reference})" if a.reference else "")))
            continue
        got = compare(b.specs[0], a.specs, rules, "注射" in item.name)
        if got is None or b.specs[0].amount == 0:
            out.append(PriceDrop(**base, reason="units cannot be compared: no common content, volume or spec"))
            continue
        after_price, how = got[0].quantize(Decimal("0.01")), got[1]
        drop = (1 - after_price / b.specs[0].amount).quantize(Q)
        out.append(PriceDrop(**base, drop=drop, reason=f"{after_price}元 vs {b.specs[0].amount}元: {how}"))
    return out


def summarise(drops: list[PriceDrop], by: str | None = None) -> list[DropGroup]:
    """Mean, median and volume-weighted mean of comparable drops, per group then overall ("all")."""
    comparable = [d for d in drops if d.drop is not None]
    groups: dict[str, list[PriceDrop]] = {}
    if by:
        for d in comparable:
            groups.setdefault(getattr(d, by) or "(none)", []).append(d)
    groups["all"] = comparable
    out = []
    for name, ds in groups.items():
        values = [d.drop for d in ds]
        weighted = [(d.drop, d.volume) for d in ds if d.volume]
        total = sum((w for _, w in weighted), Decimal(0))
        out.append(DropGroup(
            group=name, drugs=len(ds),
            mean=(sum(values, Decimal(0)) / len(values)).quantize(Q) if values else None,
            median=Decimal(statistics.median(values)).quantize(Q) if values else None,
            weighted_mean=(sum((v * w for v, w in weighted), Decimal(0)) / total).quantize(Q) if total else None,
            weighted_drugs=len(weighted),
        ))
    return out

