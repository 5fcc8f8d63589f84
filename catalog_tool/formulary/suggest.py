"""Rank catalog entries for items without a usable mapping: name similarity (characters and pinyin
initials, so 二甲双胍 meets ejsg), then dosage form group, then spec. Names are scored for all
queries at once with rapidfuzz `cdist` over the edition's distinct base names (a few thousand even
for a 270,000-row code table), then each query's best names are expanded to entries."""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist, extract

from catalog_tool.formulary.index import CatalogIndex
from catalog_tool.formulary.normalise import base_name, clean_text, form_group
from catalog_tool.model.formulary import FormularyItem, Suggestion
from catalog_tool.pinyin import initials

NAME_WEIGHT, FORM_WEIGHT, SPEC_WEIGHT = 0.7, 0.2, 0.1
MIN_NAME_SCORE = 50  # a name less similar than this is not a candidate at all
PINYIN_BELOW = 90  # pinyin initials are compared only when no name scores this well by characters
_CHUNK = 2_000


class Suggester:
    """Built once per edition; `suggest` takes every item that needs suggestions in one call."""

    def __init__(self, index: CatalogIndex, names: int = 5, limit: int = 5) -> None:
        self.index = index
        self.names = list(index.by_base)
        self._pinyin: list[str] | None = None
        self.top_names = names
        self.limit = limit
        self._forms: dict[str, dict[str | None, tuple[list[int], list[str]]]] = {}

    def forms_of(self, name: str) -> dict[str | None, tuple[list[int], list[str]]]:
        """The entries of one base name by form group, with their cleaned specs; built the first time
        a query's best names include it (most of a code table's names are never asked for)."""
        found = self._forms.get(name)
        if found is None:
            rows = self.index.entries.rows
            found = self._forms[name] = {}
            for i in self.index.by_base[name]:
                r = rows[i]  # the group as `Entry.form_group`, inlined: this runs for every row of a name
                ids, specs = found.setdefault(form_group(r[2]) or form_group(r[1]), ([], []))
                ids.append(i)
                specs.append(r[3] or "")
        return found

    @property
    def pinyin(self) -> list[str]:
        """Initials of every name, built on first need (loading pypinyin's table takes a while)."""
        if self._pinyin is None:
            self._pinyin = [initials(n) for n in self.names]
        return self._pinyin

    def suggest(self, items: list[FormularyItem]) -> dict[int, list[Suggestion]]:
        """Suggestions per item row. Names are scored once per distinct query (items share names)."""
        out: dict[int, list[Suggestion]] = {}
        if not items or not self.names:
            return out
        k = min(self.top_names, len(self.names))
        of_item = [base_name(it.name) for it in items]
        queries = list(dict.fromkeys(of_item))
        best_names: dict[str, list[tuple[int, str]]] = {}
        for start in range(0, len(queries), _CHUNK):
            chunk = queries[start:start + _CHUNK]
            combined = cdist(chunk, self.names, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
            weak = np.flatnonzero(combined.max(axis=1) < PINYIN_BELOW)
            if len(weak):  # characters alone found nothing close: try the pinyin initials too
                py = cdist([initials(chunk[j]) for j in weak], self.pinyin, scorer=fuzz.ratio,
                           dtype=np.uint8, workers=-1)
                combined[weak] = np.maximum(combined[weak], (py.astype(np.uint16) * 9 // 10).astype(np.uint8))
            # The k best names of each query, ascending by (score, column) as the last k of a stable
            # sort would list them, among the names `_rank` keeps (MIN_NAME_SCORE or better): a few
            # dozen per query instead of sorting whole rows of thousands.
            rows, cols = np.nonzero(combined >= MIN_NAME_SCORE)
            scores = combined[rows, cols]
            order = np.lexsort((cols, scores, rows))
            cols_l, scores_l = cols[order].tolist(), scores[order].tolist()
            ends = np.searchsorted(rows[order], np.arange(1, len(chunk) + 1)).tolist()
            start = 0
            for query, end in zip(chunk, ends):
                best_names[query] = [(scores_l[j], self.names[cols_l[j]]) for j in range(max(start, end - k), end)]
                start = end
        for it, query in zip(items, of_item):
            out[it.row] = self._rank(it, best_names[query])
        return out

    def _rank(self, item: FormularyItem, names: list[tuple[int, str]]) -> list[Suggestion]:
        group = form_group(item.dosage_form) or form_group(item.name)
        spec = clean_text(item.spec)
        scored: dict[object, tuple[float, int]] = {}
        rows = self.index.entries.rows
        for name_score, name in names:
            if name_score < MIN_NAME_SCORE:
                continue
            forms = self.forms_of(name)
            for g in ([group] if group and group in forms else list(forms)):
                form_score = 100 if group and g == group else (50 if group is None or g is None else 0)
                ids, specs = forms[g]
                if spec:  # the entries of this name and form with the closest specs, ranked in C
                    best = [(sc, ids[j]) for _, sc, j in extract(spec, specs, scorer=fuzz.ratio, limit=self.limit)]
                else:
                    best = [(50.0, i) for i in ids[: self.limit]]
                for spec_score, i in best:
                    r = rows[i]  # (code, name, dosage_form, spec, …): no Entry needed to score
                    score = NAME_WEIGHT * name_score + FORM_WEIGHT * form_score + SPEC_WEIGHT * (spec_score if r[3] else 50)
                    ident = r[0] or (r[1], r[2])
                    if score > scored.get(ident, (-1, 0))[0]:
                        scored[ident] = (score, i)
        ranked = sorted((-s, i) for s, i in scored.values())[: self.limit]  # best score, then row order
        return [Suggestion(code=rows[i][0], name=rows[i][1], dosage_form=rows[i][2], spec=rows[i][3],
                           drug_class=rows[i][4], score=round(-s, 1)) for s, i in ranked]
