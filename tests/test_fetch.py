"""`fetch` against a real HTTP server on 127.0.0.1 (port 0) started by the test: plain downloads,
redirects, 404, wrong checksums, slow responses, dropped connections, Range resume, the cache,
named sources from the manifest, and the CLI's exit codes. Timeouts and backoff are scaled down."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from catalog_tool.errors import InputError
from catalog_tool.fetch import ChecksumMismatch, FetchError, fetch, resolve
from catalog_tool.fetch.cache import cached, partial
from catalog_tool.fetch.sources import Target

BODY = ("编号,药品名称,剂型\n" + "".join(f"{i},阿莫西林{i},口服常释剂型\n" for i in range(4000))).encode("utf-8")
SHA = hashlib.sha256(BODY).hexdigest()
FAST = dict(timeout=0.5, retries=3, backoff=0.01)


class Handler(BaseHTTPRequestHandler):
    """Paths: /file (Range honoured), /norange (Range ignored), /drop (first GET closes half-way),
    /slow (first GET stalls), /flaky (first GET 503), /busy (first GET 429 with Retry-After: 7),
    /redirect → /file, anything else 404."""

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        srv = self.server
        srv.log.append((self.path, self.headers.get("Range")))
        hits = sum(1 for p, _ in srv.log if p == self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/file")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path not in ("/file", "/norange", "/drop", "/slow", "/flaky", "/busy", "/badrange"):
            self.send_error(404)
            return
        if self.path == "/flaky" and hits == 1:
            self.send_error(503)
            return
        if self.path == "/busy" and hits == 1:
            self.send_response(429)
            self.send_header("Retry-After", "7")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/slow" and hits == 1:
            time.sleep(0.6)
        start = 0
        rng = self.headers.get("Range")
        if rng and self.path != "/norange":
            start = int(rng.removeprefix("bytes=").split("-")[0])
            if self.path == "/badrange":
                start = 0  # answers 206 for the whole file, whatever was asked
            if start >= len(BODY):
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(BODY) - 1}/{len(BODY)}")
        else:
            self.send_response(200)
        body = BODY[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path == "/drop" and hits == 1:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.log = []
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}"
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("CATALOG_TOOL_CACHE", str(path))
    return path


@pytest.fixture
def out(tmp_path) -> Path:
    path = tmp_path / "out"
    path.mkdir()
    return path


def target(server, path: str, sha: str = SHA, name: str = "西药部分.csv") -> Target:
    return Target(server.url + path, sha, name)


def seed_partial(cache: Path, data: bytes) -> Path:
    """A partial download left by an earlier run."""
    part = partial(cache, SHA)
    part.parent.mkdir(parents=True)
    part.write_bytes(data)
    return part


def test_download_verifies_and_caches(server, cache, out):
    result = fetch(target(server, "/file"), out, **FAST)
    assert result.path == out / "西药部分.csv" and result.path.read_bytes() == BODY
    assert (result.from_cache, result.attempts, result.size) == (False, 1, len(BODY))
    assert cached(cache, SHA).read_bytes() == BODY
    again = fetch(target(server, "/file"), out, **FAST)
    assert again.from_cache and len(server.log) == 1


def test_redirect_is_followed(server, cache, out):
    assert fetch(target(server, "/redirect"), out, **FAST).path.read_bytes() == BODY
    assert [p for p, _ in server.log] == ["/redirect", "/file"]


def test_404_fails_at_once(server, cache, out):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(target(server, "/missing"), out, **FAST)
    assert len(server.log) == 1 and list(out.iterdir()) == []


def test_wrong_checksum_deletes_the_download(server, cache, out):
    wrong = "0" * 64
    with pytest.raises(ChecksumMismatch, match=SHA) as e:
        fetch(target(server, "/file", wrong), out, **FAST)
    assert e.value.exit_code == 1
    assert list(out.iterdir()) == [] and not partial(cache, wrong).exists() and not cached(cache, wrong).exists()


def test_transient_503_is_retried(server, cache, out):
    result = fetch(target(server, "/flaky"), out, **FAST)
    assert result.attempts == 2 and result.path.read_bytes() == BODY


def test_retry_after_is_honoured(server, cache, out):
    waits = []
    result = fetch(target(server, "/busy"), out, timeout=0.5, retries=2, backoff=0.01, sleep=waits.append)
    assert result.attempts == 2 and waits == [7.0] and result.path.read_bytes() == BODY


def test_slow_response_times_out_then_succeeds(server, cache, out):
    result = fetch(target(server, "/slow"), out, timeout=0.2, retries=2, backoff=0.01)
    assert result.attempts == 2 and result.path.read_bytes() == BODY


def test_slow_response_gives_up_after_retries(server, cache, out, monkeypatch):
    waits = []
    with pytest.raises(FetchError, match="timed out"):
        fetch(target(server, "/slow"), out, timeout=0.2, retries=0, backoff=0.01, sleep=waits.append)
    assert waits == []


def test_dropped_connection_resumes_with_range(server, cache, out):
    waits = []
    result = fetch(target(server, "/drop"), out, timeout=0.5, retries=3, backoff=0.05, sleep=waits.append)
    assert result.path.read_bytes() == BODY and result.attempts == 2
    half = len(BODY) // 2
    assert server.log == [("/drop", None), ("/drop", f"bytes={half}-")]
    assert result.resumed_from == half and waits == [0.05]


def test_partial_from_an_earlier_run_is_resumed(server, cache, out):
    part = seed_partial(cache, BODY[:1000])
    result = fetch(target(server, "/file"), out, **FAST)
    assert result.path.read_bytes() == BODY and result.resumed_from == 1000
    assert server.log == [("/file", "bytes=1000-")] and not part.exists()


def test_server_without_range_starts_over(server, cache, out):
    seed_partial(cache, b"garbage that is not the start of the file")
    result = fetch(target(server, "/norange"), out, **FAST)
    assert result.path.read_bytes() == BODY and result.resumed_from == 0


def test_wrong_range_answer_starts_over(server, cache, out):
    seed_partial(cache, BODY[:500])
    result = fetch(target(server, "/badrange"), out, **FAST)
    assert result.path.read_bytes() == BODY and result.attempts == 2
    assert server.log == [("/badrange", "bytes=500-"), ("/badrange", None)]


def test_complete_partial_answered_416_is_kept(server, cache, out):
    seed_partial(cache, BODY)
    result = fetch(target(server, "/file"), out, **FAST)
    assert result.path.read_bytes() == BODY and result.attempts == 1
    assert server.log == [("/file", f"bytes={len(BODY)}-")]


def test_connection_refused_is_an_io_error(cache, out):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="gave up after 2 attempts"):
        fetch(Target(f"http://127.0.0.1:{port}/x", SHA, "x"), out, timeout=0.2, retries=1, backoff=0.0)


def test_resolve_names_and_urls():
    manifest = {"sources": {"nrdl-2025": {"url": "https://example.org/a/%E7%9B%AE%E5%BD%95.pdf", "sha256": SHA}}}
    assert resolve("nrdl-2025", None, manifest) == Target("https://example.org/a/%E7%9B%AE%E5%BD%95.pdf", SHA, "目录.pdf")
    assert resolve("nrdl-2025", SHA.upper(), manifest).sha256 == SHA
    with pytest.raises(InputError, match="differs from the sha256 pinned"):
        resolve("nrdl-2025", "1" * 64, manifest)
    with pytest.raises(InputError, match="required"):
        resolve("https://example.org/x.csv", None, manifest)
    with pytest.raises(InputError, match="64 hexadecimal"):
        resolve("https://example.org/x.csv", "abc", manifest)
    with pytest.raises(InputError, match="sources: nrdl-2025"):
        resolve("nrdl-2030", None, manifest)


# -- CLI --------------------------------------------------------------------------------------
def test_cli_named_source_and_exit_codes(cli, server, cache, out, tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"editions": [], "sources": {
        "sample": {"url": server.url + "/redirect", "sha256": SHA, "filename": "sample.csv"},
        "bad": {"url": server.url + "/file", "sha256": "f" * 64}}}), encoding="utf-8")
    r = cli("fetch", "sample", "--manifest", manifest, "-o", out, "--no-progress")
    assert r.exit_code == 0, r.output
    assert f"sha256 {SHA} verified (1 attempt)" in r.stdout and (out / "sample.csv").read_bytes() == BODY
    r = cli("fetch", "bad", "--manifest", manifest, "-o", out, "--no-progress")
    assert r.exit_code == 1 and "does not match" in r.stderr and not (out / "file").exists()
    r = cli("fetch", server.url + "/missing", "--sha256", "e" * 64, "-o", out, "--retries", "0")
    assert r.exit_code == 2 and "HTTP 404" in r.stderr
    r = cli("fetch", server.url + "/file", "-o", out)
    assert r.exit_code == 2 and "--sha256 is required" in r.stderr
    r = cli("fetch", server.url + "/file", "--sha256", SHA, "-o", tmp_path / "nowhere")
    assert r.exit_code == 2 and "output folder does not exist" in r.stderr
    r = cli("fetch", server.url + "/norange", "--sha256", SHA, "-o", out)  # a pinned file already cached: no request
    assert r.exit_code == 0 and "from the cache" in r.stdout and "/norange" not in [p for p, _ in server.log]


def test_cli_progress_bar_on_request(cli, server, cache, out):
    r = cli("fetch", server.url + "/file", "--sha256", SHA, "-o", out, "--progress")
    assert r.exit_code == 0
    assert "100%" in r.stderr and "[" + "#" * 30 + "]" in r.stderr
    assert "100%" not in r.stdout
