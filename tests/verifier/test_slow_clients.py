"""Slow clients cannot starve the server (verifier.serving), over real sockets: `serve` (waitress,
one process) and `serve --workers 2` (gunicorn's arbiter, waitress in each worker) keep answering
valid requests promptly while more slowloris sockets than the server has threads trickle in
headers or a body one byte at a time."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vccore import Canonicalizer

from ..browser_support import free_port, wait_for_port
from ..conftest import ROOT
from . import factory
from .slow_clients import Slowloris, post_json

PROMPT = 5.0  # seconds: a valid request verifies in ~10 ms; the old sync workers made it wait 60 s


@pytest.fixture(scope="module")
def body():
    return json.dumps({"verifiableCredential": factory.sign(factory.microcredential(), Canonicalizer())}).encode()


def start(tmp_path, *args: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--port", str(port), "--offline", *args],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, seconds=30)
    return server, port


def stop(server: subprocess.Popen) -> int:
    server.terminate()
    return server.wait(30)  # SIGTERM ends the arbiter and its waitress workers


@pytest.mark.parametrize("args, slow", [
    (("--workers", "2"), 12),   # 2 workers x 4 threads = 8 threads
    ((), 12),                   # one waitress process, 8 threads: it buffers requests asynchronously
], ids=["workers-2", "one-process"])
def test_valid_requests_pass_slowloris_sockets(tmp_path, loopback, body, args, slow):
    server, port = start(tmp_path, "--data-dir", str(tmp_path), *args)
    clients: list[Slowloris] = []
    try:
        assert post_json(port, "/credentials/verify", body)[0] == 200  # the workers are up
        clients = [Slowloris(port, body=i % 4 == 3).start() for i in range(slow)]  # headers or a body
        for client in clients:
            assert client.started.wait(30) and not client.closed_by_server
        sent_before = [c.sent for c in clients]
        for _ in range(20):
            status, reply, seconds = post_json(port, "/credentials/verify", body, timeout=PROMPT * 4)
            assert status == 200 and reply["verified"] is True
            assert seconds < PROMPT
        assert not any(c.closed_by_server for c in clients)  # they were open all along ...
        assert all(c.sent > before for c, before in zip(clients, sent_before))  # ... and still sending
    finally:
        for client in clients:
            client.stop()
        assert stop(server) in (0, -15)
