"""Classify every difference of a matched pair by kind (调入, 调出, 甲乙类变更, 谈判转常规 …).

Works column by column on the whole frame (polars), so a million rows cost one pass per column.
A difference that disappears under cosmetic normalisation is kind `cosmetic`, whatever the field.
"""

from __future__ import annotations

from catalog_tool.diff.normalize import name_expr, text_expr

# kind id → label as an announcement words it. The order is the report order.
KINDS: dict[str, str] = {
    "added": "调入",
    "removed": "调出",
    "negotiated_to_regular": "谈判转常规",
    "section_moved": "部分调整",
    "class_changed": "甲乙类变更",
    "restriction_changed": "限定支付范围变更",
    "payment_changed": "支付标准变更",
    "agreement_changed": "协议期变更/续约",
    "renamed": "更名/剂型变更",
    "recoded": "代码变更",
    "category_changed": "分类变更",
    "other_changed": "其他字段变更",
    "cosmetic": "仅格式差异",
}

FIELD_KINDS = {
    "drug_class": "class_changed", "payment_category": "class_changed",
    "remarks": "restriction_changed",
    "payment_standard": "payment_changed", "payment_cap": "payment_changed", "price": "payment_changed",
    "agreement_start": "agreement_changed", "agreement_end": "agreement_changed",
    "agreement_period": "agreement_changed",
    "name": "renamed", "dosage_form": "renamed", "generic_name": "renamed",
    "code": "recoded",
    "category_code": "category_changed", "category_name": "category_changed",
    "section": "section_moved",
}
NAME_FIELDS = {"name", "dosage_form", "generic_name", "category_name"}
NEGOTIATED = ("协议期内谈判药品部分", "竞价药品部分")
REGULAR = ("西药部分", "中成药部分")
# Fields whose change follows from 谈判转常规: a regular row prints no price or agreement period,
# and a negotiated row prints no 剂型 (its name carries it).
IMPLIED_BY_MOVE = {"payment_standard", "agreement_start", "agreement_end", "agreement_period", "dosage_form"}
CHANGE_COLUMNS = ["kind", "_row_old", "_row_new", "matched_by", "field", "old", "new"]


def _maybe_changed(old, new, pairs, fields: list[str]):
    """The pairs whose compared fields may differ. Most rows of a yearly edition are unchanged, so
    each side's rows are hashed (two seeds: 128 bits, a chance of ~10⁻²⁸ that a changed row of a
    million hides) and only pairs with different hashes are compared field by field; a null and an
    empty cell hash apart but compare equal below, so nothing is lost by the shortcut."""
    if not pairs.height:
        return pairs
    ro, rn = pairs["_row_old"], pairs["_row_new"]
    a, b = old.select(fields), new.select(fields)
    differs = None
    for seed in (7, 11):
        d = a.hash_rows(seed=seed).gather(ro) != b.hash_rows(seed=seed).gather(rn)
        differs = d if differs is None else differs | d
    return pairs.filter(differs)


def field_changes(old, new, pairs, fields: list[str]):
    """One row per (pair, field) that differs: kind, rows, field, old and new text."""
    import polars as pl

    pairs = _maybe_changed(old, new, pairs, fields)
    # `_row` is each frame's position, so a gather replaces a hash join; one field at a time keeps
    # memory to two columns beyond the editions themselves.
    ro, rn = pairs["_row_old"], pairs["_row_new"]
    moved = None
    if "section" in fields:
        so, sn = old["section"].gather(ro), new["section"].gather(rn)
        moved = ro.filter(so.is_in(NEGOTIATED) & sn.is_in(REGULAR))
    parts = []
    for f in fields:
        a, b = old[f].gather(ro).alias(f"{f}__o"), new[f].gather(rn).alias(f"{f}__n")
        mask = a.fill_null("") != b.fill_null("")
        if moved is not None and f in IMPLIED_BY_MOVE:
            mask = mask & ~ro.is_in(moved.implode())
        if not mask.any():
            continue
        diff = pl.DataFrame([pairs.filter(mask)[c] for c in pairs.columns] + [a.filter(mask), b.filter(mask)])
        ea, eb = pl.col(f"{f}__o"), pl.col(f"{f}__n")
        norm = name_expr if f in NAME_FIELDS else text_expr
        kind = pl.when(norm(f"{f}__o") == norm(f"{f}__n")).then(pl.lit("cosmetic"))
        if f == "section":
            kind = kind.when(ea.is_in(NEGOTIATED) & eb.is_in(REGULAR)).then(pl.lit("negotiated_to_regular"))
        kind = kind.otherwise(pl.lit(FIELD_KINDS.get(f, "other_changed")))
        parts.append(diff.select(kind.alias("kind"), "_row_old", "_row_new", "matched_by",
                                 pl.lit(f).alias("field"), ea.alias("old"), eb.alias("new")))
    if not parts:
        return pl.DataFrame(schema={c: pl.Utf8 if c not in ("_row_old", "_row_new") else pl.UInt32
                                    for c in CHANGE_COLUMNS})
    return pl.concat(parts)


def payment_amounts(changes):
    """Add old/new leading amounts (`52.60元(10mg/瓶)` → 52.60) and the % change to payment rows.

    The % change comes from the payment-standard parser, so a multi-spec standard is compared spec by
    spec and a confidential price (`*`) has none; plain numbers (a service price, a consumable cap)
    compare directly."""
    import polars as pl

    amount = r"^\s*([0-9]+(?:\.[0-9]+)?)\s*元?\s*$|^\s*([0-9]+(?:\.[0-9]+)?)\s*元"
    pay = pl.col("kind") == "payment_changed"

    def leading(col: str) -> pl.Expr:
        found = pl.col(col).str.extract_groups(amount)
        return pl.when(pay).then(pl.coalesce(found.struct.field("1"), found.struct.field("2")))

    out = changes.with_columns(leading("old").alias("old_amount"), leading("new").alias("new_amount"))
    pct = [_percent(o, n) if k == "payment_changed" else None
           for k, o, n in zip(out["kind"], out["old"], out["new"])]  # payment rows are few
    return out.with_columns(pl.Series("pct_change", pct, dtype=pl.Float64))


def _percent(old: str | None, new: str | None) -> float | None:
    """(new / old − 1) × 100 to 2 decimals, computed in Decimal; None when not comparable."""
    from decimal import Decimal, InvalidOperation

    from catalog_tool.pricing import relative_change

    change = relative_change(old, new)
    if change is None:
        try:
            a, b = Decimal((old or "").strip()), Decimal((new or "").strip())
        except InvalidOperation:
            return None
        if not a or not a.is_finite() or not b.is_finite():
            return None
        change = b / a - 1
    return float((change * 100).quantize(Decimal("0.01")))


def marked_span(old: str | None, new: str | None) -> tuple[str, str]:
    """Old and new text with the changed span in 【】: common prefix and suffix left unmarked."""
    old, new = old or "", new or ""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    def mark(t: str) -> str:
        mid = t[p: len(t) - s]
        return t[:p] + f"【{mid}】" + t[len(t) - s:]
    return mark(old), mark(new)
