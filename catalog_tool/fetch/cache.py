"""The download cache: finished files stored under their sha256 (so a pinned file is fetched once),
partial downloads kept beside them so a later run can resume."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """`$CATALOG_TOOL_CACHE`, else `$XDG_CACHE_HOME/catalog-tool`, else `~/.cache/catalog-tool`."""
    env = os.environ.get("CATALOG_TOOL_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "catalog-tool"


def cached(root: Path, sha256: str) -> Path:
    return root / "sha256" / sha256


def partial(root: Path, sha256: str) -> Path:
    return root / "partial" / f"{sha256}.part"
