"""Readers for pricing inputs: renewal cases and pre-negotiation prices (CSV/XLSX), each cell
checked with its row and field named in the error."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats.tables import read_table
from catalog_tool.formats.values import parse_flag
from catalog_tool.model.pricing import RenewalCase

_SCALE = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "": Decimal(1)}
_MONEY = re.compile(r"^([-+]?\d[\d,]*(?:\.\d+)?)\s*(亿|万)?\s*元?$")

RENEWAL_COLUMNS = {
    "name": ("药品名称", "name"),
    "actual_spend": ("年度基金实际支出", "actual_spend"),
    "budget": ("基金支出预算", "budget"),
    "next_budget": ("下一协议期预算", "next_budget"),
    "expansion_increase": ("适应症扩展预算增幅", "expansion_increase"),
    "years_negotiated": ("纳入谈判年数", "years_negotiated"),
    "exclusive": ("独家", "exclusive"),
    "unchanged_periods": ("未调整协议期数", "unchanged_periods"),
    "payment_standard": ("医保支付标准", "payment_standard"),
}
REQUIRED = ("name", "actual_spend", "budget", "years_negotiated")
BEFORE_COLUMNS = {"name": ("药品名称", "name"), "before": ("谈判前价格", "before"), "volume": ("年销量", "volume")}


def parse_money(text: str) -> Decimal:
    """`3.5亿`, `8,000万`, `350000000元` → yuan."""
    m = _MONEY.match(text.strip())
    if not m:
        raise ValueError(f"not an amount of money: {text!r} (e.g. 3.5亿, 8000万, 350000000)")
    return Decimal(m[1].replace(",", "")) * _SCALE[m[2] or ""]


def parse_ratio(text: str) -> Decimal:
    """`35%` → 0.35; `0.35` → 0.35."""
    t = text.strip()
    try:
        return Decimal(t[:-1].strip()) / 100 if t.endswith(("%", "％")) else Decimal(t)
    except InvalidOperation:
        raise ValueError(f"not a ratio: {text!r} (e.g. 35% or 0.35)") from None


def _int(text: str) -> int:
    if not re.fullmatch(r"\d+", text.strip()):
        raise ValueError(f"not a whole number: {text!r}")
    return int(text)


_CONVERT: dict[str, Callable[[str], object]] = {
    "actual_spend": parse_money, "budget": parse_money, "next_budget": parse_money,
    "expansion_increase": parse_ratio, "years_negotiated": _int, "unchanged_periods": _int,
    "exclusive": parse_flag, "payment_standard": lambda t: parse_money(t.removesuffix("元")),
}


def _columns(header: list[str], names: dict[str, tuple[str, str]], required: tuple[str, ...], path: Path) -> dict[str, int]:
    found = {}
    for key, aliases in names.items():
        for a in aliases:
            if a in header:
                found[key] = header.index(a)
                break
    missing = [names[k][0] for k in required if k not in found]
    if missing:
        raise InputError(f"missing column {', '.join(missing)} (columns: {', '.join(header)})", file=path, row=1)
    return found


def read_renewal_cases(path: str | Path) -> list[tuple[int, RenewalCase]]:
    """Renewal cases with their row numbers; the first bad cell stops with file, row and field."""
    table = read_table(path)
    cols = _columns(table.header, RENEWAL_COLUMNS, REQUIRED, table.path)
    out = []
    for n, cells in table.rows:
        values: dict = {}
        for key, i in cols.items():
            text = cells[i]
            if not text:
                if key in REQUIRED:
                    raise InputError("empty value", file=table.path, row=n, field=table.header[i])
                continue
            try:
                values[key] = _CONVERT.get(key, str)(text)
            except ValueError as e:
                raise InputError(str(e), file=table.path, row=n, field=table.header[i]) from None
        out.append((n, RenewalCase(**values)))
    if not out:
        raise InputError("no cases: the file has a header and no rows", file=table.path, row=2)
    return out


def read_before_prices(path: str | Path) -> list[tuple[int, str, str, Decimal | None]]:
    """(row, drug name, pre-negotiation price text such as `120.00元(10mg/片)`, annual volume)."""
    table = read_table(path)
    cols = _columns(table.header, BEFORE_COLUMNS, ("name", "before"), table.path)
    out = []
    for n, cells in table.rows:
        name, before = cells[cols["name"]], cells[cols["before"]]
        if not name:
            raise InputError("empty value", file=table.path, row=n, field=table.header[cols["name"]])
        if not before:
            raise InputError("empty value", file=table.path, row=n, field=table.header[cols["before"]])
        volume = None
        if "volume" in cols and cells[cols["volume"]]:
            try:
                volume = Decimal(cells[cols["volume"]].replace(",", ""))
            except InvalidOperation:
                raise InputError(f"not a number: {cells[cols['volume']]!r}", file=table.path, row=n,
                                 field=table.header[cols["volume"]]) from None
        out.append((n, name, before, volume))
    if not out:
        raise InputError("no prices: the file has a header and no rows", file=table.path, row=2)
    return out
