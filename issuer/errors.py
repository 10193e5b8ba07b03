"""Coded errors of the issuer library (codes this project adds; the specs' codes come from vccore).

Messages people read (field errors, refusals) are English source strings marked with `N_` and
translated where they are shown, through the issuer's catalogue (issuer/translations, docs/i18n.md);
variable parts are named placeholders (`%(maximum)s`) whose values travel with the message. The
JSON of the CLI and of the batch check keeps `message_nl` and `message_en`: the message translated
into each language.
"""

from __future__ import annotations

from dataclasses import dataclass, field as _field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from vccore.errors import VCError
from vccore.l10n import N_, Localizer, localizer

__all__ = ["BatchRejected", "DefinitionArchived", "DefinitionNotFound", "DefinitionSuperseded", "FieldError",
           "InvalidInput", "LoginThrottled", "OfferAlreadyDelivered", "OfferExpired", "OfferNotFound", "RecordNotFound",
           "RefusalError", "StatusChangeRefused", "StatusListNotFound", "TRANSLATIONS", "Translatable"]

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
_NO_VALUES: Mapping[str, Any] = MappingProxyType({})


class Translatable:
    """A message (an English msgid) with the values of its placeholders, shown in a reader's language."""

    message: str
    values: Mapping[str, Any]

    def text(self, l10n: Localizer) -> str:
        """The message in `l10n`'s language (a web request's Localizer, or one made for a locale)."""
        return l10n.gettext(self.message, **self.values)

    def in_language(self, locale: str) -> str:
        return self.text(localizer(locale, translations=[TRANSLATIONS]))

    @property
    def message_nl(self) -> str:
        return self.in_language("nl")

    @property
    def message_en(self) -> str:
        return self.in_language("en")


@dataclass(frozen=True)
class FieldError(Translatable):
    """One invalid field (forms, CSV rows, API bodies): a marked message and its placeholders' values."""

    field: str
    message: str
    values: Mapping[str, Any] = _field(default_factory=dict, hash=False)

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "message_nl": self.message_nl, "message_en": self.message_en}


class InvalidInput(VCError):
    """The microcredential form/definition/participant does not meet the rules."""

    code = "INVALID_INPUT"
    title = "The input does not meet the microcredential rules"

    def __init__(self, errors: list[FieldError]) -> None:
        first = errors[0] if errors else FieldError("", N_("invalid input"))
        super().__init__("; ".join(f"{e.field}: {e.message_en}" for e in errors) or first.message_en,
                         path="/" + first.field.replace(".", "/") if first.field else "")
        self.errors = errors


class BatchRejected(VCError):
    """At least one CSV row is bad: the whole batch is refused and nothing is stored."""

    code = "BATCH_REJECTED"
    title = "The batch was refused; nothing was issued"

    def __init__(self, errors: list) -> None:  # list[RowError]
        super().__init__(f"{len(errors)} problem(s) in the CSV file; nothing was issued")
        self.errors = errors


class RefusalError(Translatable, VCError):
    """An error a staff member reads: besides the (English) detail, a message from the catalogue."""

    message = N_("That did not work.")
    values = _NO_VALUES

    def __init__(self, detail: str = "", *, path: str = "", title: str | None = None,
                 message: str | None = None, values: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail, path=path, title=title)
        self.message = message or self.message
        self.values = MappingProxyType(dict(values)) if values else self.values


class DefinitionNotFound(VCError):
    code = "DEFINITION_NOT_FOUND"
    title = "No such microcredential definition"


class DefinitionArchived(RefusalError):
    """The definition is archived: it stays readable, but nothing new is issued from it."""

    code = "DEFINITION_ARCHIVED"
    title = "This microcredential definition is archived"
    message = N_("This microcredential is archived: nothing more is issued from it.")


class DefinitionSuperseded(RefusalError):
    """An older version of an edited definition: issue (or edit) its current version instead."""

    code = "DEFINITION_SUPERSEDED"
    title = "This version of the definition was replaced by a newer one"
    message = N_("This version was replaced by a newer one; use that one.")


class OfferNotFound(VCError):
    code = "OFFER_NOT_FOUND"
    title = "No such credential offer"


class OfferAlreadyDelivered(VCError):
    code = "OFFER_ALREADY_DELIVERED"
    title = "This offer has already been delivered"


class OfferExpired(VCError):
    code = "OFFER_EXPIRED"
    title = "This offer has expired"


class RecordNotFound(VCError):
    code = "RECORD_NOT_FOUND"
    title = "No such issued credential"


class StatusChangeRefused(RefusalError):
    code = "STATUS_CHANGE_REFUSED"
    title = "This status change is not possible"
    message = N_("This status change is not possible.")


class StatusListNotFound(VCError):
    code = "STATUS_LIST_NOT_FOUND"
    title = "No such status list"


class LoginThrottled(VCError):
    """Too many failed staff logins for this account or from this client: locked for a while."""

    code = "LOGIN_THROTTLED"
    title = "Too many failed logins; try again later"
