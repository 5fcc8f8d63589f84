"""Read settlement lines (CSV/XLSX/JSON), the no-code library (无码库) and the product mapping.

Column names are accepted in English, as NHSA interface fields (setl_id, med_list_codg,
drug_trac_codg, trdn_flag …) or in Chinese, because each HIS exports its own header.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats.encoding import read_text
from catalog_tool.formats.tables import read_table
from catalog_tool.formats.values import parse_date, parse_decimal, parse_flag
from catalog_tool.model.trace import SettlementLine

SETTLEMENT_FIELDS = {
    "settlement_id": ("settlement_id", "setl_id", "结算ID", "结算编号", "结算单号"),
    "line": ("line", "list_sn", "明细序号", "行号"),
    "drug_code": ("drug_code", "med_list_codg", "医保药品代码", "国家药品代码", "医保编码"),
    "drug_name": ("drug_name", "药品名称", "医保药品名称"),
    "quantity": ("quantity", "cnt", "数量", "销售数量"),
    "package_content": ("package_content", "每盒数量", "包装数量", "最小包装数量"),
    "trdn_flag": ("trdn_flag", "拆零标志", "拆零"),
    "sale_date": ("sale_date", "sel_retn_time", "销售日期", "结算日期"),
    "amount": ("amount", "det_item_fee_sumamt", "金额", "明细金额"),
    "trace_codes": ("trace_codes", "drug_trac_codg", "追溯码", "药品追溯码"),
}
OPTIONAL = {"drug_name": "", "trdn_flag": "0", "trace_codes": ""}  # and `line`: the row number by default
_CODE_SPLIT = re.compile(r"[;,，；|\n]+")


@dataclass
class NoCodeStock:
    """One 无码库 entry: stock of a drug bought before the code rule, in minimum units."""

    drug_code: str
    purchase_date: date
    quantity: Decimal


@dataclass
class ProductMapping:
    """A product identifier (药品标识码, GTIN, MA product part) and the national drug code it is."""

    product_id: str
    drug_code: str
    packaging_level: str = ""


def _records(path: Path) -> tuple[list[str], Iterable[tuple[int, dict]]]:
    """(header, rows as dicts) of a CSV/XLSX table or a JSON list of objects."""
    if path.suffix.lower() == ".json":
        text, _ = read_text(path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None
        if isinstance(data, dict):
            data = next((v for v in data.values() if isinstance(v, list)), None)
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise InputError("expected a list of objects (or an object holding one)", file=path)
        header = list(dict.fromkeys(k for d in data for k in d))
        return header, ((i, d) for i, d in enumerate(data, start=1))
    table = read_table(path)
    return table.header, ((n, dict(zip(table.header, cells))) for n, cells in table.rows)


def _columns(header: list[str], fields: dict[str, tuple[str, ...]], optional: Iterable[str], path: Path) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name, aliases in fields.items():
        found = next((a for a in aliases if a in header), None)
        if found is None and name not in optional:
            raise InputError(f"missing column {name} (also accepted: {', '.join(aliases[1:])})", file=path, row=1, field=name)
        out[name] = found
    return out


def _cell(record: dict, column: str | None, default: object) -> object:
    value = record.get(column) if column else None
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    return value


def _convert(value: object, parse: Callable, path: Path, row: int, field: str):
    try:
        return parse(value.strip() if isinstance(value, str) else str(value))
    except ValueError as e:
        raise InputError(str(e), file=path, row=row, field=field) from None


def read_settlements(path: str | Path) -> list[SettlementLine]:
    """Every settlement line of the file, with its source row for error messages."""
    path = Path(path)
    header, records = _records(path)
    cols = _columns(header, SETTLEMENT_FIELDS, {*OPTIONAL, "line"}, path)
    lines = []
    for row, rec in records:
        def get(name, parse=str, default=None):
            value = _cell(rec, cols[name], OPTIONAL.get(name, default))
            if value is None:
                raise InputError("empty value", file=path, row=row, field=cols[name] or name)
            return value if isinstance(value, list) else _convert(value, parse, path, row, cols[name] or name)

        codes = get("trace_codes")
        lines.append(SettlementLine(
            settlement_id=get("settlement_id"), line=get("line", int, row), drug_code=get("drug_code").upper(),
            drug_name=get("drug_name"), quantity=get("quantity", parse_decimal), package_content=get("package_content", parse_decimal),
            trdn_flag=get("trdn_flag", parse_flag), sale_date=get("sale_date", parse_date), amount=get("amount", parse_decimal),
            trace_codes=[str(c).strip() for c in codes] if isinstance(codes, list) else [c.strip() for c in _CODE_SPLIT.split(codes) if c.strip()],
            source_row=row))
    if not lines:  # an empty export is a failed export, not a day without sales: say so (exit 2)
        raise InputError("no settlement lines: the file has a header and no rows", file=path, row=2)
    return lines


NO_CODE_FIELDS = {"drug_code": ("drug_code", "med_list_codg", "医保药品代码"),
                  "purchase_date": ("purchase_date", "购进日期", "入库日期"),
                  "quantity": ("quantity", "数量", "库存数量")}
MAPPING_FIELDS = {"product_id": ("product_id", "药品标识码", "GTIN", "产品标识"),
                  "drug_code": ("drug_code", "医保药品代码", "国家药品代码"),
                  "packaging_level": ("packaging_level", "包装层级")}


def read_no_code_library(path: str | Path) -> list[NoCodeStock]:
    path = Path(path)
    header, records = _records(path)
    cols = _columns(header, NO_CODE_FIELDS, (), path)
    return [NoCodeStock(str(_cell(r, cols["drug_code"], "")).strip().upper(),
                        _convert(_cell(r, cols["purchase_date"], ""), parse_date, path, n, cols["purchase_date"]),
                        _convert(_cell(r, cols["quantity"], ""), parse_decimal, path, n, cols["quantity"]))
            for n, r in records]


def read_mapping(path: str | Path) -> list[ProductMapping]:
    path = Path(path)
    header, records = _records(path)
    cols = _columns(header, MAPPING_FIELDS, ("packaging_level",), path)
    out = []
    for n, r in records:
        pid, code = str(_cell(r, cols["product_id"], "")).strip(), str(_cell(r, cols["drug_code"], "")).strip().upper()
        if not pid or not code:
            raise InputError("product_id and drug_code are both needed", file=path, row=n)
        out.append(ProductMapping(pid, code, str(_cell(r, cols["packaging_level"], ""))))
    return out
