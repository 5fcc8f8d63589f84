"""Counts agree with an independent tool: simonw's csv-diff on generated code-keyed editions."""

from __future__ import annotations

import csv
import random

import pytest
from csv_diff import compare as csv_compare
from csv_diff import load_csv

from catalog_tool.diff.compare import compare
from catalog_tool.formats.frames import read_frame
from catalog_tool.formats.layout import LAYOUTS
from catalog_tool.model import CatalogKind

HEADER = ["药品代码", "注册名称", "剂型", "药品企业", "甲乙类", "备注", "医保支付标准"]


def editions(tmp_path, seed: int, n: int = 600):
    rnd = random.Random(seed)
    old, new = [], []
    for i in range(n):
        row = [f"XA01ABD075A{i:012d}", f"阿莫西林{i % 7}", "片剂", f"制药企业{i % 13}", "甲" if i % 3 else "乙",
               "限成人" if i % 4 == 0 else "", f"{i % 97 + 1}.50元(10mg/片)"]
        old.append(row)
        r = rnd.random()
        if r < 0.05:
            continue
        if r < 0.12:
            row = list(row)
            row[rnd.choice([1, 4, 5, 6])] += "改"
        new.append(row)
        if r > 0.95:
            new.append([f"XB01ACD075A{i:012d}"] + row[1:])
    rnd.shuffle(new)
    paths = tmp_path / f"old-{seed}.csv", tmp_path / f"new-{seed}.csv"
    for path, rows in zip(paths, (old, new)):
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([HEADER, *rows])
    return paths


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_equal_csv_diff(tmp_path, seed):
    a, b = editions(tmp_path, seed)
    with a.open(encoding="utf-8") as fa, b.open(encoding="utf-8") as fb:
        peer = csv_compare(load_csv(fa, key="药品代码"), load_csv(fb, key="药品代码"))
    layout = LAYOUTS[CatalogKind.drugs]
    c = compare(read_frame(a, layout), read_frame(b, layout), key=["code"]).counts()
    assert (c["added"], c["removed"], c["changed_rows"] + c["cosmetic_only_rows"]) == \
        (len(peer["added"]), len(peer["removed"]), len(peer["changed"]))
    assert len(peer["added"]) and len(peer["removed"]) and len(peer["changed"])
