"""Render a list of records as a terminal table, JSON, CSV, Markdown or JSON lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

FORMATS = ("table", "json", "csv", "markdown")


_AS_IS = frozenset({str, int, float, bool, type(None)})


def _plain(x: object) -> object:
    if type(x) in _AS_IS:  # most cells: one set lookup instead of three isinstance checks
        return x
    if isinstance(x, Enum):
        return x.value
    if isinstance(x, (date, datetime)):
        return x.isoformat()
    if isinstance(x, Decimal):
        return str(x)
    return x


def to_json(data: object) -> str:
    """Stable JSON: UTF-8 text kept readable, keys in model order, dates ISO, decimals as strings."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain)


def render_records(records: Sequence[dict], fmt: str = "table", columns: Sequence[str] | None = None,
                   maxwidth: int | None = 40) -> str:
    """`records` as text in `fmt`; `columns` picks and orders the keys."""
    cols = list(columns) if columns else list(dict.fromkeys(k for r in records for k in r))
    if fmt == "json":
        return to_json([{c: _plain(r.get(c)) for c in cols} for r in records])
    rows = [[_plain(r.get(c)) for c in cols] for r in records]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        w.writerows(["" if x is None else x for x in row] for row in rows)
        return buf.getvalue().rstrip("\n")
    from tabulate import tabulate

    if fmt == "markdown":
        return tabulate(rows, headers=cols, tablefmt="github", missingval="")
    if maxwidth:
        rows = [[_clip(x, maxwidth) for x in row] for row in rows]
    return tabulate(rows, headers=cols, tablefmt="simple", missingval="", disable_numparse=True)


def _clip(x: object, width: int) -> object:
    if isinstance(x, str) and len(x) > width:
        return x[: width - 1] + "…"
    return x
