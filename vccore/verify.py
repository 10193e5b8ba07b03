"""Verifying credentials and presentations: every input gets a report, nothing raises.

Effects (clock, DID resolution, canonicalizer with its context loader, status checking) are
parameters; the caller's edge chooses them.
"""

from __future__ import annotations

from typing import Any, Callable

from .canon import Canonicalizer
from .clock import Clock, SystemClock
from .dataintegrity import verify_proofs
from .did import DidResolver
from .errors import ParsingError, ProofVerificationError, VCError
from .jsondoc import check_depth, parse_json
from .josekeys import JoseKeys
from .joseverify import enveloped_token, holder_binding, is_jose_text, verify_jose
from .report import Problem, VerificationReport
from .suites import SUITES, Cryptosuite
from .vcdm import check_credential, check_presentation

__all__ = ["StatusCheck", "Verifier", "credential_summary"]

_UNUSABLE = object()

StatusCheck = Callable[[dict[str, Any], VerificationReport, str], None]
"""Called for each credential whose proof verified: (credential, report, JSON pointer prefix)."""


def _subject_ids(credential: dict[str, Any]) -> list[Any]:
    subjects = credential.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    return [s.get("id") for s in subjects if isinstance(s, dict)]


def enveloped_token_or_none(vc: Any) -> str | None:
    try:
        return enveloped_token(vc)
    except VCError:
        return ""  # malformed: _credential reports it


def credential_summary(credential: dict[str, Any]) -> dict[str, Any]:
    """The few members every credential has, for reports (the full text stays in the document)."""
    issuer = credential.get("issuer")
    return {
        "id": credential.get("id"),
        "type": credential.get("type"),
        "issuer": issuer.get("id") if isinstance(issuer, dict) else issuer,
        "issuerName": issuer.get("name") if isinstance(issuer, dict) else None,
        "subject": _subject_ids(credential),
        "validFrom": credential.get("validFrom") or credential.get("issuanceDate"),
        "validUntil": credential.get("validUntil") or credential.get("expirationDate"),
        "name": credential.get("name"),
    }


