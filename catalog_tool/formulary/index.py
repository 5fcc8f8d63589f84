"""An edition held in memory for matching: entries by national code, former code (曾用码) and
normalised base name, so 50,000 formulary rows match in dictionary look-ups, not SQL per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from catalog_tool.formats.layout import LAYOUTS
from catalog_tool.formulary.normalise import base_name, clean_text, form_group, name_variants
from catalog_tool.model import CatalogKind, Edition

_FIELDS = LAYOUTS[CatalogKind.drugs].fields
_COLUMNS = ("code", "name", "dosage_form", "catalog_dosage_form", "registered_dosage_form", "spec",
            "drug_class", "remarks", "payment_standard", "agreement_end", "section", "former_codes",
            "registered_name")
_SALT_ENDINGS = ("钠", "钾", "钙", "镁")
_POS = [_FIELDS.index(c) for c in _COLUMNS]


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


class CatalogIndex:
    """Look-ups over one edition's rows."""

    def __init__(self, edition: Edition, rows: Iterable[tuple]) -> None:
        self.edition = edition
        self.entries: list[Entry] = []
        self.by_code: dict[str, int] = {}
        self.by_former: dict[str, int] = {}
        self.by_base: dict[str, list[int]] = defaultdict(list)
        for r in rows:
            (code, name, form, cat_form, reg_form, spec, cls, remarks, std, end, section, former,
             reg_name) = (r[p] for p in _POS)
            i = len(self.entries)
            self.entries.append(Entry(code, name, form or cat_form or reg_form, spec, cls, remarks, std, end,
                                      section, reg_name))
            if code:
                self.by_code.setdefault(code, i)
            for fc in (former or "").split(";"):
                if fc:
                    self.by_former.setdefault(fc, i)
            for b in dict.fromkeys([*name_variants(name), clean_text(name)]):
                self.by_base[b].append(i)
            if reg_name:
                rb = base_name(reg_name)
                if rb not in name_variants(name):
                    self.by_base[rb].append(i)
        self.has_codes = bool(self.by_code)

    @classmethod
    def load(cls, db, edition_id: str) -> CatalogIndex:
        return cls(db.edition(edition_id), db.rows(edition_id))

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
