"""Revocation and suspension: W3C Bitstring Status List v1.0 §3.2 and §4.2 Validate Algorithm.

Status list credentials are fetched through one injected transport, their signature is checked
(same issuer as the credential), and every status entry ends in a `StatusResult` on the report
(`report.statuses`): the list's URL, when the issuer last confirmed the copy, the list's
validFrom/validUntil and `ttl` (§2.3), its ETag, and the state: `set`, `unset` or `unchecked`.
Screens read these results, never the checks' prose.

Freshness (docs/verifier.md, "Status freshness"): a verification revalidates each list it uses with
a conditional request (If-None-Match / If-Modified-Since: an unchanged list costs a 304), once per
verification. A copy younger than `max_age` (and than the list's own `ttl`) is reused without asking
only when it *flags* the entry: a reused copy can then err only on the side of caution, so a
revocation shows at once while a lifted suspension shows within the maximum age. When the issuer
cannot be reached, the last copy (younger than `max_stale`) is used and the result says so
(`source="last-copy"`, a STATUS_NOT_REFRESHED warning).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, replace
from typing import Any

from .clock import Clock, SystemClock, format_datetime, parse_datetime
from .errors import StatusRetrievalError, StatusVerificationError, VCError
from .jsondoc import parse_json
from .report import Problem, VerificationReport
from .statuslist import Bitstring, parse_status_entry
from .transport import NoNetwork, Response, Transport
from .verify import Verifier

__all__ = ["NOT_REFRESHED", "REVOKED", "SUSPENDED", "StatusChecker", "StatusList", "StatusResult",
           "results_under", "status_outcome"]

REVOKED = "STATUS_REVOKED"
SUSPENDED = "STATUS_SUSPENDED"
NOT_REFRESHED = "STATUS_NOT_REFRESHED"
_STATE_PROBLEMS = {
    "revocation": (REVOKED, "The credential has been revoked"),
    "suspension": (SUSPENDED, "The credential is suspended"),
}
ACCEPT = "application/vc+ld+json, application/json"  # as HttpTransport.get: one representation, one ETag


@dataclass(frozen=True)
class StatusList:
    """A verified status list credential, reduced to what a check needs, and how it was obtained."""

    url: str
    issuer: str
    purposes: tuple[str, ...]
    bits: Bitstring
    fetched: dt.datetime            # when the issuer last confirmed this copy (200, or 304)
    valid_until: dt.datetime | None
    valid_from: dt.datetime | None = None
    ttl: dt.timedelta | None = None  # §2.3, from the list's `ttl` (milliseconds)
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class StatusResult:
    """One status entry of one credential, as every screen and the JSON report receive it."""

    purpose: str                      # "revocation", "suspension", or another statusPurpose
    state: str                        # "set" | "unset" | "unchecked"
    path: str                         # JSON pointer of the entry
    list_url: str | None = None
    index: int | None = None
    fetched_at: dt.datetime | None = None       # when the issuer last confirmed the copy used
    list_valid_from: dt.datetime | None = None  # when the list was published (signed)
    list_valid_until: dt.datetime | None = None
    ttl: dt.timedelta | None = None
    etag: str | None = None
    # "fetched" (200 now), "revalidated" (304 now), "cache" (confirmed earlier, within the maximum
    # age or in this verification), "last-copy" (the issuer could not be reached), "none" (unchecked)
    source: str = "none"
    problem: str | None = None        # the code when unchecked or not refreshed

    @property
    def refreshed(self) -> bool:
        return self.source in ("fetched", "revalidated", "cache")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "StatusResult":
        """Back from `to_json` (a wallet keeps its last results with the credential)."""
        def time(value: Any) -> dt.datetime | None:
            return parse_datetime(value) if isinstance(value, str) else None
        ttl = data.get("ttl")
        return cls(str(data.get("purpose", "status")), str(data.get("state", "unchecked")), str(data.get("path", "")),
                   data.get("listUrl"), data.get("index"), time(data.get("fetchedAt")), time(data.get("listValidFrom")),
                   time(data.get("listValidUntil")), dt.timedelta(milliseconds=ttl) if isinstance(ttl, int) else None,
                   data.get("etag"), str(data.get("source", "none")), data.get("problem"))

    def to_json(self) -> dict[str, Any]:
        def time(value: dt.datetime | None) -> str | None:
            return format_datetime(value) if value is not None else None
        return {"purpose": self.purpose, "state": self.state, "path": self.path, "listUrl": self.list_url,
                "index": self.index, "fetchedAt": time(self.fetched_at), "listValidFrom": time(self.list_valid_from),
                "listValidUntil": time(self.list_valid_until),
                "ttl": int(self.ttl.total_seconds() * 1000) if self.ttl is not None else None,
                "etag": self.etag, "source": self.source, "refreshed": self.refreshed, "problem": self.problem}


class StatusChecker:
    """The `status=` hook of a vccore Verifier: checks every BitstringStatusListEntry.

    `transport` needs `get(url)`; one that also has `request(method, url, headers=...)` (as
    vccore.transport.HttpTransport) gets conditional requests."""

    def __init__(self, *, list_verifier: Verifier, transport: Transport | None = None,
                 clock: Clock | None = None, max_age: dt.timedelta = dt.timedelta(seconds=30),
                 max_stale: dt.timedelta = dt.timedelta(hours=24), required: bool = False,
                 cache_size: int = 512, ttl: dt.timedelta | None = None) -> None:
        # list_verifier must have no status hook of its own (status lists carry no status).
        self.list_verifier = list_verifier
        self.transport = transport or NoNetwork()
        self.clock = clock or SystemClock()
        self.max_age = ttl if ttl is not None else max_age  # `ttl=`: the older name of max_age
        self.max_stale, self.required = max_stale, required
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
        purpose = purpose if isinstance(purpose, str) else "status"
        url = index = None
        try:
            url, index, purpose = parse_status_entry(entry, path="")
            status_list, source = self._list_for(url, issuer_id, index, purpose, report)
            flagged = status_list.bits.get(index)
        except VCError as exc:
            severity = "error" if self.required or exc.code == "MALFORMED_VALUE_ERROR" else "warning"
            report.add(Problem(exc.code, exc.title, exc.detail, where + exc.path, severity))
            report.check("status", "unchecked", where, f"{purpose}: could not be checked")
            report.statuses.append(StatusResult(purpose, "unchecked", where, url, index, problem=exc.code))
            return
        result = StatusResult(purpose, "set" if flagged else "unset", where, url, index, status_list.fetched,
                              status_list.valid_from, status_list.valid_until, status_list.ttl, status_list.etag,
                              source, NOT_REFRESHED if source == "last-copy" else None)
        report.statuses.append(result)
        fetched = f"list {url} confirmed {format_datetime(status_list.fetched)} ({source})"
        if source == "last-copy":
            report.add(Problem(NOT_REFRESHED, "The status list could not be refreshed",
                               f"the last copy is used: {fetched}", where, "warning"))
        if purpose in _STATE_PROBLEMS and flagged:
            code, title = _STATE_PROBLEMS[purpose]
            report.add(Problem(code, title, f"{purpose} bit {index} is set; {fetched}", where))
            report.check("status", "failed", where, f"{purpose}: set; {fetched}")
        elif purpose in _STATE_PROBLEMS:
            report.check("status", "warning" if source == "last-copy" else "passed", where,
                         f"{purpose}: not set; {fetched}")
        else:  # message/refresh purposes carry no validity meaning
            report.check("status", "passed", where, f"{purpose}: bit {int(flagged)}; {fetched}")

    def _list_for(self, url: str, issuer_id: Any, index: int, purpose: str,
                  report: VerificationReport) -> tuple[StatusList, str]:
        """The verified list for this entry and where it came from (StatusResult.source)."""
        now = self.clock.now()
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None and not self._usable(cached, now):
            cached = None
        earlier = {r.source for r in report.statuses if r.list_url == url}
        if cached is not None and "last-copy" in earlier:  # unreachable a moment ago, in this verification
            return self._checked(cached, issuer_id, purpose), "last-copy"
        confirmed = bool(earlier & {"fetched", "revalidated"})  # in this verification
        if cached is not None and (confirmed or self._young_flag(cached, index, purpose, now)):
            return self._checked(cached, issuer_id, purpose), "cache"
        try:
            fresh, source = self._fetch(url, now, cached)
        except StatusRetrievalError:
            if cached is not None and now - cached.fetched <= self.max_stale:
                return self._checked(cached, issuer_id, purpose), "last-copy"
            raise
        with self._lock:
            if url not in self._cache and len(self._cache) >= self.cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[url] = fresh
        return self._checked(fresh, issuer_id, purpose), source

    def _young_flag(self, cached: StatusList, index: int, purpose: str, now: dt.datetime) -> bool:
        """Younger than the maximum age (and the list's ttl), and flagging this entry."""
        limit = min(self.max_age, cached.ttl) if cached.ttl is not None else self.max_age
        try:
            flags = cached.bits.get(index)
        except VCError:
            return False
        return flags and purpose in _STATE_PROBLEMS and now - cached.fetched <= limit

    @staticmethod
    def _usable(status_list: StatusList, now: dt.datetime) -> bool:
        return status_list.valid_until is None or now <= status_list.valid_until

    @staticmethod
    def _checked(status_list: StatusList, issuer_id: Any, purpose: str) -> StatusList:
        if status_list.issuer != issuer_id:
            raise StatusVerificationError(f"the status list is issued by {status_list.issuer}, "
                                          f"the credential by {issuer_id}", path="/statusListCredential",
                                          title="Status list from another issuer")
        if purpose not in status_list.purposes:
            raise StatusVerificationError(f"the list at {status_list.url} is for {list(status_list.purposes)}, "
                                          f"not {purpose}", path="/statusPurpose")
        return status_list

    def _get(self, url: str, cached: StatusList | None) -> Response:
        headers = {"Accept": ACCEPT}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        request = getattr(self.transport, "request", None)
        try:
            response = request("GET", url, headers=headers) if callable(request) else self.transport.get(url)
        except VCError as exc:
            raise StatusRetrievalError(f"{url}: {exc.detail}", path="/statusListCredential") from exc
        if not (200 <= response.status < 300 or (response.status == 304 and cached is not None)):
            raise StatusRetrievalError(f"{url} answered {response.status}", path="/statusListCredential")
        return response

    def _fetch(self, url: str, now: dt.datetime, cached: StatusList | None) -> tuple[StatusList, str]:
        response = self._get(url, cached)
        if response.status == 304 and cached is not None:
            return replace(cached, fetched=now), "revalidated"
        try:
            document = parse_json(response.body)
        except VCError as exc:
            raise StatusRetrievalError(f"{url}: {exc.detail}", path="/statusListCredential") from exc
        report = self.list_verifier.verify_credential(document)
        if not report.verified:
            first = report.errors[0]
            raise StatusVerificationError(f"{first.code} at {first.path}: {first.detail}",
                                          path="/statusListCredential")
        return _read_list(url, document, now, response.headers), "fetched"


def _read_list(url: str, document: dict[str, Any], now: dt.datetime, headers: dict[str, str]) -> StatusList:
    """§3.2 / §2.3: the list credential's bits, purposes, validity and ttl."""
    types = document.get("type", [])
    subject = document.get("credentialSubject")
    if "BitstringStatusListCredential" not in (types if isinstance(types, list) else [types]) \
            or not isinstance(subject, dict):
        raise StatusVerificationError("not a BitstringStatusListCredential", path="/statusListCredential")
    purposes = subject.get("statusPurpose")
    purposes = purposes if isinstance(purposes, list) else [purposes]
    ttl = subject.get("ttl")
    try:
        bits = Bitstring.decode(subject.get("encodedList"))
        until = parse_datetime(document["validUntil"]) if "validUntil" in document else None
        since = parse_datetime(document["validFrom"]) if "validFrom" in document else None
    except VCError as exc:
        raise StatusVerificationError(f"{exc.code}: {exc.detail}", path="/statusListCredential") from exc
    issuer = document.get("issuer")
    lowered = {k.lower(): v for k, v in headers.items()}
    return StatusList(url=url, issuer=issuer.get("id") if isinstance(issuer, dict) else issuer,
                      purposes=tuple(p for p in purposes if isinstance(p, str)), bits=bits, fetched=now,
                      valid_until=until, valid_from=since,
                      ttl=dt.timedelta(milliseconds=ttl) if isinstance(ttl, int) and not isinstance(ttl, bool)
                      and 0 <= ttl <= 10 ** 12 else None,
                      etag=lowered.get("etag"), last_modified=lowered.get("last-modified"))


def results_under(report: VerificationReport, prefix: str) -> list[StatusResult]:
    """The status results of the credential at JSON pointer `prefix` ('' for a bare credential)."""
    base = prefix + "/credentialStatus"
    return [r for r in report.statuses if r.path == base or r.path.startswith(base + "/")]


def status_outcome(report: VerificationReport) -> str:
    """'revoked', 'suspended', 'unknown' (could not be checked), 'ok', or 'none' (no status)."""
    codes = report.codes()
    if REVOKED in codes:
        return "revoked"
    if SUSPENDED in codes:
        return "suspended"
    if not report.statuses:
        return "none"
    return "unknown" if any(r.state == "unchecked" for r in report.statuses) else "ok"
