"""`VC_TRUST_PROXY=1` in production: `python -m verifier serve` (waitress; and gunicorn's arbiter with
waitress in each worker) in a child process, a reverse proxy's headers sent over a real socket. The
presentation request page names the forwarded https origin as its domain; without `VC_TRUST_PROXY`
the same headers change nothing (verifier.serving)."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys

import pytest

from ..browser_support import free_port, wait_for_port
from ..conftest import ROOT

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "verify.example.nl", "X-Forwarded-For": "203.0.113.7"}


def _page(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=dict(FORWARDED, Accept="text/html"))
    reply = connection.getresponse()
    status, text = reply.status, reply.read().decode("utf-8")
    connection.close()
    return status, text


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "untrusted"])
@pytest.mark.parametrize("workers", [(), ("--workers", "2")], ids=["one-process", "workers-2"])
def test_request_domain_follows_a_trusted_proxy_only(tmp_path, loopback, trusted, workers):
    env = {k: v for k, v in os.environ.items() if k not in ("VC_TRUST_PROXY", "VERIFIER_DOMAIN")}
    if trusted:
        env["VC_TRUST_PROXY"] = "1"
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--port", str(port), "--offline",
                               "--data-dir", str(tmp_path), *workers], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, seconds=30)
        status, page = _page(port, "/request")
    finally:
        server.terminate()
        server.wait(30)
    assert status == 200
    if trusted:
        assert "https://verify.example.nl" in page
    else:
        assert "verify.example.nl" not in page and f"http://127.0.0.1:{port}" in page
