"""Validate millions of codes at once (polars): the shapes that make up nearly every real scan —
20-digit 码上放心 codes and GS1 strings laid out (01)…[(17)/(11)]…[(10)/(21) separated by GS] —
are checked column-wise; every other code goes through `parse_code` one by one. The column-wise
rules copy `parse_code` exactly (family, validity, first reason), which the tests and the
benchmark check on samples.
"""

from __future__ import annotations

from datetime import date

from catalog_tool.trace.parse import DEFAULT_RULES, SEPARATOR_SPELLINGS, TraceRules, parse_code

_X = "[!%-?A-Z_a-z\"]"  # CSET82 as a regex class (a test checks they agree)
GS1_SHAPE = (r"^(?:\]d2|\]C1|\]Q3|\]e0|\]J1)?01([0-9]{14})((?:1[17][0-9]{6}){0,2})"
             rf"((?:10|21){_X}{{1,20}}(?:\x1d(?:10|21){_X}{{1,20}}){{0,2}})?$")
MSFX_SHAPE = r"^[0-9]{20}$"


def _gtin_ok(pl, n):
    """Mod-10 check of a GTIN-14 held as an integer."""
    total = sum(((n // 10 ** k) % 10) * (3 if k % 2 else 1) for k in range(1, 14))
    return (10 - total % 10) % 10 == n % 10


def _date_ok(pl, field, this_year: int):
    """`field` is `17YYMMDD`/`11YYMMDD` or empty (fine). DD=00 is allowed (end of month); the year
    follows the GS1 sliding window, as in `gs1.gs1_date`."""
    v = field.str.slice(2, 6).cast(pl.Int32, strict=False)
    yy, mm, dd = v // 10000, (v // 100) % 100, v % 100
    diff = yy - this_year % 100
    year = (this_year // 100 * 100) + yy + pl.when((diff >= 51) & (diff <= 99)).then(-100).when((diff >= -99) & (diff <= -50)).then(100).otherwise(0)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    last = 28 + (mm + mm // 8) % 2 + 2 % mm.clip(1, 12) + 2 * (1 // mm.clip(1, 12)) + ((mm == 2) & leap).cast(pl.Int32)
    return (field.str.len_bytes() == 0) | ((mm >= 1) & (mm <= 12) & (dd <= last))


def _gs1_rows(pl, lf, this_year: int):
    """Family and first reason of the rows laid out in the common GS1 shape (regex check, then
    fixed offsets: captures are slow); null family otherwise."""
    c = pl.col("code")
    lf = lf.with_columns((c.str.contains(GS1_SHAPE) & ~c.str.contains_any(list(SEPARATOR_SPELLINGS))).alias("shape"))
    lf = lf.with_columns(pl.when(c.str.starts_with("]")).then(c.str.slice(19)).otherwise(c.str.slice(16)).alias("rest"),
                         pl.when(c.str.starts_with("]")).then(c.str.slice(5, 14)).otherwise(c.str.slice(2, 14))
                         .cast(pl.Int64, strict=False).alias("gtin"))
    rest = pl.col("rest")
    fixed1 = rest.str.starts_with("11") | rest.str.starts_with("17")
    lf = lf.with_columns(pl.when(fixed1).then(rest.str.slice(0, 8)).otherwise(pl.lit("")).alias("f1"),
                         pl.when(fixed1).then(rest.str.slice(8)).otherwise(rest).alias("rest"))
    fixed2 = rest.str.starts_with("11") | rest.str.starts_with("17")
    lf = lf.with_columns(pl.when(fixed2).then(rest.str.slice(0, 8)).otherwise(pl.lit("")).alias("f2"),
                         pl.when(fixed2).then(rest.str.slice(8)).otherwise(rest).alias("var"))
    parts = pl.col("var").str.split_exact("\x1d", 2)
    lf = lf.with_columns(*(parts.struct.field(f"field_{k}").alias(f"v{k}") for k in range(3)))
    f1, f2, v0, v1, v2 = (pl.col(x) for x in ("f1", "f2", "v0", "v1", "v2"))
    repeated = ((f2 != "") & (f1.str.slice(0, 2) == f2.str.slice(0, 2))) | v2.is_not_null() | (v1.is_not_null() & (v0.str.slice(0, 2) == v1.str.slice(0, 2)))
    is_gs1 = pl.col("shape") & ~repeated.fill_null(False)
    serial = v0.str.starts_with("21").fill_null(False) | v1.str.starts_with("21").fill_null(False)
    reason = (pl.when(~_gtin_ok(pl, pl.col("gtin"))).then(pl.lit("gtin-check-digit"))
              .when(~(_date_ok(pl, f1, this_year) & _date_ok(pl, f2, this_year))).then(pl.lit("bad-date"))
              .when(~serial).then(pl.lit("gs1-no-serial")).otherwise(None))
    return lf.select("i", "code", pl.when(is_gs1).then(pl.lit("GS1")).alias("family"), pl.when(is_gs1).then(reason).alias("reason"))


def validate_bulk(codes, rules: TraceRules = DEFAULT_RULES, today: date | None = None):
    """A polars DataFrame (code, family, valid, reason) for a sequence or Series of codes, in input
    order; `reason` is the first reason code of an invalid code, null for a valid one."""
    import polars as pl

    this_year = (today or date.today()).year
    df = pl.DataFrame({"code": pl.Series(codes, dtype=pl.String)}).with_row_index("i")
    c = pl.col("code")
    is_msfx = c.str.contains(MSFX_SHAPE).fill_null(False) & ~c.str.slice(0, 2).is_in(["00", "01", "02"])
    df = df.with_columns(is_msfx.alias("msfx"))
    prefix_ok = pl.any_horizontal([c.str.starts_with(p) for p in rules.msfx_prefixes])
    msfx = df.lazy().filter("msfx").select("i", pl.lit("码上放心").alias("family"),
                                           pl.when(prefix_ok).then(None).otherwise(pl.lit("msfx-prefix")).alias("reason"))
    other = _gs1_rows(pl, df.lazy().filter(~pl.col("msfx")).select("i", "code"), this_year)
    fast, other = pl.collect_all([msfx, other])
    rest = other.filter(pl.col("family").is_null())
    other = other.drop("code")
    parsed = [parse_code(x, rules, today) for x in rest["code"].to_list()]
    slow = pl.DataFrame({"i": rest["i"], "family": [p.family.value for p in parsed],
                         "reason": [p.reasons[0].code if p.reasons else None for p in parsed]},
                        schema={"i": pl.UInt32, "family": pl.String, "reason": pl.String})
    out = pl.concat([fast, other.filter(pl.col("family").is_not_null()), slow]).sort("i")
    return out.select(df["code"], "family", pl.col("reason").is_null().alias("valid"), "reason")
