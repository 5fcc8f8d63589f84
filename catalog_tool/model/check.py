"""The result of `catalog-tool check`: findings with where they are, and a report that is valid
when no error-level finding exists. The JSON form is documented in docs/check-report.md."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


class Severity(str, Enum):
    """error fails the check (exit 1); warning is reported and fails only with --fail-on-warning."""

    error = "error"
    warning = "warning"


class CheckFinding(BaseModel):
    """One problem in the datasets, located as precisely as the check knows."""

    code: str = Field(..., description="stable identifier of the kind of problem, e.g. keys.duplicate")
    severity: Severity
    message: str
    file: str | None = Field(None, description="path relative to the checked datasets folder")
    row: int | None = Field(None, description="line of the file (the header is line 1)")
    field: str | None = Field(None, description="column or JSON key")


class CheckReport(BaseModel):
    """All findings of one run; `valid` is false when any finding is an error."""

    valid: bool
    stats: dict[str, int] = Field(default_factory=dict, description="counts: editions, files, rows, errors, warnings, per-check figures")
    findings: list[CheckFinding] = Field(default_factory=list)
