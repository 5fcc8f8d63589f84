"""Benchmark of the restricted-payment rules on the real lists (../shared/data/nrdl-2025, nrdl-2024).

    python bench/rules.py [--lines 1000000] [--seed 7]

Measures, in one run: parsing every restriction text of the 2025 and of the 2024 edition (cache
cleared; target < 1 s), evaluating N generated claim lines column-wise (target: 1,000,000 lines
< 10 s), the same lines read from a CSV file, the CLI `rules check` on that file in a child
process, and — as the baseline — the naive way, one claim at a time, on a sample. Figures are
printed; the machine is shared, so they are noisy.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog_tool.importing import import_files  # noqa: E402
from catalog_tool.model import CatalogKind  # noqa: E402
from catalog_tool.model.claim import Claim  # noqa: E402
from catalog_tool.model.rule import Dimension  # noqa: E402
from catalog_tool.paths import shared_data_dir  # noqa: E402
from catalog_tool.rules.columns import FIELDS, Columns  # noqa: E402
from catalog_tool.rules.edition import build  # noqa: E402
from catalog_tool.rules.engine import Engine  # noqa: E402
from catalog_tool.rules.parser import _parse, parse  # noqa: E402
from catalog_tool.rules.report import explain  # noqa: E402
from catalog_tool.store import CatalogDB  # noqa: E402

OUT = ROOT / "bench" / "out"
CSV_HEADER = ["编号", "部分", "剂型", "年龄", "性别", "险种", "机构级别", "就医方式", "诊断", "线数", "用药天数",
              "既往治疗", "营养风险筛查", "事前审批", "金额"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_books():
    """Both real editions imported into a temp DB: the 2025 rule book (claims are checked against
    it) and every item of 2025 and 2024 (all parts, for the parse timing)."""
    data = shared_data_dir()
    if data is None:
        sys.exit("../shared/data is absent: the benchmark needs the real 2025 list")
    tmp = Path(tempfile.mkdtemp(prefix="rules-bench-"))
    items = {}
    with CatalogDB(tmp / "catalog.sqlite") as db:
        import_files(db, CatalogKind.drugs, [data / "nrdl-2025"], "nrdl-2025",
                     meta_file=data / "nrdl-2025" / "edition.json")
        import_files(db, CatalogKind.drugs, [data / "nrdl-2024"], "nrdl-2024",
                     meta_file=ROOT / "datasets" / "releases" / "nrdl-2024.json")
        ed = db.edition("nrdl-2025")
        for eid in ("nrdl-2025", "nrdl-2024"):
            items[eid] = db.items(eid)
    return tmp, items, build(items["nrdl-2025"], ed.id, ed.document_no)


def time_parse(edition: str, items) -> None:
    """Parse every restriction text of an edition once, cache cleared (repeated texts hit the cache,
    as they do in a real run)."""
    texts = [i.remarks for i in items if i.remarks and i.remarks.strip()]
    _parse.cache_clear()
    t = time.perf_counter()
    for text in texts:
        parse(text)
    parse_s = time.perf_counter() - t
    _parse.cache_clear()
    t = time.perf_counter()
    for text in set(texts):
        parse(text)
    each_s = time.perf_counter() - t
    print(f"parse {edition}: {len(texts)} restriction texts in {parse_s * 1000:.0f} ms (target < 1000 ms); "
          f"{len(set(texts))} distinct texts in {each_s * 1000:.0f} ms = {each_s / len(set(texts)) * 1000:.2f} ms each")


def diagnosis_pool(book) -> list[str]:
    """ICD-10 codes the rules name, made concrete (C34 → C34.9), plus codes no rule names."""
    pool = {"I10.x00", "J18.9", "K29.7", "E78.5", "M54.5"}
    for row in book.rows:
        for r in row.restrictions:
            for c in r.conditions:
                if c.dimension is Dimension.diagnosis and c.icd10:
                    code = c.icd10[0]
                    pool.add(code if "." in code else code.ljust(3, "0") + ".9")
    return sorted(pool)


def generate(book, n: int, seed: int) -> Columns:
    """N claim lines, column by column: every row of the edition equally likely, facts drawn
    from small realistic domains (some missing, as in real exports)."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(book.rows), n)
    values: dict[str, list] = {f: [None] for f in FIELDS}
    codes: dict[str, np.ndarray] = {f: np.zeros(n, dtype=np.int32) for f in FIELDS}

    def column(field: str, domain: list, p=None) -> None:
        values[field] = list(domain)
        codes[field] = rng.choice(len(domain), n, p=p).astype(np.int32)

    keys = sorted({(r.section, r.number, r.dosage_form) for r in book.rows}, key=str)
    index = {k: i for i, k in enumerate(keys)}
    ident = np.array([index[(r.section, r.number, r.dosage_form)] for r in book.rows], dtype=np.int32)[rows]
    for f, pos in (("section", 0), ("number", 1), ("dosage_form", 2)):
        values[f] = [k[pos] for k in keys]
        codes[f] = ident
    column("age_days", [None] + [float(y) * 365.25 for y in (0.5, 3, 8, 15, 30, 45, 60, 75)])
    column("sex", [None, "男", "女"])
    column("fund", [None, "职工医保", "居民医保", "生育保险", "工伤保险"], p=[0.05, 0.5, 0.4, 0.03, 0.02])
    column("institution_level", [None, 1, 2, 3])
    column("setting", [None, "门诊", "住院", "急诊"])
    pool = diagnosis_pool(book)
    combos = [()] + [(c,) for c in pool] + [tuple(rng.choice(pool, 2, replace=False)) for _ in range(300)]
    column("diagnosis_codes", combos)
    values["diagnosis_text"], codes["diagnosis_text"] = [()], np.zeros(n, dtype=np.int32)
    column("line_of_therapy", [None, 1, 2, 3])
    column("days", [None, 1, 3, 7, 14, 21, 30, 90])
    column("prior_therapy", [None, "无", "化疗", "含铂化疗", "他汀类药物", "糖皮质激素"])
    column("screening", [None, True, False])
    column("pre_approved", [None, True, False])
    column("amount", [None] + [__import__("decimal").Decimal(x) for x in ("12.50", "88.00", "320.40", "1999.99")])
    return Columns(n, codes, values, np.arange(2, n + 2, dtype=np.int64))


