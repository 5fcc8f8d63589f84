"""Read a procurement batch folder (drugs, bids, demand, reference prices, preferences) and a
purchases file. Each table is CSV in any Chinese encoding or XLSX, with the Chinese column names of
docs/vbp.md or their English aliases; every bad cell is one error naming file, row and column."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.formats.tables import EXCEL_SUFFIXES, Table, read_table
from catalog_tool.formats.values import parse_decimal, parse_flag
from catalog_tool.model.procurement import VbpBid, VbpDrug

# field → (Chinese column, English alias), per table; None marks an optional field
DRUGS = {"drug": "品种编号", "name": "药品通用名", "form": "剂型", "spec": "代表品规格", "ceiling": "最高有效申报价",
         "antimicrobial": None}
BIDS = {"drug": "品种编号", "company": "企业名称", "product": None, "spec": "规格", "pack": "包装数量", "price": "申报价",
        "revival": None}
DEMAND = {"hospital": "医疗机构编码", "hospital_name": None, "province": "省份", "drug": "品种编号", "quantity": "需求量"}
PRICES = {"drug": "品种编号", "pre_price": "集采前价格"}
PREFERENCES = {"drug": "品种编号", "company": "企业名称", "rank": "顺位", "province": "省份"}
PURCHASES = {"hospital": "医疗机构编码", "drug": "品种编号", "quantity": "采购量", "company": None, "date": None}
CHINESE = {"antimicrobial": "特殊抗菌药物", "product": "产品名称", "revival": "接受复活", "hospital_name": "医疗机构名称",
           "company": "企业名称", "date": "采购日期"}


class Demand:
    """Hospitals' reported demand: a polars frame (hospital, hospital_name, province, drug, quantity),
    so 50,000 hospitals are summed and joined column-wise; columns as lists on demand."""

    COLUMNS = ("hospital", "hospital_name", "province", "drug", "quantity")

    def __init__(self, frame=None) -> None:
        self.frame = frame
        self._lists: dict[str, list] = {}

    @classmethod
    def from_lists(cls, **columns: list) -> Demand:
        import polars as pl

        return cls(pl.DataFrame({c: columns[c] for c in cls.COLUMNS},
                                schema={c: pl.Int64 if c == "quantity" else pl.String for c in cls.COLUMNS}))

    def column(self, name: str) -> list:
        if self.frame is None:
            return []
        if name not in self._lists:
            self._lists[name] = self.frame[name].to_list()
        return self._lists[name]

    hospital = property(lambda self: self.column("hospital"))
    hospital_name = property(lambda self: self.column("hospital_name"))
    province = property(lambda self: self.column("province"))
    drug = property(lambda self: self.column("drug"))
    quantity = property(lambda self: self.column("quantity"))

    def __len__(self) -> int:
        return 0 if self.frame is None else self.frame.height

    @property
    def total(self) -> int:
        """Sum of reported demand (minimal units)."""
        return 0 if self.frame is None else int(self.frame["quantity"].sum())

    def total_of(self, drugs: set[str]) -> int:
        """Reported demand of some drugs (an allocation narrowed with --drug)."""
        if self.frame is None:
            return 0
        import polars as pl

        return int(self.frame.filter(pl.col("drug").is_in(list(drugs)))["quantity"].sum())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Demand) and all(self.column(c) == other.column(c) for c in self.COLUMNS)


@dataclass
class Batch:
    """A procurement batch as read from its folder."""

    path: Path
    id: str
    title: str
    rules: str | None
    drugs: list[VbpDrug]
    bids: list[VbpBid]
    demand: Demand
    preferences: dict[tuple[str, str], list[str]]
    files: dict[str, Path]

    @property
    def rules_source(self) -> Path | None:
        """The batch.json that names the rule set, for errors about that name."""
        return self.path / "batch.json" if self.rules else None

    def drug(self, key: str) -> VbpDrug:
        """A drug by 品种编号 or exact name."""
        for d in self.drugs:
            if key in (d.drug, d.name):
                return d
        raise InputError(f"no drug {key!r} in the batch (品种编号 or 药品通用名)", file=self.files["drugs"])


def _find(folder: Path, stem: str, required: bool) -> Path | None:
    for suffix in (".csv", ".tsv", *sorted(EXCEL_SUFFIXES)):
        p = folder / f"{stem}{suffix}"
        if p.is_file():
            return p
    if required:
        raise InputError(f"missing {stem}.csv (or .xlsx) in the batch folder", file=folder)
    return None


def _positions(table: Table, spec: dict[str, str | None]) -> dict[str, int]:
    pos = {}
    for name, chinese in spec.items():
        chinese = chinese or CHINESE[name]
        for col in (chinese, name):
            if col in table.header:
                pos[name] = table.header.index(col)
                break
        else:
            if spec[name] is not None:
                raise InputError(f"missing column {chinese!r} ({name})", file=table.path, row=1, field=chinese)
    return pos


def _rows(path: Path, spec: dict[str, str | None]):
    """(row number, {field: text}) for each row, optional fields '' when the column is absent."""
    table = read_table(path)
    pos = _positions(table, spec)
    names = list(spec)
    for n, cells in table.rows:
        yield n, {k: (cells[pos[k]] if k in pos else "") for k in names}


def _cell(path: Path, n: int, spec: dict, name: str, text: str, parse: Callable):
    column = spec[name] or CHINESE[name]
    if not text:
        raise InputError("empty value", file=path, row=n, field=column)
    try:
        return parse(text)
    except ValueError as e:
        raise InputError(str(e), file=path, row=n, field=column) from None


def _positive_decimal(text: str) -> Decimal:
    value = parse_decimal(text)
    if value <= 0:
        raise ValueError(f"must be positive, got {text!r}")
    return value


MAX_COUNT = 10**12  # minimal units: far above any hospital's yearly demand, far below int64


def _count(text: str) -> int:
    """A whole number of units; Excel's `120.0` accepted."""
    value = parse_decimal(text)
    if value != value.to_integral() or value < 0:
        raise ValueError(f"not a whole non-negative number: {text!r}")
    if value > MAX_COUNT:
        raise ValueError(f"{text!r} is more than 10^12 units: a misplaced column?")
    return int(value)


