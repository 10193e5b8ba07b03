"""The wallet in Dutch (default) and English, on vccore.l10n (docs/i18n.md): the request's
Localizer and `_()` for texts built in Python. The texts are in wallet/translations/nl (and
vccore's catalogue: problem codes, status sentences)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Request

from vccore.l10n import N_, Localizer, environment_localizer, localizer, negotiate

__all__ = ["STATUS_TEXT", "TRANSLATIONS", "_", "cli_localizer", "current", "for_request"]

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

# wallet.browse.Record.status
STATUS_TEXT: dict[str, str] = {
    "ok": N_("Valid, not revoked"), "none": N_("Valid (no status list)"),
    "unknown": N_("Valid, status could not be checked"), "revoked": N_("Revoked by the institution"),
    "suspended": N_("Suspended: temporarily not valid"), "invalid": N_("NOT VALID: verification failed"),
}


def for_request(request: Request, tz: str | None = None) -> Localizer:
    accept = [tag for tag, _q in request.accept_languages]
    return localizer(negotiate(request.args.get("lang"), request.cookies.get("lang"), accept),
                     translations=[TRANSLATIONS], tz=tz)


def cli_localizer(environ: dict[str, str] | None = None) -> Localizer:
    """The command line's language from LANGUAGE / LC_ALL / LANG (Dutch unless English is asked)."""
    return environment_localizer([TRANSLATIONS], environ)


def current() -> Localizer:
    from flask import g, has_request_context

    found = g.get("l10n") if has_request_context() else None
    return found if found is not None else localizer("nl", translations=[TRANSLATIONS])


def _(message: str, **values: Any) -> str:
    return current().gettext(message, **values)
