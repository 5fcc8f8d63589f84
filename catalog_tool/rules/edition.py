"""The rule book of an edition: every row's structured restriction (its 备注 and the 凡例 rules
that reach it), indexed by drug code and by part + number so claim lines can find their row."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog_tool.model.rule import Condition, Dimension, Group, Restriction, RowRule, walk
from catalog_tool.rules import fanli as fanli_rules
from catalog_tool.rules.parser import parse
from catalog_tool.rules.vocab import Vocabulary, vocabulary

SECTION_ALIASES = {
    "西药": "西药部分", "西药部分": "西药部分",
    "谈判": "协议期内谈判药品部分", "协议": "协议期内谈判药品部分", "协议期内谈判药品部分": "协议期内谈判药品部分",
    "竞价": "竞价药品部分", "竞价药品部分": "竞价药品部分",
    "中成药": "中成药部分", "中成药部分": "中成药部分",
    "饮片": "中药饮片部分", "中药饮片": "中药饮片部分", "中药饮片部分": "中药饮片部分",
    "不得纳入基金支付范围的中药饮片": "不得纳入基金支付范围的中药饮片",
}
EXCLUDED_SECTION = "不得纳入基金支付范围的中药饮片"


def section_name(text: str | None) -> str | None:
    """`谈判` → 协议期内谈判药品部分; None when the name is not a part of the list."""
    if text is None or not text.strip():
        return None
    key = re.sub(r"[-（(].*$", "", text.strip())
    return SECTION_ALIASES.get(key)


def number_key(text: str | None) -> str | None:
    """`★（376）`, `★376`, ` 368 ` → `★(376)`, `368`: the form 编号 is stored in."""
    if text is None:
        return None
    t = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
    m = re.fullmatch(r"★\(?(\d+)\)?", t)
    return f"★({m.group(1)})" if m else t or None


@dataclass
class RuleBook:
    """Structured rules of one edition."""

    edition: str
    rows: list[RowRule]
    fanli: fanli_rules.Fanli
    fanli_rows_apply: bool
    by_code: dict[str, list[int]] = field(default_factory=dict)
    by_number: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def find(self, code: str | None, section: str | None, number: str | None,
             dosage_form: str | None = None) -> list[int]:
        """Rows a claim line names: by code, else by part (default 西药部分) and number; a 剂型
        narrows ★ rows that share a number."""
        if code:
            return list(self.by_code.get(code.strip().upper(), []))
        key = (section_name(section) or "西药部分", number_key(number) or "")
        hits = list(self.by_number.get(key, []))
        if dosage_form and len(hits) > 1:
            narrowed = [i for i in hits if (self.rows[i].dosage_form or "") == dosage_form.strip()]
            hits = narrowed or hits
        return hits


def build(items: Iterable, edition_id: str, document_no: str | None = None, *,
          fanli_path: Path | None = None, vocab: Vocabulary | None = None) -> RuleBook:
    """Parse every distinct restriction text of `items` (DrugItem) once and attach 凡例 rules."""
    vocab = vocab or vocabulary()
    fl, rows_apply = fanli_rules.for_edition(edition_id, document_no, fanli_path)
    book = RuleBook(edition_id, [], fl, rows_apply)
    for item in items:
        section = item.section.value if item.section is not None else None
        remarks: Restriction | None = parse(item.remarks, vocab=vocab) if item.remarks and item.remarks.strip() else None
        extra = fl.for_row(section, item.base_number) if rows_apply else []
        i = len(book.rows)
        book.rows.append(RowRule(section=section, number=item.number, code=item.code, name=item.name,
                                 dosage_form=item.dosage_form, remarks=remarks, fanli=extra))
        if item.code:
            book.by_code.setdefault(item.code.upper(), []).append(i)
        if section and item.number:
            book.by_number.setdefault((section, number_key(item.number)), []).append(i)
    _herbs_not_paid_together(book)
    return book


def _alone(n) -> bool:
    return isinstance(n, Condition) and n.dimension is Dimension.single_use and not n.partners


def _herbs_not_paid_together(book: RuleBook) -> None:
    """凡例（十六）: a prescription made only of herbs marked 单独使用不予支付 is not paid either.
    Their single-use conditions learn the names of all such herbs of the edition (on copies: the
    parsed restriction is shared through the parser's cache)."""
    rows = [r for r in book.rows
            if r.section == "中药饮片部分" and r.remarks is not None and any(map(_alone, walk(r.remarks.root)))]
    names = sorted({r.name for r in rows})

    def copy(node):
        if _alone(node):
            return node.model_copy(update={"not_with": names})
        if isinstance(node, Group):
            return node.model_copy(update={"children": [copy(c) for c in node.children]})
        return node

    copies: dict[int, Restriction] = {}
    for row in rows:
        key = id(row.remarks)
        if key not in copies:
            copies[key] = row.remarks.model_copy(update={"root": copy(row.remarks.root)})
        row.remarks = copies[key]
