"""Manifest check: the manifest parses, every listed file exists with the listed sha256, edition ids
and files are not listed twice, and `replaces` names an edition that exists when it is an id."""

from __future__ import annotations

import re

from catalog_tool.checks.findings import error
from catalog_tool.formats.datasets import MANIFEST, DatasetFolder
from catalog_tool.model.check import CheckFinding

ID_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def check_manifest(folder: DatasetFolder) -> list[CheckFinding]:
    if folder.manifest_error is not None:
        e = folder.manifest_error
        return [error("manifest.malformed", e.message, MANIFEST, e.row)]
    out: list[CheckFinding] = []
    entries = [e for e in (folder.manifest or {}).get("editions", []) if isinstance(e, dict)]
    ids = [str(e.get("id")) for e in entries]
    seen_ids: set[str] = set()
    seen_files: dict[str, str] = {}
    for entry in entries:
        eid = str(entry.get("id"))
        line = folder.manifest_lines.get(eid)
        if eid in seen_ids:
            out.append(error("manifest.duplicate-id", f"edition {eid} is listed twice", MANIFEST, line, "id"))
        seen_ids.add(eid)
        replaces = entry.get("replaces")
        if isinstance(replaces, str) and ID_SHAPE.match(replaces) and replaces not in ids:
            out.append(error("manifest.replaces-unknown", f"{eid} replaces {replaces}, which is not in the manifest",
                             MANIFEST, line, "replaces"))
        for f in entry.get("files", []) if isinstance(entry.get("files"), list) else []:
            rel = f.get("path") if isinstance(f, dict) else None
            if not isinstance(rel, str):
                continue  # the schema check reports the malformed entry
            if rel in seen_files:
                out.append(error("manifest.duplicate-file", f"{rel} is listed by {seen_files[rel]} and {eid}", MANIFEST, line, "files"))
            seen_files[rel] = eid
            actual = folder.digests.get(rel)
            if actual is None:
                out.append(error("manifest.missing-file", f"{eid}: listed file is missing", rel))
            elif actual != f.get("sha256"):
                out.append(error("manifest.sha256", f"{eid}: sha256 {actual} does not match the manifest "
                                 f"({str(f.get('sha256'))[:12]}…); run python -m catalog_tool.manifest after editing", rel))
    return out
