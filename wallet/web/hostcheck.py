"""The `Host` header must name the address the wallet is served on (127.0.0.1, localhost or
[::1] at the port it listens on, plus names the user configured). A DNS-rebinding page (its own
name resolving to 127.0.0.1) or any other name gets 421 before the app runs: no session,
no wallet data, no backup."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from vccore.l10n import N_, localizer

from .i18n import TRANSLATIONS

__all__ = ["LOOPBACK_NAMES", "HostGuard", "split_host"]

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::", "[::]")
_REFUSALS = {  # plain text before the app runs, so in both languages at once
    400: N_("The request names no usable address (Host header). Open the wallet at: %(address)s"),
    421: N_("This wallet answers only at the address it is served on. Any other address (for example a web "
            "page posing as this wallet) gets no access. Open the wallet at: %(address)s"),
}


def split_host(value: str) -> tuple[str, int | None] | None:
    """`name[:port]` (RFC 9110 §7.2; IPv6 in brackets), lower-cased; None when malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[:end + 1], value[end + 1:]
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    if not name:
        return None
    if not rest:
        return name, None
    digits = rest[1:]
    if rest[0] != ":" or not (digits.isascii() and digits.isdigit()) or len(digits) > 5:
        return None
    return name, int(digits)


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class HostGuard:
    """WSGI middleware in front of the whole app: 400 without a usable Host, 421 for another one."""

    def __init__(self, app: Callable[..., Any], *, served_host: str | None = None,
                 extra: Iterable[str] = (), port: int | None = None) -> None:
        self.app = app
        self.port = port
        self.names = set(LOOPBACK_NAMES)
        if served_host and served_host not in WILDCARDS:
            self.names.add(_bracket(served_host.lower()))
        self.exact: set[tuple[str, int]] = set()
        for entry in extra:
            parsed = split_host(_bracket(entry) if entry.count(":") > 1 else entry)
            if parsed is None:
                raise ValueError(f"not a host name: {entry!r}")
            if parsed[1] is None:
                self.names.add(parsed[0])
            else:
                self.exact.add((parsed[0], parsed[1]))

    def allowed(self, environ: dict[str, Any]) -> int | None:
        """None when the request may pass, else the status to refuse it with."""
        parsed = split_host(environ.get("HTTP_HOST", ""))
        if parsed is None:
            return 400
        name, port = parsed
        served = self.port or int(environ.get("SERVER_PORT") or 0)
        port = port or (443 if environ.get("wsgi.url_scheme") == "https" else 80)
        return None if (name in self.names and port == served) or (name, port) in self.exact else 421

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        status = self.allowed(environ)
        if status is None:
            return self.app(environ, start_response)
        served = self.port or environ.get("SERVER_PORT") or "8002"
        address = f"http://127.0.0.1:{served}/"
        texts = [localizer(lang, translations=[TRANSLATIONS]).gettext(_REFUSALS[status], address=address)
                 for lang in ("nl", "en")]
        body = (f"{status} {'HOST_MISSING' if status == 400 else 'HOST_NOT_ALLOWED'}\n\n"
                + "\n\n".join(texts) + "\n").encode("utf-8")
        start_response(f"{status} {'Bad Request' if status == 400 else 'Misdirected Request'}", [
            ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
            ("Content-Language", "nl, en"), ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store")])
        return [body]
