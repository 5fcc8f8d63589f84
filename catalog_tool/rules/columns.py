"""Claim lines held column by column: each field as integer codes into its list of distinct
values. Checks then run once per distinct combination of the facts they read, not once per line."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalog_tool.model.claim import Claim

FIELDS = tuple(f for f in Claim.model_fields if f != "row")


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
        and each line's group (groups in the order of their codes)."""
        space = 1
        for f in fields:
            space *= len(self.values[f]) + 1
        if space <= 2 * len(idx) + 4096:  # small domains (most checks): counting, no sort
            key = np.zeros(len(idx), dtype=np.int64)
            for f in fields:
                key = key * (len(self.values[f]) + 1) + self.codes[f][idx]
            first = np.full(space, len(idx), dtype=np.int64)
            np.minimum.at(first, key, np.arange(len(idx)))
            present = first < len(idx)
            return first[present], (np.cumsum(present) - 1)[key]
        key = np.zeros(len(idx), dtype=np.int64)
        for f in fields:
            col = self.codes[f][idx].astype(np.int64)
            key = key * (len(self.values[f]) + 1) + col
            if len(fields) > 1:
                key = np.unique(key, return_inverse=True)[1].astype(np.int64)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return first, inverse.reshape(-1)

    def distinct(self, fields: tuple[str, ...], idx: np.ndarray) -> tuple[list[tuple], np.ndarray]:
        """The distinct value combinations of `fields` over lines `idx`, and each line's combination."""
        first, inverse = self.groups(fields, idx)
        return [tuple(self.value(f, int(idx[j])) for f in fields) for j in first], inverse


class LineView:
    """Attribute access to one line's values (`view.age_days`), as a `Claim` would give them."""

    __slots__ = ("_cols", "_i")

    def __init__(self, cols: Columns, i: int) -> None:
        self._cols, self._i = cols, i

    def __getattr__(self, name: str):
        if name == "row":
            return int(self._cols.rows[self._i])
        return self._cols.value(name, self._i)
