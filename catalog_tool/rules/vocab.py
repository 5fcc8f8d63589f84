"""The editable vocabulary behind the parser: disease terms with their ICD-10 codes and the age
ranges of population words (成人, 儿童 …). Both are CSV files in `rules/data/`; a user may pass
their own copy (same columns) to map more terms or to use a local definition of 儿童."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.model.rule import AgeBound
from catalog_tool.rules.text import normal

DATA_DIR = Path(__file__).parent / "data"
TERMS_FILE = DATA_DIR / "icd10-terms.csv"
POPULATIONS_FILE = DATA_DIR / "populations.csv"
_ICD = re.compile(r"^[A-Z](\d{1,2}(\.\w{1,4})?)?$")


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Disease terms → ICD-10 code prefixes, and population words → age ranges."""

    terms: dict[str, tuple[str, ...]]
    populations: dict[str, tuple[AgeBound | None, AgeBound | None]]

    @property
    def term_pattern(self) -> re.Pattern[str]:
        return _alternation(tuple(self.terms))

    @property
    def population_pattern(self) -> re.Pattern[str]:
        return _alternation(tuple(self.populations))

    def find_terms(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping disease terms in `text`, longest first at each position; phrases
        listed with code `-` (间变性淋巴瘤激酶, 肺炎链球菌) hide the disease words inside them."""
        found = ((m.start(), m.end(), self.canonical(m.group())) for m in self.term_pattern.finditer(text))
        terms = [f for f in found if self.terms[f[2]]]
        return sorted(terms + self._elided(text, terms))

    def _elided(self, text: str, found: list) -> list[tuple[int, int, str]]:
        """`胃、十二指肠溃疡`: the first name shares the ending of the second (胃溃疡)."""
        out: list[tuple[int, int, str]] = []
        for s, _, term in found:
            j = s - 1
            if j < 1 or text[j] not in "、和及或":
                continue
            for size in range(1, 5):
                i = j - size
                if i < 0 or not all("\u4e00" <= ch <= "\u9fff" for ch in text[i:j]):
                    break
                if any(a < j and i < b for a, b, _ in found):
                    break
                hit = next((text[i:j] + term[k:] for k in range(1, len(term))
                            if text[i:j] + term[k:] in self.terms and self.terms[text[i:j] + term[k:]]), None)
                if hit:
                    out.append((i, j, hit))
                    break
        return out

    def canonical(self, found: str) -> str:
        if found in self.terms:
            return found
        low = found.lower()
        return next(t for t in self.terms if t.lower() == low)

    def codes(self, terms: list[str]) -> list[str]:
        out: list[str] = []
        for t in terms:
            out += [c for c in self.terms.get(t, ()) if c not in out]
        return out


@lru_cache(maxsize=64)
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in ordered) or "(?!)", re.IGNORECASE)


def _rows(path: Path, columns: tuple[str, ...]):
    from catalog_tool.formats.tables import read_table

    table = read_table(path)
    idx = [table.column(c) for c in columns]
    for n, cells in table.rows:
        yield n, [cells[i] for i in idx]


def load_terms(path: Path) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for n, (term, codes) in _rows(path, ("term", "icd10")):
        term = normal(term.strip())
        if not term:
            raise InputError("empty term", file=path, row=n, field="term")
        if codes.strip() == "-":  # a phrase that is not a disease (间变性淋巴瘤激酶): blocks shorter terms
            out[term] = ()
            continue
        parts = tuple(c.strip().upper() for c in re.split(r"[;；,，\s]+", codes) if c.strip())
        bad = [c for c in parts if not _ICD.match(c)]
        if bad or not parts:
            raise InputError(f"not ICD-10 code prefixes: {codes!r}", file=path, row=n, field="icd10")
        out[term] = parts
    return out


def _bound(path: Path, n: int, value: str, unit: str, inclusive: bool, field: str) -> AgeBound | None:
    if not value.strip():
        return None
    try:
        return AgeBound(value=Decimal(value.strip()), unit=unit.strip() or "岁", inclusive=inclusive)
    except (InvalidOperation, ValueError):
        raise InputError(f"bad age {value!r} {unit!r}", file=path, row=n, field=field) from None


def load_populations(path: Path) -> dict[str, tuple[AgeBound | None, AgeBound | None]]:
    out = {}
    for n, (word, lo, lo_unit, hi, hi_unit) in _rows(path, ("word", "min", "min_unit", "max", "max_unit")):
        out[word.strip()] = (_bound(path, n, lo, lo_unit, True, "min"), _bound(path, n, hi, hi_unit, False, "max"))
    return out


@lru_cache(maxsize=8)
def vocabulary(terms_file: Path = TERMS_FILE, populations_file: Path = POPULATIONS_FILE) -> Vocabulary:
    """The vocabulary from the given CSV files (cached; the defaults ship with the package)."""
    return Vocabulary(load_terms(Path(terms_file)), load_populations(Path(populations_file)))
