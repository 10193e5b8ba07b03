"""Staff web UI (blueprint `web`, mounted at /admin): a thin shell over IssuerService; and the
learner's public offer page (blueprint `learner`, /offer/<code>)."""

from __future__ import annotations

from flask import Blueprint, current_app

from . import auth, batch, definitions, issuing, offers, records
from .formats import ec, local_date, local_time, number
from .forms import form_field
from .headers import security_headers
from .i18n import LANGUAGES, bilingual, current_language, text
from .learner import bp as learner_bp

__all__ = ["bp", "learner_bp"]

bp = Blueprint("web", __name__)

bp.before_request(batch.upload_limit)
bp.before_request(auth.check_csrf)
bp.after_request(security_headers)
bp.add_url_rule("/login", "login", auth.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", auth.logout, methods=["POST"])
definitions.register(bp)
issuing.register(bp)
batch.register(bp)
offers.register(bp)
records.register(bp)


def actor(value: str) -> str:
    """Who did something, as the history shows it (a staff login name, the command line, the VC API)."""
    if not value:
        return "—"
    if value == "VC API":
        return text("actor_vc_api")
    if value.startswith("cli:"):
        return text("actor_cli").format(name=value[4:] or "?")
    return value


def problem_text(error) -> str:
    """A refusal as staff read it, in their language (never the library's English detail)."""
    if hasattr(error, "message_nl"):
        return bilingual(error.message_nl, error.message_en)
    key = f"problem_{getattr(error, 'code', '')}"
    return text(key) if text(key) != key else text("error_generic")


@bp.app_context_processor
def _template_helpers() -> dict:
    return {"t": text, "lang": current_language(), "languages": LANGUAGES,
            "csrf_token": auth.csrf_token, "form_field": form_field,
            "institution": current_app.extensions["issuer_service"].institution}


for _name, _filter in (("local_time", local_time), ("local_date", local_date), ("number", number), ("ec", ec),
                       ("actor", actor), ("problem_text", problem_text)):
    bp.add_app_template_filter(_filter, _name)
