"""`Columns.groups`: the counting path (small code spaces) and the sorting path (large ones) give
the groups `np.unique` gives on the lines' code tuples, in the same order."""

import numpy as np
import pytest

from catalog_tool.rules.columns import Columns


@pytest.mark.parametrize("limit", [2**62, 1000])  # 1000: the combined key is renumbered between fields
@pytest.mark.parametrize("sizes", [(3, 5), (600, 700), (9000,), (2, 9000, 4), (40, 50, 60, 70)])
def test_groups_match_unique_on_code_tuples(sizes, limit, monkeypatch):
    monkeypatch.setattr("catalog_tool.rules.columns.KEY_LIMIT", limit)
    rng = np.random.default_rng(1)
    n = 500
    fields = tuple(f"f{i}" for i in range(len(sizes)))
    codes = {f: rng.integers(0, s, n).astype(np.int32) for f, s in zip(fields, sizes)}
    cols = Columns(n, codes, {f: list(range(s)) for f, s in zip(fields, sizes)}, np.arange(n))
    idx = np.sort(rng.choice(n, 300, replace=False))
    first, inverse = cols.groups(fields, idx)
    tuples = np.stack([codes[f][idx] for f in fields]).T
    _, want_first, want_inverse = np.unique(tuples, axis=0, return_index=True, return_inverse=True)
    assert first.tolist() == want_first.tolist()
    assert inverse.tolist() == want_inverse.reshape(-1).tolist()
    combos, _ = cols.distinct(fields, idx)
    assert combos == [tuple(int(x) for x in t) for t in tuples[want_first]]
