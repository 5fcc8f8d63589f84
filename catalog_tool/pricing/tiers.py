"""Tiered payment standards (阶梯价格), e.g. 治疗用碘[131I]化钠胶囊 in 备注2 of the 2025 list."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from catalog_tool.errors import InputError
from catalog_tool.model.pricing import PriceTier

_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[-–~～至]\s*(\d+(?:\.\d+)?)\s*$")


def tiers_from_table(table: list[list[str]], unit: str = "毫居", source: str | None = None) -> list[PriceTier]:
    """Rows `[range, unit price (may be `0.8*59.00=47.20`), example]` after a header row."""
    out = []
    for i, row in enumerate(table[1:], start=2):
        if not isinstance(row, list):
            raise InputError(f"tier row not understood: {row!r}", file=source, row=i)
        m = _RANGE.match(str(row[0]) if row else "")
        try:
            price = Decimal(str(row[1]).split("=")[-1].strip())
        except (InvalidOperation, IndexError):
            m = None
        if m is None:
            raise InputError(f"tier row not understood: {row!r}", file=source, row=i)
        out.append(PriceTier(low=Decimal(m[1]), high=Decimal(m[2]), unit_price=price, unit=unit))
    return out


def tiers_from_edition(meta: dict, source: str | None = None) -> dict[str, list[PriceTier]]:
    """`tiered_payment_standards` of an edition.json, keyed by drug name (the key's leading number dropped)."""
    out = {}
    tiered = meta.get("tiered_payment_standards") or {}
    if not isinstance(tiered, dict):
        raise InputError("tiered_payment_standards must map a drug to {text, table}", file=source,
                         field="tiered_payment_standards")
    for key, entry in tiered.items():
        table = entry.get("table") if isinstance(entry, dict) else None
        if not isinstance(table, list) or len(table) < 2 or not isinstance(table[0], list):
            raise InputError(f"{key}: needs a table of a header row and at least one tier", file=source,
                             field="tiered_payment_standards")
        name = re.sub(r"^\d+\s*", "", key).strip()
        header = [str(h) for h in table[0]]
        unit = re.search(r"元/([^)）]+)", header[1]).group(1) if len(header) > 1 and "元/" in header[1] else "毫居"
        out[name] = tiers_from_table(table, unit, source)
    return out


def tiered_price(tiers: list[PriceTier], quantity: Decimal) -> Decimal:
    """Price of `quantity` units: each tier charges its unit price for the units within it."""
    if not tiers or quantity < tiers[0].low or quantity > tiers[-1].high:
        raise ValueError(f"{quantity} is outside the tiers {tiers[0].low if tiers else '?'}–{tiers[-1].high if tiers else '?'}")
    total, previous = Decimal(0), tiers[0].low - 1
    for t in tiers:
        if quantity <= previous:
            break
        total += (min(quantity, t.high) - previous) * t.unit_price
        previous = t.high
    return total.quantize(Decimal("0.01"))
