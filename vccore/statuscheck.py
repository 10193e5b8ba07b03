"""Revocation and suspension: W3C Bitstring Status List v1.0 §3.2 and §4.2 Validate Algorithm.

Status list credentials are fetched through one injected transport, their signature is checked
(same issuer as the credential), and the verified bitstring is cached with a TTL. Every status
entry ends in one of four states, reported as a `status` check and, when not clean, a problem:
not revoked/suspended (passed, "checked HH:MM"), revoked, suspended, or could not be checked
(`unchecked`, never `passed`). When a fetch fails, a cached list younger than `max_stale` is used
and the check says when it was fetched.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from .clock import Clock, SystemClock, parse_datetime
from .errors import StatusRetrievalError, StatusVerificationError, VCError
from .jsondoc import parse_json
from .report import Problem, VerificationReport
from .statuslist import Bitstring, parse_status_entry
from .transport import NoNetwork, Transport
from .verify import Verifier

__all__ = ["REVOKED", "SUSPENDED", "StatusChecker", "StatusList", "status_outcome"]

REVOKED = "STATUS_REVOKED"
SUSPENDED = "STATUS_SUSPENDED"
_STATE_PROBLEMS = {
    "revocation": (REVOKED, "The credential has been revoked"),
    "suspension": (SUSPENDED, "The credential is suspended"),
}


@dataclass(frozen=True)
class StatusList:
    """A verified status list credential, reduced to what a check needs."""

    url: str
    issuer: str
    purposes: tuple[str, ...]
    bits: Bitstring
    fetched: dt.datetime
    valid_until: dt.datetime | None


class StatusChecker:
    """The `status=` hook of a vccore Verifier: checks every BitstringStatusListEntry."""

    def __init__(self, *, list_verifier: Verifier, transport: Transport | None = None,
                 clock: Clock | None = None, ttl: dt.timedelta = dt.timedelta(minutes=5),
                 max_stale: dt.timedelta = dt.timedelta(hours=24), required: bool = False,
                 cache_size: int = 512) -> None:
        # list_verifier must have no status hook of its own (status lists carry no status).
        self.list_verifier = list_verifier
        self.transport = transport or NoNetwork()
        self.clock = clock or SystemClock()
        self.ttl, self.max_stale, self.required = ttl, max_stale, required
        self.cache_size = cache_size
        self._cache: dict[str, StatusList] = {}
        self._lock = threading.Lock()

    def __call__(self, credential: dict[str, Any], report: VerificationReport, prefix: str) -> None:
        entries = credential.get("credentialStatus")
        many = isinstance(entries, list)
        issuer = credential.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        for i, entry in enumerate(entries if many else [entries]):
            where = f"{prefix}/credentialStatus" + (f"/{i}" if many else "")
            self._check_entry(entry, issuer_id, report, where)

    def _check_entry(self, entry: Any, issuer_id: Any, report: VerificationReport, where: str) -> None:
        purpose = entry.get("statusPurpose") if isinstance(entry, dict) else None
        try:
            url, index, purpose = parse_status_entry(entry, path="")
            status_list = self.status_list(url, issuer_id)
            if purpose not in status_list.purposes:
                raise StatusVerificationError(f"the list at {url} is for {list(status_list.purposes)}, "
                                              f"not {purpose}", path="/statusPurpose")
            flagged = status_list.bits.get(index)
        except VCError as exc:
            severity = "error" if self.required or exc.code == "MALFORMED_VALUE_ERROR" else "warning"
            report.add(Problem(exc.code, exc.title, exc.detail, where + exc.path, severity))
            report.check("status", "unchecked", where, f"{purpose or 'status'}: could not be checked")
            return
        checked = status_list.fetched.astimezone(dt.timezone.utc).strftime("%H:%M")
        if purpose in _STATE_PROBLEMS and flagged:
            code, title = _STATE_PROBLEMS[purpose]
            report.add(Problem(code, title, f"{purpose} bit {index} is set (checked {checked} UTC)", where))
            report.check("status", "failed", where, f"{purpose}: set (checked {checked} UTC)")
        elif purpose in _STATE_PROBLEMS:
            report.check("status", "passed", where, f"{purpose}: not set (checked {checked} UTC)")
        else:  # message/refresh purposes carry no validity meaning
            report.check("status", "passed", where, f"{purpose}: bit {int(flagged)} (checked {checked} UTC)")

    def status_list(self, url: str, issuer_id: Any) -> StatusList:
        """The verified list at `url`: cached when fresh, else fetched; stale cache if the fetch fails."""
        now = self.clock.now()
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None and now - cached.fetched < self.ttl and self._usable(cached, now):
            return self._same_issuer(cached, issuer_id)
        try:
            fresh = self._fetch(url, now)
        except StatusRetrievalError:
            if cached is not None and now - cached.fetched < self.max_stale and self._usable(cached, now):
                return self._same_issuer(cached, issuer_id)
            raise
        with self._lock:
            if len(self._cache) >= self.cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[url] = fresh
        return self._same_issuer(fresh, issuer_id)

    @staticmethod
    def _usable(status_list: StatusList, now: dt.datetime) -> bool:
        return status_list.valid_until is None or now <= status_list.valid_until

    @staticmethod
    def _same_issuer(status_list: StatusList, issuer_id: Any) -> StatusList:
        if status_list.issuer != issuer_id:
            raise StatusVerificationError(f"the status list is issued by {status_list.issuer}, "
                                          f"the credential by {issuer_id}", path="/statusListCredential",
                                          title="Status list from another issuer")
        return status_list

    def _fetch(self, url: str, now: dt.datetime) -> StatusList:
        try:
            response = self.transport.get(url)
            document = parse_json(response.body)
        except VCError as exc:
            raise StatusRetrievalError(f"{url}: {exc.detail}", path="/statusListCredential") from exc
        report = self.list_verifier.verify_credential(document)
        if not report.verified:
            first = report.errors[0]
            raise StatusVerificationError(f"{first.code} at {first.path}: {first.detail}",
                                          path="/statusListCredential")
        types = document.get("type", [])
        subject = document.get("credentialSubject")
        if "BitstringStatusListCredential" not in (types if isinstance(types, list) else [types]) \
                or not isinstance(subject, dict):
            raise StatusVerificationError("not a BitstringStatusListCredential", path="/statusListCredential")
        purposes = subject.get("statusPurpose")
        purposes = purposes if isinstance(purposes, list) else [purposes]
        try:
            bits = Bitstring.decode(subject.get("encodedList"))
            until = parse_datetime(document["validUntil"]) if "validUntil" in document else None
        except VCError as exc:
            raise StatusVerificationError(f"{exc.code}: {exc.detail}", path="/statusListCredential") from exc
        issuer = document.get("issuer")
        return StatusList(url=url, issuer=issuer.get("id") if isinstance(issuer, dict) else issuer,
                          purposes=tuple(p for p in purposes if isinstance(p, str)), bits=bits,
                          fetched=now, valid_until=until)


def status_outcome(report: VerificationReport) -> str:
    """'revoked', 'suspended', 'unknown' (could not be checked), 'ok', or 'none' (no status)."""
    codes = report.codes()
    if REVOKED in codes:
        return "revoked"
    if SUSPENDED in codes:
        return "suspended"
    statuses = [c.status for c in report.checks if c.name == "status"]
    if not statuses:
        return "none"
    return "unknown" if "unchecked" in statuses else "ok"
