"""Coded errors of the issuer library (codes this project adds; the specs' codes come from vccore)."""

from __future__ import annotations

from dataclasses import dataclass

from vccore.errors import VCError

__all__ = ["BatchRejected", "BilingualError", "DefinitionArchived", "DefinitionNotFound", "DefinitionSuperseded",
           "FieldError", "InvalidInput", "LoginThrottled", "OfferAlreadyDelivered", "OfferExpired", "OfferNotFound",
           "RecordNotFound", "StatusChangeRefused", "StatusListNotFound"]


@dataclass(frozen=True)
class FieldError:
    """One invalid field, explained in Dutch and English (forms, CSV rows, API bodies)."""

    field: str
    message_nl: str
    message_en: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "message_nl": self.message_nl, "message_en": self.message_en}


class InvalidInput(VCError):
    """The microcredential form/definition/participant does not meet the rules."""

    code = "INVALID_INPUT"
    title = "The input does not meet the microcredential rules"

    def __init__(self, errors: list[FieldError]) -> None:
        first = errors[0] if errors else FieldError("", "ongeldige invoer", "invalid input")
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


class BilingualError(VCError):
    """An error a staff member reads: besides the (English) detail, a Dutch and an English message."""

    message_nl = "Dat lukte niet."
    message_en = "That did not work."

    def __init__(self, detail: str = "", *, path: str = "", title: str | None = None,
                 nl: str | None = None, en: str | None = None) -> None:
        super().__init__(detail, path=path, title=title)
        self.message_nl = nl or self.message_nl
        self.message_en = en or self.message_en


class DefinitionNotFound(VCError):
    code = "DEFINITION_NOT_FOUND"
    title = "No such microcredential definition"


class DefinitionArchived(BilingualError):
    """The definition is archived: it stays readable, but nothing new is issued from it."""

    code = "DEFINITION_ARCHIVED"
    title = "This microcredential definition is archived"
    message_nl = "Deze microcredential is gearchiveerd: er wordt niets meer van uitgegeven."
    message_en = "This microcredential is archived: nothing more is issued from it."


class DefinitionSuperseded(BilingualError):
    """An older version of an edited definition: issue (or edit) its current version instead."""

    code = "DEFINITION_SUPERSEDED"
    title = "This version of the definition was replaced by a newer one"
    message_nl = "Deze versie is vervangen door een nieuwere versie; gebruik die."
    message_en = "This version was replaced by a newer one; use that one."


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


class StatusChangeRefused(BilingualError):
    code = "STATUS_CHANGE_REFUSED"
    title = "This status change is not possible"
    message_nl = "Deze statuswijziging is niet mogelijk."
    message_en = "This status change is not possible."


class StatusListNotFound(VCError):
    code = "STATUS_LIST_NOT_FOUND"
    title = "No such status list"


class LoginThrottled(VCError):
    """Too many failed staff logins for this account or from this client: locked for a while."""

    code = "LOGIN_THROTTLED"
    title = "Too many failed logins; try again later"
