"""The verifier's copy of the quality framework authority's signed trust list, and the checks on it.

The authority's DID is configuration; the list comes from a file (import) or a configured URL
(refresh) and is kept as the exact bytes received, so a restart reloads the same signed list.
Checking an issuer needs no network. An issuer that is not on the list is a warning unless the
policy requires a trusted issuer. The quality mark (`ext:QualityAssurance` alignment) is a
claim; it counts as verified when the issuer is on the list, and an embedded OB3
EndorsementCredential in `achievement.endorsement` must verify and come from the authority.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from vccore import Verifier
from vccore.clock import Clock, SystemClock, parse_datetime
from vccore.errors import VCError
from vccore.jsondoc import parse_json
from vccore.report import Problem, VerificationReport
from vccore.transport import NoNetwork, Transport
from vccore.trustlist import TrustEntry, TrustList, TrustListError

from .view import Certificate

__all__ = ["ISSUER_NAME_MISMATCH", "NO_TRUST_LIST", "QUALITY_MARK_ERROR", "TRUST_LIST_EXPIRED", "TrustStore",
           "UNTRUSTED_ISSUER", "alignments", "report_identity"]

UNTRUSTED_ISSUER = "UNTRUSTED_ISSUER"
NO_TRUST_LIST = "NO_TRUST_LIST"
QUALITY_MARK_ERROR = "QUALITY_MARK_ERROR"
TRUST_LIST_EXPIRED = "TRUST_LIST_EXPIRED"
ISSUER_NAME_MISMATCH = "ISSUER_NAME_MISMATCH"
QUALITY_TYPE = "ext:QualityAssurance"


def alignments(credential: dict[str, Any], target_type: str) -> list[dict[str, Any]]:
    achievement = _achievement(credential)
    items = achievement.get("alignment") if achievement else None
    return [a for a in (items if isinstance(items, list) else []) if isinstance(a, dict)
            and a.get("targetType") == target_type]


def _achievement(credential: dict[str, Any]) -> dict[str, Any] | None:
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    return achievement if isinstance(achievement, dict) else None


def _older(candidate: Any, current: Any) -> bool:
    """Rollback protection: an import must not replace a list with an older one."""
    try:
        return parse_datetime(candidate) < parse_datetime(current)
    except VCError:
        return False


class TrustStore:
    """Holds the current verified trust list; import from bytes, refresh from a URL, persist."""

    def __init__(self, *, authority: str | None, verifier: Verifier, clock: Clock | None = None,
                 transport: Transport | None = None, url: str | None = None,
                 path: Path | str | None = None) -> None:
        # verifier: a vccore Verifier without a status hook, used for the list and endorsements.
        self.authority, self.verifier, self.url = authority, verifier, url
        self.clock = clock or SystemClock()
        self.transport = transport or NoNetwork()
        self.path = Path(path) if path else None
        self.current: TrustList | None = None
        self.loaded_at: dt.datetime | None = None
        self.source: str | None = None
        self._lock = threading.Lock()
        if self.path is not None and self.path.is_file():
            try:
                self.import_bytes(self.path.read_bytes(), source=str(self.path), persist=False)
            except TrustListError:
                self.current = None  # a broken stored copy leaves the verifier without a list

    def import_bytes(self, data: bytes, *, source: str = "file", persist: bool = True) -> TrustList:
        """Verify and adopt a signed trust list; raises TrustListError (code TRUST_LIST_ERROR)."""
        if not self.authority:
            raise TrustListError("no trust list authority is configured", title="No authority configured")
        try:
            document = parse_json(data)
        except VCError as exc:
            raise TrustListError(exc.detail, title="The trust list is not JSON") from exc
        if not isinstance(document, dict):
            raise TrustListError("the trust list must be a JSON object", title="Malformed trust list")
        trust_list = TrustList.from_credential(document, verifier=self.verifier, authority=self.authority)
        current = self.current
        if current is not None and _older(trust_list.issued, current.issued):
            raise TrustListError(f"the list of {trust_list.issued} is older than the loaded one of {current.issued}",
                                 path="/validFrom", title="Older trust list refused")
        with self._lock:
            self.current, self.loaded_at, self.source = trust_list, self.clock.now(), source
        if persist and self.path is not None:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(self.path)
        return trust_list

    def refresh(self) -> TrustList:
        """Fetch the list from the configured URL through the transport and import it."""
        if not self.url:
            raise TrustListError("no trust list URL is configured", title="No trust list URL")
        try:
            body = self.transport.get(self.url).body
        except VCError as exc:
            raise TrustListError(f"{self.url}: {exc.detail}", title="The trust list could not be fetched") from exc
        return self.import_bytes(body, source=self.url)

    def expired_at(self, now: dt.datetime) -> str | None:
        """The loaded list's `validUntil` when it has passed at `now` (checked at every verification,
        not only at import: a running verifier stops trusting a list that runs out)."""
        trust_list = self.current
        if trust_list is None or not trust_list.valid_until:
            return None
        try:
            until = parse_datetime(trust_list.valid_until)
        except VCError:
            return str(trust_list.valid_until)  # verified at import, so never here; fail closed
        return trust_list.valid_until if until < now else None

    def check_issuer(self, credential: dict[str, Any], report: VerificationReport, prefix: str,
                     *, required: bool = False) -> TrustEntry | None:
        """Adds a `trusted-issuer` check; returns the issuer's entry when it is on a current list now."""
        issuer = credential.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        severity = "error" if required else "warning"
        trust_list, now = self.current, self.clock.now()
        if trust_list is None:
            report.add(Problem(NO_TRUST_LIST, "No trust list loaded",
                               "the issuer's accreditation could not be checked", prefix + "/issuer", severity))
            report.check("trusted-issuer", "unchecked", prefix + "/issuer", "no trust list")
            return None
        expired = self.expired_at(now)
        if expired is not None:
            report.add(Problem(TRUST_LIST_EXPIRED, "The trust list has expired",
                               f"the list of {trust_list.authority_name} was valid until {expired}; import a "
                               "current list", prefix + "/issuer", severity))
            report.check("trusted-issuer", "failed" if required else "warning", prefix + "/issuer",
                         "trust list expired")
            return None
        entry = trust_list.lookup(issuer_id, now) if isinstance(issuer_id, str) else None
        if entry is None:
            report.add(Problem(UNTRUSTED_ISSUER, "Issuer not on the trust list",
                               f"{issuer_id} is not an accredited institution on the list of "
                               f"{trust_list.authority_name}", prefix + "/issuer", severity))
            report.check("trusted-issuer", "warning" if not required else "failed", prefix + "/issuer")
            return None
        report.check("trusted-issuer", "passed", prefix + "/issuer", f"{entry.name} ({entry.brin or '-'})")
        return entry

    def check_quality_mark(self, credential: dict[str, Any], report: VerificationReport, prefix: str,
                           *, trusted: bool) -> None:
        """The quality mark claim: backed by the trust list and by any embedded endorsement."""
        claims = alignments(credential, QUALITY_TYPE)
        achievement = _achievement(credential) or {}
        endorsements = achievement.get("endorsement")
        endorsements = endorsements if isinstance(endorsements, list) else ([] if endorsements is None
                                                                             else [endorsements])
        where = prefix + "/credentialSubject/achievement"
        if not claims:
            report.check("quality-mark", "unchecked", where, "no quality mark claimed")
            return
        endorsed = self._check_endorsements(endorsements, report, where + "/endorsement")
        if trusted and endorsed is not False:
            report.check("quality-mark", "passed", where,
                         "issuer on the trust list" + (", endorsement verified" if endorsed else ""))
        elif endorsed is False:
            report.check("quality-mark", "failed", where, "endorsement does not verify")
        else:
            report.add(Problem(QUALITY_MARK_ERROR, "Quality mark not confirmed",
                               "the credential claims the quality mark, but its issuer is not on the trust list",
                               where + "/alignment", "warning"))
            report.check("quality-mark", "warning", where, "claim not confirmed by the trust list")

    def _check_endorsements(self, endorsements: list[Any], report: VerificationReport,
                            where: str) -> bool | None:
        """None when there is none; True when all verify and come from the authority."""
        if not endorsements:
            return None
        ok = True
        for i, endorsement in enumerate(endorsements):
            sub = self.verifier.verify_credential(endorsement)
            issuer = endorsement.get("issuer") if isinstance(endorsement, dict) else None
            issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
            if not sub.verified:
                first = sub.errors[0] if sub.errors else None
                report.add(Problem(QUALITY_MARK_ERROR, "The quality mark endorsement does not verify",
                                   f"{first.code}: {first.detail}" if first else "", f"{where}/{i}"))
                ok = False
            elif self.authority and issuer_id != self.authority:
                report.add(Problem(QUALITY_MARK_ERROR, "Endorsement not from the quality framework authority",
                                   f"endorsed by {issuer_id}", f"{where}/{i}/issuer"))
                ok = False
        return ok


def report_identity(cert: Certificate, report: VerificationReport, prefix: str, *, required: bool = False) -> None:
    """A trusted key signing under another institution's name or BRIN: the page shows the trust
    list's, and the report says the credential claims otherwise."""
    severity = "error" if required else "warning"
    if cert.name_differs:
        report.add(Problem(ISSUER_NAME_MISMATCH, "The credential names its institution differently",
                           f"the credential says {cert.institution_claimed!r}; the trust list names this key's "
                           f"institution {cert.institution!r}, which is shown", prefix + "/issuer/name", severity))
    if cert.brin_differs:
        report.add(Problem(ISSUER_NAME_MISMATCH, "The credential gives another BRIN",
                           f"the credential says BRIN {cert.brin_claimed!r}; the trust list gives {cert.brin!r}, "
                           "which is shown", prefix + "/issuer/otherIdentifier", severity))
