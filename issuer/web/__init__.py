"""Staff web UI (blueprint `web`, mounted at /admin): a thin shell over IssuerService; and the
learner's public offer page (blueprint `learner`, /offer/<code>)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from vccore.problemtexts import problem_text as code_text

from ..errors import Translatable
from . import auth, batch, definitions, issuing, offers, records
from .forms import form_field
from .headers import security_headers
from .i18n import (LANGUAGES, _, current, event_name, field_label, install, message, offer_state,
                   record_status)
from .learner import bp as learner_bp

__all__ = ["bp", "learner_bp"]

bp = Blueprint("web", __name__)

install(bp)  # first: every page below, the CSRF refusal included, is in the chosen language
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
        return _("through the VC API")
    if value.startswith("cli:"):
        return _("command line (%(name)s)", name=value[4:] or "?")
    return value


def problem_text(error) -> str:
    """A refusal as staff read it, in their language (never the library's English detail)."""
    if isinstance(error, Translatable):
        return message(error)
    return code_text(getattr(error, "code", ""), current()).title


def describedby(name: str, errors: dict, help_text: str | None) -> str:
    """The ids of a field's help text and error messages (its aria-describedby), or ''."""
    ids = [f"{name}-help"] if help_text else []
    return " ".join(ids + [f"{name}-error-{i}" for i in range(1, len(errors.get(name, [])) + 1)])


@bp.errorhandler(404)
def _not_found(_error):
    return render_template("message.html", title=_("Not found."), message=_("This page does not exist."),
                           code=""), 404


@bp.app_context_processor
def _template_helpers() -> dict:
    return {"lang": current().locale, "languages": LANGUAGES, "csrf_token": auth.csrf_token,
            "form_field": form_field, "describedby": describedby, "field_label": field_label, "record_status": record_status,
            "offer_state": offer_state, "event_name": event_name,
            "institution": current_app.extensions["issuer_service"].institution}


for _name, _filter in (("actor", actor), ("problem_text", problem_text)):
    bp.add_app_template_filter(_filter, _name)
