"""Named, versioned rule sets: the JSON files in `rules/`, or any file a user copied and edited."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from catalog_tool.errors import InputError
from catalog_tool.model.procurement import VbpRuleSet

RULES_DIR = Path(__file__).parent / "rules"


def rule_names() -> list[str]:
    """The built-in rule sets, by name (batch-7, batch-9, batch-10)."""
    return sorted((p.stem for p in RULES_DIR.glob("*.json")), key=lambda n: (len(n), n))


def rule_path(name_or_path: str, named_in: Path | None = None) -> Path:
    """A built-in name, or the path of a rule file. `named_in` is the batch.json that chose it:
    errors name that file, and a relative path there is relative to its folder."""
    builtin = RULES_DIR / f"{name_or_path}.json"
    if builtin.is_file():
        return builtin
    path = Path(name_or_path)
    if named_in is not None and not path.is_absolute():
        path = named_in.parent / path
    if path.suffix.lower() == ".json" or path.exists():
        return path
    raise InputError(f"unknown rule set {name_or_path!r} (built in: {', '.join(rule_names())}; or give a .json file)",
                     file=named_in, field="rules" if named_in else "--rules")


def load_rules(name_or_path: str, named_in: Path | None = None) -> VbpRuleSet:
    """Read and check a rule set; every defect is one error naming the file and the field."""
    path = rule_path(name_or_path, named_in)
    from catalog_tool.formats.encoding import read_text

    text, _ = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None
    try:
        rules = VbpRuleSet.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        raise InputError(f"{err['msg']}", file=path, field=".".join(str(x) for x in err["loc"]) or None) from None
    _check(rules, path)
    return rules


def _check(r: VbpRuleSet, path: Path) -> None:
    def bad(field: str, message: str) -> InputError:
        return InputError(message, file=path, field=field)

    if r.anchor not in ("lowest", "lowest-or-mean-fraction"):
        raise bad("anchor", f"must be lowest or lowest-or-mean-fraction, got {r.anchor!r}")
    if r.anchor == "lowest-or-mean-fraction" and r.anchor_mean_fraction is None:
        raise bad("anchor_mean_fraction", "needed when anchor is lowest-or-mean-fraction")
    if r.ratio_to_anchor < 1:
        raise bad("ratio_to_anchor", f"must be at least 1, got {r.ratio_to_anchor}")
    for name in ("anchor_mean_fraction", "drop_vs_ceiling"):
        value = getattr(r, name)
        if value is not None and not 0 < value <= 1:
            raise bad(name, f"must be a fraction in (0, 1], got {value}")
    if r.unit_price_floor is not None and r.unit_price_floor <= 0:
        raise bad("unit_price_floor", f"must be positive, got {r.unit_price_floor}")
    for form, value in r.form_thresholds.items():
        if value <= 0:
            raise bad(f"form_thresholds.{form}", f"must be positive, got {value}")
    for name in ("content_ratio_base", "fill_volume_base"):
        if getattr(r, name) <= 1:
            raise bad(name, f"must be greater than 1 (a bigger spec costs more), got {getattr(r, name)}")
    if r.injection_max_ml < 0:
        raise bad("injection_max_ml", f"must not be negative, got {r.injection_max_ml}")
    for name in ("max_winners", "volume_share", "antimicrobial_share", "contract_years"):
        values = getattr(r, name)
        if not values:
            raise bad(name, "must list at least one value")
        if any(v <= 0 for v in values):
            raise bad(name, "values must be positive")
    if any(w > i + 1 for i, w in enumerate(r.max_winners)):
        raise bad("max_winners", "cannot allow more winners than qualified bidders")
    if any(b < a for a, b in zip(r.max_winners, r.max_winners[1:])):
        raise bad("max_winners", "cannot fall as bidders grow")
    for name in ("volume_share", "antimicrobial_share"):
        shares = getattr(r, name)
        if any(s > 1 for s in shares):
            raise bad(name, "shares are fractions of demand (0.8, not 80)")
        if any(s * 1000 != int(s * 1000) for s in shares):
            raise bad(name, "shares are stated to 0.1% at most (0.805, not 0.8055)")


def pick(table: list, n: int):
    """Entry n (1-based) of a rule table whose last entry holds for all larger n."""
    return table[min(n, len(table)) - 1]
