"""Read claim / prescription lines (CSV in any Chinese encoding, XLSX, JSON) into claim columns.
Each distinct cell value is parsed once; a bad value is reported at the first row and field
where it occurs. Headers may be English field names or the usual Chinese ones."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np

from catalog_tool.errors import InputError
from catalog_tool.formats.encoding import read_text
from catalog_tool.formats.tables import EXCEL_SUFFIXES, read_table
from catalog_tool.rules.columns import FIELDS, Columns
from catalog_tool.rules.edition import section_name

HEADERS = {
    "claim_id": ("claim_id", "id", "单据号", "明细号", "处方号"),
    "code": ("code", "drug_code", "药品代码", "医保药品代码", "国家医保药品代码"),
    "section": ("section", "部分", "目录部分"),
    "number": ("number", "编号", "目录编号"),
    "dosage_form": ("dosage_form", "剂型"),
    "age": ("age", "年龄"),
    "sex": ("sex", "gender", "性别"),
    "fund": ("fund", "险种", "险种类型"),
    "institution_level": ("institution_level", "level", "机构级别", "医院级别", "医疗机构级别"),
    "setting": ("setting", "就医方式", "就诊类型", "门诊住院"),
    "diagnoses": ("diagnoses", "diagnosis", "诊断", "诊断编码", "诊断名称"),
    "line_of_therapy": ("line_of_therapy", "line", "线数", "治疗线数"),
    "days": ("days", "days_supplied", "天数", "用药天数"),
    "prescriber": ("prescriber", "医师", "处方医师", "医师职称", "科室"),
    "quantity": ("quantity", "数量"),
    "unit": ("unit", "单位"),
    "amount": ("amount", "金额", "费用"),
    "pre_approved": ("pre_approved", "事前审批"),
    "screening": ("screening", "营养风险筛查"),
    "prior_therapy": ("prior_therapy", "既往治疗"),
    "concomitant": ("concomitant", "合并用药"),
    "procedure": ("procedure", "手术操作", "操作", "检查"),
    "onset_hours": ("onset_hours", "发病小时", "发病至用药小时"),
}
_BY_HEADER = {h.lower(): f for f, names in HEADERS.items() for h in names}
_ICD = re.compile(r"^[A-Z]\d{2}(?:\.[0-9A-Z]{1,5})?$")
_FUNDS = {
    "职工医保": "职工医保", "职工": "职工医保", "职工基本医疗保险": "职工医保", "城镇职工": "职工医保",
    "居民医保": "居民医保", "居民": "居民医保", "城乡居民": "居民医保", "城乡居民基本医疗保险": "居民医保",
    "基本医保": "基本医保", "基本医疗保险": "基本医保", "生育保险": "生育保险", "生育": "生育保险",
    "工伤保险": "工伤保险", "工伤": "工伤保险",
}
_SETTINGS = {"门诊": "门诊", "住院": "住院", "急诊": "急诊", "抢救": "抢救", "outpatient": "门诊", "inpatient": "住院"}
_SEX = {"男": "男", "女": "女", "m": "男", "f": "女", "male": "男", "female": "女", "1": "男", "2": "女"}
_BOOL = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False, "1": True, "0": False,
         "true": True, "false": False, "有": True, "无": False}
_LEVEL = {"一": 1, "二": 2, "三": 3, "1": 1, "2": 2, "3": 3}
_AGE = re.compile(r"^(\d+(?:\.\d+)?)\s*(岁|周岁|月|个月|月龄|天|日|日龄)?$")
_PER_DAY = {None: 365.25, "岁": 365.25, "周岁": 365.25, "月": 30.4375, "个月": 30.4375, "月龄": 30.4375,
            "天": 1.0, "日": 1.0, "日龄": 1.0}


def _age(text: str) -> float:
    m = _AGE.match(text)
    if not m:
        raise ValueError("age must be years (45), months (8月) or days (16天)")
    return float(m.group(1)) * _PER_DAY[m.group(2)]


def _level(text: str) -> int:
    m = re.match(r"^([一二三123])\s*级?", text)
    if not m:
        raise ValueError("institution level must be 1, 2 or 3 (一级/二级/三级)")
    return _LEVEL[m.group(1)]


def _choice(table: dict, what: str):
    def parse(text: str):
        v = table.get(text) or table.get(text.lower())
        if v is None:
            raise ValueError(f"unknown {what} {text!r} (use {', '.join(dict.fromkeys(table.values()))})")
        return v
    return parse


def _int(text: str) -> int:
    m = re.fullmatch(r"(\d+)|([一二三四五])线", text)
    if not m:
        raise ValueError("must be a whole number")
    return int(m.group(1)) if m.group(1) else "一二三四五".index(m.group(2)) + 1


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").removesuffix("元").strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite():
        raise ValueError("not a number")
    return value


def _diagnoses(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    codes, names = [], []
    for part in re.split(r"[;；,，、|]+", text):
        part = part.strip()
        if not part:
            continue
        if _ICD.match(part.upper()):
            codes.append(part.upper())
        else:
            names.append(part)
    return tuple(codes), tuple(names)


def _section(text: str) -> str:
    name = section_name(text)
    if name is None:
        raise ValueError("unknown part (use 西药部分, 协议期内谈判药品部分, 竞价药品部分, 中成药部分 …)")
    return name


PARSERS = {
    "age": _age, "sex": _choice(_SEX, "sex"), "fund": _choice(_FUNDS, "fund type"), "institution_level": _level,
    "setting": _choice(_SETTINGS, "setting"), "line_of_therapy": _int, "days": _int, "quantity": _decimal,
    "amount": _decimal, "onset_hours": _decimal, "pre_approved": _choice(_BOOL, "yes/no"),
    "screening": _choice(_BOOL, "yes/no"), "code": lambda t: t.upper(), "section": _section,
}


def _header(names: list[str], path: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, name in enumerate(names):
        field = _BY_HEADER.get(name.strip().lower())
        if field is None:
            continue
        if field in out:
            raise InputError(f"two columns for {field}: {names[out[field]]!r} and {name!r}", file=path, row=1, field=name)
        out[field] = i
    if not ({"code", "number"} & set(out)):
        raise InputError("needs a drug column: code (药品代码) or number (编号)", file=path, row=1)
    return out


def _factorize(raw) -> tuple[np.ndarray, list]:
    """Integer codes of a column and its distinct values in first-seen order (a list, or a polars
    Series for large CSV files, where the join runs in polars)."""
    if isinstance(raw, list):
        index: dict = {}
        codes = np.fromiter((index.setdefault(v, len(index)) for v in raw), dtype=np.int32, count=len(raw))
        return codes, list(index)
    import polars as pl

    col = raw.cast(pl.Utf8).fill_null("")
    uniq = col.unique(maintain_order=True)
    table = uniq.to_frame("v").with_row_index("code")
    codes = col.to_frame("v").join(table, on="v", how="left", maintain_order="left")["code"]
    return codes.cast(pl.Int32).to_numpy(), uniq.to_list()


def _column(raw, start_row: int, field: str, header: str, path: Path):
    """Codes and parsed distinct values of one column; the first bad value raises with its row."""
    codes, distinct = _factorize(raw)
    values = []
    parse = PARSERS.get(field)
    for k, v in enumerate(distinct):
        text = "" if v is None else str(v).strip()
        if not text:
            values.append(None)
            continue
        try:
            values.append(parse(text) if parse else text)
        except ValueError as e:
            row = start_row + int(np.argmax(codes == k))
            raise InputError(f"{e} (got {text!r})", file=path, row=row, field=header) from None
    return codes, values


def _columns(header: list[str], data: list[list], rows: np.ndarray, path: Path) -> Columns:
    fields = _header(header, path)
    n = len(rows)
    codes, values = {}, {}
    for f in FIELDS:
        codes[f], values[f] = np.zeros(n, dtype=np.int32), [() if f.startswith("diagnosis") else None]
    for field, i in fields.items():
        c, v = _column(data[i], int(rows[0]) if n else 2, field, header[i], path)
        if field == "age":
            codes["age_days"], values["age_days"] = c, v
        elif field == "diagnoses":
            parsed = [_diagnoses(t) if t else ((), ()) for t in v]
            codes["diagnosis_codes"] = codes["diagnosis_text"] = c
            values["diagnosis_codes"] = [p[0] for p in parsed]
            values["diagnosis_text"] = [p[1] for p in parsed]
        else:
            codes[field], values[field] = c, v
    return Columns(n, codes, values, rows)


def read_claims(path: str | Path) -> Columns:
    """Claim lines of a CSV/TSV, XLSX or JSON file (a list of objects) as claim columns; a file
    without lines is an error (an empty export would otherwise pass a check)."""
    path = Path(path)
    cols = _read_claims(path)
    if not cols.n:
        raise InputError("no claim lines: the file has a header and no rows", file=path, row=2)
    return cols


def _read_claims(path: Path) -> Columns:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_json(path)
    if suffix in EXCEL_SUFFIXES:
        table = read_table(path)
        rows, cells = [], []
        for n, row in table.rows:
            rows.append(n)
            cells.append(row)
        data = [list(col) for col in zip(*cells)] if cells else [[] for _ in table.header]
        return _columns(table.header, data, np.array(rows, dtype=np.int64), path)
    return _read_csv(path)


def _read_csv(path: Path) -> Columns:
    import polars as pl

    from catalog_tool.formats.encoding import decode, read_bytes

    raw = read_bytes(path)
    text, encoding = decode(raw, path)
    first = text.split("\n", 1)[0]
    sep = "\t" if first.count("\t") > first.count(",") else ","
    data = raw.removeprefix(b"\xef\xbb\xbf") if encoding == "utf-8" else text.encode("utf-8")
    try:
        df = pl.read_csv(data, separator=sep, infer_schema=False, truncate_ragged_lines=False)
    except Exception as e:  # polars raises several error types for malformed CSV
        from catalog_tool.formats.tables import read_table

        for _ in read_table(path).rows:  # the row reader names the first bad row (ragged, bad quoting)
            pass
        raise InputError(f"malformed CSV: {str(e).splitlines()[0]}", file=path) from None
    header = [c.lstrip("\ufeff").strip() for c in df.columns]
    return _columns(header, [df[c] for c in df.columns], np.arange(2, df.height + 2, dtype=np.int64), path)


def _read_json(path: Path) -> Columns:
    text, _ = read_text(path)
    try:
        records = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError("expected a JSON list of claim objects", file=path)
    header = list(dict.fromkeys(k for r in records for k in r))
    data = [[_json_cell(r.get(k)) for r in records] for k in header]
    return _columns(header, data, np.arange(1, len(records) + 1, dtype=np.int64), path)


def _json_cell(value):
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return None if value is None else str(value)
