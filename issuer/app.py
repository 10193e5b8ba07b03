"""Issuer web app factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from vccore import Canonicalizer, KeyPair, SystemClock
from vccore.errors import VCError

from . import api
from .signing import CredentialSigner


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """`config` keys: KEY (KeyPair, required), CLOCK, CANONICALIZER, TESTING."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    app.config.update(config or {})
    key: KeyPair = app.config["KEY"]
    canon = app.config.get("CANONICALIZER") or Canonicalizer()
    clock = app.config.get("CLOCK") or SystemClock()
    app.extensions["credential_signer"] = CredentialSigner(key=key, canon=canon, clock=clock)
    app.register_blueprint(api.bp)

    @app.errorhandler(413)
    def too_large(_error):  # noqa: ANN001
        return api.problem(VCError("the request body is too large", title="Request too large"), 413)

    return app
