"""Generate large mixed trace-code columns fast (numpy + polars) for bench/trace.py.

Shares of the mix: 码上放心 20-digit codes, GS1 DataMatrix strings as scanners send them (with
or without `]d2`, wrong check digits, impossible dates, missing serials), and a small share of
everything else (MA, parenthesised GS1, junk …) drawn from catalog_tool.trace.corpus.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from catalog_tool.trace.corpus import generate

ALNUM = np.frombuffer(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", dtype=np.uint8)


def _digits(rng, n: int, k: int) -> np.ndarray:
    return rng.integers(48, 58, size=(n, k), dtype=np.uint8)


def _text(a: np.ndarray) -> pl.Series:
    return pl.Series(np.ascontiguousarray(a).view(f"S{a.shape[1]}").ravel()).cast(pl.String)


def msfx(rng, n: int) -> pl.Series:
    d = _digits(rng, n, 20)
    d[:, 0] = np.where(rng.random(n) < 0.995, ord("8"), ord("7"))
    return _text(d)


def gs1(rng, n: int) -> pl.Series:
    body = _digits(rng, n, 13)
    body[:, 0] = ord("0")
    body[:, 1:4] = np.frombuffer(b"695", dtype=np.uint8)
    v = (body - 48).astype(np.int64)
    total = (v[:, ::-1][:, 0::2] * 3).sum(1) + v[:, ::-1][:, 1::2].sum(1)
    check = (10 - total % 10) % 10
    check = np.where(rng.random(n) < 0.01, (check + 1) % 10, check)
    gtin = np.concatenate([body, (check + 48).astype(np.uint8)[:, None]], axis=1)
    yy = rng.integers(26, 31, n)
    mm = np.where(rng.random(n) < 0.005, 13, rng.integers(1, 13, n))
    dd = rng.choice([0, 15, 28], n)
    date = np.char.encode(np.char.mod("%06d", yy * 10000 + mm * 100 + dd), "ascii")
    lot = ALNUM[rng.integers(0, len(ALNUM), (n, 8))]
    serial = ALNUM[rng.integers(0, len(ALNUM), (n, 12))]
    prefix = pl.Series(np.where(rng.random(n) < 0.5, b"]d2", b"")).cast(pl.String)
    df = pl.DataFrame({"p": prefix, "g": _text(gtin), "d": pl.Series(date).cast(pl.String), "l": _text(lot), "s": _text(serial)})
    no_serial = pl.Series(rng.random(n) < 0.002)
    return df.select(pl.concat_str([pl.col("p"), pl.lit("01"), pl.col("g"), pl.lit("17"), pl.col("d"), pl.lit("10"), pl.col("l"),
                                    pl.when(no_serial).then(pl.lit("")).otherwise(pl.lit("\x1d21") + pl.col("s"))])).to_series()


def mixed(n: int, seed: int = 6, other_share: float = 0.005) -> pl.Series:
    """`n` codes, shuffled: 62% 码上放心, the rest GS1 except `other_share` of every other kind."""
    rng = np.random.default_rng(seed)
    n_other = int(n * other_share)
    n_msfx = int(n * 0.62)
    parts = [msfx(rng, n_msfx), gs1(rng, n - n_msfx - n_other), pl.Series(generate(n_other, seed, {"gs1": 40, "ma": 20, "junk": 40}))]
    s = pl.concat(parts)
    return s.gather(rng.permutation(n)).alias("code")
