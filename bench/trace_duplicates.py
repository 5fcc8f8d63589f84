"""Benchmark: find codes sold more than once among N scan rows (default 100,000,000) in Parquet.

    python bench/trace_duplicates.py [--rows 100000000] [--files 20] [--memory-limit 3GB]

Generates the scans with DuckDB into bench/out/scans-N/ (git-ignored; one planted repeat per 1,000
rows), then runs `catalog-tool trace duplicates` in a child process and prints wall time, rows/s
and the child's peak RSS, and checks the planted repeats were found.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

CODE = "'8' || lpad((hash({i}) % 10000000000000000000)::VARCHAR, 19, '0')"


def generate(rows: int, files: int) -> list[Path]:
    folder = OUT / f"scans-{rows}"
    paths = [folder / f"part-{k:03d}.parquet" for k in range(files)]
    if all(p.is_file() for p in paths):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET memory_limit = '2GB'")
    per = rows // files
    t = time.perf_counter()
    for k, p in enumerate(paths):
        lo, hi = k * per, (k + 1) * per if k < files - 1 else rows
        con.execute(f"""COPY (
            SELECT 'S' || lpad((i // 3)::VARCHAR, 12, '0') AS setl_id,
                   CASE WHEN i % 1000 = 999 THEN {CODE.format(i='(i - 500001)')} ELSE {CODE.format(i='i')} END AS drug_trac_codg,
                   TIMESTAMP '2026-01-01 08:00:00' + to_seconds(i // 40) AS sel_retn_time
            FROM range({lo}, {hi}) t(i)) TO '{p}' (FORMAT parquet, COMPRESSION zstd)""")
    print(f"generated {rows:,} scan rows in {files} Parquet files in {time.perf_counter() - t:.0f} s -> {folder}")
    return paths


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--memory-limit", default="3GB")
    args = ap.parse_args()
    paths = generate(args.rows, args.files)
    planted = sum(1 for i in range(999, args.rows, 1000) if i >= 500_001)
    result = OUT / f"repeats-{args.rows}.csv"
    cmd = [sys.executable, "-m", "catalog_tool", "trace", "duplicates", *map(str, paths), "--memory-limit", args.memory_limit,
           "-f", "csv", "-o", str(result)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(proc.stderr.strip())
    found = sum(1 for _ in open(result, encoding="utf-8")) - 1 if result.is_file() else 0
    print(f"catalog-tool trace duplicates (DuckDB {duckdb.__version__}, memory limit {args.memory_limit}): {args.rows:,} rows in "
          f"{took:.1f} s = {args.rows / took:,.0f} rows/s; peak RSS {peak:,.0f} MB; repeats listed {found:,}, planted {planted:,}")


if __name__ == "__main__":
    main()
