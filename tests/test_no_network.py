"""The test run makes no network connection: the guard in conftest.py refuses every attempt."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from vccore.errors import TransportError
from vccore.transport import HttpTransport

from .conftest import NetworkAttempt


def test_outbound_socket_is_refused():
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("192.0.2.1", 443), timeout=1)


def test_name_lookup_is_refused():
    with pytest.raises(NetworkAttempt):
        socket.getaddrinfo("example.org", 443)


def test_loopback_needs_the_loopback_fixture():
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("127.0.0.1", 9), timeout=1)


def test_urllib_is_refused_too():
    with pytest.raises((NetworkAttempt, OSError)):
        urllib.request.urlopen("http://192.0.2.1/", timeout=1)


def test_http_transport_refuses_private_addresses_by_default():
    with pytest.raises(TransportError):
        HttpTransport().get("http://127.0.0.1:9/status/1")  # plain http is refused before any socket
