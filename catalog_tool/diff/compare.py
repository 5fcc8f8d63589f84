"""Compare two editions given as string frames: match rows, classify differences, keep the result."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog_tool.diff.classify import KINDS, field_changes, payment_amounts
from catalog_tool.diff.keys import ROW, Matching, match
from catalog_tool.errors import InputError

NEGOTIATED = ("协议期内谈判药品部分", "竞价药品部分")
# Compared only when asked with --columns: 编号 restarts per section and shifts with every insertion.
NOT_COMPARED_BY_DEFAULT = {"number"}


@dataclass
class DiffResult:
    """Everything a report needs: both frames (with `_row`), the matching, the field changes."""

    old_label: str
    new_label: str
    old: object
    new: object
    matching: Matching
    fields: list[str]
    changes: object  # pl.DataFrame: kind, _row_old, _row_new, matched_by, field, old, new, amounts
    notes: list[str] = field(default_factory=list)

    @property
    def key_columns(self) -> list[str]:
        return self.matching.key_columns

    def counts(self) -> dict[str, int]:
        """Rows per kind (a row with two restriction fields counts once), plus changed rows."""
        import polars as pl

        per_kind = self.changes.group_by("kind").agg(pl.col("_row_old").n_unique().alias("n"))
        out = {k: 0 for k in KINDS}
        out.update(dict(zip(per_kind["kind"].to_list(), per_kind["n"].to_list())))
        out["added"] = self.matching.added.height
        out["removed"] = self.matching.removed.height
        substantive = self.changes.filter(pl.col("kind") != "cosmetic")["_row_old"].n_unique()
        out["changed_rows"] = substantive
        out["cosmetic_only_rows"] = self.changes["_row_old"].n_unique() - substantive
        out["unchanged_rows"] = self.matching.pairs.height - self.changes["_row_old"].n_unique()
        return out

    @property
    def empty(self) -> bool:
        return not (self.changes.height or self.matching.added.height or self.matching.removed.height)


def _prepare(df):
    """Add the row index; negotiated rows print no 甲乙类 but are paid as 乙类 (凡例)."""
    import polars as pl

    df = df.with_row_index(ROW)  # UInt32 position
    if "section" in df.columns and "drug_class" in df.columns:
        df = df.with_columns(
            pl.when(pl.col("section").is_in(NEGOTIATED) & pl.col("drug_class").is_null())
            .then(pl.lit("乙")).otherwise(pl.col("drug_class")).alias("drug_class"))
    return df


def _scope(old, new, notes: list[str]):
    """Restrict both editions to the medicine types both hold (2025 folder: Western medicine only)."""
    import polars as pl

    if "medicine_type" not in old.columns:
        return old, new
    to, tn = set(old["medicine_type"].drop_nulls()), set(new["medicine_type"].drop_nulls())
    common = to & tn
    if not common or (to == tn):
        return old, new
    for label, df, types in (("old", old, to), ("new", new, tn)):
        dropped = types - common
        if dropped:
            n = df.filter(pl.col("medicine_type").is_in(sorted(dropped))).height
            notes.append(f"the {label} edition also holds {'、'.join(sorted(dropped))} ({n} rows), which the other "
                         f"does not: compared on {'、'.join(sorted(common))} only")
    keep = pl.col("medicine_type").is_in(sorted(common)) | pl.col("medicine_type").is_null()
    return old.filter(keep), new.filter(keep)


def compare(old, new, *, labels: tuple[str, str] = ("old", "new"), key: list[str] | None = None,
            columns: list[str] | None = None, ignore: list[str] | None = None, scope: bool = True,
            recodes=None) -> DiffResult:
    """Diff two editions (polars frames of strings with the same columns); `recodes` is a frame of
    (old, new) codes from a recode table (转码表)."""
    if set(old.columns) != set(new.columns) and not columns:
        only_o = sorted(set(old.columns) - set(new.columns))
        only_n = sorted(set(new.columns) - set(old.columns))
        raise InputError(f"different column sets: only in {labels[0]}: {', '.join(only_o) or '-'}; "
                         f"only in {labels[1]}: {', '.join(only_n) or '-'}")
    for col in (columns or []) + (ignore or []):
        if col not in old.columns or col not in new.columns:
            raise InputError(f"no column {col!r} in both editions", field=col)
    notes: list[str] = []
    if scope:
        old, new = _scope(old, new, notes)
    old, new = _prepare(old), _prepare(new)  # after scoping: `_row` is the row's position
    matching = match(old, new, key, labels, recodes)
    base = columns or [c for c in old.columns if c != ROW and c not in NOT_COMPARED_BY_DEFAULT]
    fields = [c for c in base if c not in set(ignore or []) and c not in set(key or [])]
    changes = payment_amounts(field_changes(old, new, matching.pairs, fields))
    return DiffResult(labels[0], labels[1], old, new, matching, fields, changes, notes)
