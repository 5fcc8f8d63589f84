"""Prices per comparable unit (per mg, per ml, per IU, per dose) and 差比价 conversion between specs.

The rules are data (`data/normalisation.json`, overridable): unit factors, the bases of the
content (1.7) and fill-volume (1.9) ratios, K = base^log2(X), and the solvent-chamber price of
two-chamber bags that is not differentiated.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.model.pricing import Comparable, SpecPrice

DATA = Path(__file__).parent / "data"
CENT = Decimal("0.000001")


@dataclass(frozen=True)
class NormalisationRules:
    """Unit factors and 差比价 bases, read from a JSON file."""

    units: dict[str, tuple[str, str, Decimal]]
    content_base: Decimal
    volume_base: Decimal
    volume_is_content: bool
    injection_max_ml: Decimal
    tolerance: Decimal
    version: str
    solvent_price: Decimal | None = None


def load_rules(path: Path | None = None) -> NormalisationRules:
    """The built-in rules, or a user's file with the same keys."""
    path = Path(path) if path else DATA / "normalisation.json"
    from catalog_tool.formats.encoding import read_text

    try:
        text, _ = read_text(path)
        d = json.loads(text)
        return NormalisationRules(
            units={k: (v[0], v[1], Decimal(v[2])) for k, v in d["units"].items()},
            content_base=Decimal(d["content_ratio_base"]), volume_base=Decimal(d["fill_volume_base"]),
            volume_is_content=bool(d.get("volume_is_content_when_no_content", True)),
            injection_max_ml=Decimal(d.get("undifferentiated_injection_max_ml", "0")),
            tolerance=Decimal(d.get("spec_check_tolerance", "0.01")), version=str(d.get("version", "")),
            solvent_price=None if d.get("two_chamber_solvent_price") is None else Decimal(d["two_chamber_solvent_price"]),
        )
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None
    except (KeyError, IndexError, TypeError, ArithmeticError) as e:
        raise InputError(f"not a normalisation rules file ({e!r})", file=path) from None


def measure(spec: SpecPrice, rules: NormalisationRules) -> tuple[str, str, Decimal, str] | None:
    """(dimension, unit, quantity, basis) of one priced unit, or None when it is a compound,
    a two-chamber bag without content, or a unit the rules do not know."""
    if spec.compound:
        return _proportional_measure(spec, rules)
    q = spec.content
    basis = "content"
    if q is None and spec.volume is not None and rules.volume_is_content and not spec.compound:
        q, basis = spec.volume, "volume"
    if q is None or q.unit not in rules.units:
        return None
    dim, unit, factor = rules.units[q.unit]
    return dim, unit, q.value * factor, basis  # `5g/25粒`: the price covers the 25 粒, 5 g in all


def _proportional_measure(spec: SpecPrice, rules: NormalisationRules) -> tuple[str, str, Decimal, str] | None:
    """A compound is measured by its first active, tagged with the proportions of all of them, so
    only specs whose actives scale alike (5 mg + 2.5 mg vs 40 mg + 20 mg) compare."""
    parts = [(rules.units[q.unit], q.value) for q in spec.components if q.unit in rules.units]
    if len(parts) < 2 or len(parts) != len(spec.components) or any(v == 0 for _, v in parts):
        return None
    base = [v * u[2] for u, v in parts]
    shape = ":".join(f"{(b / base[0]).normalize():f}" for b in base)
    return f"compound {shape}", "mg of the first active", base[0], "components"


def comparable(spec: SpecPrice, rules: NormalisationRules) -> Comparable:
    """Price per mg / ml / IU / MBq when the spec states one content; otherwise per dose unit."""
    m = None if spec.compound else measure(spec, rules)
    if m is None or m[2] == 0:
        dose = spec.per_unit or "dose"
        why = "several actives" if spec.compound else "no single content stated"
        return Comparable(dimension="dose", unit=dose, quantity=spec.per_count,
                          price_per_unit=(spec.amount / spec.per_count).quantize(CENT), reason=f"per {dose}: {why}")
    dim, unit, qty, basis = m
    return Comparable(dimension=dim, unit=unit, quantity=qty, price_per_unit=(spec.amount / qty).quantize(CENT),
                      reason=f"per {unit} of {basis} ({spec.spec})")


