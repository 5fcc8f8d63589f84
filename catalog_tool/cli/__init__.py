"""The command line: a thin typer layer over the library. Errors a user causes end in one line and
exit code 2; the only place that knows about exit codes and terminals."""

from __future__ import annotations

import os

# Plain click help and usage errors: rich's help formatter costs ~150 ms of start-up (imports and
# layout), which would put `catalog-tool --help` over its 0.3 s budget. TYPER_USE_RICH=1 brings it back.
os.environ.setdefault("TYPER_USE_RICH", "0")


def main(argv: list[str] | None = None) -> None:
    from catalog_tool.cli.app import app

    app(args=argv, prog_name="catalog-tool")


__all__ = ["main"]
