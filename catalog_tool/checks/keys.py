"""Key check: inside one edition (all its files), no two rows share a key: the national code, or
for code-less NRDL rows (section, medicine type, name, dosage form), as the import keys them."""

from __future__ import annotations

from catalog_tool.checks.findings import error
from catalog_tool.formats.datasets import DatasetFolder, EditionData, TableFile
from catalog_tool.model import CatalogKind
from catalog_tool.model.check import Finding

NAME_KEY = ("section", "medicine_type", "name", "dosage_form")


def row_keys(table: TableFile, kind: CatalogKind) -> list[tuple]:
    """The key of every row of `table`, in row order."""
    codes = table.column("code") or [""] * len(table.rows)
    if kind is not CatalogKind.drugs:
        return [(c,) for c in codes]
    parts = [table.column(f) or [""] * len(table.rows) for f in NAME_KEY]
    return [(c,) if c else k for c, k in zip(codes, zip(*parts))]


def edition_duplicates(ed: EditionData) -> list[Finding]:
    first: dict[tuple, tuple[str, int]] = {}
    out = []
    for table in ed.tables:
        field = "code"
        for line, key in zip(table.lines, row_keys(table, ed.kind)):
            if key == ("",):
                continue  # no code: the schema check reports a required code
            seen = first.setdefault(key, (table.rel, line))
            if seen != (table.rel, line):
                field = "code" if len(key) == 1 else "name"
                out.append(error("keys.duplicate", f"{ed.id}: duplicate key {' / '.join(k for k in key if k)} "
                                 f"(first at {seen[0]} line {seen[1]})", table.rel, line, field))
    return out


def check_keys(folder: DatasetFolder) -> list[Finding]:
    return [f for ed in folder.editions if ed.kind is not None for f in edition_duplicates(ed)]
