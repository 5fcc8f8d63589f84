"""Read a hospital formulary (XLSX, or CSV in UTF-8 or GBK) into `FormularyItem`s, repairing what
Excel does to it and reporting each repair: codes turned into numbers or scientific notation
(8.69E+13 cannot be turned back into the code: reported as an error), full-width characters,
stray spaces, lower-case codes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats.tables import read_table
from catalog_tool.formats.values import parse_decimal, parse_flag
from catalog_tool.gcpause import gc_paused
from catalog_tool.model.formulary import Finding, FindingKind, FormularyItem, Severity

FIELDS = ("local_code", "national_code", "name", "dosage_form", "spec", "price", "stocked")
REQUIRED = ("local_code", "national_code", "name")
# Column names hospitals' HIS exports use, per field; the first one found wins.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "local_code": ("院内编码", "院内码", "本院编码", "医院编码", "院内药品编码", "药品编码"),
    "national_code": ("医保代码", "医保编码", "医保药品代码", "国家医保代码", "国家医保编码", "医保贯标码", "国家编码"),
    "name": ("药品名称", "通用名", "通用名称", "品名", "名称"),
    "dosage_form": ("剂型",),
    "spec": ("规格", "规格型号"),
    "price": ("单价", "零售价", "价格", "售价"),
    "stocked": ("是否在用", "在用", "启用", "是否启用", "在用标志"),
}
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
_FLOAT_INT = re.compile(r"^(\d+)\.0+$")
_SPACE_RUN = re.compile(r"\s{2,}")
_SPACES = re.compile(r"\s+")


@dataclass
class FormularySheet:
    """The items of a formulary file and the findings reading it produced."""

    path: Path
    items: list[FormularyItem]
    findings: list[Finding] = field(default_factory=list)
    encoding: str | None = None


def parse_columns(spec: str | None) -> dict[str, str]:
    """`local_code=院内编码,national_code=医保编码` → {field: column}."""
    out: dict[str, str] = {}
    for part in (spec or "").replace("，", ",").split(","):
        if not part.strip():
            continue
        key, sep, column = part.partition("=")
        key = key.strip()
        if not sep or not column.strip():
            raise InputError(f"--columns: expected FIELD=COLUMN, got {part.strip()!r}")
        if key not in FIELDS:
            raise InputError(f"--columns: unknown field {key!r} (fields: {', '.join(FIELDS)})")
        out[key] = column.strip()
    return out


def _positions(header: list[str], columns: dict[str, str], path: Path) -> dict[str, int]:
    pos: dict[str, int] = {}
    for f in FIELDS:
        if f in columns:
            if columns[f] not in header:
                raise InputError(f"missing column {columns[f]!r} (given for {f})", file=path, row=1, field=columns[f])
            pos[f] = header.index(columns[f])
            continue
        found = next((c for c in DEFAULT_COLUMNS[f] if c in header), None)
        if found is not None:
            pos[f] = header.index(found)
        elif f in REQUIRED:
            raise InputError(
                f"no column for {f} (tried {', '.join(DEFAULT_COLUMNS[f])}; name it with --columns {f}=COLUMN)",
                file=path, row=1,
            )
    return pos


def _clean(value: str) -> tuple[str, bool]:
    """NFKC and spaces removed at the ends (and inside codes by the caller); returns (text, changed)."""
    out = unicodedata.normalize("NFKC", value).replace("\u00a0", " ").strip()
    out = _SPACE_RUN.sub(" ", out)
    return out, out != value


def _code(raw: str, what: str, notes: list[str], errors: list[str]) -> str | None:
    """A code cell repaired: spaces and full-width removed, `123.0` back to `123`, upper case.
    Scientific notation lost digits: unusable (None), an error."""
    text, changed = _clean(raw)
    text = _SPACES.sub("", text)
    if _SCIENTIFIC.match(text):
        errors.append(f"{what} {raw!r} was turned into scientific notation by Excel: the digits are lost, "
                      "re-export the column as text")
        return None
    m = _FLOAT_INT.match(text)
    if m:
        text, changed = m.group(1), True
        notes.append(f"{what} {raw!r} was stored as a number; read as {text}")
    if text != text.upper():
        text, changed = text.upper(), True
    if changed and not m:
        notes.append(f"{what} {raw!r} cleaned to {text!r}")
    return text or None


def _value(cells: dict[str, str], field: str, parse, bad: list[str]):
    """A parsed optional cell; a value that cannot be read is noted in `bad` and left empty."""
    text = cells.get(field, "").strip()
    if not text:
        return None
    try:
        return parse(_clean(text)[0])
    except ValueError as e:
        bad.append(f"{field}: {e}")
        return None


@gc_paused()
def read_formulary(path: str | Path, columns: dict[str, str] | None = None, sheet: str | None = None) -> FormularySheet:
    """Read the file; `columns` maps fields to column names where the defaults do not fit."""
    columns = columns or {}

    def names_the_columns(cells: list[str]) -> bool:
        try:
            _positions(cells, columns, Path(path))
        except InputError:
            return False
        return True

    table = read_table(Path(path), sheet, is_header=names_the_columns)  # title rows above the header skipped
    pos = _positions(table.header, columns, table.path)
    items: list[FormularyItem] = []
    findings: list[Finding] = []
    for row, cells in table.rows:
        get = {f: cells[i] for f, i in pos.items()}
        notes: list[str] = []
        errors: list[str] = []
        bad: list[str] = []
        local = _code(get["local_code"], "院内编码", notes, errors)
        national = _code(get["national_code"], "医保代码", notes, errors) if get["national_code"].strip() else None
        text: dict[str, str | None] = {}
        for f in ("name", "dosage_form", "spec"):
            value, changed = _clean(get.get(f, ""))
            if changed and value:
                notes.append(f"{f} {get[f]!r} cleaned to {value!r}")
            text[f] = value or None
        price: Decimal | None = _value(get, "price", parse_decimal, bad)
        stocked: bool | None = _value(get, "stocked", parse_flag, bad)
        if not text["name"]:
            raise InputError("empty drug name", file=table.path, row=row, field="name")
        item = FormularyItem(row=row, local_code=local or get["local_code"].strip(), national_code=national,
                             name=text["name"], dosage_form=text["dosage_form"], spec=text["spec"],
                             price=price, stocked=stocked)
        items.append(item)
        base = {"row": row, "local_code": item.local_code, "national_code": national, "name": item.name}
        for msg in errors:
            findings.append(Finding(kind=FindingKind.excel_quirk, severity=Severity.error, message=msg, **base))
        if notes:
            findings.append(Finding(kind=FindingKind.excel_quirk, severity=Severity.info, message="; ".join(notes), **base))
        for msg in bad:
            findings.append(Finding(kind=FindingKind.bad_value, severity=Severity.warning, message=msg, **base))
    if not items:
        raise InputError("no items: the file has a header and no rows", file=table.path, row=2)
    return FormularySheet(table.path, items, findings, table.encoding)


CODE_LIST_COLUMNS = ("医保代码", "医保药品代码", "药品代码", "国家医保代码", "code", "national_code")


def read_code_list(path: str | Path) -> frozenset[str]:
    """National codes from a one-column (or 医保代码-headed) CSV/XLSX, e.g. the VBP winners (集采中选)."""
    table = read_table(Path(path))
    col = next((table.header.index(c) for c in CODE_LIST_COLUMNS if c in table.header), 0)
    codes = set()
    for _, cells in table.rows:
        code = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cells[col])).upper()
        if code:
            codes.add(code)
    header_code = re.sub(r"\s+", "", table.header[0]).upper()
    if col == 0 and table.header[0] not in CODE_LIST_COLUMNS and re.fullmatch(r"[A-Z0-9]{20,23}", header_code):
        codes.add(header_code)  # a bare list of codes has no header: its first line is a code
    return frozenset(codes)
