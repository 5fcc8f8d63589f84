"""`fetch URL|NAME --sha256 HEX`: download an edition's source file, verified, through a cache."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("fetch")(fetch)


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def progress_bar(stream=None, width: int = 30, every: float = 0.1):
    """A progress callback drawing `[#####     ]  45%  1.2 MB / 2.7 MB` on stderr, at most every `every` s."""
    stream = stream or sys.stderr
    last = [0.0]

    def draw(done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] < every and (total is None or done < total):
            return
        last[0] = now
        if total:
            filled = int(width * done / total)
            line = f"[{'#' * filled}{' ' * (width - filled)}] {done * 100 // total:3d}%  {_size(done)} / {_size(total)}"
        else:
            line = f"{_size(done)} received"
        stream.write("\r" + line)
        stream.flush()

    return draw


def fetch(
    source: Annotated[str, typer.Argument(help="An http(s) URL, or the name of a source in the datasets manifest.")],
    sha256: Annotated[Optional[str], typer.Option("--sha256", help="The sha256 the file must have (pinned for named sources).")] = None,
    output_dir: Annotated[Path, typer.Option("--output-dir", "-o", help="Folder to save into.")] = Path("."),
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the server at each step.")] = 30.0,
    retries: Annotated[int, typer.Option("--retries", help="Retries after a transient failure.", min=0)] = 4,
    backoff: Annotated[float, typer.Option("--backoff", help="First wait between retries in seconds (doubles each time).", min=0)] = 1.0,
    progress: Annotated[Optional[bool], typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal).")] = None,
    manifest: Annotated[Optional[Path], typer.Option("--manifest", help="Manifest with the named sources (default: datasets/manifest.json).")] = None,
) -> None:
    """Download a file and verify its sha256; a mismatch deletes it and exits 1. Downloads go through
    a cache ($CATALOG_TOOL_CACHE, else ~/.cache/catalog-tool) and resume where the server allows."""
    from catalog_tool.embedded import load_manifest
    from catalog_tool.fetch import fetch as download
    from catalog_tool.fetch import resolve

    data = load_manifest(manifest.parent) if manifest else load_manifest()
    target = resolve(source, sha256, data)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        result = download(target, output_dir, timeout=timeout, retries=retries, backoff=backoff,
                          progress=progress_bar() if show else None)
    finally:
        if show:
            sys.stderr.write("\n")
    how = "from the cache" if result.from_cache else (
        f"{result.attempts} attempt{'s' if result.attempts > 1 else ''}"
        + (f", resumed at byte {result.resumed_from}" if result.resumed_from else ""))
    typer.echo(f"{result.path}  {_size(result.size)}  sha256 {result.sha256} verified ({how})")
