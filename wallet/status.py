"""Bitstring Status List v1.0 §3.2/§4.2 checks for the wallet: fetch the status list credential
through the injected transport, verify it, read the bit. Tri-state outcome: ok / revoked or
suspended / could not be checked (a warning: the credential may still be fine)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vccore import Verifier, format_datetime
from vccore.errors import StatusVerificationError, VCError
from vccore.jsondoc import parse_json
from vccore.report import Problem, VerificationReport
from vccore.statuslist import Bitstring, parse_status_entry
from vccore.transport import Transport

__all__ = ["REVOKED", "SUSPENDED", "StatusChecker", "status_outcome"]

REVOKED = "CREDENTIAL_REVOKED"
SUSPENDED = "CREDENTIAL_SUSPENDED"
_SET = {"revocation": (REVOKED, "The credential has been revoked"),
        "suspension": (SUSPENDED, "The credential is suspended")}


class StatusChecker:
    """A vccore `StatusCheck`: one per verifier; caches each list for `cache_seconds`."""

    def __init__(self, *, transport: Transport, list_verifier: Verifier, cache_seconds: int = 300) -> None:
        self.transport = transport
        self.list_verifier = list_verifier  # verifies the lists themselves (no status of its own)
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[dt.datetime, dict[str, Any], Bitstring]] = {}

    def __call__(self, credential: dict[str, Any], report: VerificationReport, prefix: str) -> None:
        entries = credential.get("credentialStatus")
        many = isinstance(entries, list)
        issuer = credential.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        for i, entry in enumerate(entries if many else [entries]):
            path = f"{prefix}/credentialStatus" + (f"/{i}" if many else "")
            try:
                url, index, purpose = parse_status_entry(entry, path=path)
                status_list, bits = self._list(url, issuer_id)
                if status_list.get("credentialSubject", {}).get("statusPurpose") not in (purpose, [purpose]):
                    raise StatusVerificationError(f"the list at {url} is not for {purpose!r}")
                is_set = bits.get(index)
            except VCError as exc:
                report.add(Problem(exc.code, exc.title, exc.detail, path, "warning"))
                report.check("status", "unchecked", path, exc.detail)
                continue
            checked = format_datetime(self.list_verifier.clock.now())
            if is_set and purpose in _SET:
                code, title = _SET[purpose]
                report.add(Problem(code, title, f"{purpose} bit {index} of {url} is set", path))
                report.check("status", "failed", path, f"{purpose} (checked {checked})")
            else:
                report.check("status", "passed", path, f"{purpose} (checked {checked})")

    def _list(self, url: str, issuer_id: Any) -> tuple[dict[str, Any], Bitstring]:
        now = self.list_verifier.clock.now()
        hit = self._cache.get(url)
        if hit and (now - hit[0]).total_seconds() < self.cache_seconds:
            return hit[1], hit[2]
        response = self.transport.get(url)
        doc = parse_json(response.body, max_bytes=4 * 1024 * 1024)
        report = self.list_verifier.verify_credential(doc)
        if not report.verified:
            raise StatusVerificationError(f"the status list {url} does not verify: {sorted(report.codes())}")
        types = doc.get("type", [])
        list_issuer = doc.get("issuer")
        list_issuer = list_issuer.get("id") if isinstance(list_issuer, dict) else list_issuer
        if "BitstringStatusListCredential" not in types:
            raise StatusVerificationError(f"{url} is not a BitstringStatusListCredential")
        if list_issuer != issuer_id:
            raise StatusVerificationError(f"the status list {url} is issued by {list_issuer}, not {issuer_id}")
        subject = doc.get("credentialSubject")
        if not isinstance(subject, dict):
            raise StatusVerificationError(f"the status list {url} has no subject")
        bits = Bitstring.decode(subject.get("encodedList"))
        self._cache[url] = (now, doc, bits)
        return doc, bits


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
