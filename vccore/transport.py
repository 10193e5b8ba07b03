"""The one door to the network: outbound fetches (status lists, did:web, trust lists).

https only and public addresses only by default (no SSRF into the verifier's network), with a
size cap and a timeout. `allow_private=True` (VC_ALLOW_PRIVATE_NETWORK=1) also allows loopback and
private addresses and plain http, for development and tests. Nothing here runs unless a caller
builds a transport at its edge and passes it in.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
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
    """urllib-based GET with scheme and address policy, size cap and timeout."""

    def __init__(self, *, allow_private: bool = False, timeout: float = 5.0,
                 max_bytes: int = 2 * 1024 * 1024) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_bytes = max_bytes

    def _check_url(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise TransportError(f"unsupported URL {url!r}", title="URL not allowed")
        if parts.scheme == "http" and not self.allow_private:
            raise TransportError(f"plain http is not allowed: {url}", title="URL not allowed")
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            raise TransportError(f"cannot resolve {parts.hostname}", title="Host not found") from exc
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global:
                raise TransportError(f"{parts.hostname} resolves to a non-public address",
                                     title="URL not allowed")

    def get(self, url: str) -> Response:
        self._check_url(url)
        request = urllib.request.Request(url, headers={"Accept": "application/vc+ld+json, application/json"})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=self.timeout) as reply:
                body = reply.read(self.max_bytes + 1)
                if len(body) > self.max_bytes:
                    raise TransportError(f"response from {url} is larger than {self.max_bytes} bytes",
                                         title="Response too large")
                return Response(reply.status, body, {k.lower(): v for k, v in reply.headers.items()})
        except urllib.error.HTTPError as exc:
            raise TransportError(f"{url} answered {exc.code}", title="Fetch failed") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise TransportError(f"{url} could not be fetched: {exc}", title="Fetch failed") from exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects could lead to private addresses past the check; refuse them."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401, ANN001
        raise urllib.error.HTTPError(req.full_url, code, "redirect refused", headers, fp)
