"""A tiny stand-in for the Hugging Face Hub's file endpoints, served from a local folder.

It answers ``HEAD`` and ``GET /{org}/{repo}/resolve/{revision}/{filename}`` with the headers
huggingface_hub reads (``ETag``, ``X-Repo-Commit``, ``Content-Length``; ``Range`` requests get
206), and ``X-Error-Code: EntryNotFound`` for files it does not have, like the real Hub. Every
repository serves the same folder (the bundled demo model), so each test can use a fresh
repository name. ``delay_s`` throttles the body (per 64 KB) to make downloads slow enough to
cancel. Nothing is made up: the bytes served are the real model files.

``prefix`` serves the files under a path (``http://127.0.0.1:PORT/mirror/...``), the way a Hub
mirror can; ``requests`` records every request (method, repository, file name), answered or not,
so a test can tell which server was asked for what.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

COMMIT = "0123456789abcdef0123456789abcdef01234567"
PIECE = 64 * 1024
_PATH = r"/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<name>.+)$"


class FakeHub(ThreadingHTTPServer):
    """The server; ``url`` is its endpoint, ``gets`` counts file bodies it started to send."""

    daemon_threads = True

    def __init__(self, folder: Path, prefix: str = "") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
        self.delay_s = 0.0
        self.gets: list[str] = []
        self.requests: list[tuple[str, str, str]] = []  # (method, repo, name); "" if no match
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self.pattern = re.compile("^" + re.escape(self.prefix) + _PATH)
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        """The endpoint to give huggingface_hub (with the path prefix, if any)."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's
        return None

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        match = self.server.pattern.match(self.path.split("?")[0])
        with self.server.lock:
            self.server.requests.append((self.command, match["repo"] if match else "",
                                         match["name"] if match else self.path))
        data = self.server.files.get(match["name"]) if match else None
        if data is None:
            self.send_response(404)
            self.send_header("X-Error-Code", "EntryNotFound")
            self.send_header("X-Error-Message", "Entry not found")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        ranged = re.match(r"bytes=(\d+)-$", self.headers.get("Range", ""))
        if ranged:
            start = int(ranged[1])
        body = data[start:]
        self.send_response(206 if ranged else 200)
        self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
        self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(body)))
        if ranged:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if not send_body:
            return
        with self.server.lock:
            self.server.gets.append(match["name"] if match else "")
        try:
            for offset in range(0, len(body), PIECE):
                if self.server.delay_s:
                    time.sleep(self.server.delay_s)
                self.wfile.write(body[offset : offset + PIECE])
        except (BrokenPipeError, ConnectionResetError):
            return  # the client hung up (a cancelled download)


@contextmanager
def serve(folder: Path, prefix: str = "") -> Iterator[FakeHub]:
    """Serve ``folder`` as a Hub at a fresh port (and ``prefix``), without pointing anything at
    it."""
    server = FakeHub(folder, prefix)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def fake_hub(folder: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
             prefix: str = "") -> Iterator[FakeHub]:
    """Serve ``folder`` as the Hub and point huggingface_hub (and the engine's reachability
    probe) at it, with its cache under ``cache``."""
    from huggingface_hub import constants

    from engine.models import hub

    with serve(folder, prefix) as server:
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.delenv("HF_ENDPOINT", raising=False)
        monkeypatch.setenv("HF_HOME", str(cache))
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
        monkeypatch.setattr(constants, "ENDPOINT", server.url)
        monkeypatch.setattr(
            constants, "HUGGINGFACE_CO_URL_TEMPLATE",
            server.url + "/{repo_id}/resolve/{revision}/{filename}",
        )
        monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache / "hub"))
        # The long-lived HfApi objects (huggingface_hub's module-level one, transformers' shared
        # one: tokenizer loading lists repositories through it) keep the endpoint they were made
        # with: point them here too, as engine.models.hub.use_endpoint does.
        from huggingface_hub import hf_api

        monkeypatch.setattr(hf_api.api, "endpoint", server.url)
        transformers_hub = sys.modules.get("transformers.utils.hub")
        if getattr(transformers_hub, "_hf_api", None) is not None:
            monkeypatch.setattr(transformers_hub._hf_api, "endpoint", server.url)
        monkeypatch.setattr(hub, "_reachable", None)  # probe this server, not the last answer
        yield server
