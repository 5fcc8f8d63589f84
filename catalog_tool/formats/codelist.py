"""Read lists of trace codes: a text file with one code per line, or one column of a CSV/XLSX.

A scanner dump may hold binary junk or mix encodings line by line, so a text file that is not UTF-8
or GB18030 as a whole is decoded line by line; undecodable bytes become U+FFFD and the line is
reported as invalid instead of failing the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats.encoding import read_bytes
from catalog_tool.formats.tables import EXCEL_SUFFIXES, read_table

TABLE_SUFFIXES = EXCEL_SUFFIXES | {".csv", ".tsv"}
CODE_COLUMNS = ("drug_trac_codg", "追溯码", "药品追溯码", "trace_code", "code")


def _decode_line(line: bytes) -> str:
    for enc in ("utf-8", "gb18030"):
        try:
            return line.decode(enc)
        except UnicodeDecodeError:
            continue
    return line.decode("utf-8", errors="replace")


def text_lines(data: bytes) -> list[str]:
    """Lines of a code list (without line ends); the empty piece after a final newline is dropped."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for enc in ("utf-8", "gb18030"):
        try:
            lines = data.decode(enc).split("\n")
            break
        except UnicodeDecodeError:
            continue
    else:
        lines = [_decode_line(line) for line in data.split(b"\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def read_codes(path: str | Path, column: str | None = None) -> Iterator[tuple[int, str]]:
    """(row number, code) pairs: line numbers for text files, spreadsheet rows for tables."""
    path = Path(path)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        if column:
            raise InputError("--column applies to CSV/XLSX files only", file=path, field=column)
        yield from enumerate(text_lines(read_bytes(path)), start=1)
        return
    table = read_table(path)
    if column is None:
        found = [c for c in CODE_COLUMNS if c in table.header]
        if len(table.header) == 1:
            column = table.header[0]
        elif found:
            column = found[0]
        else:
            raise InputError(f"which column holds the codes? give --column (columns: {', '.join(table.header)})", file=path)
    index = table.column(column)
    for row, cells in table.rows:
        yield row, cells[index]
