"""Verifier web app factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from vccore import Verifier
from vccore.errors import VCError

from . import api


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """`config` keys: VERIFIER (a vccore Verifier; default: offline, system clock), TESTING."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    app.config.update(config or {})
    app.extensions["vc_verifier"] = app.config.get("VERIFIER") or Verifier()
    app.register_blueprint(api.bp)

    @app.errorhandler(413)
    def too_large(_error):  # noqa: ANN001
        return api.problem(VCError("the request body is too large", title="Request too large"), 413)

    return app