def _positive_count(text: str) -> int:
    value = _count(text)
    if value == 0:
        raise ValueError("must be at least 1")
    return value


def _flag(path: Path, n: int, spec: dict, name: str, text: str) -> bool:
    return _cell(path, n, spec, name, text, parse_flag) if text else False


def _required(path: Path, n: int, spec: dict, row: dict, *names: str) -> None:
    for name in names:
        if not row[name]:
            raise InputError("empty value", file=path, row=n, field=spec[name] or CHINESE[name])


def read_drugs(path: Path) -> list[VbpDrug]:
    drugs: dict[str, VbpDrug] = {}
    for n, r in _rows(path, DRUGS):
        _required(path, n, DRUGS, r, "drug", "name", "form", "spec")
        if r["drug"] in drugs:
            raise InputError(f"duplicate 品种编号 {r['drug']!r}", file=path, row=n, field="品种编号")
        drugs[r["drug"]] = VbpDrug(drug=r["drug"], name=r["name"], form=r["form"], spec=r["spec"],
                                   ceiling=_cell(path, n, DRUGS, "ceiling", r["ceiling"], _positive_decimal),
                                   antimicrobial=_flag(path, n, DRUGS, "antimicrobial", r["antimicrobial"]), row=n)
    if not drugs:
        raise InputError("no drugs", file=path, row=2)
    return list(drugs.values())


def read_bids(path: Path, drugs: set[str]) -> list[VbpBid]:
    bids, seen = [], set()
    for n, r in _rows(path, BIDS):
        _required(path, n, BIDS, r, "drug", "company", "spec")
        if r["drug"] not in drugs:
            raise InputError(f"unknown 品种编号 {r['drug']!r} (not in drugs)", file=path, row=n, field="品种编号")
        if (r["drug"], r["company"]) in seen:
            raise InputError(f"{r['company']} bids twice for {r['drug']}", file=path, row=n, field="企业名称")
        seen.add((r["drug"], r["company"]))
        bids.append(VbpBid(drug=r["drug"], company=r["company"], product=r["product"], spec=r["spec"],
                           pack=_cell(path, n, BIDS, "pack", r["pack"], _positive_count),
                           price=_cell(path, n, BIDS, "price", r["price"], _positive_decimal),
                           revival=_flag(path, n, BIDS, "revival", r["revival"]), row=n))
    if not bids:
        raise InputError("no bids", file=path, row=2)
    return bids


