"""The sample editions shipped in `datasets/`, listed with checksums in `datasets/manifest.json`,
loaded into the database on first use so a fresh machine needs no set-up step."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from catalog_tool.errors import InputError
from catalog_tool.model import CatalogKind
from catalog_tool.paths import DATASETS_DIR
from catalog_tool.store import CatalogDB


def manifest_path(datasets: Path = DATASETS_DIR) -> Path:
    return datasets / "manifest.json"


def load_manifest(datasets: Path = DATASETS_DIR) -> dict:
    path = manifest_path(datasets)
    if not path.is_file():
        return {"editions": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON: {e.msg}", file=path, row=e.lineno) from None


def verify_files(entry: dict, datasets: Path = DATASETS_DIR) -> list[Path]:
    """The edition's files, each checked against its manifest sha256."""
    out = []
    for f in entry["files"]:
        path = datasets / f["path"]
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            raise InputError("file listed in the manifest is missing", file=path) from None
        if digest != f["sha256"]:
            raise InputError(f"sha256 {digest[:12]}… does not match the manifest ({f['sha256'][:12]}…)", file=path)
        out.append(path)
    return out


def ensure_embedded(db: CatalogDB, datasets: Path = DATASETS_DIR) -> list[str]:
    """Import every manifest edition the database lacks; returns the ids imported."""
    from catalog_tool.importing import import_files

    done = []
    for entry in load_manifest(datasets).get("editions", []):
        if db.has_edition(entry["id"]):
            continue
        files = verify_files(entry, datasets)
        meta = {k: entry.get(k) for k in ("title", "document_no", "issuer", "published", "effective", "replaces", "stated_totals")}
        import_files(db, CatalogKind(entry["kind"]), files, entry["id"], overrides=meta)
        done.append(entry["id"])
    return done
