"""Keep `datasets/manifest.json` honest: the sha256 of every embedded file, recomputed from disk.

`python -m catalog_tool.manifest` rewrites the sha256 entries after a dataset is edited;
`python -m catalog_tool.manifest --check` exits 1 when an entry no longer matches its file
(the embedded loader would refuse that edition), 2 when a listed file is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from catalog_tool.embedded import load_manifest, manifest_path
from catalog_tool.errors import CatalogError, InputError
from catalog_tool.paths import DATASETS_DIR


@dataclass(frozen=True)
class FileCheck:
    """One manifest file entry beside the checksum of the file on disk."""

    edition: str
    path: str
    listed: str
    actual: str

    @property
    def ok(self) -> bool:
        return self.listed == self.actual


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        raise InputError("file listed in the manifest is missing", file=path) from None


def check_files(datasets: Path = DATASETS_DIR) -> list[FileCheck]:
    """Every file entry of the manifest, with the listed and the actual sha256."""
    return [
        FileCheck(entry["id"], f["path"], f.get("sha256", ""), _sha256(datasets / f["path"]))
        for entry in load_manifest(datasets).get("editions", [])
        for f in entry.get("files", [])
    ]


def refresh(datasets: Path = DATASETS_DIR) -> list[FileCheck]:
    """Rewrite the manifest's sha256 entries from the files; returns the entries that changed."""
    from catalog_tool.formats.canonical import atomic_output

    manifest = load_manifest(datasets)
    changed = [c for c in check_files(datasets) if not c.ok]
    if not changed:
        return []
    actual = {c.path: c.actual for c in changed}
    for entry in manifest.get("editions", []):
        for f in entry.get("files", []):
            f["sha256"] = actual.get(f["path"], f.get("sha256"))
    path = manifest_path(datasets)
    with atomic_output(path, encoding="utf-8") as fh:
        fh.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    path.chmod(0o644)  # the temporary file was private; the manifest is shipped
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m catalog_tool.manifest", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 on a mismatch")
    parser.add_argument("--datasets", type=Path, default=DATASETS_DIR, help="the datasets folder")
    args = parser.parse_args(argv)
    try:
        if args.check:
            bad = [c for c in check_files(args.datasets) if not c.ok]
            for c in bad:
                print(f"{c.edition}: {c.path}: sha256 {c.actual} (manifest says {c.listed or 'nothing'})")
            return 1 if bad else 0
        for c in refresh(args.datasets):
            print(f"{c.edition}: {c.path}: sha256 {c.listed[:12] or '-'}… → {c.actual[:12]}…")
        return 0
    except CatalogError as e:
        print(f"catalog-tool: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
