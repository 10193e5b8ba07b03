"""The staff console and the learner's offer page in Dutch (default) and English, on vccore.l10n
(docs/i18n.md): the request's Localizer, `_()` for texts built in Python, and the names of fields,
states and events. The texts are in issuer/translations/nl (and vccore's catalogue).

The language comes from `?lang=nl|en` (remembered in a `lang` cookie), else the browser's
Accept-Language, else Dutch. Times are shown in the time zone of the app config TIMEZONE or the
environment's VC_TIMEZONE (default Europe/Amsterdam). Credential data is never translated; the
library's own messages (FieldError, RowError, refusals) are marked English texts, shown by `message`.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, current_app, g, has_request_context, request

from vccore.l10n import LOCALES, N_, Localizer, install_jinja, localizer, negotiate

from ..errors import TRANSLATIONS, Translatable

__all__ = ["LANGUAGES", "TRANSLATIONS", "_", "current", "event_name", "field_label", "install", "message",
           "offer_state", "record_status"]

LANGUAGES = LOCALES

# form fields (also named in error summaries: issuer.web.forms.form_field)
FIELDS: dict[str, str] = {
    "title": N_("Unit name"), "course_code": N_("Course code"), "description": N_("Description"),
    "criteria": N_("Criteria (how it is earned)"), "nlqf_level": N_("NLQF level"), "ects": N_("Size (ECTS)"),
    "learning_outcomes": N_("Learning outcomes"), "result_kind": N_("Kind of result"),
    "institution": N_("Institution"), "result_name": N_("Name of the result"), "minimum": N_("Lowest grade"),
    "maximum": N_("Highest grade"), "pass_mark": N_("Pass mark"), "pass_value": N_("Value when passed"),
    "language": N_("Language of the unit (code)"), "assessment_type": N_("Assessment type"),
    "participation_form": N_("Participation form"), "identity_check": N_("Supervision and identity check"),
    "info_url": N_("Information page (https://...)"), "name": N_("Participant name"), "result": N_("Result"),
    "award_date": N_("Award date"), "valid_until": N_("Valid until (optional)"),
    "holder_did": N_("Wallet DID (optional)"), "csv": N_("CSV file"),
}
RECORD_STATUS: dict[str, str] = {"active": N_("Active"), "revoked": N_("Revoked"), "suspended": N_("Suspended")}
OFFER_STATE: dict[str, str] = {"pending": N_("Pending"), "redeemed": N_("Redeemed"), "expired": N_("Expired")}
EVENTS: dict[str, str] = {
    "issue": N_("Issued"), "collect": N_("Issued (offer collected with a wallet)"), "revoke": N_("Revoked"),
    "suspend": N_("Suspended"), "unsuspend": N_("Suspension lifted"),
}


def _timezone() -> str | None:
    return current_app.config.get("TIMEZONE") or os.environ.get("VC_TIMEZONE")


def current() -> Localizer:
    """The request's Localizer (Dutch outside a request)."""
    found = g.get("l10n") if has_request_context() else None
    return found if found is not None else localizer("nl", translations=[TRANSLATIONS])


def _(message: str, **values: Any) -> str:
    return current().gettext(message, **values)


def message(error: Translatable) -> str:
    """A message of the library (a field error, a refusal) in the request's language, from the catalogue."""
    return error.text(current())


def _label(table: dict[str, str], key: str) -> str:
    return current().gettext(table[key]) if key in table else key


def field_label(name: str) -> str:
    return _label(FIELDS, name)


def record_status(status: str) -> str:
    return _label(RECORD_STATUS, status)


def offer_state(state: str) -> str:
    return _label(OFFER_STATE, state)


def event_name(action: str) -> str:
    return _label(EVENTS, action)


def _choose() -> None:
    g.l10n = localizer(negotiate(request.args.get("lang"), request.cookies.get("lang"),
                                 [tag for tag, _q in request.accept_languages]),
                       translations=[TRANSLATIONS], tz=_timezone())


def _remember(response):
    if request.args.get("lang") in LANGUAGES:
        response.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax", httponly=True)
    return response


def install(bp: Blueprint) -> None:
    """Every request of the blueprint gets its Localizer; the app's templates get _() and the filters."""
    bp.before_request(_choose)
    bp.after_request(_remember)
    bp.record_once(lambda state: install_jinja(state.app.jinja_env, current))
