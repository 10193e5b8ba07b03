"""The verifier in Dutch (default) and English, on vccore.l10n (docs/i18n.md): the request's
Localizer, `_()` for texts built in Python, and the names of the checks. The texts themselves are
in verifier/translations/nl (and vccore's catalogue: problem codes, status sentences)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vccore.l10n import N_, Localizer, environment_localizer, localizer, negotiate

__all__ = ["CHECK_NAMES", "CHECK_STATES", "ELEMENTS", "TRANSLATIONS", "_", "cli_localizer", "current",
           "for_request"]

TRANSLATIONS = Path(__file__).resolve().parent / "translations"

CHECK_NAMES: dict[str, str] = {
    "parse": N_("Reading the input"),
    "data-model": N_("Structure under the VC standard"),
    "compacted-form": N_("Written as signed"),
    "validity": N_("Validity period"),
    "proof": N_("Digital signature"),
    "status": N_("Revocation and suspension"),
    "holder-binding": N_("Presented by its holder"),
    "freshness": N_("Recently made"),
    "challenge": N_("Answer to this request"),
    "trusted-issuer": N_("Accredited institution"),
    "quality-mark": N_("Quality mark"),
    "completeness": N_("Microcredential completeness"),
}

CHECK_STATES: dict[str, str] = {"passed": N_("passed"), "failed": N_("failed"), "warning": N_("warning"),
                                "unchecked": N_("not checked")}

# certificate elements of the quality framework and the EU (verifier.completeness)
ELEMENTS: dict[str, str] = {
    "participant": N_("participant name"), "institution": N_("institution"), "unit": N_("unit name"),
    "nlqf": N_("NLQF level"), "eqf": N_("EQF level"), "ects": N_("credits (ECTS)"),
    "learning_outcomes": N_("learning outcomes"), "result": N_("result"), "quality_mark": N_("quality mark"),
    "assessment": N_("assessment type"), "participation": N_("participation form"),
    "identity_check": N_("identity check"), "language": N_("language"), "date": N_("date"),
    "achievement_type": N_("microcredential type"),
}


def for_request(asked: str | None, cookie: str | None, accept: list[str], tz: str | None = None) -> Localizer:
    return localizer(negotiate(asked, cookie, accept), translations=[TRANSLATIONS], tz=tz)


def cli_localizer(environ: dict[str, str] | None = None) -> Localizer:
    """The command line's language from LANGUAGE / LC_ALL / LANG (Dutch unless English is asked)."""
    return environment_localizer([TRANSLATIONS], environ)


def current() -> Localizer:
    """The request's Localizer (Dutch outside a request)."""
    from flask import g, has_request_context

    found = g.get("l10n") if has_request_context() else None
    return found if found is not None else localizer("nl", translations=[TRANSLATIONS])


def _(message: str, **values: Any) -> str:
    return current().gettext(message, **values)