def write_csv(cols: Columns, path: Path) -> None:
    def cell(field: str, i: int) -> str:
        v = cols.value(field, i)
        if field == "age_days":
            return "" if v is None else f"{v / 365.25:g}"
        if field == "diagnosis_codes":
            return ";".join(v)
        if isinstance(v, bool):
            return "是" if v else "否"
        return "" if v is None else str(v)

    fields = ["number", "section", "dosage_form", "age_days", "sex", "fund", "institution_level", "setting",
              "diagnosis_codes", "line_of_therapy", "days", "prior_therapy", "screening", "pre_approved", "amount"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_HEADER)
        for i in range(cols.n):
            w.writerow([cell(f, i) for f in fields])


def cli_run(tmp: Path, claims: Path) -> None:
    """What a user runs: `rules check` on the CSV in a child process, every line written as CSV."""
    out = tmp / "verdicts.csv"
    cmd = [sys.executable, "-m", "catalog_tool", "--db", str(tmp / "catalog.sqlite"), "rules", "check",
           "-e", "nrdl-2025", str(claims), "--format", "csv", "-o", str(out), "--fail-on", "never"]
    # No embedded sample editions: their one-off load on a database's first use is not this command's cost.
    env = {**os.environ, "CATALOG_TOOL_DATASETS": str(tmp / "none")}
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"CLI `rules check --format csv -o FILE`: {wall:.2f} s wall (read, load edition, evaluate, explain, "
          f"write {out.stat().st_size / 1e6:.0f} MB), child peak memory {peak:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--naive-sample", type=int, default=20_000)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    tmp, items, book = load_books()
    for edition, rows in items.items():
        time_parse(edition, rows)

    t = time.perf_counter()
    cols = generate(book, args.lines, args.seed)
    print(f"generate: {args.lines:,} claim lines in {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    engine = Engine(book)
    result = engine.run(cols)
    run_s = time.perf_counter() - t
    counts = {name: int((result.verdict == code).sum()) for code, name in ((2, "PAY"), (0, "DENY"), (1, "REVIEW"))}
    print(f"evaluate: {args.lines:,} lines in {run_s:.2f} s = {args.lines / run_s:,.0f} lines/s (target < 10 s); {counts}")

    path = OUT / f"claims-{args.lines}-seed{args.seed}.csv"
    if not path.exists():
        write_csv(cols, path)
    from catalog_tool.formats.claims import read_claims

    t = time.perf_counter()
    read = read_claims(path)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    again = Engine(book).run(read)
    e2e_run = time.perf_counter() - t
    same = bool((again.verdict == result.verdict).all())
    print(f"end to end from CSV ({path.stat().st_size / 1e6:.0f} MB): read {read_s:.2f} s + evaluate {e2e_run:.2f} s "
          f"= {read_s + e2e_run:.2f} s; verdicts identical to the in-memory run: {same}")

    cli_run(tmp, path)

    k = min(args.naive_sample, args.lines)
    claims: list[Claim] = [cols.claim(i) for i in range(k)]
    t = time.perf_counter()
    for c in claims:  # the naive way: one claim, one evaluation
        one = Columns.from_claims([c])
        explain(engine, one, engine.run(one), 0)
    naive_s = time.perf_counter() - t
    print(f"baseline, one claim at a time: {k:,} lines in {naive_s:.2f} s = {k / naive_s:,.0f} lines/s "
          f"(≈ {args.lines / (k / naive_s):.0f} s for {args.lines:,})")
    print(f"peak memory of this process: {peak_mb():.0f} MB")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
