"""Benchmark `catalog-tool check` over a 270,000-row drug-code-database edition plus its previous
edition (goal: under 10 s on a 2-core machine).

The previous edition is bench/gen_codedb.py's table of 270,000 rows; the current one drops every
100th row, adds 2,700 new products, and 5% of its rows carry a restriction text (备注) of the sample
drugs-2025 edition,
so every check family has work. Both are listed in a manifest with sha256 and stated totals.
Prints the end-to-end time of `python -m catalog_tool check` (a child process: start-up, reading,
every check), rows/s, the child's peak memory, then the time of each phase in-process.
Usage: python bench/check.py [ROWS]   (files go to bench/out/check/, git-ignored)
"""

from __future__ import annotations

import csv
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(PROJECT))

from gen_codedb import generate  # noqa: E402


def restriction_texts() -> list[str]:
    with open(PROJECT / "datasets" / "drugs-2025" / "drugs.csv", encoding="utf-8", newline="") as fh:
        return sorted({r["remarks"] for r in csv.DictReader(fh) if r["remarks"]})


def build(rows: int, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    prev_dir, cur_dir = out / "codedb-2025", out / "codedb-2026"
    prev_dir.mkdir(exist_ok=True)
    cur_dir.mkdir(exist_ok=True)
    added = rows // 100
    generate(rows, prev_dir / "codedb.csv")
    full = generate(rows + added, out / "full.csv")
    texts = restriction_texts()
    kept = 0
    with open(full, encoding="utf-8", newline="") as src, open(cur_dir / "codedb.csv", "w", encoding="utf-8", newline="") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        header = next(reader)
        writer.writerow(header)
        remarks = header.index("备注")
        for i, row in enumerate(reader):
            if i < rows and i % 100 == 99:
                continue  # 调出: 1% of the previous rows
            if i % 20 == 0:
                row[remarks] = texts[i // 20 % len(texts)]
            writer.writerow(row)
            kept += 1
    full.unlink()
    manifest = {"editions": [], "sources": {}}
    for eid, folder, n, replaces in (("codedb-2025", prev_dir, rows, None), ("codedb-2026", cur_dir, kept, "codedb-2025")):
        path = folder / "codedb.csv"
        manifest["editions"].append({
            "id": eid, "kind": "drugs", "title": f"医保药品分类与代码数据库（{eid[-4:]}，基准）", "published": f"{eid[-4:]}-01-01",
            "effective": f"{eid[-4:]}-01-15", "replaces": replaces, "stated_totals": {"rows": n},
            "files": [{"path": path.relative_to(out).as_posix(), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}]})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 270_000
    out = HERE / "out" / "check"
    t = time.perf_counter()
    build(rows, out)
    print(f"generated 2 editions of {rows:,} rows in {time.perf_counter() - t:.1f} s ({out})")

    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "catalog_tool", "check", str(out), "-f", "json"],
                          cwd=PROJECT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = json.loads(proc.stdout)
    s = report["stats"]
    print(f"catalog-tool check: {wall:.2f} s end to end, exit {proc.returncode}, {s['rows']:,} rows "
          f"({s['rows'] / wall:,.0f} rows/s), peak memory {peak:,.0f} MB, {s['errors']} errors, {s['warnings']} warnings "
          f"— goal < 10 s: {'met' if wall < 10 else 'NOT met'}")

    from catalog_tool.checks import CHECKS
    from catalog_tool.formats.datasets import load_folder
    from catalog_tool.schemas import SCHEMAS_DIR

    t = time.perf_counter()
    folder = load_folder(out, SCHEMAS_DIR)
    phases = {"read (sha256 + CSV)": time.perf_counter() - t}
    for name, check in CHECKS.items():
        t = time.perf_counter()
        found = check(folder)
        phases[f"{name} ({len(found)} findings)"] = time.perf_counter() - t
    for name, secs in phases.items():
        print(f"  {name:<34} {secs:6.2f} s")
    print("peer: none named by the issue; no comparable validator for these layouts is installed")


if __name__ == "__main__":
    main()
