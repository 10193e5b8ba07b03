"""IETF Token Status List (draft-ietf-oauth-status-list): the referenced token's
`status.status_list {idx, uri}` (§6), the Status List Token `statuslist+jwt` (§5.1), the
compressed list of 1, 2, 4 or 8 bits per entry (§4), and the checker hook for vccore's Verifier.

Every entry ends in a vccore.statuscheck.StatusResult on the report, with the same freshness
rules as Bitstring Status Lists: each verification revalidates the list (conditional request); a
copy younger than the maximum age (and than the token's `ttl`) is reused only when it flags the
entry; an unreachable issuer means the last copy, younger than `max_stale`, and a
STATUS_NOT_REFRESHED warning. Status values (§7.1): 0x00 VALID, 0x01 INVALID (reported as
revoked), 0x02 SUSPENDED; any other value is application-specific and reported as a warning.
"""

from __future__ import annotations

import datetime as dt
import threading
import zlib
from dataclasses import dataclass, replace
from typing import Any

from .clock import Clock, SystemClock, format_datetime
from .errors import MalformedValueError, RangeError, StatusRetrievalError, StatusVerificationError, VCError
from .jose import b64url_decode, b64url_encode, parse_compact, time_problems, verify_signature
from .josekeys import JoseKeys
from .report import Problem, VerificationReport
from .statuscheck import NOT_REFRESHED, REVOKED, SUSPENDED, StatusResult
from .transport import NoNetwork, Response, Transport

__all__ = ["STATUSLIST_TYP", "StatusBits", "TokenStatusChecker", "parse_reference"]

STATUSLIST_TYP = "statuslist+jwt"
ACCEPT = "application/statuslist+jwt"
MAX_DECOMPRESSED = 16 * 1024 * 1024
OTHER_STATUS = "STATUS_OTHER_VALUE"
_STATES = {1: ("revocation", REVOKED, "The credential has been revoked (INVALID)"),
           2: ("suspension", SUSPENDED, "The credential is suspended")}


