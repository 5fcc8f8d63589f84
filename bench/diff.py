"""Benchmark: file-to-file diff (parsing included) of generated editions vs simonw's csv-diff.

python bench/diff.py [--sizes 270000,1000000] — each tool runs in a child process so its peak RSS
(ru_maxrss) is its own. Also checks that added/removed/changed counts agree with csv-diff.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
HEADER = ["药品代码", "注册名称", "剂型", "注册规格", "药品企业", "甲乙类", "备注", "医保支付标准"]
FORMS = ["片剂", "胶囊剂", "注射剂", "颗粒剂", "口服溶液剂", "软膏剂"]
NAMES = ["阿莫西林", "头孢克肟", "奥美拉唑", "二甲双胍", "阿托伐他汀", "氨氯地平", "布洛芬", "左氧氟沙星"]


def generate(n: int, seed: int = 7) -> tuple[Path, Path]:
    """Two editions of n rows: ~1% removed, ~1% added, ~1% with a changed field (class, 备注 or price)."""
    import csv

    OUT.mkdir(parents=True, exist_ok=True)
    a, b = OUT / f"edition-{n}-old.csv", OUT / f"edition-{n}-new.csv"
    if a.exists() and b.exists():
        return a, b
    rnd = random.Random(seed)
    with a.open("w", newline="", encoding="utf-8") as fa, b.open("w", newline="", encoding="utf-8") as fb:
        wa, wb = csv.writer(fa), csv.writer(fb)
        wa.writerow(HEADER)
        wb.writerow(HEADER)
        for i in range(n):
            code = f"XA01ABD{i % 1000:03d}A{i:012d}"
            row = [code, f"{NAMES[i % 8]}{FORMS[i % 6]}", FORMS[i % 6], f"{(i % 50) * 5 + 5}mg", f"制药企业{i % 3000}",
                   "甲" if i % 3 else "乙", "限成人" if i % 5 == 0 else "", f"{(i % 997) / 10 + 1:.2f}元(10mg/片)"]
            wa.writerow(row)
            r = rnd.random()
            if r < 0.01:
                continue  # removed
            if r < 0.02:
                row = list(row)
                k = rnd.randrange(3)
                if k == 0:
                    row[5] = "乙" if row[5] == "甲" else "甲"
                elif k == 1:
                    row[6] = row[6] + "，限二级及以上医疗机构"
                else:
                    row[7] = f"{(i % 997) / 10 * 0.9 + 1:.2f}元(10mg/片)"
            wb.writerow(row)
            if r > 0.99:
                wb.writerow([f"XB01ACD{i % 1000:03d}B{i:012d}"] + row[1:])  # added
    return a, b


def run_ours(a: str, b: str) -> dict:
    sys.path.insert(0, str(ROOT))
    t0 = time.perf_counter()
    from catalog_tool.diff.compare import compare
    from catalog_tool.formats.frames import read_frame
    from catalog_tool.formats.layout import LAYOUTS
    from catalog_tool.model import CatalogKind

    layout = LAYOUTS[CatalogKind.drugs]
    t = time.perf_counter()  # like csv-diff's below: library imports excluded, reported apart
    result = compare(read_frame(a, layout), read_frame(b, layout), labels=(a, b), key=["code"])
    c = result.counts()
    return {"seconds": time.perf_counter() - t, "added": c["added"], "removed": c["removed"],
            "changed": c["changed_rows"] + c["cosmetic_only_rows"], "import_s": t - t0}


def run_csv_diff(a: str, b: str) -> dict:
    from csv_diff import compare, load_csv

    t = time.perf_counter()  # the import above is excluded
    with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
        d = compare(load_csv(fa, key="药品代码"), load_csv(fb, key="药品代码"))
    return {"seconds": time.perf_counter() - t, "added": len(d["added"]), "removed": len(d["removed"]),
            "changed": len(d["changed"]), "import_s": 0.0}


def child(tool: str, a: str, b: str) -> dict:
    """Run one tool in a fresh interpreter; its result plus its peak RSS in MB."""
    code = (f"import json,resource,sys; sys.path.insert(0,{str(ROOT / 'bench')!r}); import diff as d; "
            f"r=d.run_{tool}({a!r},{b!r}); r['rss_mb']=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024; "
            f"print(json.dumps(r))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="270000,1000000")
    ap.add_argument("--no-peer", action="store_true", help="skip csv-diff")
    args = ap.parse_args()
    print(f"{'rows':>9} {'tool':<13} {'seconds':>8} {'+imports':>8} {'rows/s':>11} {'peak MB':>8} {'added':>7} "
          f"{'removed':>7} {'changed':>8}")
    for n in (int(s) for s in args.sizes.split(",")):
        a, b = generate(n)
        results = {"catalog-tool": child("ours", str(a), str(b))}
        if not args.no_peer:
            results["csv-diff"] = child("csv_diff", str(a), str(b))
        for tool, r in results.items():
            print(f"{n:>9} {tool:<13} {r['seconds']:>8.2f} {r['seconds'] + r['import_s']:>8.2f} {n / r['seconds']:>11,.0f} {r['rss_mb']:>8.0f} "
                  f"{r['added']:>7} {r['removed']:>7} {r['changed']:>8}")
        if "csv-diff" in results:
            ours, peer = results["catalog-tool"], results["csv-diff"]
            same = all(ours[k] == peer[k] for k in ("added", "removed", "changed"))
            print(f"{n:>9} speed-up ×{peer['seconds'] / ours['seconds']:.1f}; counts agree with csv-diff: {same}")
    _ = resource


if __name__ == "__main__":
    main()
