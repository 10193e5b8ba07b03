"""The one door to the network: outbound fetches (status lists, did:web, trust lists).

https only and public addresses only by default (no SSRF into the verifier's network), with a
size cap and a timeout. `allow_private=True` (VC_ALLOW_PRIVATE_NETWORK=1) also allows loopback and
private addresses and plain http, for development and tests. Nothing here runs unless a caller
builds a transport at its edge and passes it in.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.parse
from dataclasses import dataclass, field
from typing import Protocol

from .errors import TransportError

__all__ = ["HttpTransport", "NoNetwork", "Response", "StaticTransport", "Transport"]


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class Transport(Protocol):
    def get(self, url: str) -> Response: ...


class NoNetwork:
    """The default: no fetch is ever made."""

    def get(self, url: str) -> Response:
        raise TransportError(f"network access is not configured (wanted {url})",
                             title="Network access is off")


class StaticTransport:
    """Serves fixed responses by URL (tests, offline bundles)."""

    def __init__(self, responses: dict[str, bytes | Response] | None = None) -> None:
        self.responses: dict[str, bytes | Response] = dict(responses or {})
        self.requests: list[str] = []

    def get(self, url: str) -> Response:
        self.requests.append(url)
        found = self.responses.get(url)
        if found is None:
            raise TransportError(f"no response for {url}", title="Not found")
        return found if isinstance(found, Response) else Response(200, found)


class HttpTransport:
    """GET/POST with scheme and address policy, size cap and timeout.

    The host name is resolved once, every address is checked against the policy, and the
    connection goes to a checked address (TLS still verifies the name): a DNS answer that changes
    between check and connect (rebinding) cannot lead into a private network. Redirects are not
    followed, for the same reason.
    """

    def __init__(self, *, allow_private: bool = False, timeout: float = 5.0,
                 max_bytes: int = 2 * 1024 * 1024) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_bytes = max_bytes

    def _address(self, url: str) -> tuple[urllib.parse.SplitResult, str]:
        """The parsed URL and the one address to connect to, after the policy checks."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise TransportError(f"unsupported URL {url!r}", title="URL not allowed")
        if parts.scheme == "http" and not self.allow_private:
            raise TransportError(f"plain http is not allowed: {url}", title="URL not allowed")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
        except (OSError, ValueError) as exc:
            raise TransportError(f"cannot resolve {parts.hostname}", title="Host not found") from exc
        addresses = [info[4][0] for info in infos]
        if not self.allow_private and any(not ipaddress.ip_address(a).is_global for a in addresses):
            raise TransportError(f"{parts.hostname} resolves to a non-public address", title="URL not allowed")
        return parts, addresses[0]

    def request(self, method: str, url: str, *, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        """One request; error statuses are returned as responses, network failures raise."""
        parts, address = self._address(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = _PinnedHTTPS(parts.hostname, port, address, self.timeout)
        else:
            conn = _PinnedHTTP(parts.hostname, port, address, self.timeout)
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        try:
            conn.request(method, target, body=data, headers={"Accept": "application/json", **(headers or {})})
            reply = conn.getresponse()
            body = reply.read(self.max_bytes + 1)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise TransportError(f"{url} could not be fetched: {exc}", title="Fetch failed") from exc
        finally:
            conn.close()
        if len(body) > self.max_bytes:
            raise TransportError(f"response from {url} is larger than {self.max_bytes} bytes",
                                 title="Response too large")
        return Response(reply.status, body, {k.lower(): v for k, v in reply.getheaders()})

    def get(self, url: str) -> Response:
        response = self.request("GET", url, headers={"Accept": "application/vc+ld+json, application/json"})
        if not 200 <= response.status < 300:
            raise TransportError(f"{url} answered {response.status}", title="Fetch failed")
        return response


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._pinned = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._pinned, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._pinned = address

    def connect(self) -> None:
        sock = socket.create_connection((self._pinned, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
