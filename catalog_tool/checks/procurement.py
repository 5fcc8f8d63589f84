"""Procurement check: every VBP batch folder in the datasets (a folder with drugs and bids tables)
is read and evaluated the way `catalog-tool vbp` reads it, under the rule set its batch.json names,
so a dataset update that breaks a batch (unknown 品种编号, a bid twice, a price that is no number, a
spec 差比价 cannot compare) fails CI with the file, row and column."""

from __future__ import annotations

from pathlib import Path

from catalog_tool.checks.findings import error
from catalog_tool.errors import CatalogError
from catalog_tool.formats.datasets import DatasetFolder
from catalog_tool.model.check import CheckFinding


def batch_folders(root: Path) -> list[Path]:
    return sorted({p.parent for p in root.rglob("drugs.*") if any(p.parent.glob("bids.*"))})


def check_procurement(folder: DatasetFolder) -> list[CheckFinding]:
    from catalog_tool.formats.vbp_batch import read_batch
    from catalog_tool.procurement import evaluate, load_rules

    findings = []
    for path in batch_folders(folder.root):
        try:
            batch = read_batch(path)
            rules = load_rules(batch.rules or "batch-9", batch.rules_source)
            evaluate(batch.drugs, batch.bids, rules, source=batch.files["bids"], drug_source=batch.files["drugs"])
        except CatalogError as e:
            where = Path(e.file) if e.file else path
            rel = where.resolve().relative_to(folder.root.resolve()).as_posix() if where.is_absolute() or where.exists() else str(where)
            findings.append(error("procurement.batch", e.message, rel, e.row, e.field))
    return findings
