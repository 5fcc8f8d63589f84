"""Errors a user can cause, each carrying where it happened (file, row, field).

The command line turns every `CatalogError` into one line on stderr and exit code 2;
library callers get the structured fields.
"""

from __future__ import annotations

from pathlib import Path


class CatalogError(Exception):
    """Base of every error caused by input: bad file, bad code, unknown edition."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.field = field

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field}")
        prefix = ": ".join([", ".join(where)]) + ": " if where else ""
        return prefix + self.message

    def to_dict(self) -> dict:
        return {"message": self.message, "file": self.file, "row": self.row, "field": self.field}


class InputError(CatalogError):
    """A file that cannot be read or whose content is malformed."""


class UnknownEdition(CatalogError):
    """An edition id that is not in the database."""


class EditionConflict(CatalogError):
    """Different content offered under an edition id that already exists."""
