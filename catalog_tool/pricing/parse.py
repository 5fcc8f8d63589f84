"""Split a published payment standard into one price per spec, keeping every character.

`8.97元(1mg/片)；15.25元(2mg/片)` → two `SpecPrice`s whose `text`s, with the separators between
them, give the original text back. Brackets nest and mix widths (`(…）`); `；`/`;` (2024: `；、`)
separate prices only at depth 0 and only when a price follows.
"""

from __future__ import annotations

import re
from decimal import Decimal

from catalog_tool.model.pricing import PaymentStandard, SpecPrice
from catalog_tool.pricing.spec import interpret

OPEN, CLOSE = "(（[【", ")）]】"
CONFIDENTIAL = {"*", "＊", "企业申请价格保密"}
_PRICE = re.compile(r"(?P<amount>\d[\d,]*(?:\.\d+)?)\s*元(?:\s*/\s*(?P<unit>[^\s(（\[【)）\]】]+))?")
_NEXT_PRICE = re.compile(r"[;；][、\s]*(?=\d[\d,]*(?:\.\d+)?\s*元)")
_REFERENCE = re.compile(r"见(?P<ref>备注\s*\d+)")


def _depths(text: str) -> list[int]:
    """Bracket depth before each character (full- and half-width brackets count alike)."""
    out, depth = [], 0
    for ch in text:
        out.append(depth)
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth > 0:
            depth -= 1
    return out


def split_prices(text: str) -> list[tuple[int, int]]:
    """(start, end) of each price segment; separators lie between them."""
    depths = _depths(text)
    cuts = [m for m in _NEXT_PRICE.finditer(text) if depths[m.start()] == 0]
    spans, start = [], 0
    for m in cuts:
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _groups(rest: str) -> tuple[list[str], str]:
    """Top-level bracketed groups at the start of `rest` (inner text), and what is left over."""
    groups, i = [], 0
    while i < len(rest):
        while i < len(rest) and rest[i].isspace():
            i += 1
        if i >= len(rest) or rest[i] not in OPEN:
            break
        depth, j = 0, i
        while j < len(rest):
            if rest[j] in OPEN:
                depth += 1
            elif rest[j] in CLOSE:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(rest):  # unclosed: keep the rest as the group's text
            groups.append(rest[i + 1:])
            return groups, ""
        groups.append(rest[i + 1:j])
        i = j + 1
    return groups, rest[i:].strip()


def _segment(text: str, start: int) -> SpecPrice | None:
    body = text.strip()
    m = _PRICE.match(body)
    if not m:
        return None
    groups, left = _groups(body[m.end():])
    if left:
        return None
    amount = Decimal(m["amount"].replace(",", ""))
    spec = groups[0] if groups else ""
    price = SpecPrice(amount=amount, per_unit=m["unit"], spec=spec, notes=groups[1:], text=text, start=start)
    return interpret(price)


def parse_payment_standard(text: str | None, tiers: list | None = None) -> PaymentStandard:
    """Parse one 医保支付标准 cell. Never raises: what is not understood is kept in `unparsed`."""
    raw = text or ""
    stripped = raw.strip()
    if stripped in CONFIDENTIAL:
        return PaymentStandard(text=raw, confidential=True)
    if not stripped:
        return PaymentStandard(text=raw, unparsed=[raw] if raw else ["(empty)"])
    ref = _REFERENCE.match(stripped)
    if ref:
        groups, left = _groups(stripped[ref.end():])
        return PaymentStandard(
            text=raw, reference=re.sub(r"\s+", "", ref["ref"]), reference_text=groups[0] if groups else None,
            tiers=list(tiers or []), unparsed=[left] if left else [],
        )
    specs, unparsed = [], []
    for s, e in split_prices(raw):
        seg = _segment(raw[s:e], s)
        if seg is None:
            unparsed.append(raw[s:e])
        else:
            specs.append(seg)
    return PaymentStandard(text=raw, specs=specs, unparsed=unparsed)


_SINGLE = re.compile(r"\s*(\d+(?:\.\d+)?)元\([^()（）\[\]【】;；]*\)\s*")


def relative_change(old: str | None, new: str | None) -> Decimal | None:
    """Change of a payment standard between editions, new/old − 1 (−0.1651 = −16.51%): between the
    single prices of both, or over the specs both editions price; None when not comparable
    (confidential, not understood, no spec in common). Two single prices (`52.60元(10mg/瓶)`, most
    of a diff's changed rows) are compared without the full parse, with the same result."""
    a, b = _SINGLE.fullmatch(old or ""), _SINGLE.fullmatch(new or "")
    if a and b:
        x, y = Decimal(a[1]), Decimal(b[1])
        return None if x == 0 else (y / x - 1).quantize(Decimal("0.0001"))
    return parsed_relative_change(old, new)


def parsed_relative_change(old: str | None, new: str | None) -> Decimal | None:
    """`relative_change` through the full parser (multi-spec, tiers, notes)."""
    a, b = parse_payment_standard(old), parse_payment_standard(new)
    if not a.specs or not b.specs or a.unparsed or b.unparsed:
        return None
    if len(a.specs) == 1 and len(b.specs) == 1:
        pairs = [(a.specs[0], b.specs[0])]
    else:
        by_spec = {spec_key(s): s for s in a.specs}
        pairs = [(by_spec[spec_key(s)], s) for s in b.specs if spec_key(s) in by_spec]
        if not pairs:
            return None
    old_total = sum(p.amount for p, _ in pairs)
    if old_total == 0:
        return None
    return (sum(n.amount for _, n in pairs) / old_total - 1).quantize(Decimal("0.0001"))


def spec_key(s: SpecPrice) -> str:
    """A spec's text without cosmetic differences (spaces, bracket and colon widths)."""
    return re.sub(r"\s+", "", s.spec.replace("（", "(").replace("）", ")").replace("：", ":"))
