"""Read a whole catalog file, or an edition's rows, as a polars frame of strings (for bulk work).

CSV goes straight to polars' reader (UTF-8); GBK/GB18030 files are decoded first. Excel goes
through `tables.read_table` (python-calamine). Headers are mapped to canonical field names when the
catalog layout knows them (`药品名称` → `name`), so an official file and an export compare.
"""

from __future__ import annotations

from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats.encoding import decode, read_bytes
from catalog_tool.formats.tables import EXCEL_SUFFIXES, read_table


def read_frame(path: str | Path, layout=None):
    """The file as a polars DataFrame, every column a string, empty cells null (Excel cells stripped)."""
    import polars as pl

    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        table = read_table(path)
        rows = [cells + [""] * (len(table.header) - len(cells)) for _, cells in table.rows]
        df = pl.DataFrame(rows, schema=table.header, orient="row") if rows else \
            pl.DataFrame(schema={h: pl.Utf8 for h in table.header})
    else:
        df = _read_csv(path)
    df = df.rename({c: c.strip().lstrip("\ufeff") for c in df.columns})
    if layout is not None:
        mapping = {c: layout.field_for(c) for c in df.columns}
        targets = [t for t in mapping.values() if t]
        if len(targets) == len(set(targets)):
            df = df.rename({c: t for c, t in mapping.items() if t and t != c})
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return df.with_columns(pl.all().str.strip_chars().replace("", None))
    return df  # polars already reads empty CSV cells as null; spaces are left to cosmetic normalisation


def rows_frame(fields: tuple[str, ...], rows):
    """Edition rows (tuples in `fields` order, as `CatalogDB.rows` yields) as a string frame."""
    import polars as pl

    data = [[None if x is None or x == "" else str(x) for x in r] for r in rows]
    if not data:
        return pl.DataFrame(schema={f: pl.Utf8 for f in fields})
    return pl.DataFrame(data, schema={f: pl.Utf8 for f in fields}, orient="row")


def _read_csv(path: Path):
    """polars reads UTF-8 straight from the file (fast); anything else is decoded first (GBK, GB18030)."""
    import polars as pl

    if not path.is_file():
        read_bytes(path)  # raises the clear InputError (not found, directory…)
    with path.open("rb") as fh:
        head = fh.read(4096)
    if b"\x00" in head:
        raise InputError("binary file, not text (NUL bytes)", file=path)
    first = head.split(b"\n", 1)[0]
    if not first.strip():
        raise InputError("empty file: no header row", file=path, row=1)
    sep = "\t" if first.count(b"\t") > first.count(b",") else ","
    try:
        return pl.read_csv(path, separator=sep, infer_schema=False)
    except pl.exceptions.ComputeError as e:
        if "utf-8" not in str(e).lower() and "utf8" not in str(e).lower():
            raise InputError(f"cannot parse as CSV: {str(e).splitlines()[0]}", file=path) from None
    except pl.exceptions.PolarsError as e:
        raise InputError(f"cannot parse as CSV: {str(e).splitlines()[0]}", file=path) from None
    data = decode(read_bytes(path), path)[0].encode("utf-8")
    try:
        return pl.read_csv(data, separator=sep, infer_schema=False)
    except pl.exceptions.PolarsError as e:
        raise InputError(f"cannot parse as CSV: {str(e).splitlines()[0]}", file=path) from None


_OLD_HINTS = ("原", "旧", "曾用", "old", "former")
_NEW_HINTS = ("新", "现", "new")


def read_recode_table(path: str | Path):
    """A recode table (转码表) as a frame (old, new): the columns whose header says old/原/旧/曾用 and
    new/新/现, else the first two columns."""
    import polars as pl

    df = read_frame(path)
    def find(hints):
        return next((c for c in df.columns if any(h in c.lower() for h in hints)), None)
    old, new = find(_OLD_HINTS), find(_NEW_HINTS)
    if old is None or new is None or old == new:
        if df.width < 2:
            raise InputError("a recode table needs two columns: old code, new code", file=path, row=1)
        old, new = df.columns[:2]
    out = df.select(pl.col(old).str.strip_chars().alias("old"), pl.col(new).str.strip_chars().alias("new")).drop_nulls()
    dup = out.filter(pl.col("old").is_duplicated())
    if dup.height:
        raise InputError(f"old code {dup['old'][0]} maps to several new codes", file=path, field=old)
    return out
