"""Claim lines held column by column: each field as integer codes into its list of distinct
values. Checks then run once per distinct combination of the facts they read, not once per line."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalog_tool.model.claim import Claim

FIELDS = tuple(f for f in Claim.model_fields if f != "row")
KEY_LIMIT = 2**62  # a combined group key stays below this (int64)


@dataclass
class Columns:
    """`codes[f][i]` indexes `values[f]`; `rows[i]` is the line's row number in its file."""

    n: int
    codes: dict[str, np.ndarray]
    values: dict[str, list]
    rows: np.ndarray

    @classmethod
    def from_claims(cls, claims: list[Claim]) -> Columns:
        """Columns of pydantic claims (small inputs, tests, library callers)."""
        codes, values = {}, {}
        for f in FIELDS:
            index: dict = {}
            col = np.empty(len(claims), dtype=np.int32)
            for i, c in enumerate(claims):
                v = getattr(c, f)
                v = tuple(v) if isinstance(v, list) else v
                col[i] = index.setdefault(v, len(index))
            codes[f], values[f] = col, list(index)
        rows = np.array([c.row if c.row is not None else i + 1 for i, c in enumerate(claims)], dtype=np.int64)
        return cls(len(claims), codes, values, rows)

    def value(self, field: str, i: int):
        return self.values[field][self.codes[field][i]]

    def claim(self, i: int) -> Claim:
        """Line `i` as a pydantic claim (for explaining one verdict)."""
        data = {f: self.value(f, i) for f in FIELDS}
        data["diagnosis_codes"] = list(data["diagnosis_codes"] or ())
        data["diagnosis_text"] = list(data["diagnosis_text"] or ())
        return Claim(row=int(self.rows[i]), **data)

    def line(self, i: int) -> LineView:
        """Line `i` read through the columns, without building a model (checks read attributes)."""
        return LineView(self, i)

    def groups(self, fields: tuple[str, ...], idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lines `idx` grouped by their values of `fields`: each group's first position in `idx`,
        and each line's group (groups in the order of their codes, field by field)."""
        key, space = np.zeros(len(idx), dtype=np.int64), 1
        for f in fields:
            _, code = _rank(self.codes[f][idx], len(self.values[f]))
            size = int(code.max()) + 1 if len(code) else 1
            if space * size >= KEY_LIMIT:  # the combined key would overflow int64: renumber it densely first
                _, key = _rank(key, space)
                space = int(key.max()) + 1 if len(key) else 1
            key, space = key * size + code, space * size
        return _rank(key, space)

    def distinct(self, fields: tuple[str, ...], idx: np.ndarray) -> tuple[list[tuple], np.ndarray]:
        """The distinct value combinations of `fields` over lines `idx`, and each line's combination."""
        first, inverse = self.groups(fields, idx)
        lines = idx[first]
        per_field = [[self.values[f][c] for c in self.codes[f][lines].tolist()] for f in fields]
        return list(zip(*per_field)), inverse


def _rank(key: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct value of `key` (integers below `space`) numbered in sorted order: the first
    position of each, and each element's number. Counted in a table when `space` is small, as it
    is for most checks; sorted otherwise."""
    m = len(key)
    if space <= 2 * m + 4096:
        first = np.full(space, m, dtype=np.int64)
        np.minimum.at(first, key, np.arange(m))
        present = first < m
        return first[present], (np.cumsum(present) - 1)[key]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


class LineView:
    """Attribute access to one line's values (`view.age_days`), as a `Claim` would give them."""

    __slots__ = ("_cols", "_i")

    def __init__(self, cols: Columns, i: int) -> None:
        self._cols, self._i = cols, i

    def __getattr__(self, name: str):
        if name == "row":
            return int(self._cols.rows[self._i])
        return self._cols.value(name, self._i)
