"""Where to go after login: only a page of this app, never another site (no open redirect).

Browsers are lenient where servers are strict: they drop tabs and newlines anywhere in a URL,
strip leading spaces and control characters, and read `\\` as `/` (WHATWG URL Standard), so
`/\\t/evil.example` and `/\\evil.example` both leave the site. Rather than guess what a browser
makes of a value, refuse every value with such characters, then require a bare path (no scheme,
no host) that routes to a page of the staff UI.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter, RequestRedirect

__all__ = ["local_path"]

_REFUSED = re.compile(r"[\x00-\x20\x7f-\x9f\\]")  # C0 controls, space, DEL, C1 controls, backslash
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"
MAX_LENGTH = 2048


def local_path(target: object, *, adapter: MapAdapter, script_root: str = "",
               refused_endpoints: tuple[str, ...] = ()) -> str | None:
    """`target` as a local URL (script root + path + query) when it names a GET page of this app
    whose endpoint is in the `web.` blueprint; else None."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return None
    if _REFUSED.search(target) or any(c.isspace() for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    try:
        endpoint, _ = adapter.match(unquote(parts.path), method="GET")
    except (HTTPException, RequestRedirect):
        return None
    if not endpoint.startswith("web.") or endpoint in refused_endpoints:
        return None
    path = quote(parts.path, safe=_SAFE_PATH)
    query = quote(parts.query, safe=_SAFE_QUERY)
    return script_root.rstrip("/") + path + (f"?{query}" if query else "")
