"""Options and helpers every command shares: the database, output formats, writing output."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer

from catalog_tool.errors import InputError


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")]
EditionOption = Annotated[Optional[str], typer.Option("--edition", "-e", help="Edition id (see `catalog-tool editions`).")]


@dataclass
class Settings:
    db_path: Path | None = None


def open_catalog(ctx: typer.Context, *, embedded: bool = True):
    """Open the database, loading the embedded sample editions on first use."""
    from catalog_tool.embedded import ensure_embedded
    from catalog_tool.paths import default_db_path
    from catalog_tool.store import CatalogDB

    settings: Settings = ctx.find_root().obj or Settings()
    db = CatalogDB(settings.db_path or default_db_path())
    if embedded:
        loaded = ensure_embedded(db)
        if loaded:
            typer.echo(f"loaded embedded editions: {', '.join(loaded)}", err=True)
    return db


def drug_edition(db, edition: str | None) -> str:
    """The id of the named edition, refusing one that is not a drug catalog; without a name, the
    latest drug edition (by effective date), as commands that need one default to."""
    from catalog_tool.model import CatalogKind

    if edition is not None:
        if db.edition(edition).kind is not CatalogKind.drugs:
            raise InputError(f"edition {edition!r} is not a drug catalog")
        return edition
    drugs = db.editions(CatalogKind.drugs)  # ordered by effective date, then id
    if not drugs:
        raise InputError("no drug edition in the database: import one first")
    return drugs[-1].id


def emit_with(output: Path | None, write: Callable[[TextIO], None]) -> None:
    """Let `write` stream text to stdout, or atomically to `output` (as `emit` writes a string)."""
    if output is None:
        write(sys.stdout)
        sys.stdout.flush()
        return
    from catalog_tool.formats.canonical import atomic_output

    with atomic_output(output, "w", encoding="utf-8") as fh:
        write(fh)
    typer.echo(f"wrote {output}", err=True)


def emit(text: str, output: Path | None = None) -> None:
    """Print `text`, or write it atomically to `output`."""
    if output is None:
        typer.echo(text)
        return
    emit_with(output, lambda fh: fh.write(text if text.endswith("\n") else text + "\n"))


def parse_kinds(text: str | None, allowed: set[str], option: str) -> set[str]:
    """A comma-separated list of names, each checked against `allowed`."""
    if not text:
        return set()
    kinds = {k.strip() for k in text.split(",") if k.strip()}
    bad = kinds - allowed
    if bad:
        raise InputError(f"{option}: unknown {', '.join(sorted(bad))} (choose from {', '.join(sorted(allowed))})")
    return kinds
