"""Run every check family over a loaded datasets folder and gather one CheckReport."""

from __future__ import annotations

from collections import Counter

from catalog_tool.checks.change import check_change
from catalog_tool.checks.codes import check_codes
from catalog_tool.checks.dates import check_dates
from catalog_tool.checks.findings import error, warning
from catalog_tool.checks.keys import check_keys
from catalog_tool.checks.manifest import check_manifest
from catalog_tool.checks.procurement import check_procurement
from catalog_tool.checks.references import check_references
from catalog_tool.checks.restrictions import check_restrictions
from catalog_tool.checks.schema import check_schema
from catalog_tool.checks.totals import check_totals
from catalog_tool.formats.datasets import DatasetFolder
from catalog_tool.model.check import CheckFinding, CheckReport, Severity

CHECKS = {
    "manifest": check_manifest, "schema": check_schema, "keys": check_keys, "codes": check_codes,
    "references": check_references, "totals": check_totals, "dates": check_dates,
    "restrictions": check_restrictions, "change": check_change, "procurement": check_procurement,
}
MAX_PER_KIND = 200  # findings of one code in one file; the rest are counted in one closing finding


def _cap(findings: list[CheckFinding]) -> list[CheckFinding]:
    counts: Counter = Counter()
    out = []
    for f in findings:
        counts[(f.code, f.file)] += 1
        if counts[(f.code, f.file)] <= MAX_PER_KIND:
            out.append(f)
    for (code, file), n in counts.items():
        if n > MAX_PER_KIND:
            first = next(f for f in findings if (f.code, f.file) == (code, file))
            make = error if first.severity is Severity.error else warning
            out.append(make(code, f"… and {n - MAX_PER_KIND} more {code} findings in this file", file))
    return out


def _order(f: CheckFinding) -> tuple:
    """By file, then line; findings about a whole file after its lines."""
    return (f.file or "", f.row is None, f.row or 0, f.code)


def _in_scope(f: CheckFinding, scope: list[str] | None) -> bool:
    if not scope or "" in scope:
        return True
    return f.file is not None and any(f.file == s or f.file.startswith(s.rstrip("/") + "/") for s in scope)


def run_checks(folder: DatasetFolder, only: set[str] | None = None, scope: list[str] | None = None) -> CheckReport:
    """All checks (or `only` those) over `folder`; `scope` keeps findings of files under those
    relative paths (the manifest's own findings always count)."""
    findings = [error("io.read", e.message, e.file, e.row, e.field) for e in folder.read_errors]
    for name, check in CHECKS.items():
        if only is None or name in only:
            findings += check(folder)
    findings.sort(key=_order)
    findings = sorted((f for f in _cap(findings) if _in_scope(f, scope) or f.file == "manifest.json"), key=_order)
    errors = sum(f.severity is Severity.error for f in findings)
    tables = [t for ed in folder.editions for t in ed.tables]
    stats = {
        "editions": len(folder.editions), "edition_files": len(tables), "rows": sum(len(t) for t in tables),
        "other_tables": len(folder.side_tables), "json_files": len(folder.json_files) + (folder.manifest is not None),
        "checks": sum(1 for n in CHECKS if only is None or n in only),
        "errors": errors, "warnings": len(findings) - errors,
    }
    return CheckReport(valid=errors == 0, stats=stats, findings=findings)
