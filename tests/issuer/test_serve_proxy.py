"""`VC_TRUST_PROXY=1` in production: `python -m issuer serve` (waitress) in a child process, the
headers of a TLS-terminating reverse proxy sent over a real socket. The status list URL in an issued
credential, and the status list credential served there, name the forwarded https host; without
`VC_TRUST_PROXY` the same headers change nothing (issuer.serving)."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys

import pytest

from ..browser_support import free_port, wait_for_port
from ..conftest import ROOT

TOKEN = "proxy-test-token"
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "badges.example.nl", "X-Forwarded-For": "203.0.113.9"}


def _run(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "issuer", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def served(tmp_path, request):
    """An initialised institution (no public base URL: each request's own base URL is used), served."""
    env = {k: v for k, v in os.environ.items() if k not in ("VC_TRUST_PROXY", "VC_CONFORMANCE_EXAMPLES_CONTEXT")}
    env.update(VC_API_TOKEN=TOKEN, **request.param)
    data = tmp_path / "issuer"
    did = json.loads(_run("init", "--data", str(data), "--name", "Hogeschool Proxy", "--brin", "99XX",
                          "--url", "https://www.example.nl", env=env))["did"]
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "issuer", "serve", "--data", str(data), "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, seconds=30)
        yield port, did
    finally:
        server.terminate()
        server.wait(30)


def _request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(FORWARDED, Authorization=f"Bearer {TOKEN}", Accept="application/json")
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    reply = connection.getresponse()
    status, data = reply.status, json.loads(reply.read())
    connection.close()
    return status, data


def _issue(port: int, did: str) -> dict:
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                  "issuer": did, "credentialSubject": {"id": "did:example:learner"}}
    status, body = _request(port, "POST", "/credentials/issue", {"credential": credential})
    assert status == 201, body
    return body["verifiableCredential"]


@pytest.mark.parametrize("served", [{"VC_TRUST_PROXY": "1"}], indirect=True, ids=["trusted"])
def test_behind_a_trusted_proxy_status_urls_name_the_forwarded_https_host(served, loopback):
    port, did = served
    entry = _issue(port, did)["credentialStatus"]
    url = entry["statusListCredential"]
    assert url.startswith("https://badges.example.nl/status/"), url
    assert entry["id"].startswith(url + "#")
    status, status_list = _request(port, "GET", url.removeprefix("https://badges.example.nl"))
    assert status == 200
    assert status_list["id"] == url
    assert status_list["credentialSubject"]["id"].startswith(url)


@pytest.mark.parametrize("served", [{}], indirect=True, ids=["untrusted"])
def test_without_vc_trust_proxy_forwarded_headers_change_nothing(served, loopback):
    port, did = served
    url = _issue(port, did)["credentialStatus"]["statusListCredential"]
    assert url.startswith(f"http://127.0.0.1:{port}/status/"), url
