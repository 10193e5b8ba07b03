"""Signing credentials handed in by a caller (CLI `sign`, VC API `/credentials/issue`)."""

from __future__ import annotations

from typing import Any

from vccore import Canonicalizer, Clock, KeyPair, SUITES, add_proof
from vccore.errors import MalformedValueError, VCError
from vccore.jsondoc import check_depth
from vccore.report import VerificationReport
from vccore.vcdm import check_credential

__all__ = ["CredentialSigner", "IssueRefused"]


class IssueRefused(VCError):
    """The credential cannot be issued; carries every problem found."""

    code = "MALFORMED_VALUE_ERROR"
    title = "The credential cannot be issued"

    def __init__(self, report: VerificationReport) -> None:
        first = report.errors[0]
        super().__init__(first.detail, path=first.path, title=first.title)
        self.code = first.code
        self.report = report


class CredentialSigner:
    """Checks a credential against the data model and signs it with the institution's key."""

    def __init__(self, *, key: KeyPair, canon: Canonicalizer, clock: Clock) -> None:
        self.key = key
        self.canon = canon
        self.clock = clock

    def sign(self, credential: Any, *, suite: str = "eddsa-rdfc-2022", created: str | None = None) -> dict[str, Any]:
        """Validate, then add a Data Integrity proof. Raises IssueRefused / VCError with codes."""
        if suite not in SUITES or not SUITES[suite].can_sign:
            raise MalformedValueError(f"unsupported cryptosuite {suite!r}", path="/options/cryptosuite",
                                      title="Unsupported cryptosuite")
        check_depth(credential)
        report = VerificationReport()
        check_credential(credential, report, loader=self.canon.loader)
        if report.errors:
            raise IssueRefused(report)
        issuer = credential.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer_id != self.key.controller:
            raise MalformedValueError(f"this service issues as {self.key.controller}, not {issuer_id}",
                                      path="/issuer", title="Issuer not served here")
        return add_proof(credential, key=self.key, canon=self.canon, suite=SUITES[suite],
                         created=created or self.clock.now())
