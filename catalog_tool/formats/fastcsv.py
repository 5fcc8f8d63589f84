"""Column-wise reading of plain CSV text with polars, for the bulk import of big code tables.

Only for text whose every line is one record of exactly the header's width with no quoting: then
polars and the `csv` module split it the same way and line n is data row n. Anything else returns
None and the caller reads row by row, which also names the bad row when there is one.
"""

from __future__ import annotations

from catalog_tool.formats.tables import Table

# Exactly the characters `str.strip()` removes (polars' default set lacks \x1c-\x1f); a test
# checks this against `str.isspace` over all of Unicode.
PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                 "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def plain_lines(text: str, delimiter: str, width: int) -> int | None:
    """The number of data lines if `text` is plain (no quotes, NULs, lone CRs or blank lines,
    `width` cells on every line), else None. Blank or short lines leave the delimiter count short;
    a long line makes polars refuse the file."""
    if width < 2 or '"' in text or "\x00" in text or text.count("\r") != text.count("\r\n"):
        return None
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines < 2 or text.count(delimiter) != lines * (width - 1):
        return None
    return lines - 1


def read_frame(table: Table):
    """The table's cells as a polars frame of text columns c0, c1, ...: stripped, empty cells
    null, as the row path (`str.strip` then `x or None`) sees them. None when the text is not plain."""
    if table.text is None:
        return None
    width = len(table.header)
    rows = plain_lines(table.text, table.delimiter, width)
    if rows is None:
        return None
    import polars as pl

    names = [f"c{i}" for i in range(width)]
    try:
        df = pl.read_csv(
            table.text.encode(), has_header=False, skip_rows=1, new_columns=names, separator=table.delimiter,
            quote_char=None, infer_schema=False,
        )
    except pl.exceptions.PolarsError:
        return None
    table.text = None  # the frame holds the cells now; free the text
    if df.height != rows or df.width != width:
        return None
    cells = [pl.col(c).str.strip_chars(PY_WHITESPACE) for c in names]
    return df.select(pl.when(c.str.len_bytes() > 0).then(c).alias(n) for c, n in zip(cells, names))


class ColumnLists:
    """Slices of a frame's text columns as Python lists. A column of few distinct values (剂型,
    企业, 市场状态 …) is made into Python strings once and then picked by index, which is cheaper
    than a new string per cell."""

    FEW = 4096

    def __init__(self, df) -> None:
        import polars as pl

        self.df = df
        self.few: dict[str, tuple] = {}
        for name in df.columns:
            s = df[name]
            distinct = s.drop_nulls().unique()
            if len(distinct) <= self.FEW:
                codes = s.cast(pl.Enum(distinct)).to_physical().fill_null(len(distinct))
                self.few[name] = codes, [*distinct.to_list(), None]

    def slice(self, name: str, start: int, n: int) -> list:
        if name in self.few:
            codes, values = self.few[name]
            return list(map(values.__getitem__, codes.slice(start, n).to_list()))
        return self.df[name].slice(start, n).to_list()
