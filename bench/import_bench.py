"""Benchmark: import a 270,000-row drug code table (size of the NHSA code database) and time
`catalog-tool --help`. Peer: a plain `csv` + `sqlite3.executemany` load with no validation, i.e.
the floor any import pays. Each run is a child process, so peak memory (max RSS) is its own.

Usage: python bench/import_bench.py [--rows 270000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gen_codedb import generate  # noqa: E402

PEER = r"""
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[2]); rows = csv.reader(open(sys.argv[1], encoding="utf-8"))
header = next(rows); con.execute("CREATE TABLE t (%s)" % ",".join(f"c{i}" for i in range(len(header))))
con.executemany("INSERT INTO t VALUES (%s)" % ",".join("?" * len(header)), rows); con.commit()
"""


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process (os.wait4 gives its own rusage)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=270_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = generate(args.rows, Path(tmp) / "医保药品分类与代码.csv")
        size = src.stat().st_size / 1e6
        env = {**os.environ, "CATALOG_TOOL_DATASETS": str(Path(tmp) / "none")}
        ours = [sys.executable, "-m", "catalog_tool", "--db", f"{tmp}/ours.sqlite", "import", str(src),
                "--catalog", "drugs", "--edition", "codes-bench"]
        t_ours, m_ours = run(ours, env)
        t_peer, m_peer = run([sys.executable, "-c", PEER, str(src), f"{tmp}/peer.sqlite"])
        helps = [run([sys.executable, "-m", "catalog_tool", "--help"])[0] for _ in range(5)]
    print(f"drug code table: {args.rows:,} rows, {size:.0f} MB CSV")
    print(f"{'tool':<44}{'seconds':>9}{'rows/s':>12}{'peak MB':>9}")
    print(f"{'catalog-tool import (validated, indexed)':<44}{t_ours:>9.2f}{args.rows / t_ours:>12,.0f}{m_ours:>9.0f}")
    print(f"{'peer: csv + sqlite3.executemany (no checks)':<44}{t_peer:>9.2f}{args.rows / t_peer:>12,.0f}{m_peer:>9.0f}")
    print(f"catalog-tool --help: best {min(helps):.3f} s, median {sorted(helps)[2]:.3f} s (goal < 0.3 s)")
    print(f"goal: import < 5 s with < 1024 MB: {'met' if t_ours < 5 and m_ours < 1024 else 'NOT met'}")


if __name__ == "__main__":
    main()