class Verifier:
    """Verifies VC Data Model 2.0 (and 1.1) credentials and presentations with Data Integrity proofs."""

    def __init__(self, *, canon: Canonicalizer | None = None, resolver: DidResolver | None = None,
                 clock: Clock | None = None, suites: dict[str, Cryptosuite] | None = None,
                 status: StatusCheck | None = None, require_holder_binding: bool = True,
                 jose: JoseKeys | None = None, token_status: StatusCheck | None = None) -> None:
        self.canon = canon or Canonicalizer()
        # A credential presented by someone other than its subject: an error (the default, and what
        # an employer needs), or, as VC DM 2.0 leaves it to the verifier, a warning.
        self.require_holder_binding = require_holder_binding
        self.resolver = resolver or DidResolver()
        self.clock = clock or SystemClock()
        self.suites = suites if suites is not None else SUITES
        self.status = status
        # JOSE-secured credentials (vccore.joseverify): keys through the same DID resolver; IETF
        # Token Status Lists through their own hook (vccore.tokenstatus)
        self.jose = jose or JoseKeys(resolver=self.resolver)
        self.token_status = token_status

    def _load(self, document: Any, report: VerificationReport) -> Any:
        """The parsed document, or _UNUSABLE after recording a parsing problem."""
        try:
            if isinstance(document, (bytes, str)):
                return parse_json(document)
            check_depth(document)
            return document
        except VCError as exc:
            report.fail(exc)
            report.check("parse", "failed", "", exc.detail)
            return _UNUSABLE

    def verify(self, document: Any, *, challenge: str | None = None, domain: str | None = None) -> VerificationReport:
        """A credential or a presentation, told apart by its type; a JOSE-secured credential as text
        (a bare SD-JWT+KB is checked against `challenge`/`domain` as nonce/audience)."""
        if is_jose_text(document):
            return self.verify_jose(document, nonce=challenge, audience=domain)
        report = VerificationReport()
        doc = self._load(document, report)
        if doc is _UNUSABLE:
            return report
        types = doc.get("type") if isinstance(doc, dict) else None
        types = types if isinstance(types, list) else [types]
        if "VerifiablePresentation" in types:
            return self.verify_presentation(doc, challenge=challenge, domain=domain)
        return self.verify_credential(doc)

    def verify_credential(self, credential: Any) -> VerificationReport:
        if is_jose_text(credential):
            return self.verify_jose(credential)
        report = VerificationReport()
        doc = self._load(credential, report)
        if doc is not _UNUSABLE:
            self._credential(doc, report, prefix="")
        return report

    def verify_jose(self, text: str | bytes, *, nonce: str | None = None,
                    audience: str | None = None) -> VerificationReport:
        """jwt_vc_json, vc+jwt or SD-JWT VC (vccore.joseverify); never raises."""
        report = VerificationReport()
        try:
            token = text.decode("ascii") if isinstance(text, bytes) else text
            verify_jose(token, keys=self.jose, now=self.clock.now(), report=report, nonce=nonce, audience=audience,
                        status=self.status, token_status=self.token_status, summary=credential_summary)
        except Exception as exc:  # defence in depth, as for Data Integrity credentials
            report.add(Problem(ParsingError.code, "The credential could not be processed", type(exc).__name__, ""))
        return report

    def _credential(self, doc: Any, report: VerificationReport, *, prefix: str, read_checked: bool = False,
                    challenge: str | None = None, domain: str | None = None,
                    signers: list[str] | None = None) -> list[str]:
        try:
            token = enveloped_token(doc)
            if token is not None:
                return self._enveloped(token, report, prefix, challenge=challenge, domain=domain, signers=signers)
            return self._credential_checks(doc, report, prefix=prefix, read_checked=read_checked)
        except VCError as exc:
            report.fail(exc, prefix=prefix)
            report.check("parse", "failed", prefix + exc.path, exc.detail)
            return []
        except Exception as exc:  # defence in depth: hostile input must never escape as an exception
            report.add(Problem(ParsingError.code, "The credential could not be processed",
                               f"{type(exc).__name__}", prefix))
            return []

    def _enveloped(self, token: str, report: VerificationReport, prefix: str, *, challenge: str | None,
                   domain: str | None, signers: list[str] | None) -> list[str]:
        """VC DM 2.0 §4.13.1: a JOSE credential inside a presentation; an SD-JWT's key binding must
        answer the presentation's challenge and domain."""
        result = verify_jose(token, keys=self.jose, now=self.clock.now(), report=report, prefix=prefix,
                             nonce=challenge, audience=domain, status=self.status,
                             token_status=self.token_status, summary=credential_summary)
        if result is not None and signers:
            holder_binding(result, signers, self.jose, report, prefix, required=self.require_holder_binding)
        return [result.signer] if result is not None else []

    def _readable(self, doc: dict[str, Any], report: VerificationReport, prefix: str) -> tuple[bool, Any]:
        """Reading equals signing (vccore.compacted): only a document in the compacted form of its
        own known contexts is read at all, by the checks below or by any screen. Also returns the
        RDF of the unsecured document that the check wrote on the way (what the proof hashes)."""
        try:
            quads = self.canon.compacted.quads(doc, without_proof=True)
        except VCError as exc:
            report.fail(exc, prefix=prefix)
            report.check("compacted-form", "failed", prefix + exc.path, exc.detail)
            report.check("proof", "unchecked", prefix + "/proof", "not read: not in compacted form")
            return False, None
        report.check("compacted-form", "passed", prefix)
        return True, quads

    def _credential_checks(self, doc: Any, report: VerificationReport, *, prefix: str,
                           read_checked: bool = False) -> list[str]:
        now = self.clock.now()
        before = len(report.problems)
        check_credential(doc, report, loader=self.canon.loader, now=now, base=prefix)
        structural = report.problems[before:]
        report.check("data-model", "failed" if any(p.severity == "error" and p.code not in
                     ("EXPIRED_ERROR", "NOT_YET_VALID_ERROR") for p in structural) else "passed", prefix)
        report.check("validity", "failed" if any(p.code in ("EXPIRED_ERROR", "NOT_YET_VALID_ERROR", "RANGE_ERROR")
                                                 for p in structural) else "passed", prefix)
        if not isinstance(doc, dict):
            return []
        if any(p.code == "UNKNOWN_CONTEXT_ERROR" for p in structural):
            report.check("proof", "unchecked", prefix + "/proof", "unknown context")
            return []
        quads = None
        if not read_checked:
            readable, quads = self._readable(doc, report, prefix)
            if not readable:
                return []
        report.credentials.append(credential_summary(doc))
        controllers = verify_proofs(doc, report, canon=self.canon, resolver=self.resolver,
                                    purpose="assertionMethod", now=now, suites=self.suites, prefix=prefix,
                                    unsecured_quads=quads)
        issuer = doc.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if controllers and issuer_id not in controllers:
            report.add(Problem(ProofVerificationError.code, "Signed by someone other than the issuer",
                               f"the proof's key belongs to {controllers[0]}, the issuer is {issuer_id}",
                               prefix + "/issuer"))
        if controllers and self.status is not None and "credentialStatus" in doc:
            self.status(doc, report, prefix)
        return controllers

    def verify_presentation(self, presentation: Any, *, challenge: str | None = None,
                            domain: str | None = None) -> VerificationReport:
        report = VerificationReport()
        doc = self._load(presentation, report)
        if doc is _UNUSABLE:
            return report
        try:
            self._presentation(doc, report, challenge=challenge, domain=domain)
        except Exception as exc:  # defence in depth, as for credentials
            report.add(Problem(ParsingError.code, "The presentation could not be processed",
                               type(exc).__name__, ""))
        return report

    def _presentation(self, doc: Any, report: VerificationReport, *, challenge: str | None,
                      domain: str | None) -> None:
        before = len(report.problems)
        check_presentation(doc, report, loader=self.canon.loader)
        report.check("data-model", "failed" if report.problems[before:] else "passed", "")
        if not isinstance(doc, dict):
            return
        if any(p.code == "UNKNOWN_CONTEXT_ERROR" for p in report.problems[before:]):
            report.check("proof", "unchecked", "/proof", "unknown context")
            return
        readable, quads = self._readable(doc, report, "")
        if not readable:
            return
        signers = verify_proofs(doc, report, canon=self.canon, resolver=self.resolver,
                                purpose="authentication", challenge=challenge, domain=domain,
                                now=self.clock.now(), suites=self.suites, unsecured_quads=quads)
        holder = doc.get("holder")
        holder_id = holder.get("id") if isinstance(holder, dict) else holder
        if signers and holder_id is not None and holder_id not in signers:
            report.add(Problem("HOLDER_BINDING_ERROR", "The presentation is not signed by its holder",
                               f"holder {holder_id} did not sign it", "/holder"))
        credentials = doc.get("verifiableCredential", [])
        credentials = credentials if isinstance(credentials, list) else [credentials]
        if not credentials:
            report.add(Problem("MALFORMED_VALUE_ERROR", "The presentation holds no credentials", "",
                               "/verifiableCredential", "warning"))
        for i, vc in enumerate(credentials):
            prefix = f"/verifiableCredential/{i}" if isinstance(doc.get("verifiableCredential"), list) \
                else "/verifiableCredential"
            if enveloped_token_or_none(vc) is not None:
                self._credential(vc, report, prefix=prefix, challenge=challenge, domain=domain, signers=signers)
                continue
            self._credential(vc, report, prefix=prefix, read_checked=True)
            if isinstance(vc, dict) and signers:
                self._holder_binding(vc, signers, report, prefix)

    def _holder_binding(self, vc: dict[str, Any], signers: list[str], report: VerificationReport, prefix: str) -> None:
        ids = [i for i in _subject_ids(vc) if i is not None]
        if not ids:
            report.add(Problem("HOLDER_BINDING_ERROR", "The credential is not bound to a holder",
                               "its subject has no id, so anyone holding it can present it",
                               prefix + "/credentialSubject", "warning"))
            report.check("holder-binding", "warning", prefix)
        elif not any(i in signers for i in ids):
            required = self.require_holder_binding
            report.add(Problem("HOLDER_BINDING_ERROR", "Presented by someone other than the subject",
                               f"the subject is {ids[0]}, the presentation was signed by {signers[0]}",
                               prefix + "/credentialSubject/id", "error" if required else "warning"))
            report.check("holder-binding", "failed" if required else "warning", prefix)
        else:
            report.check("holder-binding", "passed", prefix)

