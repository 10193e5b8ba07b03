"""Verifier web app factory: pages, VC API verify endpoints, state in `app.extensions`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from flask import Flask

from vccore import Canonicalizer, ContextLoader, Verifier
from vccore.clock import Clock, SystemClock
from vccore.errors import VCError
from vccore.l10n import install_jinja
from vccore.transport import HttpTransport, NoNetwork, Transport

from . import api, oid4vp_web, web
from .challenges import ChallengeStore
from .i18n import current
from .oid4vp_identity import VerifierIdentity
from .oid4vp_store import TransactionStore
from .policy import Policy, load_policy
from .service import VerifierService
from .trust import TrustStore

__all__ = ["build_service", "conformance_canonicalizer", "create_app"]


def build_service(*, clock: Clock | None = None, transport: Transport | None = None,
                  policy: Policy | None = None, authority: str | None = None,
                  trust_list: str | None = None, trust_url: str | None = None,
                  data_dir: str | None = None, canon: Canonicalizer | None = None) -> VerifierService:
    """The service from settings (shared by the CLI and the app factory)."""
    clock = clock or SystemClock()
    policy = policy or Policy()
    data = Path(data_dir) if data_dir else None
    if data is not None:
        data.mkdir(parents=True, exist_ok=True)
    challenges = ChallengeStore(str(data / "challenges.sqlite3") if data else ":memory:", clock=clock,
                                ttl=policy.challenge_ttl, limits=policy.challenge_limits())
    service = VerifierService(canon=canon, clock=clock, transport=transport, policy=policy, challenges=challenges)
    service.trust = TrustStore(authority=authority, verifier=service.plain, clock=clock, transport=transport,
                               url=trust_url, path=data / "trust-list.json" if data else None)
    if trust_list:
        service.trust.import_bytes(Path(trust_list).read_bytes(), source=trust_list, persist=data is not None)
    return service


def default_transport(online: bool | None = None) -> Transport:
    """Offline unless the operator turns fetching on (`--online` or VERIFIER_ONLINE=1): nothing
    reaches the network unless a user configured it. Online means https and public addresses only
    (VC_ALLOW_PRIVATE_NETWORK=1 also allows loopback/private addresses and plain http)."""
    if online is None:
        online = os.environ.get("VERIFIER_ONLINE") == "1" and os.environ.get("VERIFIER_OFFLINE") != "1"
    if not online:
        return NoNetwork()
    return HttpTransport(allow_private=os.environ.get("VC_ALLOW_PRIVATE_NETWORK") == "1")


def conformance_canonicalizer(config: dict[str, Any]) -> Canonicalizer | None:
    """The explicit conformance switch, off by default: with it, the W3C examples context
    https://www.w3.org/ns/credentials/examples/v2 (test_only in contexts/manifest.json) is loaded too,
    so the W3C test suites' example credentials can be read. None: the default contexts only."""
    value = config.get("CONFORMANCE_EXAMPLES_CONTEXT")
    if not (value is True if value is not None else os.environ.get("VC_CONFORMANCE_EXAMPLES_CONTEXT") == "1"):
        return None
    print("verifier: CONFORMANCE TESTING MODE: the W3C examples context is loaded (never in production)",
          file=sys.stderr)
    return Canonicalizer(ContextLoader(include_test_contexts=True))


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """`config`: VERIFIER_SERVICE (a VerifierService; tests), or the settings VERIFIER_TRUST_AUTHORITY,
    VERIFIER_TRUST_LIST (file), VERIFIER_TRUST_URL, VERIFIER_POLICY (file), VERIFIER_DATA_DIR,
    VERIFIER_DOMAIN, VERIFIER_NAME; each also read from the environment. OID4VP_IDENTITY (a
    VerifierIdentity; tests), else the key in the data directory (verifier.oid4vp_identity). TIMEZONE (VC_TIMEZONE): the zone
    times are shown in (Europe/Amsterdam). CONFORMANCE_EXAMPLES_CONTEXT (or
    VC_CONFORMANCE_EXAMPLES_CONTEXT=1, `serve --conformance-examples-context`) is for conformance testing
    only: it also loads the W3C examples context (docs/conformance.md). VC_TRUST_PROXY=1 trusts one
    reverse proxy's X-Forwarded-For/Proto/Host/Prefix (client addresses for the request limits). VERIFIER (a plain vccore
    Verifier) is still accepted for the VC API alone."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=26 * 1024 * 1024, TIMEZONE=os.environ.get("VC_TIMEZONE"))
    install_jinja(app.jinja_env, current)
    for key in ("VERIFIER_TRUST_AUTHORITY", "VERIFIER_TRUST_LIST", "VERIFIER_TRUST_URL", "VERIFIER_POLICY",
                "VERIFIER_DATA_DIR", "VERIFIER_DOMAIN", "VERIFIER_NAME"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    app.config.update(config or {})
    service = app.config.get("VERIFIER_SERVICE")
    if service is None:
        policy_file = app.config.get("VERIFIER_POLICY")
        service = build_service(
            transport=app.config.get("VERIFIER_TRANSPORT") or default_transport(),
            policy=load_policy(Path(policy_file).read_bytes()) if policy_file else None,
            authority=app.config.get("VERIFIER_TRUST_AUTHORITY"), trust_list=app.config.get("VERIFIER_TRUST_LIST"),
            trust_url=app.config.get("VERIFIER_TRUST_URL"), data_dir=app.config.get("VERIFIER_DATA_DIR"),
            canon=conformance_canonicalizer(app.config))
    app.extensions["verifier"] = service
    plain = app.config.get("VERIFIER")
    app.extensions["vc_verifier"] = plain if isinstance(plain, Verifier) else None
    data_dir = app.config.get("VERIFIER_DATA_DIR")
    app.extensions["results"] = (web.SqliteResultStore(Path(data_dir) / "results.sqlite3") if data_dir
                                 else web.ResultStore())
    # OpenID4VP (docs/oid4vp-profile.md): the verifier's did:jwk and its transactions, shared by workers
    app.extensions["oid4vp_identity"] = app.config.get("OID4VP_IDENTITY") or VerifierIdentity.load_or_create(
        Path(data_dir) if data_dir else None)
    app.extensions["oid4vp"] = TransactionStore(str(Path(data_dir) / "oid4vp.sqlite3") if data_dir else ":memory:",
                                                clock=service.clock)
    app.register_blueprint(api.bp)
    app.register_blueprint(web.bp)
    app.register_blueprint(oid4vp_web.bp)
    if os.environ.get("VC_TRUST_PROXY") == "1":  # one reverse proxy in front: limits count its X-Forwarded-For
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)  # type: ignore[method-assign]

    @app.errorhandler(413)
    def too_large(_error):  # noqa: ANN001
        return api.problem(VCError("the request body is too large", title="Request too large"), 413)

    return app
