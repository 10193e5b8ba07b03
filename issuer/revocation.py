"""Revocation and suspension of issued credentials (Bitstring Status List v1.0), and the signed
status list credentials: the part of IssuerService that changes and serves status."""

from __future__ import annotations

import json
from typing import Any

from vccore import add_proof

from .errors import FieldError, InvalidInput, StatusChangeRefused

__all__ = ["StatusChanges"]


class StatusChanges:
    """Mixed into IssuerService (uses its registry, status lists, key, clock and record lookup)."""

    def can_suspend(self, record_id: str) -> bool:
        """Whether this credential has a suspension entry (issued while the institution used suspension)."""
        return "suspension" in self.registry.status_entries(self.record(record_id).id)

    def revoke(self, record_id: str, reason: str) -> None:
        self._change(record_id, "revoke", reason)

    def suspend(self, record_id: str, reason: str) -> None:
        self._change(record_id, "suspend", reason)

    def unsuspend(self, record_id: str, reason: str = "") -> None:
        self._change(record_id, "unsuspend", reason)

    def _change(self, record_id: str, action: str, reason: str) -> None:
        reason = (reason or "").strip()
        if action != "unsuspend" and not reason:
            raise InvalidInput([FieldError("reason", "geef een reden op", "give a reason")])
        if len(reason) > 500:
            raise InvalidInput([FieldError("reason", "de reden is te lang (hoogstens 500 tekens)",
                                           "the reason is too long (at most 500 characters)")])
        record = self.record(record_id)
        entries = self.registry.status_entries(record.id)
        purpose = "revocation" if action == "revoke" else "suspension"
        if purpose == "suspension" and purpose not in entries:
            raise StatusChangeRefused(
                f"credential {record.id} has no suspension entry: schorsen staat voor deze instelling niet aan "
                "/ suspension is not turned on for this institution (issuer init --suspension, for new credentials)",
                title="Suspension not enabled")
        if purpose not in entries:
            raise StatusChangeRefused(f"credential {record.id} has no {purpose} status entry")
        with self.registry.transaction() as db:
            row = db.execute("SELECT revoked, suspended FROM records WHERE id = ?", (record.id,)).fetchone()
            if row["revoked"]:
                raise StatusChangeRefused(f"credential {record.id} is revoked; that is final")
            if action == "suspend" and row["suspended"]:
                raise StatusChangeRefused(f"credential {record.id} is suspended already")
            if action == "unsuspend" and not row["suspended"]:
                raise StatusChangeRefused(f"credential {record.id} is not suspended")
            self.status.set_bit(db, *entries[purpose], action != "unsuspend")
            column = "revoked" if action == "revoke" else "suspended"
            db.execute(f"UPDATE records SET {column} = ?, reason = ? WHERE id = ?",  # column is one of two names
                       (0 if action == "unsuspend" else 1, reason, record.id))
            self.registry.add_event(db, record.id, action, reason, self._now())

    def status_list_bytes(self, list_id: str, *, base_url: str | None = None) -> bytes:
        """The signed BitstringStatusListCredential as served (re-signed only when the list changed)."""
        base = self._base(base_url)
        with self.registry.transaction() as db:
            return self.status.signed_credential(
                db, list_id, base_url=base, issuer=self.key.controller, now=self.clock.now(),
                sign=lambda doc: add_proof(doc, key=self.key, canon=self.canon, created=self.clock.now()))

    def status_list_credential(self, list_id: str, *, base_url: str | None = None) -> dict[str, Any]:
        return json.loads(self.status_list_bytes(list_id, base_url=base_url))
