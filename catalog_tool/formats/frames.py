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
    """The file as a polars DataFrame, every column a string, empty cells null, text stripped."""
    import polars as pl

    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        table = read_table(path)
        rows = [cells + [""] * (len(table.header) - len(cells)) for _, cells in table.rows]
        df = pl.DataFrame(rows, schema=table.header, orient="row") if rows else \
            pl.DataFrame(schema={h: pl.Utf8 for h in table.header})
    else:
        data = read_bytes(path)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = decode(data, path)[0].encode("utf-8")
        if not data.strip():
            raise InputError("empty file: no header row", file=path, row=1)
        sep = "\t" if data.split(b"\n", 1)[0].count(b"\t") > data.split(b"\n", 1)[0].count(b",") else ","
        try:
            df = pl.read_csv(data, separator=sep, infer_schema=False)
        except pl.exceptions.PolarsError as e:
            raise InputError(f"cannot parse as CSV: {str(e).splitlines()[0]}", file=path) from None
    df = df.rename({c: c.strip().lstrip("\ufeff") for c in df.columns})
    if layout is not None:
        mapping = {c: layout.field_for(c) for c in df.columns}
        targets = [t for t in mapping.values() if t]
        if len(targets) == len(set(targets)):
            df = df.rename({c: t for c, t in mapping.items() if t and t != c})
    return df.with_columns(pl.all().str.strip_chars().replace("", None))


def rows_frame(fields: tuple[str, ...], rows):
    """Edition rows (tuples in `fields` order, as `CatalogDB.rows` yields) as a string frame."""
    import polars as pl

    data = [[None if x is None or x == "" else str(x) for x in r] for r in rows]
    if not data:
        return pl.DataFrame(schema={f: pl.Utf8 for f in fields})
    return pl.DataFrame(data, schema={f: pl.Utf8 for f in fields}, orient="row")