def read_demand(path: Path, drugs: set[str]) -> Demand:
    """The largest table (a row per hospital and drug, 200,000 rows for 50,000 hospitals). A clean
    CSV is read by polars and checked column-wise; anything the fast path does not accept is read
    again row by row, which names the first bad row."""
    fast = _demand_fast(path, drugs)
    demand = fast if fast is not None else _demand_rows(path, drugs)
    if not len(demand):
        raise InputError("no demand rows", file=path, row=2)
    return demand


def _demand_fast(path: Path, drugs: set[str]) -> Demand | None:
    if path.suffix.lower() not in (".csv", ".tsv"):
        return None
    import polars as pl

    from catalog_tool.formats.encoding import read_text

    text, _ = read_text(path)
    first = text.split("\n", 1)[0]
    try:
        df = pl.read_csv(text.encode("utf-8"), infer_schema=False, separator="\t" if first.count("\t") > first.count(",") else ",")
    except Exception:  # polars' own parse errors: the row-by-row reader explains them
        return None
    df = df.rename({c: c.strip().lstrip("\ufeff") for c in df.columns})
    cols = {}
    for name, chinese in DEMAND.items():
        found = next((c for c in (chinese or CHINESE[name], name) if c in df.columns), None)
        if found is None and chinese is not None:
            return None
        cols[name] = found
    df = df.select([pl.col(c).alias(n) if c else pl.lit("").alias(n) for n, c in cols.items()])
    df = df.with_columns(pl.all().fill_null("").str.strip_chars())
    ok = (df.filter((pl.col("hospital") == "") | (pl.col("province") == "") | (pl.col("drug") == "")
                    | ~pl.col("drug").is_in(list(drugs)) | ~pl.col("quantity").str.contains(r"^[0-9]{1,12}$")).height == 0
          and not df.select(pl.struct("hospital", "drug").is_duplicated().any()).item())
    if not ok:
        return None
    return Demand(df.with_columns(pl.col("quantity").cast(pl.Int64)))


def _demand_rows(path: Path, drugs: set[str]) -> Demand:
    table = read_table(path)
    pos = _positions(table, DEMAND)
    ih, ip, idr, iq = pos["hospital"], pos["province"], pos["drug"], pos["quantity"]
    iname = pos.get("hospital_name")
    seen: set[tuple[str, str]] = set()
    hospital, name, province, drug, quantity = [], [], [], [], []
    for n, cells in table.rows:
        h, p, d, q = cells[ih], cells[ip], cells[idr], cells[iq]
        if not (h and p and d):
            _required(path, n, DEMAND, {"hospital": h, "province": p, "drug": d}, "hospital", "province", "drug")
        if d not in drugs:
            raise InputError(f"unknown 品种编号 {d!r} (not in drugs)", file=path, row=n, field="品种编号")
        key = (h, d)
        if key in seen:
            raise InputError(f"{h} reports {d} twice", file=path, row=n, field="医疗机构编码")
        seen.add(key)
        hospital.append(h)
        name.append(cells[iname] if iname is not None else "")
        province.append(p)
        drug.append(d)
        quantity.append(int(q) if q.isdigit() and q.isascii() and len(q) < 13 else _cell(path, n, DEMAND, "quantity", q, _count))
    return Demand.from_lists(hospital=hospital, hospital_name=name, province=province, drug=drug, quantity=quantity)


