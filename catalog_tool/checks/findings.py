"""Short constructors for findings, so each check reads as a list of rules."""

from __future__ import annotations

from catalog_tool.model.check import CheckFinding, Severity


def error(code: str, message: str, file: str | None = None, row: int | None = None, field: str | None = None) -> CheckFinding:
    return CheckFinding(code=code, severity=Severity.error, message=message, file=file, row=row, field=field)


def warning(code: str, message: str, file: str | None = None, row: int | None = None, field: str | None = None) -> CheckFinding:
    return CheckFinding(code=code, severity=Severity.warning, message=message, file=file, row=row, field=field)
