"""Unit comparable price (单位可比价): a bid's price per minimal unit, carried to the representative
spec by 差比价 (content K = 1.7^log2(X), fill volume K = 1.9^log2(X); injections ≤ 10 ml are not
differentiated). The pricing module's spec reading and ratios are reused, with the rule set's bases."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from catalog_tool.model.pricing import SpecPrice
from catalog_tool.model.procurement import VbpRuleSet
from catalog_tool.pricing.normalise import NormalisationRules, factor, load_rules
from catalog_tool.pricing.spec import interpret

PLACES = Decimal("0.0001")  # 单位可比价 and drops are compared at 4 decimals


def q4(d: Decimal) -> Decimal:
    return d.quantize(PLACES, rounding=ROUND_HALF_UP)


def is_injection(form: str) -> bool:
    return "注射" in form


@lru_cache(maxsize=1)
def _base_rules() -> NormalisationRules:
    return load_rules()


def _norm_rules(rules: VbpRuleSet) -> NormalisationRules:
    return dataclasses.replace(_base_rules(), content_base=rules.content_ratio_base, volume_base=rules.fill_volume_base,
                               injection_max_ml=rules.injection_max_ml, solvent_price=None)


@lru_cache(maxsize=4096)
def _spec(text: str) -> SpecPrice:
    return interpret(SpecPrice(amount=Decimal(1), spec=text, text=text, start=0))


def _same(a: str, b: str) -> bool:
    return a.replace(" ", "").lower() == b.replace(" ", "").lower()


def states_amount(spec: str) -> bool:
    """Whether a spec states a content or a fill volume, the only things 差比价 can compare."""
    s = _spec(spec)
    return s.content is not None or s.volume is not None


def spec_factor(rep_spec: str, spec: str, form: str, rules: VbpRuleSet) -> tuple[Decimal, str] | None:
    """差比价 K of `spec` versus the representative spec, with the rule used; None when the two
    specs cannot be compared (different units, or a spec that states no content)."""
    if _same(rep_spec, spec):
        return Decimal(1), "representative spec"
    found = factor(_spec(rep_spec), _spec(spec), _norm_rules(rules), is_injection(form))
    if found is None:
        return None
    k, rule, x_from, x_to = found
    if k == 1:
        return Decimal(1), rule if x_from != x_to else "same content as the representative spec"
    k = k.quantize(Decimal("0.000001"))
    return k, f"{rule}, X = {float(x_to / x_from):.4g}, K = {k.normalize():f}"
