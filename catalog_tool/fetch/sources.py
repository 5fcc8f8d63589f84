"""Named sources: `catalog-tool fetch NAME` looks NAME up in the manifest's `sources`, which pins
the URL and the sha256 the file must have."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from catalog_tool.errors import InputError

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Target:
    url: str
    sha256: str
    filename: str


def filename_of(url: str) -> str:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return name if name and name not in (".", "..") else "download"


def resolve(what: str, sha256: str | None, manifest: dict) -> Target:
    """A URL with its sha256, or a source name from the manifest (a given --sha256 must agree with the pinned one)."""
    given = sha256.lower() if sha256 else None
    if given is not None and not SHA256_RE.match(given):
        raise InputError(f"--sha256 must be 64 hexadecimal digits, got {sha256!r}")
    if re.match(r"^https?://", what, re.I):
        if given is None:
            raise InputError("--sha256 is required when fetching a URL (the checksum the file must have)")
        return Target(what, given, filename_of(what))
    sources = manifest.get("sources") or {}
    source = sources.get(what)
    if not isinstance(source, dict):
        known = ", ".join(sorted(sources)) or "none"
        raise InputError(f"{what!r} is neither an http(s) URL nor a source in the manifest (sources: {known})")
    pinned = str(source.get("sha256", "")).lower()
    if given is not None and given != pinned:
        raise InputError(f"--sha256 {given[:12]}… differs from the sha256 pinned for {what} ({pinned[:12]}…)")
    return Target(source["url"], pinned, source.get("filename") or filename_of(source["url"]))
