"""A small HTTP server on 127.0.0.1 that serves shipped files as a news site.

The tests and ``jospar demo`` collect from it instead of the internet. It records every request
it receives (time, path, headers, how many were being served at once), so that the tests assert
politeness from what the server saw. Besides the files (``{base}`` in them becomes the server's
own address; each has an ETag and answers a matching If-None-Match with 304) it has:
``/slow/<ms>/...`` (answers after that delay), ``/hang`` (never answers within a test's
timeout), ``/limited`` (429 with Retry-After), ``/fail`` (500).
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Seen:
    path: str
    started: float
    headers: dict[str, str]
    status: int = 0
    concurrent: int = 0


@dataclass
class Record:
    requests: list[Seen] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        record = self.server.record
        with record.lock:
            record.active += 1
            record.max_active = max(record.max_active, record.active)
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen = Seen(self.path, time.monotonic(), headers, concurrent=record.active)
            record.requests.append(seen)
        self._counted = True
        self._seen = seen
        try:
            seen.status = self._answer()
        finally:
            self._uncount()

    def _uncount(self) -> None:
        # A request stops counting as active before its answer is written: the client can only
        # start its next request after reading this one, so the count never runs ahead (after
        # the write, a slow server thread let a third request in while still counting this one).
        if getattr(self, "_counted", False):
            self._counted = False
            with self.server.record.lock:
                self.server.record.active -= 1

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> int:
        self._uncount()
        # Recorded before the answer is written: a client that has read it finds it recorded.
        seen = getattr(self, "_seen", None)
        if seen is not None:
            seen.status = status
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return status

    def _answer(self) -> int:
        path = self.path.split("?", 1)[0]
        if path.startswith("/slow/"):
            parts = path.split("/")
            delay = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 100
            time.sleep(min(delay, 5000) / 1000)
            return self._send(200, b"<html><body>slow</body></html>", {"Content-Type": "text/html"})
        if path == "/hang":
            time.sleep(self.server.hang_seconds)
            return self._send(200, b"late")
        if path == "/limited":
            return self._send(429, b"slow down", {"Retry-After": "1"})
        if path == "/fail":
            return self._send(500, b"broken")
        return self._file(path)

    def _file(self, path: str) -> int:
        root = self.server.root
        target = (root / path.lstrip("/")).resolve()
        if path.endswith("/"):
            target = target / "index.html"
        if root not in target.parents or not target.is_file():
            return self._send(404, b"not found")
        body = target.read_bytes().replace(b"{base}", self.server.base.encode())
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", {"ETag": etag})
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith("xml"):
            kind += "; charset=utf-8"
        return self._send(200, body, {"Content-Type": kind, "ETag": etag})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    root: Path
    base: str
    record: Record
    hang_seconds: float


class LoopbackSite:
    """``with LoopbackSite(folder) as site: site.base`` is ``http://127.0.0.1:<port>``."""

    def __init__(self, root: Path, *, port: int = 0, hang_seconds: float = 3.0) -> None:
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.root = root.resolve()
        self._server.record = Record()
        self._server.hang_seconds = hang_seconds
        self.port = self._server.server_address[1]
        self._server.base = self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def record(self) -> Record:
        return self._server.record

    def start(self) -> LoopbackSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
