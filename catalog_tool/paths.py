"""Where things live: the database, the embedded datasets, the shared real data."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATASETS_DIR = Path(os.environ.get("CATALOG_TOOL_DATASETS", PROJECT_DIR / "datasets"))


def default_db_path() -> Path:
    """`$CATALOG_TOOL_DB`, else `$XDG_DATA_HOME/catalog-tool/catalog.sqlite`."""
    env = os.environ.get("CATALOG_TOOL_DB")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "catalog-tool" / "catalog.sqlite"


def shared_data_dir() -> Path | None:
    """The real public data beside the project (`../shared/data`), if present."""
    env = os.environ.get("CATALOG_TOOL_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates += [PROJECT_DIR.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    for c in candidates:
        if c.is_dir():
            return c
    return None
