"""Matching keys: which old row is which new row.

Order of attempts, each on the rows still unmatched:
1. the key — explicit columns (`--key`), else the national code when every row of both editions
   carries one, else the section-independent (name, dosage form) in cosmetic form, so a drug that
   moved from 协议期内谈判药品部分 to 西药部分 is matched, not removed and added; when only some rows
   carry a code (an NRDL list with codes filled in where known), the code where present and
   (name, dosage form) elsewhere — the identity the store uses;
2. code mode: an old code listed in a new row's 曾用码 (former_codes), or mapped to the new code by a
   recode table (转码表: old code, new code) → a code change;
3. name mode: the name alone, when it is unique among the unmatched rows of both editions
   (negotiated rows print no 剂型, regular rows do);
4. name mode: a renamed drug — same 剂型 and 药品分类代码, one name containing the other or nearly
   equal (rapidfuzz ratio ≥ 90; partial_ratio for names of 8+ characters, so an added alias counts), paired only when the best candidate is unique on both sides
   (`聚桂醇` → `聚桂醇(聚多卡醇)`). Skipped when more than `RENAME_LIMIT` rows are left.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog_tool.diff.normalize import name_expr
from catalog_tool.errors import InputError

ROW = "_row"
KEY = "_key"
MIXED_KEY = ["code", "name", "dosage_form"]  # code where the row has one, else (name, dosage form)


@dataclass
class Matching:
    """Row pairs (old `_row`, new `_row`, how matched) and the rows left on each side."""

    key_columns: list[str]
    pairs: object  # pl.DataFrame: _row_old, _row_new, matched_by
    removed: object  # pl.DataFrame of old _row
    added: object  # pl.DataFrame of new _row


def key_columns(old, new, explicit: list[str] | None) -> list[str]:
    """The columns the primary key is built from."""
    if explicit:
        for col in explicit:
            if col not in old.columns:
                raise InputError(f"--key: no column {col!r} (columns: {', '.join(c for c in old.columns if c != ROW)})",
                                 field=col)
        return explicit
    if "code" in old.columns and old["code"].null_count() < old.height and new["code"].null_count() < new.height:
        if old["code"].null_count() == 0 and new["code"].null_count() == 0:
            return ["code"]
        if {"name", "dosage_form"} <= set(old.columns):
            return MIXED_KEY
        return ["code"]
    if "name" in old.columns:
        return ["name", "dosage_form"] if "dosage_form" in old.columns else ["name"]
    raise InputError("no key: the files have neither a code nor a name column; give --key COL[,COL]")


def _key_expr(cols: list[str], cosmetic: bool):
    import polars as pl

    if cols is MIXED_KEY:
        code = pl.col("code").fill_null("")
        by_name = pl.concat_str([pl.lit("N"), name_expr("name"), name_expr("dosage_form")], separator="\x1f")
        return pl.when(code != "").then(pl.lit("C\x1f") + code).otherwise(by_name)
    parts = [name_expr(c) if cosmetic else pl.col(c).fill_null("") for c in cols]
    return parts[0] if len(parts) == 1 else pl.concat_str(parts, separator="\x1f")


def _with_key(df, cols: list[str], cosmetic: bool):
    """Row index and the key as a 64-bit hash: joining integers is several times faster than strings.
    Hash collisions are caught afterwards (`_collision`) and then the text key is used."""
    import polars as pl

    return df.select(pl.col(ROW), _key_expr(cols, cosmetic).hash(seed=7).alias(KEY))


def _check_unique(df, keyed, label: str, cols: list[str], cosmetic: bool) -> bool:
    """Raise on a real duplicate key; return True when only the hash collided."""
    import polars as pl

    if keyed[KEY].n_unique() == keyed.height:  # the usual case, and 3x cheaper than is_duplicated
        return False
    dup_hash = keyed.filter(pl.col(KEY).is_duplicated())
    text = df.join(dup_hash.select(ROW), on=ROW).select(_key_expr(cols, cosmetic).alias("k"))
    dup = text.group_by("k").len().filter(pl.col("len") > 1)
    if dup.height:
        example = dup["k"][0].replace("\x1f", " | ")
        raise InputError(f"{dup.height} duplicate key(s) on ({', '.join(cols)}), e.g. {example!r}", file=label)
    return True


def _collision(old, new, pairs, cols: list[str], cosmetic: bool) -> bool:
    """Whether any pair joined on the hash has different key texts (practically never)."""
    ko = old.select(_key_expr(cols, cosmetic).alias("k"))["k"].gather(pairs["_row_old"])
    kn = new.select(_key_expr(cols, cosmetic).alias("k"))["k"].gather(pairs["_row_new"])
    return bool((ko != kn).any()) if pairs.height else False


def match(old, new, explicit_key: list[str] | None = None, labels: tuple[str, str] = ("old", "new"),
          recodes=None) -> Matching:
    """Pair the rows of two editions (frames carrying a `_row` index); `recodes`: frame (old, new)."""
    import polars as pl

    cols = key_columns(old, new, explicit_key)
    cosmetic = cols != ["code"] and not explicit_key
    ko, kn = _with_key(old, cols, cosmetic), _with_key(new, cols, cosmetic)
    collided = _check_unique(old, ko, labels[0], cols, cosmetic) | _check_unique(new, kn, labels[1], cols, cosmetic)
    joined = ko.join(kn, on=KEY, how="full", suffix="_new", coalesce=True)
    pairs = joined.filter(pl.col(ROW).is_not_null() & pl.col(f"{ROW}_new").is_not_null()).select(
        pl.col(ROW).alias("_row_old"), pl.col(f"{ROW}_new").alias("_row_new"), pl.lit("key").alias("matched_by"))
    if collided or _collision(old, new, pairs, cols, cosmetic):
        ko = old.select(pl.col(ROW), _key_expr(cols, cosmetic).alias(KEY))
        kn = new.select(pl.col(ROW), _key_expr(cols, cosmetic).alias(KEY))
        joined = ko.join(kn, on=KEY, how="full", suffix="_new", coalesce=True)
        pairs = joined.filter(pl.col(ROW).is_not_null() & pl.col(f"{ROW}_new").is_not_null()).select(
            pl.col(ROW).alias("_row_old"), pl.col(f"{ROW}_new").alias("_row_new"), pl.lit("key").alias("matched_by"))
    removed = joined.filter(pl.col(f"{ROW}_new").is_null()).select(ROW)
    added = joined.filter(pl.col(ROW).is_null()).select(pl.col(f"{ROW}_new").alias(ROW))
    steps = []
    if "code" in cols and ("former_codes" in new.columns or recodes is not None):
        steps.append(lambda r, a: _former_code_pairs(old, new, r, a, recodes))
    if not explicit_key and "name" in old.columns and cols not in (["code"], ["name"]):
        steps += [lambda r, a: _name_pairs(old, new, r, a), lambda r, a: _renamed_pairs(old, new, r, a)]
    for step in steps:
        extra = step(removed, added)
        if extra.height:
            pairs = pl.concat([pairs, extra])
            removed = removed.filter(~pl.col(ROW).is_in(extra["_row_old"].implode()))
            added = added.filter(~pl.col(ROW).is_in(extra["_row_new"].implode()))
    return Matching(cols, pairs, removed, added)


def _former_code_pairs(old, new, removed, added, recodes=None):
    """Left-over old codes named by a new row's 曾用码, or mapped by the recode table."""
    import polars as pl

    olds = old.join(removed, on=ROW).select(pl.col(ROW).alias("_row_old"), pl.col("code").alias("_former"))
    news = new.join(added, on=ROW)
    links = []
    if "former_codes" in new.columns:
        links.append(news.filter(pl.col("former_codes").is_not_null())
                     .select(pl.col(ROW).alias("_row_new"), pl.col("former_codes").str.split(";").alias("_former"))
                     .explode("_former").with_columns(pl.col("_former").str.strip_chars(),
                                                      pl.lit("former_code").alias("matched_by")))
    if recodes is not None:
        links.append(news.select(pl.col(ROW).alias("_row_new"), pl.col("code").alias("new"))
                     .join(recodes, on="new").select("_row_new", pl.col("old").alias("_former"),
                                                     pl.lit("recode_table").alias("matched_by")))
    return (olds.join(pl.concat(links), on="_former").unique("_row_old", keep="first", maintain_order=True)
            .unique("_row_new", keep="first", maintain_order=True).select("_row_old", "_row_new", "matched_by"))


