"""Benchmark: a procurement batch of 60 drugs, 800 bids and 50,000 hospitals' demand, evaluated and
allocated (issue 7's target: under 2 s on this 2-core machine).

    python bench/vbp.py [--drugs 60] [--bids 800] [--hospitals 50000] [--rules batch-9]

Generates the batch with bench/gen_vbp.py under bench/out/, then times in fresh processes:
  1. the library: read the folder, evaluate every bid, assign regions, every hospital's quota;
  2. the command a user runs: `catalog-tool vbp allocate BATCH --hospitals -f csv -o FILE`;
  3. beside it, an independent computation of the same quotas with polars (a columnar engine) from
     the regions our allocation chose, whose totals must equal ours: a timing and a cross-check.
No open-source VBP evaluator exists to run as a peer; the polars pass is the nearest honest one.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def library_phase(batch: Path, rules_name: str) -> None:
    t0 = time.perf_counter()
    from catalog_tool.formats.vbp_batch import read_batch
    from catalog_tool.procurement import evaluate, load_rules
    from catalog_tool.procurement.allocate import allocate

    marks = {"imports": time.perf_counter()}
    batch = read_batch(batch)
    marks[f"read batch ({len(batch.demand):,} demand rows)"] = time.perf_counter()
    results = evaluate(batch.drugs, batch.bids, load_rules(rules_name))
    marks[f"evaluate {len(batch.bids)} bids of {len(batch.drugs)} drugs"] = time.perf_counter()
    alloc = allocate(batch, results)
    marks["regions + hospital quotas"] = time.perf_counter()
    last = t0
    for label, at in marks.items():
        print(f"  {label:40s} {at - last:6.2f} s")
        last = at
    total = last - t0
    winners = sum(r.winners for r in results)
    print(f"library: {total:.2f} s, {winners} winners, {len(alloc.assignments):,} region choices, "
          f"{alloc.quota_count:,} hospital quotas, agreed {alloc.agreed_total:,}; "
          f"target < 2 s: {'met' if total < 2 else 'NOT met'}")


def polars_phase(batch: Path, agreed_csv: Path) -> None:
    """Recompute every hospital's quota with polars from demand, shares and suppliers; compare totals."""
    t0 = time.perf_counter()
    import polars as pl

    ours = pl.read_csv(agreed_csv, infer_schema=False)
    suppliers = ours.select("drug", "province", "company").unique()
    shares = ours.select("drug", pl.col("share").cast(pl.Float64)).unique()
    demand = pl.read_csv(batch / "demand.csv", infer_schema=False).select(
        pl.col("医疗机构编码").alias("hospital"), pl.col("省份").alias("province"), pl.col("品种编号").alias("drug"),
        pl.col("需求量").cast(pl.Int64).alias("demand"))
    peer = (demand.join(shares, on="drug").join(suppliers, on=["drug", "province"])
            .with_columns(((pl.col("demand") * (pl.col("share") * 1000).round(0).cast(pl.Int64) + 500) // 1000).alias("agreed")))
    took = time.perf_counter() - t0
    mine = ours.select(pl.col("agreed").cast(pl.Int64)).sum().item()
    theirs = peer.select("agreed").sum().item()
    print(f"polars cross-check: {took:.2f} s for {peer.height:,} quotas; agreed total {theirs:,} vs ours {mine:,}: "
          f"{'equal' if theirs == mine and peer.height == ours.height else 'DIFFERENT'}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drugs", type=int, default=60)
    ap.add_argument("--bids", type=int, default=800)
    ap.add_argument("--hospitals", type=int, default=50_000)
    ap.add_argument("--rules", default="batch-9")
    ap.add_argument("--library", metavar="BATCH", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.library:
        library_phase(Path(args.library), args.rules)
        return
    batch = OUT / f"vbp-d{args.drugs}-b{args.bids}-h{args.hospitals}"
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_vbp.py"), str(batch), "--drugs", str(args.drugs),
                    "--bids-total", str(args.bids), "--hospitals", str(args.hospitals), "--seed", "1", "--preferences"],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"generated {batch.relative_to(ROOT)} in {time.perf_counter() - t:.1f} s")
    subprocess.run([sys.executable, __file__, "--library", str(batch), "--rules", args.rules], check=True)
    agreed = OUT / "vbp-agreed.csv"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "catalog_tool", "vbp", "allocate", str(batch), "--rules", args.rules,
                    "--hospitals", "-f", "csv", "-o", str(agreed)], check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    took = time.perf_counter() - t
    print(f"cli: catalog-tool vbp allocate --hospitals -f csv: {took:.2f} s (process start, read, evaluate, allocate, "
          f"write); target < 2 s: {'met' if took < 2 else 'NOT met'}")
    polars_phase(batch, agreed)


if __name__ == "__main__":
    main()
