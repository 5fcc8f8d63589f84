"""Benchmark: validate 10,000,000 mixed trace codes column-wise, check the results against the
per-code parser on a sample, and measure biip (the peer) on a GS1 subset in the same run.

    python bench/trace.py [--codes 10000000] [--sample 20000] [--biip 20000]

Writes the generated codes to bench/out/trace-codes.parquet (git-ignored) and prints the figures.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl  # noqa: E402

from catalog_tool.trace import parse_code  # noqa: E402
from catalog_tool.trace.bulk import validate_bulk  # noqa: E402
from trace_data import mixed  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--codes", type=int, default=10_000_000)
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--biip", type=int, default=20_000)
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / "trace-codes.parquet"
    t = time.perf_counter()
    codes = mixed(args.codes)
    pl.DataFrame({"code": codes}).write_parquet(path)
    print(f"generated {len(codes):,} codes in {time.perf_counter() - t:.1f} s -> {path}")

    codes = pl.read_parquet(path)["code"]
    t = time.perf_counter()
    result = validate_bulk(codes)
    took = time.perf_counter() - t
    print(f"catalog-tool bulk validate: {len(codes):,} codes in {took:.2f} s = {len(codes) / took:,.0f} codes/s "
          f"(peak RSS so far {peak_mb():,.0f} MB)")
    print(result.group_by("family").agg(pl.len().alias("codes"), (~pl.col("valid")).sum().alias("invalid")).sort("codes", descending=True))

    sample = result.sample(args.sample, seed=1)
    t = time.perf_counter()
    parsed = [parse_code(c) for c in sample["code"].to_list()]
    one_by_one = time.perf_counter() - t
    want = [(p.family.value, p.valid, p.reasons[0].code if p.reasons else None) for p in parsed]
    got = list(sample.select("family", "valid", "reason").iter_rows())
    diff = sum(a != b for a, b in zip(want, got))
    print(f"per-code parser on a {args.sample:,}-code sample: {args.sample / one_by_one:,.0f} codes/s; "
          f"bulk and per-code disagree on {diff} of {args.sample:,}")

    from biip import ParseError
    from biip.gs1_messages import GS1Message

    gs1 = result.filter((pl.col("family") == "GS1") & ~pl.col("code").str.contains(r"[<{\[(]")).head(args.biip)
    texts = [c[3:] if c.startswith("]") else c for c in gs1["code"].to_list()]
    t = time.perf_counter()
    biip_ok = []
    for text in texts:
        try:
            msg = GS1Message.parse(text)
            biip_ok.append(not any(e.gtin_error for e in msg.element_strings))
        except ParseError:
            biip_ok.append(False)
    biip_took = time.perf_counter() - t
    ours = [r is None or r == "gs1-no-serial" for r in gs1["reason"].to_list()]
    agree = sum(a == b for a, b in zip(ours, biip_ok))
    print(f"biip GS1Message.parse one by one: {len(texts):,} GS1 codes in {biip_took:.2f} s = {len(texts) / biip_took:,.0f} codes/s; "
          f"agrees with bulk validity on {agree:,} of {len(texts):,} (a missing (21) serial is a trace rule, not GS1 syntax)")
    print(f"speed-up over biip: {(len(codes) / took) / (len(texts) / biip_took):,.0f}x; peak RSS {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
