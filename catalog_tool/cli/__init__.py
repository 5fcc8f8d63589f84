"""The command line: a thin typer layer over the library. Errors a user causes end in one line and
exit code 2; the only place that knows about exit codes and terminals."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from catalog_tool.cli.app import app

    app(args=argv, prog_name="catalog-tool")


__all__ = ["main"]
