"""The wallet's local web app: `create_app(config)`; state lives in `app.extensions["wallet"]`."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g, request

from vccore import Canonicalizer, SystemClock

from ..defaults import allow_private_network, build_verifier, default_transport
from ..oid4vci import UrllibClient
from .i18n import TEXT, choose_lang
from .session import WalletSession

__all__ = ["create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Config: WALLET_HOME (required), CLOCK, CANONICALIZER, TRANSPORT (status lists, did:web),
    HTTP_CLIENT (OpenID4VCI), KDF_N, SECRET_KEY."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=20 * 1024 * 1024, SECRET_KEY=secrets.token_hex(32),
                      SESSION_COOKIE_SAMESITE="Strict")
    app.config.update(config or {})
    canon = app.config.get("CANONICALIZER") or Canonicalizer()
    clock = app.config.get("CLOCK") or SystemClock()
    transport = app.config.get("TRANSPORT") or default_transport()
    app.extensions["wallet"] = WalletSession(
        home=Path(app.config["WALLET_HOME"]), canon=canon, clock=clock,
        verifier=build_verifier(canon=canon, clock=clock, transport=transport),
        client=app.config.get("HTTP_CLIENT") or UrllibClient(allow_private=allow_private_network()),
        kdf_n=app.config.get("KDF_N", 2 ** 15))

    from . import views
    app.register_blueprint(views.bp)

    @app.before_request
    def language() -> None:
        g.lang = choose_lang(request)

    @app.after_request
    def headers(response):  # noqa: ANN001
        if request.args.get("lang") in ("nl", "en"):
            response.set_cookie("lang", request.args["lang"], samesite="Strict")
        response.headers["Content-Security-Policy"] = ("default-src 'self'; img-src 'self' data:; "
                                                       "style-src 'self'; script-src 'self'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def text() -> dict[str, Any]:
        lang = getattr(g, "lang", "nl")
        return {"t": lambda key, **kw: TEXT[key][0 if lang == "nl" else 1].format(**kw), "lang": lang}

    return app
