"""Checking stored credentials again: their status may have changed since they were received
(revoked, suspended, or a suspension lifted). The wallet re-checks when the learner opens it and
on "check again". The structured status results (vccore.statuscheck.StatusResult) are kept, sealed,
with the credential, so every screen can say when the status was published and checked.

A re-check that cannot reach the issuer never forgets a known status: a credential known to be
revoked stays revoked (and out of the ECTS totals) until its issuer says otherwise."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from vccore import format_datetime
from vccore.statuscheck import StatusResult

from .holder import Wallet
from .intake import Intake

__all__ = ["Rechecked", "recheck", "recheck_all", "remember", "stored_results"]

KNOWN = ("ok", "revoked", "suspended")


@dataclass(frozen=True)
class Rechecked:
    checked: int
    changed: list[str]        # ids whose status changed
    not_refreshed: list[str]  # ids whose status could not be refreshed (the last known one is kept)


def _verification(intake: Intake, previous: dict[str, Any], now: str) -> dict[str, Any]:
    fresh = {**intake.verification(), "statusResults": [r.to_json() for r in intake.report.statuses]}
    if fresh["status"] == "unknown" and previous.get("status") in KNOWN:
        return {**previous, "refreshFailed": now}  # the last known status, and that it is not current
    return fresh


def remember(wallet: Wallet, cred_id: str, intake: Intake) -> str:
    """Store the outcome of a check of `cred_id`; returns its status now."""
    record = wallet.record(cred_id)
    previous = record.summary.get("verification") or {}
    verification = _verification(intake, previous, format_datetime(wallet.clock.now()))
    wallet.store.update_summary(cred_id, {**record.summary, "verification": verification})
    wallet.refresh()
    return str(verification.get("status"))


def recheck(wallet: Wallet, cred_id: str) -> str:
    """Verify one stored credential again; returns its status."""
    return remember(wallet, cred_id, wallet.check(wallet.body(cred_id)))


def recheck_all(wallet: Wallet) -> Rechecked:
    changed, stale = [], []
    records = list(wallet.records())
    for record in records:
        before = record.status
        after = recheck(wallet, record.id)
        if after != before:
            changed.append(record.id)
        if "refreshFailed" in (wallet.record(record.id).summary.get("verification") or {}):
            stale.append(record.id)
    return Rechecked(len(records), changed, stale)


def stored_results(summary: dict[str, Any]) -> list[StatusResult]:
    """The status results kept with a credential; marked as the last copy when a refresh failed."""
    verification = summary.get("verification") or {}
    results = [StatusResult.from_json(r) for r in verification.get("statusResults") or [] if isinstance(r, dict)]
    if verification.get("refreshFailed"):
        results = [replace(r, source="last-copy") if r.state != "unchecked" else r for r in results]
    return results
