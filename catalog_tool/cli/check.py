"""`check` validates datasets folders before they ship (exit 0 clean, 1 findings, 2 usage or I/O);
its JSON report is documented in docs/check-report.md."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    github = "github"


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def _display(root: Path, rel: str | None) -> str | None:
    """A finding's file as the user (and GitHub) names it: relative to the working folder."""
    if rel is None:
        return None
    path = root / rel
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_paths(paths: list[Path], only: set[str] | None = None):
    """Load the datasets folder of each path and check it; one CheckReport for all of them."""
    from catalog_tool.checks import run_checks
    from catalog_tool.errors import InputError
    from catalog_tool.formats.datasets import find_root, load_folder
    from catalog_tool.model.check import CheckReport
    from catalog_tool.schemas import SCHEMAS_DIR

    scopes: dict[Path, list[str]] = {}
    for p in paths:
        if not p.exists():
            raise InputError("no such file or folder", file=p)
        root = find_root(p)
        if root is None:
            raise InputError("no manifest.json in this folder or above it: not a datasets folder", file=p)
        rel = p.resolve().relative_to(root).as_posix()
        scopes.setdefault(root, []).append("" if rel == "." else rel)
    findings, stats, valid = [], {}, True
    for root, scope in scopes.items():
        try:
            folder = load_folder(root, SCHEMAS_DIR)
        except OSError as e:
            raise InputError(f"cannot read: {e.strerror}", file=e.filename or root) from None
        report = run_checks(folder, only, scope)
        valid &= report.valid
        for k, v in report.stats.items():
            stats[k] = stats.get(k, 0) + v if k != "checks" else v
        findings += [f.model_copy(update={"file": _display(root, f.file)}) for f in report.findings]
    return CheckReport(valid=valid, stats=stats, findings=findings)


def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Datasets folders, edition folders or files (default: datasets/).")] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="table, json (the documented report) or github (annotations).")] = CheckFormat.table,
    fail_on_warning: Annotated[bool, typer.Option("--fail-on-warning", help="Exit 1 on warnings too.")] = False,
    junit: Annotated[Optional[Path], typer.Option("--junit", help="Also write a JUnit XML report to this file.")] = None,
    only: Annotated[Optional[str], typer.Option("--only", help="Comma-separated check families (default: all).")] = None,
) -> None:
    """Validate datasets before they ship: schemas, manifest sha256, keys, codes, references, stated
    totals, dates, restriction texts and change versus the previous edition. Exit 0 clean, 1 when
    error findings exist (or warnings with --fail-on-warning), 2 on a usage or I/O error."""
    from catalog_tool.checks import CHECKS
    from catalog_tool.cli.common import parse_kinds
    from catalog_tool.paths import DATASETS_DIR
    from catalog_tool.render import check as render

    families = parse_kinds(only, set(CHECKS), "--only") or None
    if not paths:
        paths = [Path("datasets") if Path("datasets").is_dir() else DATASETS_DIR]
    report = check_paths(paths, families)
    if fmt is CheckFormat.json:
        from catalog_tool.render.table import to_json

        typer.echo(to_json(report.model_dump(mode="json")))
    elif fmt is CheckFormat.github:
        typer.echo(render.github(report))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(render.markdown_summary(report))
    else:
        typer.echo(render.table(report))
    if junit is not None:
        from catalog_tool.formats.canonical import atomic_output

        with atomic_output(junit, "wb") as fh:
            fh.write(render.junit(report))
    if not report.valid or (fail_on_warning and report.findings):
        raise typer.Exit(1)
