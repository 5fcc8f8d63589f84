"""Read tabular files (CSV in any Chinese encoding, XLSX) as a header plus string rows.

Rows are lists of stripped strings; row numbers count the header as row 1, as a spreadsheet does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats.encoding import read_text

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


@dataclass
class Table:
    """A header and an iterator of (row number, cells)."""

    path: Path
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    text: str | None = None  # a CSV's decoded text, for readers that parse it column-wise
    delimiter: str = ","

    def column(self, name: str) -> int:
        try:
            return self.header.index(name)
        except ValueError:
            raise InputError(f"missing column {name!r}", file=self.path, row=1, field=name) from None


def excel_cell(value: object) -> str:
    """One Excel cell as text. Integral floats (codes Excel turned into numbers) lose their `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if type(value).__name__ == "date" else value.isoformat()
    return str(value).strip()


TITLE_ROWS = 10  # how far below the top a header may sit under title rows


def read_table(path: str | Path, sheet: str | None = None,
               is_header: Callable[[list[str]], bool] | None = None) -> Table:
    """Open a CSV/TSV or Excel file; the first non-empty row is the header. With `is_header`, a
    first row it rejects is taken for a title (HIS exports put 某医院药品目录 or 制表日期 above the
    header) and the header is the first of the next rows it accepts."""
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_excel(path, sheet, is_header)
    return _read_csv(path, is_header)


def _clean_header(cells: list[str], path: Path) -> list[str]:
    header = [c.strip().lstrip("\ufeff") for c in cells]
    seen: set[str] = set()
    for i, h in enumerate(header):
        if not h:
            raise InputError(f"empty column name in header (column {i + 1})", file=path, row=1)
        if h in seen:
            raise InputError(f"duplicate column {h!r} in header", file=path, row=1, field=h)
        seen.add(h)
    return header


def _read_csv(path: Path, is_header: Callable[[list[str]], bool] | None = None) -> Table:
    text, encoding = read_text(path)
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    # A plain first line is the header on its own. The reader over the whole text (a UCS-4 copy
    # of it) is then made only if the rows are read one by one, not when read column-wise.
    head = first_line if first_line.strip() and '"' not in first_line else text
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    try:
        header_cells = next(reader)
    except StopIteration:
        raise InputError("empty file: no header row", file=path, row=1) from None
    except csv.Error as e:
        raise InputError(f"malformed CSV: {e}", file=path, row=1) from None
    header_records = 1  # records up to and including the header
    if is_header is not None and not is_header([c.strip() for c in header_cells]):
        probe = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for k, cells in enumerate(islice(probe, TITLE_ROWS)):
                if cells and is_header([c.strip() for c in cells]):
                    header_cells, header_records = cells, k + 1
                    break
        except csv.Error:
            pass  # the first row stays the header; its rows report the damage
    header = _clean_header(header_cells, path)
    width = len(header)
    notes = [f"{header_records - 1} title row(s) above the header skipped"] if header_records > 1 else []

    def rows() -> Iterator[tuple[int, list[str]]]:
        nonlocal reader
        n = 1
        try:
            if head is not text or header_records > 1:
                reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                for _ in range(header_records):
                    next(reader)  # the header (and title rows), read above
            for cells in reader:
                n = reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) != width:
                    if len(cells) > width and not any(c.strip() for c in cells[width:]):
                        cells = cells[:width]
                    else:
                        raise InputError(
                            f"has {len(cells)} cells, the header has {width}", file=path, row=n
                        )
                yield n, list(map(str.strip, cells))
        except csv.Error as e:
            raise InputError(f"malformed CSV: {e}", file=path, row=n + 1) from None

    return Table(path, header, rows(), encoding, notes, text=text if header_records == 1 else None,
                 delimiter=delimiter)


def _read_excel(path: Path, sheet: str | None, is_header: Callable[[list[str]], bool] | None = None) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except Exception as e:  # calamine raises its own error types for corrupt workbooks
        raise InputError(f"cannot read workbook: {e}", file=path) from None
    names = wb.sheet_names
    if sheet is None:
        sheet = "总表" if "总表" in names else names[0]
    elif sheet not in names:
        raise InputError(f"no sheet {sheet!r} (sheets: {', '.join(names)})", file=path)
    data = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    start = 0
    while start < len(data) and not any(excel_cell(c) for c in data[start]):
        start += 1
    if start >= len(data):
        raise InputError(f"sheet {sheet!r} is empty: no header row", file=path, row=1)
    title = start
    if is_header is not None and not is_header([excel_cell(c) for c in data[start]]):
        start = next((i for i in range(start + 1, min(start + 1 + TITLE_ROWS, len(data)))
                      if is_header([excel_cell(c) for c in data[i]])), start)
    raw_header = [excel_cell(c) for c in data[start]]
    while raw_header and not raw_header[-1]:
        raw_header.pop()
    header = _clean_header(raw_header, path)
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for i in range(start + 1, len(data)):
            cells = [excel_cell(c) for c in data[i]]
            if not any(cells):
                continue
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            elif any(cells[width:]):
                raise InputError(f"has values beyond the {width} header columns", file=path, row=i + 1)
            yield i + 1, cells[:width]

    skipped = [f"{start - title} title row(s) above the header skipped"] if start > title else []
    return Table(path, header, rows(), None, [f"sheet {sheet}", *skipped])
