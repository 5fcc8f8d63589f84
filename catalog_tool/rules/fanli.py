"""Rules an edition states only in its 凡例 (general notes), read from a data file: rows that need
a nutritional-risk screening although their 备注 is empty, and the fund-type semantics
(工伤保险 is not bound by restrictions; 限生育保险 / 限工伤保险)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.model.rule import Note, Restriction
from catalog_tool.rules.parser import parse

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_FILE = DATA_DIR / "fanli-2025.json"


@dataclass(frozen=True)
class RowRule:
    """A 凡例 clause that applies to a range of numbers of one part."""

    clause: str
    name: str
    section: str
    first: int
    last: int
    restriction: Restriction

    def applies(self, section: str | None, base_number: str | None) -> bool:
        if section != self.section or not base_number or not base_number.isdigit():
            return False
        return self.first <= int(base_number) <= self.last


@dataclass(frozen=True)
class Fanli:
    """The 凡例 rules of one edition (or those inherited from the file given)."""

    path: Path
    document_no: str | None
    editions: tuple[str, ...]
    row_rules: tuple[RowRule, ...]
    funds: dict
    marks: dict

    def quote(self, key: str) -> Note:
        """A fund clause as a quotable node: `not_bound`, `maternity_only`, `injury_only`."""
        f = self.funds[key]
        return Note(text=f["quote"], start=0, end=len(f["quote"]), source=f"凡例{f['clause']}", note=key)

    def for_row(self, section: str | None, base_number: str | None) -> list[Restriction]:
        return [r.restriction for r in self.row_rules if r.applies(section, base_number)]

    def covers(self, edition_id: str, document_no: str | None) -> bool:
        return edition_id in self.editions or (document_no is not None and document_no == self.document_no)


def _field(data: dict, key: str, path: Path):
    if key not in data:
        raise InputError(f"missing {key!r}", file=path, field=key)
    return data[key]


@lru_cache(maxsize=8)
def load(path: Path = DEFAULT_FILE) -> Fanli:
    """Read and check a 凡例 rules file: every quote must be verbatim in its clause."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None
    clauses = _field(data, "clauses", path)
    rules = []
    for i, r in enumerate(_field(data, "row_rules", path), start=1):
        clause, text = r["clause"], r["restriction"]
        if text not in clauses.get(clause, ""):
            raise InputError(f"restriction of row rule {i} is not verbatim in 凡例{clause}", file=path, field="restriction")
        first, last = r["numbers"]
        rules.append(RowRule(clause, r["name"], r["section"], int(first), int(last), parse(text, source=f"凡例{clause}")))
    funds = _field(data, "funds", path)
    for key in ("not_bound", "maternity_only", "injury_only"):
        f = _field(funds, key, path)
        if f["quote"] not in clauses.get(f["clause"], ""):
            raise InputError(f"quote of {key} is not verbatim in 凡例{f['clause']}", file=path, field=key)
    return Fanli(path, data.get("document_no"), tuple(data.get("editions", [])), tuple(rules), funds,
                 data.get("marks", {}))


def for_edition(edition_id: str, document_no: str | None, path: Path | None = None) -> tuple[Fanli, bool]:
    """The 凡例 rules for an edition, and whether its row rules apply (the file is that edition's);
    fund semantics apply to every edition (the same clause since the 2017 list)."""
    fanli = load(Path(path) if path else DEFAULT_FILE)
    return fanli, path is not None or fanli.covers(edition_id, document_no)
