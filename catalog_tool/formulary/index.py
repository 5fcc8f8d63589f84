"""An edition held in memory for matching: entries by national code, former code (曾用码) and
normalised base name, so 50,000 formulary rows match in dictionary look-ups, not SQL per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from catalog_tool.formulary.normalise import base_name, clean_text, form_group, name_variants
from catalog_tool.gcpause import gc_paused
from catalog_tool.model import Edition

_SALT_ENDINGS = ("钠", "钾", "钙", "镁")
# Read from the store in Entry order; the dosage form falls back to 医保剂型, then 注册剂型.
_COLUMNS = ("code", "name", "coalesce(dosage_form, catalog_dosage_form, registered_dosage_form)", "spec",
            "drug_class", "remarks", "payment_standard", "agreement_end", "section", "registered_name",
            "former_codes")


class Entry(NamedTuple):
    """The fields of one catalog row the checks use."""

    code: str | None
    name: str
    dosage_form: str | None
    spec: str | None
    drug_class: str | None
    remarks: str | None
    payment_standard: str | None
    agreement_end: str | None
    section: str | None
    registered_name: str | None
    former_codes: str | None

    @property
    def form_group(self) -> str | None:
        return form_group(self.dosage_form) or form_group(self.name)

    @property
    def in_catalog(self) -> bool:
        """Paid by the fund: 甲 or 乙 (negotiated rows are paid as 乙 even when the class is blank)."""
        if self.drug_class in ("甲", "乙"):
            return True
        if self.drug_class == "自费":
            return False
        if self.section in ("协议期内谈判药品部分", "竞价药品部分"):
            return True
        # NRDL rows without a class (中药饮片部分) are paid; code-table rows without one are not.
        return self.code is None and self.section not in (None, "不得纳入基金支付范围的中药饮片")

    @property
    def agreement_end_date(self) -> date | None:
        return date.fromisoformat(self.agreement_end) if self.agreement_end else None


@lru_cache(maxsize=200_000)
def name_keys(name: str) -> tuple[str, ...]:
    """The keys a catalog name is found under: the base of each stacked name, and the name itself."""
    return tuple(dict.fromkeys([*name_variants(name), clean_text(name)]))


def _keys(name: str, reg_name: str | None) -> tuple[str, ...]:
    """The keys a row is found under: those of its name, and the base of its registered name."""
    k = name_keys(name)
    if reg_name:
        rk = base_name(reg_name)
        if rk not in k:
            return (*k, rk)
    return k


class _Entries:
    """Rows of the edition, turned into `Entry` objects only when a check looks at one: most of a
    270,000-row code table is never touched by one formulary."""

    def __init__(self, rows: list[tuple]) -> None:
        self.rows = rows
        self._made: dict[int, Entry] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> Entry:
        e = self._made.get(i)
        if e is None:
            e = self._made[i] = Entry._make(self.rows[i])
        return e

    def form_group(self, i: int) -> str | None:
        r = self.rows[i]
        return form_group(r[2]) or form_group(r[1])


class CatalogIndex:
    """Look-ups over one edition's rows."""

    @gc_paused()
    def __init__(self, edition: Edition, rows: Iterable[tuple], *,
                 only: tuple[set[str], set[str]] | None = None) -> None:
        """`rows` in `Entry` field order; `only` = (codes, name keys): keep just the rows a formulary
        can match (enough for the previous edition), else all. Name keys are computed once per
        distinct name, so a 270,000-row code table costs a few thousand normalisations."""
        self.edition = edition
        raw = rows if isinstance(rows, list) else list(rows)
        if only is not None:
            codes, names = only
            pairs = {p for p in dict.fromkeys((r[1], r[9]) for r in raw) if any(k in names for k in _keys(*p))}
            raw = [r for r in raw if (r[1], r[9]) in pairs or r[0] in codes
                   or (r[10] and any(c in codes for c in r[10].split(";")))]
        self.entries = _Entries(raw)
        # Assigned backwards, so the first row of a code wins; rows without a code dropped after.
        code_col = [r[0] for r in raw]
        self.by_code: dict[str, int] = dict(zip(reversed(code_col), range(len(raw) - 1, -1, -1)))
        self.by_code.pop(None, None)  # type: ignore[call-overload]
        self.by_code.pop("", None)
        self.by_former: dict[str, int] = {}
        for i, former in [(i, r[10]) for i, r in enumerate(raw) if r[10]]:
            for fc in former.split(";"):
                self.by_former.setdefault(fc, i)
        groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
        for i, r in enumerate(raw):
            groups[(r[1], r[9])].append(i)
        self.by_base: dict[str, list[int]] = defaultdict(list)
        for (name, reg_name), ids in groups.items():
            for k in _keys(name, reg_name):
                self.by_base[k].extend(ids)
        for ids in self.by_base.values():
            ids.sort()
        self.has_codes = bool(self.by_code)
        self.codeless = code_col.count(None) + code_col.count("")  # NRDL rows carry no code

    @classmethod
    @gc_paused()
    def load(cls, db, edition_id: str, only: tuple[set[str], set[str]] | None = None) -> CatalogIndex:
        from catalog_tool.errors import InputError
        from catalog_tool.model import CatalogKind
        from catalog_tool.store.formulary import edition_columns

        edition = db.edition(edition_id)
        if edition.kind is not CatalogKind.drugs:
            raise InputError(f"edition {edition_id} is a {edition.kind.value} catalog: a formulary is checked "
                             "against a drugs edition")
        return cls(edition, edition_columns(db, edition_id, _COLUMNS), only=only)

    def by_national_code(self, code: str) -> tuple[int | None, bool]:
        """(entry, via former code)."""
        if code in self.by_code:
            return self.by_code[code], False
        if code in self.by_former:
            return self.by_former[code], True
        return None, False

    def by_name(self, name: str, dosage_form: str | None) -> int | None:
        """The entry of this drug by normalised name and form group (NRDL rows carry no code)."""
        base = base_name(name)
        hits = self.by_base.get(base)
        if not hits:
            hits = self.by_base.get(clean_text(name))
        if not hits and base[-1:] in _SALT_ENDINGS:  # 阿莫西林克拉维酸钾 → 阿莫西林克拉维酸
            hits = self.by_base.get(base[:-1])
        if not hits:
            return None
        group = form_group(dosage_form) or form_group(name)
        if group is None:
            return hits[0]
        loose = None
        for i in hits:
            g = self.entries[i].form_group
            if g == group:
                return i
            if g is None and loose is None:
                loose = i
        exact = [i for i in hits if clean_text(self.entries[i].name) == clean_text(name)]
        return exact[0] if exact else loose


def wanted_by(items, current: CatalogIndex | None = None) -> tuple[set[str], set[str]]:
    """(codes, name keys) a formulary can match in another edition: what `CatalogIndex.load(only=…)`
    keeps. An item with a code matches a coded row only by that code (see `validate.match`), so when
    `current` is a code table (every row has a code) only the items without a code need names."""
    codes = {it.national_code for it in items if it.national_code}
    names: set[str] = set()
    code_table = current is not None and current.has_codes and current.codeless == 0
    for it in items:
        if it.national_code and (code_table or (current is not None and current.by_national_code(it.national_code)[0] is not None)):
            continue
        base = base_name(it.name)
        names.update((base, clean_text(it.name)))
        if base[-1:] in _SALT_ENDINGS:
            names.add(base[:-1])
    return codes, names
