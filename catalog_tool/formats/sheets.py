"""Write report records as an XLSX workbook, one sheet per table, atomically (xlsxwriter)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path

from catalog_tool.formats.canonical import atomic_output


def write_sheets(path: Path, sheets: dict[str, Sequence[dict]]) -> None:
    """Each sheet: a header row from the first record's keys, then the records. Money stays numeric."""
    import xlsxwriter

    with atomic_output(path, "wb") as fh:
        wb = xlsxwriter.Workbook(fh, {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
        money = wb.add_format({"num_format": "0.00"})
        bold = wb.add_format({"bold": True})
        for name, records in sheets.items():
            ws = wb.add_worksheet(name[:31])
            cols = list(dict.fromkeys(k for r in records for k in r))
            ws.write_row(0, 0, cols, bold)
            for i, rec in enumerate(records, start=1):
                for j, c in enumerate(cols):
                    x = rec.get(c)
                    if isinstance(x, Decimal):
                        ws.write_number(i, j, float(x), money)
                    elif isinstance(x, (int, float)) and not isinstance(x, bool):
                        ws.write_number(i, j, x)
                    else:
                        ws.write_string(i, j, "" if x is None else x.value if isinstance(x, Enum) else x.isoformat() if isinstance(x, date) else str(x))
            ws.freeze_panes(1, 0)
        wb.close()
