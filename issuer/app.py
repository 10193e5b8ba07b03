"""Issuer web app factory: VC API, OpenID4VCI delivery, public status lists/DID, staff UI.

`create_app(config)` keys (all optional except a key when DATA_DIR holds none):
  DATA_DIR         registry, key file, OID4VCI state, staff users (default ./issuer-data)
  KEY / KEY_FILE   the institution's KeyPair, or a Multikey file to load it from
  INSTITUTION      an InstitutionProfile or its dict (name, brin, url, country, kind); else the
                   profile kept in DATA_DIR (`python -m issuer init`)
  DID_WEB          did:web identifier to issue as (the key then lives in DATA_DIR/keys)
  PUBLIC_BASE_URL  e.g. https://badges.example.nl; else each request's own base URL is used
  USERS            {username: werkzeug password hash}; else DATA_DIR/staff-users.json, created on
                   first start with user "admin" and a random password printed once to stderr
  SECRET_KEY       session signing key; else a random one kept 0600 in DATA_DIR/secret-key
  VC_API_TOKEN     bearer token for POST /credentials/issue (else env VC_API_TOKEN); without
                   one the endpoint is closed (403) unless TESTING (issuer/api.py checks it)
  TESTING          test mode: the VC API issue endpoint needs no token
  CLOCK, CANONICALIZER  effects (defaults: SystemClock, a new Canonicalizer)
  OFFER_TTL        seconds a credential offer stays valid (default 7 days)
  TIMEZONE         the time zone staff pages show times in (default Europe/Amsterdam)
  LOGIN_POLICY     an issuer.throttle.ThrottlePolicy for staff logins (default: 5 failures per
                   account or 20 per client within 15 minutes lock it for 15 minutes)
  CONFORMANCE_EXAMPLES_CONTEXT  conformance testing only (else env VC_CONFORMANCE_EXAMPLES_CONTEXT=1,
                   or `serve --conformance-examples-context`): also load the W3C examples context
                   https://www.w3.org/ns/credentials/examples/v2, which the W3C test suites use;
                   off by default, and never for production (docs/conformance.md)
Environment: VC_TRUST_PROXY=1 trusts one reverse proxy's X-Forwarded-Proto/Host/For/Prefix.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from flask import Flask, redirect, url_for
from werkzeug.security import generate_password_hash

from vccore import Canonicalizer, ContextLoader, KeyPair, SystemClock
from vccore.errors import VCError

from . import api, oid4vci
from .oid4vci_state import Oid4vciStore
from .throttle import LoginThrottle

__all__ = ["conformance_examples_context", "create_app"]

DEFAULT_OFFER_TTL = 7 * 24 * 3600


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=2 * 1024 * 1024, OFFER_TTL=DEFAULT_OFFER_TTL,
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.config.update(config or {})
    data_dir = Path(app.config.get("DATA_DIR") or "issuer-data")
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # registry, codes, secrets
    public_url = app.config.get("PUBLIC_BASE_URL")
    app.config["SESSION_COOKIE_SECURE"] = bool(public_url and public_url.startswith("https://"))
    app.config.setdefault("SECRET_KEY", None)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(data_dir)
    if not app.config.get("VC_API_TOKEN") and os.environ.get("VC_API_TOKEN"):
        app.config["VC_API_TOKEN"] = os.environ["VC_API_TOKEN"]
    if not app.config.get("USERS"):
        app.config["USERS"] = _staff_users(data_dir)

    clock = app.config.get("CLOCK") or SystemClock()
    canon = app.config.get("CANONICALIZER") or _canonicalizer(app)
    key = app.config.get("KEY")
    if key is None and app.config.get("KEY_FILE"):
        key = KeyPair.load(app.config["KEY_FILE"])
    service = _open_service(data_dir, key=key, institution=app.config.get("INSTITUTION"),
                            public_base_url=public_url, clock=clock, canon=canon,
                            did_web=app.config.get("DID_WEB"),
                            offer_ttl=dt.timedelta(seconds=int(app.config["OFFER_TTL"])))
    app.extensions["issuer_clock"] = clock
    app.extensions["issuer_service"] = service
    app.extensions["oid4vci_store"] = Oid4vciStore(data_dir / "oid4vci.sqlite3", clock=clock)
    app.extensions["login_throttle"] = LoginThrottle(service.registry, clock=clock,
                                                     policy=app.config.get("LOGIN_POLICY"))

    _register(app)
    if os.environ.get("VC_TRUST_PROXY") == "1":
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)

    @app.errorhandler(413)
    def too_large(_error):  # noqa: ANN001
        return api.problem(VCError("the request body is too large", title="Request too large"), 413)

    return app


def conformance_examples_context(config: dict[str, Any]) -> bool:
    """The explicit conformance switch: the W3C examples context is loaded only when it is on."""
    value = config.get("CONFORMANCE_EXAMPLES_CONTEXT")
    return value is True if value is not None else os.environ.get("VC_CONFORMANCE_EXAMPLES_CONTEXT") == "1"


def _canonicalizer(app: Flask) -> Canonicalizer:
    if not conformance_examples_context(app.config):
        return Canonicalizer()
    print("issuer: CONFORMANCE TESTING MODE: the W3C examples context is loaded (never in production)",
          file=sys.stderr)
    return Canonicalizer(ContextLoader(include_test_contexts=True))


def _open_service(data_dir: Path, *, institution: Any, **kwargs: Any):
    from .model import InstitutionProfile, parse
    from .service import IssuerService

    if isinstance(institution, dict):
        institution = parse(InstitutionProfile, institution)
    return IssuerService.open(data_dir, institution=institution, **kwargs)


def _register(app: Flask) -> None:
    from . import web

    app.register_blueprint(api.bp)
    try:
        from . import public
    except ImportError:  # issuer-core's public blueprint (status lists, did.json) not there yet
        public = None
    if public is not None:
        app.register_blueprint(public.bp)
    app.register_blueprint(oid4vci.bp)
    app.register_blueprint(web.bp, url_prefix="/admin")
    app.register_blueprint(web.learner_bp)
    if not any(rule.rule == "/" for rule in app.url_map.iter_rules()):
        app.add_url_rule("/", "root", lambda: redirect(url_for("web.home")))


def _private_file(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def _secret_key(data_dir: Path) -> str:
    path = data_dir / "secret-key"
    if not path.exists():
        _private_file(path, secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip()


def _staff_users(data_dir: Path) -> dict[str, str]:
    """Staff accounts kept in DATA_DIR; the first start creates 'admin' and says its password once."""
    path = data_dir / "staff-users.json"
    if not path.exists():
        password = secrets.token_urlsafe(12)
        _private_file(path, json.dumps({"admin": generate_password_hash(password)}, indent=2))
        print(f"issuer: staff login created: user 'admin', password '{password}' "
              f"(stored hashed in {path}; shown only now)", file=sys.stderr)
    return json.loads(path.read_text(encoding="utf-8"))
