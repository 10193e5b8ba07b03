"""Coded errors of the issuer library (codes this project adds; the specs' codes come from vccore)."""

from __future__ import annotations

from dataclasses import dataclass

from vccore.errors import VCError

__all__ = ["BatchRejected", "DefinitionNotFound", "FieldError", "InvalidInput", "LoginThrottled",
           "OfferAlreadyDelivered", "OfferExpired", "OfferNotFound", "RecordNotFound", "StatusChangeRefused", "StatusListNotFound"]


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


class DefinitionNotFound(VCError):
    code = "DEFINITION_NOT_FOUND"
    title = "No such microcredential definition"


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


class StatusChangeRefused(VCError):
    code = "STATUS_CHANGE_REFUSED"
    title = "This status change is not possible"


class StatusListNotFound(VCError):
    code = "STATUS_LIST_NOT_FOUND"
    title = "No such status list"


class LoginThrottled(VCError):
    """Too many failed staff logins for this account or from this client: locked for a while."""

    code = "LOGIN_THROTTLED"
    title = "Too many failed logins; try again later"