def ratio(from_qty: Decimal, to_qty: Decimal, base: Decimal) -> Decimal:
    """差比价 K = base^log2(to/from)."""
    return Decimal(str(float(base) ** math.log2(float(to_qty / from_qty))))


def difference_base(a: SpecPrice, b: SpecPrice, rules: NormalisationRules, injection: bool = False) -> tuple[Decimal, str] | None:
    """Which 差比价 applies between two specs of one drug: content (1.7) when the content differs,
    fill volume (1.9) when only the volume differs; (1, reason) for small injections."""
    ma, mb = measure(a, rules), measure(b, rules)
    if ma is None or mb is None or ma[:2] != mb[:2]:
        return None
    if ma[3] == "components":
        return rules.content_base, f"content {rules.content_base}^log2(X), every active scaled alike"
    if ma[3] == "content" and piece(a, ma) == piece(b, mb) and a.volume and b.volume and a.volume.value != b.volume.value:
        va, vb = a.volume.value, b.volume.value
        if injection and max(va, vb) <= rules.injection_max_ml:
            return Decimal(1), "injections ≤ 10 ml are not differentiated"
        return rules.volume_base, f"fill volume {rules.volume_base}^log2(X)"
    label = "content" if ma[3] == "content" else "fill volume taken as content (none stated)"
    return rules.content_base, f"{label} {rules.content_base}^log2(X)"


def factor(ref: SpecPrice, other: SpecPrice, rules: NormalisationRules,
           injection: bool = False) -> tuple[Decimal, str, Decimal, Decimal] | None:
    """差比价 K from `ref` to `other` per piece, the rule used, and X's numerator and denominator
    (fill volumes when only the volume differs, else the contents); None when not comparable."""
    base = difference_base(ref, other, rules, injection)
    if base is None:
        return None
    ma, mb = measure(ref, rules), measure(other, rules)
    if ma[3] == "content" and piece(ref, ma) == piece(other, mb) and ref.volume and other.volume:
        x_from, x_to = ref.volume.value, other.volume.value
    else:
        x_from, x_to = piece(ref, ma), piece(other, mb)
    k = ratio(x_from, x_to, base[0]) if base[0] != 1 and x_from != x_to else Decimal(1)
    return k, base[1], x_from, x_to


def expected_price(ref: SpecPrice, other: SpecPrice, rules: NormalisationRules, injection: bool = False) -> tuple[Decimal, str] | None:
    """What `other` should cost given `ref`'s price under 差比价, with the rule used."""
    found = factor(ref, other, rules, injection)
    if found is None:
        return None
    k, rule, x_from, x_to = found
    fixed = rules.solvent_price if ref.two_chamber and other.two_chamber and rules.solvent_price is not None else Decimal(0)
    price = (ref.amount - fixed) / ref.per_count * k * other.per_count + fixed  # per piece, × pieces `other` prices
    count = f", × {_fmt(other.per_count)} pieces" if other.per_count != 1 or ref.per_count != 1 else ""
    solvent = f", + solvent chamber {fixed}元 not differentiated" if fixed else ""
    return price.quantize(CENT), f"{rule}, X = {_fmt(x_to / x_from)}, K = {_fmt(k)}{count}{solvent}"


def piece(spec: SpecPrice, m: tuple[str, str, Decimal, str]) -> Decimal:
    """Comparable units in one piece (`10mg×7片`: 10 mg), the measure being for all the price covers."""
    return m[2] / spec.per_count


def _fmt(d: Decimal) -> str:
    return f"{float(d):.4g}"
