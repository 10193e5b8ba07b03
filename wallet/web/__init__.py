"""The wallet's local web app: `create_app(config)`; state lives in `app.extensions["wallet"]`."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface

from vccore import Canonicalizer, SystemClock
from vccore.l10n import install_jinja
from vccore.problemtexts import problem_text
from vccore.statustext import status_sentence

from ..defaults import allow_private_network, build_verifier, default_transport
from ..holder import Wallet
from ..oid4vci import UrllibClient
from .hostcheck import HostGuard
from ..recheck import stored_results
from .i18n import STATUS_TEXT, current, for_request
from .session import Sessions, WalletApp
from .throttle import Throttle

__all__ = ["create_app"]


class _CookieSession(SecureCookieSessionInterface):
    """Flask's signed cookie (it carries only the CSRF token), marked Secure when served over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Config: WALLET_HOME (required), CLOCK, CANONICALIZER, TRANSPORT (status lists, did:web),
    HTTP_CLIENT (OpenID4VCI), KDF_N, SECRET_KEY, SESSION_IDLE_SECONDS (900), THROTTLE (a Throttle),
    SERVED_HOST / SERVED_PORT / ALLOWED_HOSTS (the names the Host header may carry), TIMEZONE (VC_TIMEZONE: the
    zone times are shown in, Europe/Amsterdam)."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=20 * 1024 * 1024, SECRET_KEY=secrets.token_hex(32),
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True, SESSION_IDLE_SECONDS=900,
                      TIMEZONE=os.environ.get("VC_TIMEZONE"))
    app.config.update(config or {})
    app.session_interface = _CookieSession()
    home = Path(app.config["WALLET_HOME"])
    canon = app.config.get("CANONICALIZER") or Canonicalizer()
    clock = app.config.get("CLOCK") or SystemClock()
    transport = app.config.get("TRANSPORT") or default_transport()
    verifier = build_verifier(canon=canon, clock=clock, transport=transport)
    kdf_n = app.config.get("KDF_N", 2 ** 15)

    def opener(passphrase: str) -> Wallet:
        args = dict(verifier=verifier, clock=clock, canon=canon)
        if Wallet.exists(home):
            return Wallet.open(home, passphrase, **args)
        return Wallet.create(home, passphrase, kdf_n=kdf_n, **args)

    app.extensions["wallet"] = WalletApp(
        home=home, client=app.config.get("HTTP_CLIENT") or UrllibClient(allow_private=allow_private_network()),
        sessions=Sessions(home=home, opener=opener, clock=clock,
                          throttle=app.config.get("THROTTLE") or Throttle(clock=clock),
                          idle=dt.timedelta(seconds=app.config["SESSION_IDLE_SECONDS"])))
    app.wsgi_app = HostGuard(app.wsgi_app, served_host=app.config.get("SERVED_HOST"),  # type: ignore[method-assign]
                             extra=app.config.get("ALLOWED_HOSTS") or (), port=app.config.get("SERVED_PORT"))

    from . import collect, respond, sharing, views
    app.register_blueprint(views.bp)
    app.register_blueprint(collect.bp)
    app.register_blueprint(respond.bp)
    app.register_blueprint(sharing.bp)

    install_jinja(app.jinja_env, current)

    @app.before_request
    def language() -> None:
        g.l10n = for_request(request, app.config.get("TIMEZONE"))
        g.lang = g.l10n.locale

    @app.after_request
    def headers(response):  # noqa: ANN001
        if request.args.get("lang") in ("nl", "en"):
            response.set_cookie("lang", request.args["lang"], samesite="Strict", secure=request.is_secure)
        response.headers["Content-Security-Policy"] = ("default-src 'self'; img-src 'self' data:; "
                                                       "style-src 'self'; script-src 'self'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def text() -> dict[str, Any]:
        l10n = current()
        return {"lang": l10n.locale, "explain": lambda exc: problem_text(getattr(exc, "oauth_error", None)
                                                                         or exc.code, l10n),
                "explain_code": lambda code: problem_text(code, l10n),
                "status_text": lambda status: l10n.gettext(STATUS_TEXT.get(status, STATUS_TEXT["invalid"])),
                "status_sentence": lambda record: status_sentence(stored_results(record.summary), l10n,
                                                                  now=clock.now())}

    return app

