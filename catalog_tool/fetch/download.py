"""Download one file with httpx: timeouts, retries with exponential backoff on transient failures
(timeouts, dropped connections, 408/429/5xx), resume with `Range` where the server allows it,
and a sha256 check before the file is kept. A mismatching download is deleted."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalog_tool.errors import CatalogError, InputError
from catalog_tool.fetch.cache import cache_dir, cached, partial
from catalog_tool.fetch.sources import Target

RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
Progress = Callable[[int, "int | None"], None]


class FetchError(CatalogError):
    """The file could not be downloaded (HTTP error, network failure after every retry)."""


class ChecksumMismatch(CatalogError):
    """The downloaded bytes do not have the pinned sha256: the data is not what was promised."""

    exit_code = 1


class _Transient(Exception):
    """A failure worth retrying; `wait` is the server's Retry-After in seconds, when it sent one."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


MAX_RETRY_AFTER = 60.0  # a server asking for a longer pause is waited on this long at most


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the delta-seconds form; an HTTP date is ignored)."""
    return min(float(value), MAX_RETRY_AFTER) if value and value.strip().isdigit() else None


@dataclass
class FetchResult:
    path: Path
    sha256: str
    size: int
    from_cache: bool
    attempts: int
    resumed_from: int  # bytes already on disk when the last transfer started (0: from the start)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _transfer(client, url: str, part: Path, progress: Progress | None) -> int:
    """One GET into `part` (appending after a 206 to our Range); returns the offset it resumed from."""
    import httpx

    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        with client.stream("GET", url, headers=headers) as r:
            if r.status_code == 416 and have:
                return -1  # we may already hold every byte: the caller verifies
            if r.status_code in RETRY_STATUS:
                raise _Transient(f"HTTP {r.status_code} {r.reason_phrase}", _retry_after(r.headers.get("retry-after")))
            if r.status_code >= 400:
                raise FetchError(f"HTTP {r.status_code} {r.reason_phrase}", file=str(r.url))
            resume = r.status_code == 206 and r.headers.get("content-range", "").startswith(f"bytes {have}-")
            if r.status_code == 206 and not resume:
                part.unlink(missing_ok=True)
                raise _Transient("server answered another range than asked; starting over")
            start = have if resume else 0
            length = r.headers.get("content-length")
            total = start + int(length) if length and length.isdigit() else None
            done = start
            with open(part, "ab" if resume else "wb") as fh:
                for chunk in r.iter_bytes():  # as received: a dropped connection keeps every byte it delivered
                    fh.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            if total is not None and done < total:
                raise _Transient(f"connection closed after {done} of {total} bytes")
            return start
    except httpx.TimeoutException as e:
        raise _Transient(f"timed out ({type(e).__name__})") from None
    except (httpx.NetworkError, httpx.RemoteProtocolError) as e:
        raise _Transient(f"connection failed: {e or type(e).__name__}") from None
    except httpx.HTTPError as e:  # too many redirects, bad URL, unsupported protocol
        raise FetchError(f"{type(e).__name__}: {e}", file=url) from None


def _deliver(source: Path, out_dir: Path, filename: str) -> Path:
    from catalog_tool.formats.canonical import atomic_output

    target = out_dir / filename
    with open(source, "rb") as src, atomic_output(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def fetch(target: Target, out_dir: Path, *, cache_root: Path | None = None, timeout: float = 30.0,
          retries: int = 4, backoff: float = 1.0, progress: Progress | None = None,
          sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """Download `target` into `out_dir` (through the cache) and verify its sha256.

    Transient failures are retried `retries` times, waiting backoff × 1, 2, 4 … seconds (or the
    server's Retry-After, up to a minute); each retry
    resumes from the bytes already received when the server honours `Range`. A partial download
    stays in the cache for the next run; a complete one with the wrong sha256 is deleted."""
    import httpx

    import catalog_tool

    if not out_dir.is_dir():
        raise InputError("output folder does not exist", file=out_dir)
    root = cache_root or cache_dir()
    final = cached(root, target.sha256)
    if final.is_file() and sha256_of(final) == target.sha256:
        return FetchResult(_deliver(final, out_dir, target.filename), target.sha256, final.stat().st_size, True, 0, 0)
    part = partial(root, target.sha256)
    part.parent.mkdir(parents=True, exist_ok=True)
    attempts, start = 0, 0
    client = httpx.Client(follow_redirects=True, timeout=httpx.Timeout(timeout),
                          headers={"User-Agent": f"catalog-tool/{catalog_tool.__version__}"})
    with client:
        while True:
            attempts += 1
            try:
                start = _transfer(client, target.url, part, progress)
                if start == -1 and sha256_of(part) != target.sha256:
                    part.unlink()
                    raise _Transient("server refused the range of a stale partial download")
                break
            except _Transient as e:
                if attempts > retries:
                    raise FetchError(f"{e} (gave up after {attempts} attempts; the partial download is kept "
                                     "for the next run)", file=target.url) from None
                sleep(e.wait if e.wait is not None else backoff * 2 ** (attempts - 1))
    digest = sha256_of(part)
    if digest != target.sha256:
        part.unlink()
        raise ChecksumMismatch(f"sha256 {digest} does not match the expected {target.sha256}; the download was deleted",
                               file=target.url)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, final)
    return FetchResult(_deliver(final, out_dir, target.filename), digest, final.stat().st_size, False, attempts, max(start, 0))
