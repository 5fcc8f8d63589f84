"""Key check: inside one edition (all its files), no two rows share a key: the national code, or
for code-less NRDL rows (section, medicine type, name, dosage form), as the import keys them."""

from __future__ import annotations

from catalog_tool.checks.findings import error
from catalog_tool.formats.datasets import DatasetFolder, EditionData, TableFile
from catalog_tool.model import CatalogKind
from catalog_tool.model.check import CheckFinding

NAME_KEY = ("section", "medicine_type", "name", "dosage_form")


SEP = "\x1f"  # joins the parts of a name key; never in a code


def row_keys(table: TableFile, kind: CatalogKind) -> list[str]:
    """The key of every row of `table`, in row order, as one string (a code has no SEP in it)."""
    codes = table.column("code") or [""] * len(table)
    if kind is not CatalogKind.drugs or all(codes):
        return list(codes)
    parts = [table.column(f) or [""] * len(table) for f in NAME_KEY]
    return [c or SEP.join(k) for c, k in zip(codes, zip(*parts))]


def edition_duplicates(ed: EditionData) -> list[CheckFinding]:
    keyed = [(t, row_keys(t, ed.kind)) for t in ed.tables]
    everything = [k for _, keys in keyed for k in keys if k]
    if len(set(everything)) == len(everything):
        return []  # the usual case, decided in bulk
    first: dict[str, tuple[str, int]] = {}
    out = []
    for table, keys in keyed:
        for line, key in zip(table.lines, keys):
            if not key:
                continue  # no code: the schema check reports a required code
            seen = first.setdefault(key, (table.rel, line))
            if seen != (table.rel, line):
                parts = key.split(SEP)
                out.append(error("keys.duplicate", f"{ed.id}: duplicate key {' / '.join(k for k in parts if k)} "
                                 f"(first at {seen[0]} line {seen[1]})", table.rel, line, "code" if len(parts) == 1 else "name"))
    return out


def check_keys(folder: DatasetFolder) -> list[CheckFinding]:
    return [f for ed in folder.editions if ed.kind is not None for f in edition_duplicates(ed)]
