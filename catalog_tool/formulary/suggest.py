"""Rank catalog entries for items without a usable mapping: name similarity (characters and pinyin
initials, so 二甲双胍 meets ejsg), then dosage form group, then spec. Names are scored for all
queries at once with rapidfuzz `cdist` over the edition's distinct base names (a few thousand even
for a 270,000-row code table), then each query's best names are expanded to entries."""

from __future__ import annotations

from collections import defaultdict

from catalog_tool.formulary.index import CatalogIndex
from catalog_tool.formulary.normalise import base_name, clean_text, form_group
from catalog_tool.model.formulary import FormularyItem, Suggestion
from catalog_tool.pinyin import initials

NAME_WEIGHT, FORM_WEIGHT, SPEC_WEIGHT = 0.7, 0.2, 0.1
MIN_NAME_SCORE = 50  # a name less similar than this is not a candidate at all
_CHUNK = 2_000


class Suggester:
    """Built once per edition; `suggest` takes every item that needs suggestions in one call."""

    def __init__(self, index: CatalogIndex, names: int = 5, limit: int = 5) -> None:
        self.index = index
        self.names = list(index.by_base)
        self.pinyin = [initials(n) for n in self.names]
        self.top_names = names
        self.limit = limit
        # entries of one base name by form group: expanding a name is a dictionary look-up
        self.groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
        self.forms_of: dict[str, list[str | None]] = {}
        for name, ids in index.by_base.items():
            for i in ids:
                self.groups[(name, index.entries[i].form_group)].append(i)
            self.forms_of[name] = list(dict.fromkeys(index.entries[i].form_group for i in ids))

    def suggest(self, items: list[FormularyItem]) -> dict[int, list[Suggestion]]:
        """Suggestions per item row."""
        import numpy as np
        from rapidfuzz import fuzz
        from rapidfuzz.process import cdist

        out: dict[int, list[Suggestion]] = {}
        if not items or not self.names:
            return out
        k = min(self.top_names, len(self.names))
        for start in range(0, len(items), _CHUNK):
            chunk = items[start:start + _CHUNK]
            queries = [base_name(it.name) for it in chunk]
            scores = cdist(queries, self.names, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
            py = cdist([initials(q) for q in queries], self.pinyin, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
            combined = np.maximum(scores, (py.astype(np.uint16) * 9 // 10).astype(np.uint8))
            best = np.argpartition(combined, len(self.names) - k, axis=1)[:, -k:]
            for row, it in enumerate(chunk):
                names = [(int(combined[row, j]), self.names[j]) for j in best[row]]
                out[it.row] = self._rank(it, names)
        return out

    def _rank(self, item: FormularyItem, names: list[tuple[int, str]]) -> list[Suggestion]:
        from rapidfuzz import fuzz

        group = form_group(item.dosage_form) or form_group(item.name)
        spec = clean_text(item.spec)
        scored: dict[object, tuple[float, int]] = {}
        for name_score, name in names:
            if name_score < MIN_NAME_SCORE:
                continue
            keys = [(name, group)] if group and (name, group) in self.groups else \
                [(name, g) for g in self.forms_of[name]]
            for key in keys:
                form_score = 100 if group and key[1] == group else (50 if group is None or key[1] is None else 0)
                for i in self.groups[key][:200]:
                    e = self.index.entries[i]
                    spec_score = fuzz.ratio(spec, clean_text(e.spec)) if spec and e.spec else 50
                    score = NAME_WEIGHT * name_score + FORM_WEIGHT * form_score + SPEC_WEIGHT * spec_score
                    ident = e.code or (e.name, e.dosage_form)
                    if score > scored.get(ident, (-1, 0))[0]:
                        scored[ident] = (score, i)
        ranked = sorted(scored.values(), key=lambda t: (-t[0], t[1]))[: self.limit]
        return [Suggestion(code=self.index.entries[i].code, name=self.index.entries[i].name,
                           dosage_form=self.index.entries[i].dosage_form, spec=self.index.entries[i].spec,
                           drug_class=self.index.entries[i].drug_class, score=round(s, 1)) for s, i in ranked]
