"""Real headless Chromium (Debian's package) driven by Playwright, and live app servers on loopback.

Usage in a test module:
    from ..browser_support import browser, live_server  # noqa: F401  (pytest fixtures)
    def test_page(live_server, browser):
        url = live_server(create_app(config))
        page = browser.new_page(); page.goto(url)
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from typing import Callable, Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture
def live_server(loopback) -> Iterator[Callable[..., str]]:
    """Start WSGI apps on free loopback ports; returns their base URLs; stops them afterwards."""
    servers = []

    def start(app, port: int = 0) -> str:
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def free_port() -> int:
    """A free TCP port on loopback (for servers started as separate processes)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, seconds: float = 10.0) -> None:
    """Wait until a server accepts connections on loopback `port`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def launch_chromium(playwright, extra_args: list[str] | None = None):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` (`make test` does)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_ARGS + (extra_args or []))


@pytest.fixture
def browser(loopback):
    """A fresh headless Chromium for one test (with an empty profile)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        with tempfile.TemporaryDirectory():
            b = launch_chromium(p)
            try:
                yield b
            finally:
                b.close()
