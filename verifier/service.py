"""The verifier's library object: intake -> vccore checks -> policy, trust, status, completeness.

CLI, web pages and VC API endpoints are thin shells over `VerifierService`. Every check is
reported separately in the vccore VerificationReport; `Outcome` adds the verdict and, per
credential, the certificate as a person reads it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from vccore import Canonicalizer, DidResolver, Verifier
from vccore.clock import Clock, SystemClock
from vccore.errors import InvalidChallengeError, VCError
from vccore.report import Problem, VerificationReport
from vccore.transport import NoNetwork, Transport

from .challenges import ChallengeStore
from .completeness import Completeness, assess, is_microcredential, report_completeness
from .intake import is_pdf, read_input
from .pdfintake import read_pdf
from .policy import Binding, Policy, check_freshness, check_one_way, proof_bindings
from vccore.josekeys import JoseKeys
from vccore.jwtvp import verify_jwt_vp
from vccore.verify import credential_summary
from vccore.statuscheck import StatusChecker, StatusResult, results_under
from vccore.tokenstatus import TokenStatusChecker
from vccore.statustext import status_state
from .trust import TrustStore, report_identity
from .verdict import Verdict, verdict_of
from .view import Certificate, certificate, named_by_trust_list

__all__ = ["CredentialResult", "Outcome", "VerifierService"]


@dataclass
class CredentialResult:
    path: str
    summary: dict[str, Any]
    certificate: Certificate
    completeness: Completeness | None
    statuses: list[StatusResult]
    problems: list[Problem]
    checks: list[dict[str, str]]
    bare: bool = False  # handed in as a credential, not in a presentation

    @property
    def judged(self) -> Verdict:
        return verdict_of(self.problems, read=True, bare_credential=self.bare)

    @property
    def verdict(self) -> str:
        return self.judged.legacy

    @property
    def status_state(self) -> str:
        """revoked, suspended, unchecked (never shown as OK), ok, or none (no status entry)."""
        return status_state(self.statuses)

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "verdict": self.verdict, "state": self.judged.state, "summary": self.summary,
                "certificate": self.certificate.to_json(), "status": [r.to_json() for r in self.statuses],
                "statusState": self.status_state,
                "completeness": self.completeness.to_json() if self.completeness else None}


@dataclass
class Outcome:
    report: VerificationReport
    kind: str | None = None            # "presentation", "credential" or None (unusable input)
    credentials: list[CredentialResult] = field(default_factory=list)
    checked_at: dt.datetime | None = None
    # until when this one-way presentation stays acceptable here: a QR presentation's `created` plus the
    # maximum age, a presentation file's `expires` (verifier.policy.check_freshness)
    acceptable_until: dt.datetime | None = None
    source: str | None = None          # "pdf": read from a PDF certificate (its printed text is not signed)
    pdf_part: str | None = None        # what of the PDF was verified: "attachment" or "qr" (verifier.pdfintake)

    @property
    def judged(self) -> Verdict:
        """The state a person acts on (verifier.verdict)."""
        return verdict_of(self.report.problems, read=self.usable and self.kind is not None,
                          bare_credential=self.kind == "credential")

    @property
    def verdict(self) -> str:
        """valid, warnings or invalid (the JSON report's older summary of `state`)."""
        return self.judged.legacy

    @property
    def usable(self) -> bool:
        return not any(c.name == "parse" and c.status == "failed" for c in self.report.checks)

    def to_json(self) -> dict[str, Any]:
        out = self.report.to_json()
        judged = self.judged
        out.update(verdict=self.verdict, state=judged.state, cause=judged.cause.code if judged.cause else None,
                   kind=self.kind, checkedAt=self.checked_at.isoformat() if self.checked_at else None,
                   acceptableUntil=self.acceptable_until.isoformat() if self.acceptable_until else None,
                   source=self.source, pdfPart=self.pdf_part,
                   certificates=[c.to_json() for c in self.credentials])
        return out


def _is_presentation(document: Any) -> bool:
    types = document.get("type") if isinstance(document, dict) else None
    return "VerifiablePresentation" in (types if isinstance(types, list) else [types])


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


class VerifierService:
    """Verifies what an employer hands in, under a policy, against a trust list, offline first."""

    def __init__(self, *, canon: Canonicalizer | None = None, clock: Clock | None = None,
                 resolver: DidResolver | None = None, transport: Transport | None = None,
                 policy: Policy | None = None, trust: TrustStore | None = None,
                 challenges: ChallengeStore | None = None) -> None:
        self.clock = clock or SystemClock()
        self.policy = policy or Policy()
        transport = transport or NoNetwork()
        canon = canon or Canonicalizer()
        resolver = resolver or DidResolver(transport=transport)
        # The plain verifier checks status lists, trust lists and endorsements (no status hook).
        # Threads may share them: vccore serialises its calls into pyld, whose caches are not
        # thread-safe.
        # JOSE credentials: issuer keys through the same resolver, JWT VC Issuer Metadata through the
        # same transport; IETF Token Status Lists with the same freshness rules (docs/jose-formats.md)
        jose = JoseKeys(resolver=resolver, transport=transport)
        self.plain = Verifier(canon=canon, resolver=resolver, clock=self.clock, jose=jose)
        max_age = dt.timedelta(seconds=self.policy.status_max_age)
        self.status = StatusChecker(list_verifier=self.plain, transport=transport, clock=self.clock,
                                    required=self.policy.require_status, max_age=max_age)
        self.token_status = TokenStatusChecker(keys=jose, transport=transport, clock=self.clock,
                                               required=self.policy.require_status, max_age=max_age)
        self.verifier = Verifier(canon=canon, resolver=resolver, clock=self.clock, status=self.status,
                                 require_holder_binding=self.policy.require_holder_binding, jose=jose,
                                 token_status=self.token_status)
        self.trust = trust or TrustStore(authority=None, verifier=self.plain, clock=self.clock)
        self.challenges = challenges or ChallengeStore(clock=self.clock, ttl=self.policy.challenge_ttl,
                                                       limits=self.policy.challenge_limits())

    def verify_input(self, data: bytes | str, *, challenge: str | None = None, domain: str | None = None,
                     single_use: bool = False) -> Outcome:
        """JSON, QR text, an image or a PDF certificate; never raises."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        source, part = ("pdf", None) if is_pdf(raw) else (None, None)
        try:
            if source == "pdf":
                found = read_pdf(raw)
                document, part = found.document, found.part
            else:
                document = read_input(raw)
        except VCError as exc:
            report = VerificationReport()
            report.fail(exc)
            report.check("parse", "failed", "", exc.detail)
            return Outcome(report, checked_at=self.clock.now(), source=source)
        outcome = self.verify_document(document, challenge=challenge, domain=domain, single_use=single_use)
        outcome.source, outcome.pdf_part = source, part
        return outcome

    def verify_document(self, document: Any, *, challenge: str | None = None, domain: str | None = None,
                        single_use: bool = False) -> Outcome:
        """`single_use`: the challenge must be one this verifier issued (request mode) and is consumed.
        Without a challenge (one-way), a presentation bound to a request is refused, unless the request
        is one this verifier issued: then it is checked and consumed as in request mode."""
        bindings = proof_bindings(document) if challenge is None and _is_presentation(document) else []
        own = next((b.value for b in bindings if b.member == "challenge" and isinstance(b.value, str)
                    and self.challenges.domain_of(b.value) is not None), None)
        if own is not None:
            challenge, domain, single_use, bindings = own, self.challenges.domain_of(own), True, []
        report = self.verifier.verify(document, challenge=challenge, domain=domain)
        outcome = Outcome(report, checked_at=self.clock.now())
        if isinstance(document, str) and "" in report.bodies:  # a JOSE credential (docs/jose-formats.md)
            return self._jose_credential(report, outcome, challenge=challenge, single_use=single_use)
        if not isinstance(document, dict) or any(c.name == "parse" for c in report.checks):
            return outcome
        types = document.get("type")
        types = types if isinstance(types, list) else [types]
        if "VerifiablePresentation" in types:
            outcome.kind = "presentation"
            outcome.acceptable_until = self._presentation_policy(document, report, challenge=challenge,
                                                                 single_use=single_use, bindings=bindings)
            items = document.get("verifiableCredential", [])
            many = isinstance(items, list)
            credentials = [(f"/verifiableCredential/{i}" if many else "/verifiableCredential", vc)
                           for i, vc in enumerate(items if many else [items])]
        else:
            outcome.kind = "credential"
            severity = "error" if self.policy.require_presentation else "warning"
            report.add(Problem("HOLDER_BINDING_ERROR", "Not presented by its holder",
                               "a bare credential proves nothing about who hands it over; ask for a "
                               "presentation from the wallet", "", severity))
            report.check("holder-binding", "warning" if severity == "warning" else "failed", "")
            credentials = [("", document)]
        if any(c.name == "compacted-form" and c.status == "failed" for c in report.checks):
            return outcome  # not read at all: what it would show is not what was signed (vccore.compacted)
        for prefix, vc in credentials:
            if prefix in report.bodies:  # enveloped JOSE credential: only what its signature covers
                outcome.credentials.append(self._credential(report.bodies[prefix], report, prefix, jose=True))
            elif isinstance(vc, dict) and vc.get("type") != "EnvelopedVerifiableCredential":
                outcome.credentials.append(self._credential(vc, report, prefix))
        return outcome

    def verify_jwt_presentation(self, text: str, *, nonce: str, audience: str) -> Outcome:
        """A `jwt_vc_json` presentation (a JWT VP, vccore.jwtvp) answering an OpenID4VP request."""
        report = VerificationReport()
        verify_jwt_vp(text, keys=self.verifier.jose, now=self.clock.now(), report=report, nonce=nonce,
                      audience=audience, require_holder_binding=self.policy.require_holder_binding,
                      status=self.verifier.status, token_status=self.verifier.token_status, summary=credential_summary)
        outcome = Outcome(report, kind="presentation", checked_at=self.clock.now())
        for prefix, body in report.bodies.items():
            outcome.credentials.append(self._credential(body, report, prefix, jose=True))
        return outcome

    def _jose_credential(self, report: VerificationReport, outcome: Outcome, *, challenge: str | None,
                         single_use: bool) -> Outcome:
        """A bare JOSE credential; an SD-JWT VC whose key binding answered our challenge is presented
        by its holder (the challenge is then consumed as for a presentation)."""
        outcome.kind = "credential"
        bound = challenge is not None and any(c.name == "key-binding" and c.status == "passed" for c in report.checks)
        if bound and single_use:
            try:
                self.challenges.consume(challenge)
            except InvalidChallengeError as exc:
                report.fail(exc)
                bound = False
        if bound:
            report.check("holder-binding", "passed", "", "key binding JWT for this verifier's challenge")
        else:
            severity = "error" if self.policy.require_presentation else "warning"
            report.add(Problem("HOLDER_BINDING_ERROR", "Not presented by its holder",
                               "a bare credential proves nothing about who hands it over; ask for a "
                               "presentation from the wallet", "", severity))
            report.check("holder-binding", "warning" if severity == "warning" else "failed", "")
        outcome.credentials.append(self._credential(report.bodies[""], report, "", jose=True))
        return outcome

    def _presentation_policy(self, vp: dict[str, Any], report: VerificationReport, *, challenge: str | None,
                             single_use: bool, bindings: list[Binding]) -> dt.datetime | None:
        if challenge is None:
            check_one_way(bindings, report)
            return check_freshness(vp, report, policy=self.policy, now=self.clock.now())
        own_proof_ok = any(c.name == "proof" and c.status == "passed" and c.path.startswith("/proof")
                           for c in report.checks) and not any(
            p.path.startswith("/proof") for p in report.errors)
        if not single_use:
            report.check("challenge", "passed" if own_proof_ok else "failed", "/proof/challenge")
            return
        if not own_proof_ok:  # a forged answer must not burn the honest holder's challenge
            report.check("challenge", "failed", "/proof/challenge", "proof did not verify")
            return
        try:
            self.challenges.consume(challenge)
        except InvalidChallengeError as exc:
            report.fail(exc)
            report.check("challenge", "failed", "/proof/challenge", exc.title)
            return
        report.check("challenge", "passed", "/proof/challenge", "issued by this verifier, used once")

    def _credential(self, vc: dict[str, Any], report: VerificationReport, prefix: str, *,
                    jose: bool = False) -> CredentialResult:
        required = self.policy.require_trusted_issuer
        entry = self.trust.check_issuer(vc, report, prefix, required=required)
        self.trust.check_quality_mark(vc, report, prefix, trusted=entry is not None)
        cert = named_by_trust_list(certificate(vc), entry)
        report_identity(cert, report, prefix, required=required)
        completeness = None
        if is_microcredential(vc, cert):
            completeness = assess(cert)
            report_completeness(completeness, report, prefix, required=self.policy.require_complete)
        # a JOSE credential's status entries sit in its payload (/payload/status, /payload/vc/credentialStatus)
        statuses = [r for r in report.statuses if _under(r.path, prefix)] if jose else results_under(report, prefix)
        summary = next((s for s in report.credentials if s.get("path") == prefix), None) if jose else None
        summary = summary or next((s for s in report.credentials if s.get("id") == vc.get("id")), {})
        problems = [p for p in report.problems if _under(p.path, prefix)] if prefix else \
            list(report.problems)
        checks = [c.to_json() for c in report.checks if _under(c.path, prefix)] if prefix else \
            [c.to_json() for c in report.checks]
        return CredentialResult(prefix, summary, cert, completeness, statuses, problems, checks,
                                bare=not prefix)

    def with_holder_binding(self, required: bool) -> VerifierService:
        """This service, with holder binding required or only reported (the VC API's view,
        verifier.policy.vcapi_policy): the same trust list, challenges, status lists and caches."""
        if required == self.policy.require_holder_binding:
            return self
        other = copy.copy(self)
        other.policy = self.policy.model_copy(update={"require_holder_binding": required})
        other.verifier = copy.copy(self.verifier)
        other.verifier.require_holder_binding = required
        return other
