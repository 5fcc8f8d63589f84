"""Restriction check: every 备注 restriction text of a drug edition goes through the rule parser
(`catalog_tool.rules.parse`); a text with parts the parser cannot structure is a warning, since
claims under it will need a person's review. Each distinct text is parsed once."""

from __future__ import annotations

from catalog_tool.checks.findings import warning
from catalog_tool.formats.datasets import DatasetFolder
from catalog_tool.model import CatalogKind
from catalog_tool.model.check import CheckFinding

NOT_RESTRICTIONS = ("不得纳入基金支付范围的中药饮片",)  # their 备注 describe excluded pieces, not conditions


def unstructured(text: str) -> list[str]:
    """The fragments of `text` the parser could not structure (empty when fully structured)."""
    from catalog_tool.rules import parse

    return [u.text for u in parse(text).unparsed]


def check_restrictions(folder: DatasetFolder) -> list[CheckFinding]:
    out: list[CheckFinding] = []
    verdicts: dict[str, list[str]] = {}
    for ed in folder.editions:
        if ed.kind is not CatalogKind.drugs:
            continue
        for t in ed.tables:
            remarks = t.column("remarks")
            if remarks is None:
                continue
            header = t.header_of("remarks")
            sections = t.column("section") or [""] * len(remarks)
            for line, text, section in zip(t.lines, remarks, sections):
                if not text or section in NOT_RESTRICTIONS:
                    continue
                if text not in verdicts:
                    verdicts[text] = unstructured(text)
                if verdicts[text]:
                    parts = "; ".join(f"「{p}」" for p in verdicts[text])
                    out.append(warning("restrictions.unstructured", f"the rule parser cannot structure {parts}", t.rel, line, header))
    return out
