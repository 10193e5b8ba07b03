"""Staff web UI (blueprint `web`, mounted at /admin): a thin shell over IssuerService."""

from __future__ import annotations

from flask import Blueprint, current_app

from . import auth, batch, definitions, issuing, records
from .forms import form_field
from .i18n import LANGUAGES, current_language, text

__all__ = ["bp"]

bp = Blueprint("web", __name__)

bp.before_request(batch.upload_limit)
bp.before_request(auth.check_csrf)
bp.add_url_rule("/login", "login", auth.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", auth.logout, methods=["POST"])
definitions.register(bp)
issuing.register(bp)
batch.register(bp)
records.register(bp)


@bp.app_context_processor
def _template_helpers() -> dict:
    return {"t": text, "lang": current_language(), "languages": LANGUAGES,
            "csrf_token": auth.csrf_token, "form_field": form_field,
            "institution": current_app.extensions["issuer_service"].institution}


@bp.after_request
def _security_headers(response):
    """Own CSS/JS only, QR codes as data: images, no framing, no caching of staff pages."""
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    return response