def read_reference_prices(path: Path, drugs: set[str]) -> dict[str, Decimal]:
    prices = {}
    for n, r in _rows(path, PRICES):
        if r["drug"] not in drugs:
            raise InputError(f"unknown 品种编号 {r['drug']!r} (not in drugs)", file=path, row=n, field="品种编号")
        if r["drug"] in prices:
            raise InputError(f"duplicate 品种编号 {r['drug']!r}", file=path, row=n, field="品种编号")
        prices[r["drug"]] = _cell(path, n, PRICES, "pre_price", r["pre_price"], _positive_decimal)
    return prices


def read_preferences(path: Path, drugs: set[str]) -> dict[tuple[str, str], list[str]]:
    ranked: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for n, r in _rows(path, PREFERENCES):
        _required(path, n, PREFERENCES, r, "drug", "company", "province")
        if r["drug"] not in drugs:
            raise InputError(f"unknown 品种编号 {r['drug']!r} (not in drugs)", file=path, row=n, field="品种编号")
        rank = _cell(path, n, PREFERENCES, "rank", r["rank"], _positive_count)
        ranked.setdefault((r["drug"], r["company"]), []).append((rank, r["province"]))
    return {k: [p for _, p in sorted(v)] for k, v in ranked.items()}


def _meta(folder: Path) -> dict:
    path = folder / "batch.json"
    if not path.is_file():
        return {}
    from catalog_tool.formats.encoding import read_text

    try:
        data = json.loads(read_text(path)[0])
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None
    if not isinstance(data, dict):
        raise InputError("expected a JSON object", file=path)
    for key in ("id", "title", "rules"):
        if key in data and not isinstance(data[key], str):
            raise InputError(f"must be a string, got {json.dumps(data[key], ensure_ascii=False)}", file=path, field=key)
    return data


def read_batch(folder: str | Path, *, with_demand: bool = True) -> Batch:
    """Every table of a batch folder, checked against each other (bids and demand name known drugs)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a batch folder (expected drugs.csv, bids.csv, demand.csv …)", file=folder)
    meta = _meta(folder)
    files = {"drugs": _find(folder, "drugs", True), "bids": _find(folder, "bids", True)}
    drugs = read_drugs(files["drugs"])
    ids = {d.drug for d in drugs}
    prices_path = _find(folder, "reference-prices", False)
    if prices_path:
        files["reference-prices"] = prices_path
        prices = read_reference_prices(prices_path, ids)
        drugs = [d.model_copy(update={"pre_price": prices.get(d.drug)}) for d in drugs]
    bids = read_bids(files["bids"], ids)
    demand = Demand()
    if with_demand:
        files["demand"] = _find(folder, "demand", True)
        demand = read_demand(files["demand"], ids)
    preferences = {}
    pref_path = _find(folder, "preferences", False)
    if pref_path:
        files["preferences"] = pref_path
        preferences = read_preferences(pref_path, ids)
    return Batch(path=folder, id=str(meta.get("id") or folder.name), title=str(meta.get("title") or folder.name),
                 rules=meta.get("rules"), drugs=drugs, bids=bids, demand=demand, preferences=preferences, files=files)


@dataclass
class Purchases:
    """Purchases summed per (hospital, drug): all of them, and those from the given company."""

    total: dict[tuple[str, str], int]
    by_company: dict[tuple[str, str, str], int]


def read_purchases(path: str | Path, drugs: set[str] | None = None) -> Purchases:
    """Purchase lines; with `drugs`, a 品种编号 outside the batch is an error (a wrong batch or a typo)."""
    path = Path(path)
    total: dict[tuple[str, str], int] = {}
    by_company: dict[tuple[str, str, str], int] = {}
    for n, r in _rows(path, PURCHASES):
        _required(path, n, PURCHASES, r, "hospital", "drug")
        if drugs is not None and r["drug"] not in drugs:
            raise InputError(f"unknown 品种编号 {r['drug']!r} (not in the batch)", file=path, row=n, field="品种编号")
        q = _cell(path, n, PURCHASES, "quantity", r["quantity"], _count)
        key = (r["hospital"], r["drug"])
        total[key] = total.get(key, 0) + q
        ck = (r["hospital"], r["drug"], r["company"])
        by_company[ck] = by_company.get(ck, 0) + q
    return Purchases(total, by_company)