class StatusBits:
    """§4.1: entry i takes `bits` bits of byte i*bits//8, counted from its least significant bit."""

    def __init__(self, bits: int, data: bytes | bytearray) -> None:
        if bits not in (1, 2, 4, 8):
            raise MalformedValueError(f"bits must be 1, 2, 4 or 8, not {bits!r}", path="/status_list/bits")
        self.bits, self.data = bits, bytearray(data)

    @classmethod
    def empty(cls, bits: int, size: int) -> "StatusBits":
        return cls(bits, bytes((size * bits + 7) // 8))

    def __len__(self) -> int:
        return len(self.data) * 8 // self.bits

    def get(self, index: int) -> int:
        if not 0 <= index < len(self):
            raise RangeError(f"status index {index} is outside the list of {len(self)} entries",
                             path="/status/status_list/idx", title="Status index out of range")
        shift = (index * self.bits) % 8
        return (self.data[index * self.bits // 8] >> shift) & ((1 << self.bits) - 1)

    def set(self, index: int, value: int) -> None:
        self.get(index)
        if not 0 <= value < 1 << self.bits:
            raise RangeError(f"status value {value} does not fit {self.bits} bits")
        shift, byte = (index * self.bits) % 8, index * self.bits // 8
        mask = ((1 << self.bits) - 1) << shift
        self.data[byte] = (self.data[byte] & ~mask & 0xFF) | (value << shift)

    def to_claim(self) -> dict[str, Any]:
        """§4.2: {"bits", "lst": base64url(ZLIB-compressed bytes)}."""
        return {"bits": self.bits, "lst": b64url_encode(zlib.compress(bytes(self.data), 9))}

    @classmethod
    def from_claim(cls, claim: Any) -> "StatusBits":
        if not isinstance(claim, dict) or isinstance(claim.get("bits"), bool) or not isinstance(claim.get("bits"), int):
            raise MalformedValueError("status_list needs bits and lst", path="/status_list")
        raw = b64url_decode(claim.get("lst"), path="/status_list/lst")
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw, MAX_DECOMPRESSED + 1)
        except zlib.error as exc:
            raise MalformedValueError(f"lst is not ZLIB data: {exc}", path="/status_list/lst") from exc
        if len(data) > MAX_DECOMPRESSED or inflater.unconsumed_tail:
            raise MalformedValueError("lst expands beyond the size limit", path="/status_list/lst",
                                      title="Status list too large")
        return cls(claim["bits"], data)


def parse_reference(status: Any) -> tuple[str, int]:
    """§6.1: `status.status_list` {idx: non-negative integer, uri: URL} of a referenced token."""
    ref = status.get("status_list") if isinstance(status, dict) else None
    if not isinstance(ref, dict):
        raise MalformedValueError("status has no status_list", path="/status_list")
    uri, idx = ref.get("uri"), ref.get("idx")
    if not isinstance(uri, str) or not uri.startswith(("https://", "http://")):
        raise MalformedValueError("status_list.uri must be a URL", path="/status_list/uri")
    if isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < 2 ** 40:
        raise MalformedValueError("status_list.idx must be a non-negative integer", path="/status_list/idx")
    return uri, idx


@dataclass(frozen=True)
class _List:
    uri: str
    signer: str
    bits: StatusBits
    fetched: dt.datetime
    issued: dt.datetime | None
    valid_until: dt.datetime | None
    ttl: dt.timedelta | None
    etag: str | None


class TokenStatusChecker:
    """The token-status hook of a vccore Verifier: (credential body, report, JSON pointer of the body)."""

    def __init__(self, *, keys: JoseKeys, transport: Transport | None = None, clock: Clock | None = None,
                 max_age: dt.timedelta = dt.timedelta(seconds=30), max_stale: dt.timedelta = dt.timedelta(hours=24),
                 required: bool = False, cache_size: int = 512) -> None:
        self.keys, self.transport = keys, transport or NoNetwork()
        self.clock = clock or SystemClock()
        self.max_age, self.max_stale, self.required, self.cache_size = max_age, max_stale, required, cache_size
        self._cache: dict[str, _List] = {}
        self._lock = threading.Lock()

    def __call__(self, body: dict[str, Any], report: VerificationReport, prefix: str) -> None:
        where = prefix + "/status"
        issuer = body.get("iss") or _issuer_id(body.get("issuer"))
        uri = idx = None
        try:
            uri, idx = parse_reference(body.get("status"))
            status_list, source = self._list_for(uri, issuer, idx, report)
            value = status_list.bits.get(idx)
        except VCError as exc:
            severity = "error" if self.required or exc.code == "MALFORMED_VALUE_ERROR" else "warning"
            report.add(Problem(exc.code, exc.title, exc.detail, where + exc.path, severity))
            report.check("status", "unchecked", where, "token status: could not be checked")
            report.statuses.append(StatusResult("revocation", "unchecked", where, uri, idx, problem=exc.code))
            return
        purpose = _STATES[value][0] if value in _STATES else "revocation" if value == 0 else "status"
        report.statuses.append(StatusResult(purpose, "unset" if value == 0 else "set", where, uri, idx,
                                            status_list.fetched, status_list.issued, status_list.valid_until,
                                            status_list.ttl, status_list.etag, source,
                                            NOT_REFRESHED if source == "last-copy" else None))
        fetched = f"list {uri} confirmed {format_datetime(status_list.fetched)} ({source})"
        if source == "last-copy":
            report.add(Problem(NOT_REFRESHED, "The status list could not be refreshed",
                               f"the last copy is used: {fetched}", where, "warning"))
        if value in _STATES:
            _purpose, code, title = _STATES[value]
            report.add(Problem(code, title, f"status {value:#04x} at index {idx}; {fetched}", where))
            report.check("status", "failed", where, f"{_purpose}: set; {fetched}")
        elif value:
            report.add(Problem(OTHER_STATUS, "The issuer set an application-specific status",
                               f"status {value:#04x} at index {idx}; {fetched}", where, "warning"))
            report.check("status", "warning", where, f"status {value:#04x}; {fetched}")
        else:
            report.check("status", "warning" if source == "last-copy" else "passed", where,
                         f"valid (0x00); {fetched}")

    def _list_for(self, uri: str, issuer: Any, idx: int, report: VerificationReport) -> tuple[_List, str]:
        now = self.clock.now()
        with self._lock:
            cached = self._cache.get(uri)
        if cached is not None and cached.valid_until is not None and now > cached.valid_until:
            cached = None
        earlier = {r.source for r in report.statuses if r.list_url == uri}
        if cached is not None and "last-copy" in earlier:
            return self._same_issuer(cached, issuer), "last-copy"
        if cached is not None and (earlier & {"fetched", "revalidated"} or self._young_flag(cached, idx, now)):
            return self._same_issuer(cached, issuer), "cache"
        try:
            fresh, source = self._fetch(uri, now, cached)
        except StatusRetrievalError:
            if cached is not None and now - cached.fetched <= self.max_stale:
                return self._same_issuer(cached, issuer), "last-copy"
            raise
        with self._lock:
            if uri not in self._cache and len(self._cache) >= self.cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[uri] = fresh
        return self._same_issuer(fresh, issuer), source

    def _young_flag(self, cached: _List, idx: int, now: dt.datetime) -> bool:
        limit = min(self.max_age, cached.ttl) if cached.ttl is not None else self.max_age
        try:
            return cached.bits.get(idx) != 0 and now - cached.fetched <= limit
        except VCError:
            return False

    @staticmethod
    def _same_issuer(status_list: _List, issuer: Any) -> _List:
        if status_list.signer != issuer:
            raise StatusVerificationError(f"the status list is signed by {status_list.signer}, the credential "
                                          f"issued by {issuer}", path="/status_list/uri",
                                          title="Status list from another issuer")
        return status_list

    def _get(self, uri: str, cached: _List | None) -> Response:
        headers = {"Accept": ACCEPT}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        request = getattr(self.transport, "request", None)
        try:
            response = request("GET", uri, headers=headers) if callable(request) else self.transport.get(uri)
        except VCError as exc:
            raise StatusRetrievalError(f"{uri}: {exc.detail}", path="/status_list/uri") from exc
        if not (200 <= response.status < 300 or (response.status == 304 and cached is not None)):
            raise StatusRetrievalError(f"{uri} answered {response.status}", path="/status_list/uri")
        return response

    def _fetch(self, uri: str, now: dt.datetime, cached: _List | None) -> tuple[_List, str]:
        response = self._get(uri, cached)
        if response.status == 304 and cached is not None:
            return replace(cached, fetched=now), "revalidated"
        try:
            return read_status_list_token(response.body, uri=uri, keys=self.keys, now=now,
                                          etag={k.lower(): v for k, v in response.headers.items()}.get("etag")), \
                "fetched"
        except VCError as exc:
            if isinstance(exc, StatusVerificationError):
                raise
            raise StatusVerificationError(f"{exc.code} at {exc.path}: {exc.detail}", path="/status_list/uri") from exc


def read_status_list_token(body: bytes, *, uri: str, keys: JoseKeys, now: dt.datetime, etag: str | None = None) -> _List:
    """§5.1 and §8.3: typ statuslist+jwt, signature, `sub` = the referenced uri, iat/exp/ttl."""
    try:
        text = body.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise StatusVerificationError("the status list token is not a compact JWT", path="/status_list/uri") from exc
    token = parse_compact(text)
    if token.header.get("typ") != STATUSLIST_TYP:
        raise StatusVerificationError(f"typ is {token.header.get('typ')!r}, not {STATUSLIST_TYP}",
                                      path="/status_list/uri")
    claims = token.claims()
    signer = keys.signer(token.header, claims.get("iss"))
    verify_signature(token, signer.key)
    if claims.get("sub") != uri:
        raise StatusVerificationError(f"the token's sub is {claims.get('sub')!r}, not {uri}", path="/status_list/uri")
    expired = time_problems(claims, now=now)
    if expired:
        raise StatusVerificationError(f"{expired[0].code}: {expired[0].detail}", path="/status_list/uri")
    if isinstance(claims.get("iat"), bool) or not isinstance(claims.get("iat"), (int, float)):
        raise StatusVerificationError("the status list token has no iat", path="/status_list/uri")
    ttl = claims.get("ttl")
    return _List(uri, claims.get("iss") or signer.controller, StatusBits.from_claim(claims.get("status_list")), now,
                 dt.datetime.fromtimestamp(claims["iat"], dt.timezone.utc),
                 dt.datetime.fromtimestamp(claims["exp"], dt.timezone.utc) if "exp" in claims else None,
                 dt.timedelta(seconds=ttl) if isinstance(ttl, int) and not isinstance(ttl, bool)
                 and 0 <= ttl <= 10 ** 9 else None, etag)


def _issuer_id(issuer: Any) -> Any:
    return issuer.get("id") if isinstance(issuer, dict) else issuer
