"""Verdict states a person can act on (docs/verifier.md, "Verdicts"). One cause gives one message:
the state names what happened, the advice says what to do next, and the rest of the report sits
under "technical details".

unreadable      the input could not be read: try again / a sharper photo (no verdict, no print view)
valid           every check passed
remarks         valid, with remarks (warnings only)
qr_expired      the holder's QR code is too old (or dated ahead): ask for a new one
presentation_expired  a presentation file whose validity (chosen by the holder) has ended
suspended       temporarily not valid: ask the institution
revoked         withdrawn by the institution
not_genuine     not what the institution signed (signature, structure, holder, forged name)
not_accepted    genuine, but not accepted here: validity ended, another request, a policy requirement
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from vccore.l10n import N_
from vccore.report import Problem
from vccore.statuscheck import REVOKED, SUSPENDED

__all__ = ["STATES", "Verdict", "verdict_of"]

# state: (headline, what to do next; None: the cause's own advice from vccore.problemtexts)
STATES: dict[str, tuple[str, str | None]] = {
    "unreadable": (N_("Could not read this"), None),
    "valid": (N_("Valid"), N_("All checks passed. You can rely on this certificate.")),
    "remarks": (N_("Valid, with remarks"),
                N_("The certificate is genuine. Read the remarks below before you rely on it.")),
    "qr_expired": (N_("This QR code has expired"), N_("Ask the holder for a new one from their wallet.")),
    "presentation_expired": (N_("This presentation has expired"),
                             N_("The holder chose how long it would be valid. Ask for a new one from their wallet.")),
    "suspended": (N_("Suspended: temporarily not valid"),
                  N_("Ask the institution when it will be valid again.")),
    "revoked": (N_("Revoked"), N_("The institution has withdrawn this certificate. Do not rely on it.")),
    "not_genuine": (N_("Not genuine"), None),
    "not_accepted": (N_("Not accepted"), None),
}
LEGACY = {"valid": "valid", "remarks": "warnings"}  # Outcome.verdict: valid / warnings / invalid

UNREADABLE = {"PARSING_ERROR", "IMAGE_ERROR", "QR_NOT_FOUND", "PDF_ERROR", "PDF_NO_CREDENTIAL"}
QR_EXPIRED = {"FRESHNESS_ERROR"}
FILE_EXPIRED = {"PRESENTATION_EXPIRED"}
NOT_ACCEPTED = {"EXPIRED_ERROR", "NOT_YET_VALID_ERROR", "INVALID_CHALLENGE_ERROR", "INVALID_DOMAIN_ERROR",
                "UNTRUSTED_ISSUER", "NO_TRUST_LIST", "TRUST_LIST_EXPIRED", "MICROCREDENTIAL_INCOMPLETE",
                "MICROCREDENTIAL_NONCONFORMING", "STATUS_RETRIEVAL_ERROR", "STATUS_VERIFICATION_ERROR",
                "STATUS_LIST_LENGTH_ERROR", "STATUS_NOT_REFRESHED", "TRANSPORT_ERROR", "DID_NOT_FOUND",
                "QUALITY_MARK_ERROR"}


@dataclass(frozen=True)
class Verdict:
    state: str
    cause: Problem | None = None       # the one problem the message is about (None: valid, remarks)
    remarks: tuple[Problem, ...] = ()  # warnings a person should read (one per code)

    @property
    def legacy(self) -> str:
        return LEGACY.get(self.state, "invalid")

    @property
    def has_verdict(self) -> bool:
        return self.state != "unreadable"


def _first(errors: list[Problem], codes: Iterable[str]) -> Problem | None:
    wanted = set(codes)
    return next((p for p in errors if p.code in wanted), None)


def _one_per_code(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    seen: dict[str, Problem] = {}
    for p in problems:
        seen.setdefault(p.code, p)
    return tuple(seen.values())


def verdict_of(problems: list[Problem], *, read: bool, bare_credential: bool = False) -> Verdict:
    """The state of a whole verification (`read`: the input was parsed into a document)."""
    errors = [p for p in problems if p.severity == "error"]
    if not read:
        return Verdict("unreadable", errors[0] if errors else None)
    if not errors:
        warnings = _one_per_code(p for p in problems if p.severity == "warning")
        return Verdict("remarks", None, warnings) if warnings else Verdict("valid")
    not_accepted = NOT_ACCEPTED | ({"HOLDER_BINDING_ERROR"} if bare_credential else set())
    forged = [p for p in errors if p.code not in not_accepted | QR_EXPIRED | FILE_EXPIRED | {REVOKED, SUSPENDED}]
    if forged:
        return Verdict("not_genuine", forged[0])
    for state, codes in (("revoked", {REVOKED}), ("suspended", {SUSPENDED}), ("qr_expired", QR_EXPIRED),
                         ("presentation_expired", FILE_EXPIRED)):
        found = _first(errors, codes)
        if found is not None:
            return Verdict(state, found)
    return Verdict("not_accepted", _first(errors, not_accepted))
