"""The Host header must name the served address: another name (DNS rebinding) gets 421, a missing
or malformed one 400, before any wallet data is touched; through the Flask test client and over
a real socket to `python -m wallet serve` (waitress, the production server)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from wallet.web.hostcheck import HostGuard, split_host
from wallet.web.views import COOKIE

from ..browser_support import free_port, wait_for_port
from ..conftest import ROOT
from .conftest import PASS
from .web_support import make_app, unlock

DUTCH = "Deze wallet antwoordt alleen op het adres waarop hij draait"
ENGLISH = "This wallet answers only at the address it is served on"


@pytest.fixture
def app(tmp_path, canon, clock, transport):
    return make_app(tmp_path / "home", canon, clock, transport, ALLOWED_HOSTS=["wallet.thuis", "proxy.example:8443"])


@pytest.mark.parametrize("value, expected", [
    ("127.0.0.1:8002", ("127.0.0.1", 8002)), ("LocalHost", ("localhost", None)), ("[::1]:80", ("[::1]", 80)),
    ("[::1]", ("[::1]", None)), ("evil.example:8002", ("evil.example", 8002)), ("", None), (":80", None),
    ("a:b", None), ("a:80:81", None), ("[::1", None), ("[::1]x", None), ("a:123456", None), ("a:٣", None)])
def test_split_host(value, expected):
    assert split_host(value) == expected


def test_a_rebinding_name_gets_421_with_a_bilingual_message_before_any_wallet_data(app, issue):
    client = app.test_client()
    unlock(client)
    cookie = client.get_cookie(COOKIE).value
    for path in ("/", "/backup", "/unlock", "/static/wallet.css"):
        for host in ("evil.example", "evil.example:80", "127.0.0.1.nip.io", "localhost.", "127.0.0.1:8002"):
            reply = client.get(path, headers={"Host": host, "Cookie": f"{COOKIE}={cookie}"})
            text = reply.get_data(as_text=True)
            assert reply.status_code == 421, (path, host)
            assert "HOST_NOT_ALLOWED" in text and DUTCH in text and ENGLISH in text
            assert reply.mimetype == "text/plain" and "Set-Cookie" not in reply.headers
    reply = client.post("/backup", headers={"Host": "evil.example"}, data={"action": "backup"})
    assert reply.status_code == 421
    assert client.get("/").status_code == 200  # the right name still reaches the session


@pytest.mark.parametrize("host", ["", " ", "[::1", "a:b", "x:99999999"])
def test_a_missing_or_malformed_host_gets_400(app, host):
    reply = app.test_client().get("/unlock", headers={"Host": host})
    assert reply.status_code == 400 and "HOST_MISSING" in reply.get_data(as_text=True)


@pytest.mark.parametrize("host", ["localhost", "localhost:80", "127.0.0.1", "[::1]:80", "wallet.thuis",
                                  "proxy.example:8443"])
def test_served_and_configured_names_pass(app, host):
    assert app.test_client().get("/unlock", headers={"Host": host}).status_code == 200


def test_https_default_port_is_443(app):
    client = app.test_client()
    assert client.get("/unlock", base_url="https://localhost").status_code == 200
    assert client.get("/unlock", base_url="https://localhost", headers={"Host": "localhost:80"}).status_code == 421


def test_served_host_is_allowed_and_wildcards_are_not(app):
    def status(guard, host):
        return guard.allowed({"HTTP_HOST": host, "SERVER_PORT": "8002", "wsgi.url_scheme": "http"})
    assert status(HostGuard(None, served_host="192.168.1.20"), "192.168.1.20:8002") is None
    assert status(HostGuard(None, served_host="0.0.0.0"), "0.0.0.0:8002") == 421
    assert status(HostGuard(None, served_host="::1", extra=["fe80::1"]), "[fe80::1]:8002") is None
    with pytest.raises(ValueError):
        HostGuard(None, extra=["wallet.thuis:port"])


def _raw(port: int, host: str | None, path: str = "/unlock") -> tuple[int, str]:
    head = f"GET {path} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "") + "Connection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    text = data.decode("utf-8", "replace")
    return int(text.split(" ", 2)[1]), text


def test_the_production_server_refuses_other_hosts_over_a_real_socket(tmp_path, loopback):
    port = free_port()
    env = {**os.environ, "WALLET_PASSPHRASE": PASS}
    proc = subprocess.Popen([sys.executable, "-m", "wallet", "--home", str(tmp_path / "home"), "serve",
                             "--port", str(port), "--allow-host", "wallet.thuis"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, seconds=30)
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"wallet.thuis:{port}"):
            assert _raw(port, host)[0] == 200, host
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}"):
            status, text = _raw(port, host)
            assert status == 421 and "HOST_NOT_ALLOWED" in text and DUTCH in text and ENGLISH in text, host
        assert _raw(port, f"evil.example:{port}", "/backup")[0] == 421
        for host in (None, f"localhost:{port}.evil"):
            status, text = _raw(port, host)
            assert status == 400 and "HOST_MISSING" in text, host
    finally:
        proc.terminate()
        proc.wait(timeout=30)