def _name_pairs(old, new, removed, added):
    import polars as pl

    def unique_names(df, rows, alias):
        named = df.join(rows, on=ROW).select(pl.col(ROW).alias(alias), name_expr("name").alias(KEY))
        return named.filter(pl.col(KEY).is_unique())

    return (unique_names(old, removed, "_row_old").join(unique_names(new, added, "_row_new"), on=KEY)
            .select("_row_old", "_row_new", pl.lit("name").alias("matched_by")))


RENAME_LIMIT = 5000


def _renamed_pairs(old, new, removed, added):
    """Pairs of a renamed drug among the leftovers (small: a yearly adjustment renames a handful)."""
    import polars as pl
    from rapidfuzz import fuzz

    empty = pl.DataFrame(schema={"_row_old": pl.UInt32, "_row_new": pl.UInt32, "matched_by": pl.Utf8})
    if not removed.height or not added.height or max(removed.height, added.height) > RENAME_LIMIT:
        return empty
    group = [c for c in ("dosage_form", "category_code") if c in old.columns]

    def side(df, rows):
        return df.join(rows, on=ROW).select(ROW, name_expr("name").alias("n"),
                                            *[name_expr(c).alias(c) for c in group]).rows(named=True)

    olds, news = side(old, removed), side(new, added)

    def score(a, b):
        if a["n"] and b["n"] and (a["n"] in b["n"] or b["n"] in a["n"]):
            return 100.0
        similar = fuzz.partial_ratio if min(len(a["n"]), len(b["n"])) >= 8 else fuzz.ratio
        return similar(a["n"], b["n"])

    best_o, best_n = {}, {}
    for a in olds:
        for b in news:
            if any(a[c] != b[c] for c in group):
                continue
            sc = score(a, b)
            if sc < 90:
                continue
            for best, k, other in ((best_o, a[ROW], b[ROW]), (best_n, b[ROW], a[ROW])):
                cur = best.get(k)
                if cur is None or sc > cur[0]:
                    best[k] = (sc, other, False)
                elif sc == cur[0]:
                    best[k] = (sc, cur[1], True)
    rows = [(o, n) for o, (sc, n, tie) in best_o.items()
            if not tie and best_n.get(n, (0, None, True))[1:] == (o, False)]
    if not rows:
        return empty
    return pl.DataFrame(rows, schema={"_row_old": pl.UInt32, "_row_new": pl.UInt32}, orient="row") \
        .with_columns(pl.lit("similar_name").alias("matched_by"))
