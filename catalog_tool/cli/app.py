"""The root typer app. Command groups are the other modules of this package, each with a
`register(app)` function, found at start-up so a new capability adds a module and nothing else.
Heavy libraries are imported inside commands, so `--help` stays fast."""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import click
import typer
from typer.core import TyperGroup

import catalog_tool
from catalog_tool import cli as cli_package
from catalog_tool.errors import CatalogError


class CatalogGroup(TyperGroup):
    """Turns library errors into one line on stderr and their exit code; never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CatalogError as e:
            click.echo(f"catalog-tool: error: {e}", err=True)
            ctx.exit(e.exit_code)
        except sqlite3.Error as e:  # disk full, a locked or damaged database: the transaction rolled back
            settings = ctx.find_root().obj
            where = getattr(settings, "db_path", None) or "the database"
            click.echo(f"catalog-tool: error: {where}: {str(e).splitlines()[0]} (nothing was written)", err=True)
            ctx.exit(2)
        except BrokenPipeError:
            ctx.exit(0)
        except OSError as e:  # a file the checks could not foresee: unwritable folder, disk full while writing
            where = e.filename or "a file"
            click.echo(f"catalog-tool: error: {where}: {e.strerror or e} (nothing was written)", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("catalog-tool: interrupted", err=True)
            ctx.exit(130)


app = typer.Typer(
    cls=CatalogGroup,
    help="China's national medical insurance catalogs (医保目录): drugs, consumables, medical services.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"catalog-tool {catalog_tool.__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[Path],
        typer.Option("--db", envvar="CATALOG_TOOL_DB", help="Database file (default: ~/.local/share/catalog-tool/catalog.sqlite)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Maintain and work on the national catalogs."""
    from catalog_tool.cli.common import Settings

    ctx.obj = Settings(db_path=db)


def _register_all() -> None:
    for mod in sorted(pkgutil.iter_modules(cli_package.__path__), key=lambda m: m.name):
        if mod.name in ("app", "common") or mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{cli_package.__name__}.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
