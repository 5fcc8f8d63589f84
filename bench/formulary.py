"""Benchmark: validate a 50,000-item hospital formulary against a 270,000-row drug code table (the size
of the NHSA code database), with a previous edition and suggestions for the unmapped items.

    python bench/formulary.py [--items 50000] [--rows 270000]

Generates both editions (23-char codes, Chinese names, specs, makers) and the formulary (CSV in GBK,
with deliberate errors) under bench/out/, imports the editions into a temporary database (timed
apart: that is the foundation's import), then times what `formulary validate` does: read the file,
load the two editions into the match index, check every item, rank suggestions. Target < 5 s.
No peer tool is named by the issue; none is run.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

CHARS = "阿莫西林头孢曲松克拉霉素左氧氟沙星奥美拉唑二甲双胍硝苯地平氨氯缬坦他汀瑞舒伐托格列美脲吡格雷泼尼龙地塞米松布洛芬对乙酰基酚"
FORMS = [("口服常释剂型", "片剂", "片", "{}mg*24片"), ("口服常释剂型", "胶囊剂", "胶囊", "{}mg*20粒"),
         ("注射剂", "注射剂", "注射液", "{}mg:2ml"), ("缓释控释剂型", "缓释片", "缓释片", "{}mg*14片"),
         ("颗粒剂", "颗粒剂", "颗粒", "{}g*9袋"), ("软膏剂", "软膏剂", "软膏", "{}g/支")]
MAKERS = [f"{a}{b}制药有限公司" for a in "华北东南西中" for b in "康泰安宁和瑞"]


def code(rng: random.Random, i: int) -> str:
    return f"X{rng.choice('ABCJLMN')}{rng.randint(10, 99)}{rng.choice('ABCD')}{rng.choice('ABCDEFGH')}" \
           f"{rng.choice('ABCDEFGHJKLMN')}{i % 1000:03d}{rng.choice('AB')}{rng.randint(1, 999):03d}{i:08d}"[:23].ljust(23, "0")


def generate(rows: int, items: int, seed: int = 8) -> tuple[Path, Path, Path]:
    from catalog_tool.formats.layout import LAYOUTS
    from catalog_tool.model import CatalogKind

    rng = random.Random(seed)
    fields = LAYOUTS[CatalogKind.drugs].fields
    names: set[str] = set()
    while len(names) < max(rows // 45, 10):
        names.add("".join(rng.choice(CHARS) for _ in range(rng.randint(3, 6))))
    generic = sorted(names)
    table = []
    for i in range(rows):
        name = generic[i % len(generic)]
        group, reg_form, suffix, spec = FORMS[(i // len(generic)) % len(FORMS)]
        strength = rng.choice([5, 10, 20, 25, 50, 100, 250, 500])
        table.append({"code": code(rng, i), "name": name, "dosage_form": group, "drug_class": rng.choice("甲乙乙"),
                      "registered_name": name + suffix, "registered_dosage_form": reg_form,
                      "spec": spec.format(strength), "company": rng.choice(MAKERS), "market_status": "上市"})
    OUT.mkdir(parents=True, exist_ok=True)
    cur_path, prev_path, form_path = OUT / "codes-current.csv", OUT / "codes-previous.csv", OUT / "formulary-50k.csv"
    for path, keep, flip in ((cur_path, 1.0, 0.0), (prev_path, 0.99, 0.01)):
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(fields)
            for r in table:
                if rng.random() > keep:
                    continue
                cls = ("甲" if r["drug_class"] == "乙" else "乙") if rng.random() < flip else r["drug_class"]
                w.writerow([cls if f == "drug_class" else r.get(f, "") for f in fields])
    with open(form_path, "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["院内编码", "医保代码", "药品名称", "剂型", "规格", "单价", "是否在用"])
        for n in range(items):
            r = rng.choice(table)
            roll = rng.random()
            c = r["code"]
            if roll < 0.03:
                c = c[:-4] + "9999"  # unknown
            elif roll < 0.05:
                c = rng.choice(table)["code"]  # wrong mapping
            elif roll < 0.08:
                c = ""  # unmapped
            elif roll < 0.09:
                c = f"{rng.randint(100, 999) / 100:.2f}E+22"  # Excel scientific notation
            local = f"YP{n:06d}" if rng.random() > 0.005 else f"YP{max(n - 1, 0):06d}"
            w.writerow([local, c, r["registered_name"], r["registered_dosage_form"], r["spec"],
                        f"{rng.randint(100, 50000) / 100:.2f}", "是"])
    return cur_path, prev_path, form_path


def validate_phase(db_path: Path, form_path: Path) -> None:
    """What `formulary validate` does, timed in a fresh process (imports included)."""
    t0 = time.perf_counter()
    from catalog_tool.formats.formulary import read_formulary
    from catalog_tool.formulary import ValidationOptions, validate_formulary
    from catalog_tool.formulary.index import CatalogIndex, wanted_by
    from catalog_tool.gcpause import gc_paused
    from catalog_tool.store import CatalogDB

    marks = {"imports": time.perf_counter()}
    with gc_paused():  # as the `formulary validate` command does
        sheet = read_formulary(form_path)
        marks["read formulary (GBK CSV)"] = time.perf_counter()
        with CatalogDB(db_path) as db:
            cur = CatalogIndex.load(db, "codes-cur")
            prev = CatalogIndex.load(db, "codes-prev", only=wanted_by(sheet.items, cur))
        marks["load two editions into the index"] = time.perf_counter()
        report = validate_formulary(sheet.items, cur, prev, ValidationOptions(), sheet.findings)
        marks["check + suggestions"] = time.perf_counter()
    last = t0
    for label, at in marks.items():
        print(f"  {label:34s} {at - last:6.2f} s")
        last = at
    total = last - t0
    suggested = sum(1 for f in report.findings if f.suggestions)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"validated {report.items:,} items against {len(cur.entries):,} rows (previous edition: "
          f"{len(prev.entries):,} rows kept) in {total:.2f} s ({report.items / total:,.0f} items/s), "
          f"{len(report.findings):,} findings, {suggested:,} with suggestions, {report.errors:,} errors; "
          f"peak memory {peak:,.0f} MB; target < 5 s: {'met' if total < 5 else 'NOT met'}")
    print("  " + ", ".join(f"{k} {sum(v.values())}" for k, v in report.counts().items()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--rows", type=int, default=270_000)
    ap.add_argument("--validate", nargs=2, metavar=("DB", "FORMULARY"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.validate:
        validate_phase(Path(args.validate[0]), Path(args.validate[1]))
        return

    import subprocess

    from catalog_tool.importing import import_files
    from catalog_tool.model import CatalogKind
    from catalog_tool.store import CatalogDB

    t = time.perf_counter()
    cur_path, prev_path, form_path = generate(args.rows, args.items)
    print(f"generated {args.rows:,}-row code tables and a {args.items:,}-item formulary in {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite"
        with CatalogDB(db_path) as db:
            t = time.perf_counter()
            import_files(db, CatalogKind.drugs, [prev_path], "codes-prev")
            import_files(db, CatalogKind.drugs, [cur_path], "codes-cur")
            print(f"imported both editions (not part of the target) in {time.perf_counter() - t:.1f} s")
        print("validate, in a fresh process:")
        subprocess.run([sys.executable, __file__, "--validate", str(db_path), str(form_path)], check=True)


if __name__ == "__main__":
    main()
