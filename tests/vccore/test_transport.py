"""The one door to the network: scheme and address policy, pinned connections, no redirects,
size cap. Servers run on loopback (the `loopback` fixture); nothing else is reached."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vccore.errors import TransportError
from vccore.transport import HttpTransport

from ..conftest import NetworkAttempt


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/internal")
            self.end_headers()
            return
        body = b"x" * 5000 if self.path == "/big" else b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        self.send_response(201)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def server(loopback):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_private_network_only_when_allowed(server):
    assert HttpTransport(allow_private=True).get(server + "/ok").body == b'{"ok": true}'
    with pytest.raises(TransportError):
        HttpTransport().get(server + "/ok")


def test_post_and_error_statuses_are_returned(server):
    transport = HttpTransport(allow_private=True)
    assert transport.request("POST", server + "/echo", data=b"hi").body == b"hi"
    redirect = transport.request("GET", server + "/redirect")
    assert redirect.status == 302  # returned, never followed
    with pytest.raises(TransportError):
        transport.get(server + "/redirect")


def test_size_cap(server):
    with pytest.raises(TransportError) as caught:
        HttpTransport(allow_private=True, max_bytes=1000).get(server + "/big")
    assert caught.value.title == "Response too large"


def test_only_http_and_https(server):
    for url in ("file:///etc/passwd", "ftp://x.example/", "gopher://x", "https:///nohost"):
        with pytest.raises(TransportError):
            HttpTransport(allow_private=True).get(url)


def test_connection_goes_to_the_checked_address(monkeypatch):
    """Resolved once and pinned: the socket connects to the address that passed the policy."""
    calls = []

    def resolve(host, port, *args, **kwargs):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(NetworkAttempt) as caught:  # the test network guard stops the connect...
        HttpTransport().get("https://status.example.nl/list/1")
    assert "93.184.215.14" in str(caught.value)  # ...which went to the pinned address
    assert calls[0] == "status.example.nl" and set(calls[1:]) <= {"93.184.215.14"}  # no second name lookup


def test_names_that_resolve_to_private_addresses_are_refused(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))])
    with pytest.raises(TransportError) as caught:
        HttpTransport().get("https://rebind.example.nl/")
    assert caught.value.title == "URL not allowed"
