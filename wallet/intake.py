"""Checking an incoming credential before it is stored: parse, verify (signature, issuer,
validity, status), and decide which profile it belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vccore import Verifier, format_datetime
from vccore.errors import VCError
from vccore.jsondoc import parse_json
from vccore.report import Problem, VerificationReport

from .formats import is_jose
from .model import summarize
from vccore.statuscheck import status_outcome

__all__ = ["Intake", "check_incoming"]


@dataclass
class Intake:
    """The verdict on one incoming credential (bytes exactly as received)."""

    body: bytes
    document: dict[str, Any] | None
    report: VerificationReport
    status: str
    checked: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.report.verified

    def verification(self) -> dict[str, Any]:
        """What is stored (sealed) with the credential and shown in lists."""
        return {"verified": self.verified, "status": self.status, "checked": self.checked,
                "errors": sorted(self.report.codes()), "warnings": sorted(self.report.warning_codes())}

    def summary(self) -> dict[str, Any]:
        fmt = self.report.credentials[0].get("format", "ldp_vc") if self.report.credentials else "ldp_vc"
        return {**summarize(self.document or {}), "format": fmt, "verification": self.verification()}


def check_incoming(body: bytes, *, verifier: Verifier) -> Intake:
    """Verify a credential given as bytes; never raises for bad input (the report says why). A JOSE
    credential (compact text) is read as the JSON its signature covers (report.bodies)."""
    checked = format_datetime(verifier.clock.now())
    if is_jose(body):
        report = verifier.verify_credential(body.strip())
        return Intake(body, report.bodies.get(""), report, status_outcome(report), checked)
    report = VerificationReport()
    try:
        document = parse_json(body)
    except VCError as exc:
        report.fail(exc)
        report.check("parse", "failed", "", exc.detail)
        return Intake(body, None, report, "none", checked)
    if not isinstance(document, dict):
        report.add(Problem("PARSING_ERROR", "Not a credential", "the file is not a JSON object"))
        return Intake(body, None, report, "none", checked)
    types = document.get("type")
    if "VerifiablePresentation" in (types if isinstance(types, list) else [types]):
        report.add(Problem("MALFORMED_VALUE_ERROR", "A presentation, not a credential",
                           "import the credentials themselves", "/type"))
        return Intake(body, None, report, "none", checked)
    report = verifier.verify_credential(document)
    return Intake(body, document, report, status_outcome(report), checked)
