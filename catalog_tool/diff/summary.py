"""The announcement-style summary (目录调整情况): per section before → after, added, removed, net,
class and restriction changes, and each edition's stated totals (凡例) beside the counted ones."""

from __future__ import annotations

from catalog_tool.diff.classify import KINDS
from catalog_tool.diff.compare import DiffResult

SECTION_ORDER = ("西药部分", "中成药部分", "协议期内谈判药品部分", "竞价药品部分", "中药饮片部分",
                 "不得纳入基金支付范围的中药饮片")


def _per_section(df, rows=None) -> dict[str, int]:
    import polars as pl

    if rows is not None:
        df = df.join(rows, left_on="_row", right_on=rows.columns[0])
    if "section" not in df.columns:
        return {"": df.height}
    g = df.group_by(pl.col("section").fill_null("")).len()
    return dict(zip(g["section"].to_list(), g["len"].to_list()))


def _numbers(df) -> dict[str, int]:
    """Distinct 编号 per section: a `★(n)` row repeats number n (the way 凡例 counts)."""
    import polars as pl

    if "number" not in df.columns or "section" not in df.columns:
        return {}
    base = pl.col("number").str.strip_chars("★()（） ")
    g = df.filter(pl.col("number").is_not_null()).group_by("section").agg(base.n_unique().alias("n"))
    return dict(zip(g["section"].to_list(), g["n"].to_list()))


def summarize(result: DiffResult, stated: dict[str, list] | None = None) -> dict:
    """A JSON-ready summary; `stated` maps an edition label to its `totals.TotalCheck` list."""
    import polars as pl

    m, ch = result.matching, result.changes
    before, after = _per_section(result.old), _per_section(result.new)
    nb, na = _numbers(result.old), _numbers(result.new)
    added = _per_section(result.new, m.added)
    removed = _per_section(result.old, m.removed)
    moves = ch.filter(pl.col("field") == "section")
    moved_in = dict(moves.group_by("new").len().iter_rows())
    moved_out = dict(moves.group_by("old").len().iter_rows())

    def by_new_section(kind: str) -> dict[str, int]:
        rows = ch.filter(pl.col("kind") == kind).select(pl.col("_row_new").unique())
        return _per_section(result.new, rows)

    classes, restrictions = by_new_section("class_changed"), by_new_section("restriction_changed")
    names = sorted(set(before) | set(after), key=lambda s: (SECTION_ORDER.index(s) if s in SECTION_ORDER else 99, s))
    sections = []
    for s in names:
        sections.append({
            "section": s, "before_rows": before.get(s, 0), "after_rows": after.get(s, 0),
            "before_numbers": nb.get(s), "after_numbers": na.get(s),
            "added": added.get(s, 0), "removed": removed.get(s, 0),
            "moved_in": moved_in.get(s, 0), "moved_out": moved_out.get(s, 0),
            "net": after.get(s, 0) - before.get(s, 0),
            "class_changed": classes.get(s, 0), "restriction_changed": restrictions.get(s, 0),
        })
    counts = result.counts()
    notes = list(result.notes)
    for label, checks in (stated or {}).items():
        off = [c.key for c in checks if c.ok is False]
        if off:
            notes.append(f"{label}: stated totals (凡例) disagree with the counted rows on {', '.join(off)} — "
                         f"the edition holds fewer parts than its 凡例 counts, or rows are missing")
    return {
        "old": result.old_label, "new": result.new_label, "key": result.key_columns,
        "compared_fields": result.fields, "notes": notes,
        "rows": {"old": result.old.height, "new": result.new.height, "matched": m.pairs.height},
        "counts": counts,
        "kind_labels": KINDS,
        "sections": sections,
        "stated_totals": {
            label: [{"key": c.key, "label": c.label, "stated": c.stated, "counted": c.counted, "ok": c.ok}
                    for c in checks]
            for label, checks in (stated or {}).items()
        },
    }
