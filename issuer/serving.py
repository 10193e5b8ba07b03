"""Production serving of the issuer app (waitress), and what it is told about a reverse proxy.

Waitress 3 removes every `X-Forwarded-*` and `Forwarded` header from a request unless it was told
which proxy to trust (`clear_untrusted_proxy_headers` defaults to true, `trusted_proxy` to none).
So `VC_TRUST_PROXY=1` alone reached the app's ProxyFix with the headers already gone, and behind a
TLS proxy the status list URLs in issued credentials named the issuer's own `http://` address.
With `VC_TRUST_PROXY=1` waitress now passes the headers on, and the app's ProxyFix trusts exactly
one proxy hop (issuer.app); without it waitress keeps removing them and there is no ProxyFix.
tests/issuer/test_serve_proxy.py checks both over a real socket.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

__all__ = ["proxy_settings", "serve", "trusts_proxy"]

THREADS = 8


def trusts_proxy() -> bool:
    """The operator says one reverse proxy is in front (`VC_TRUST_PROXY=1`)."""
    return os.environ.get("VC_TRUST_PROXY") == "1"


def proxy_settings() -> dict[str, Any]:
    """Waitress settings: hand `X-Forwarded-*` on to the app's ProxyFix only when a proxy is trusted."""
    return {"clear_untrusted_proxy_headers": not trusts_proxy()}


def serve(app: Flask, *, host: str, port: int) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(app, host=host, port=port, threads=THREADS, ident="issuer", **proxy_settings())
