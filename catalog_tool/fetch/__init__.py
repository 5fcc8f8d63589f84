"""Fetch an edition's source file over HTTP(S) and keep it only when its sha256 is the pinned one."""

from catalog_tool.fetch.download import ChecksumMismatch, FetchError, FetchResult, fetch
from catalog_tool.fetch.sources import resolve

__all__ = ["ChecksumMismatch", "FetchError", "FetchResult", "fetch", "resolve"]
