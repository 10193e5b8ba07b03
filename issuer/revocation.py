"""Revocation and suspension of issued credentials (Bitstring Status List v1.0), and the signed
status list credentials: the part of IssuerService that changes and serves status."""

from __future__ import annotations

import json
from typing import Any

from vccore import add_proof
from vccore.l10n import N_

from .errors import FieldError, InvalidInput, StatusChangeRefused

__all__ = ["StatusChanges"]


class StatusChanges:
    """Mixed into IssuerService (uses its registry, status lists, key, clock and record lookup)."""

    def can_suspend(self, record_id: str) -> bool:
        """Whether this credential has a suspension entry (issued while the institution used suspension)."""
        return "suspension" in self.registry.status_entries(self.record(record_id).id)

    def revoke(self, record_id: str, reason: str, *, actor: str = "") -> None:
        self._change(record_id, "revoke", reason, actor)

    def suspend(self, record_id: str, reason: str, *, actor: str = "") -> None:
        self._change(record_id, "suspend", reason, actor)

    def unsuspend(self, record_id: str, reason: str = "", *, actor: str = "") -> None:
        self._change(record_id, "unsuspend", reason, actor)

    def history(self, record_id: str) -> list[dict[str, str]]:
        """What happened to a record, oldest first: {action, at (UTC), actor, reason}; the first entry is
        its issuing ("issue", or "collect" when a wallet collected an offer)."""
        record = self.record(record_id)
        collected = self.registry.query("SELECT 1 FROM offers WHERE record_id = ?", (record.id,))
        first = {"action": "collect" if collected else "issue", "at": record.issued_at,
                 "actor": record.issued_by, "reason": ""}
        return [first, *self.registry.events(record.id)]

    def refusal(self, record_id: str, action: str) -> StatusChangeRefused | None:
        """Why `action` (revoke, suspend, unsuspend) is not possible now, or None: lets the staff page
        refuse before asking for confirmation. The change itself checks again, inside its transaction."""
        record = self.record(record_id)
        entries = self.registry.status_entries(record.id)
        row = self.registry.query("SELECT revoked, suspended FROM records WHERE id = ?", (record.id,))[0]
        return _refusal(record.id, action, entries, row["revoked"], row["suspended"])

    def _change(self, record_id: str, action: str, reason: str, actor: str = "") -> None:
        reason = (reason or "").strip()
        if action != "unsuspend" and not reason:
            raise InvalidInput([FieldError("reason", N_("give a reason"))])
        if len(reason) > 500:
            raise InvalidInput([FieldError("reason", N_("the reason is too long (at most %(maximum)s characters)"),
                                           {"maximum": 500})])
        record = self.record(record_id)
        entries = self.registry.status_entries(record.id)
        purpose = "revocation" if action == "revoke" else "suspension"
        with self.registry.transaction() as db:
            row = db.execute("SELECT revoked, suspended FROM records WHERE id = ?", (record.id,)).fetchone()
            refused = _refusal(record.id, action, entries, row["revoked"], row["suspended"])
            if refused is not None:
                raise refused
            self.status.set_bit(db, *entries[purpose], action != "unsuspend")
            column = "revoked" if action == "revoke" else "suspended"
            db.execute(f"UPDATE records SET {column} = ?, reason = ? WHERE id = ?",  # column is one of two names
                       (0 if action == "unsuspend" else 1, reason, record.id))
            self.registry.add_event(db, record.id, action, reason, self._now(), actor)

    def status_list_bytes(self, list_id: str, *, base_url: str | None = None) -> bytes:
        """The signed BitstringStatusListCredential as served (re-signed only when the list changed)."""
        base = self._base(base_url)
        with self.registry.transaction() as db:
            return self.status.signed_credential(
                db, list_id, base_url=base, issuer=self.key.controller, now=self.clock.now(),
                sign=lambda doc: add_proof(doc, key=self.key, canon=self.canon, created=self.clock.now()))

    def status_list_credential(self, list_id: str, *, base_url: str | None = None) -> dict[str, Any]:
        return json.loads(self.status_list_bytes(list_id, base_url=base_url))


def _refusal(record_id: str, action: str, entries: dict, revoked: int, suspended: int) -> StatusChangeRefused | None:
    purpose = "revocation" if action == "revoke" else "suspension"
    if purpose == "suspension" and purpose not in entries:
        return StatusChangeRefused(
            f"credential {record_id} has no suspension entry: suspension is not turned on for this "
            "institution (issuer init --suspension, for new credentials)",
            title="Suspension not enabled",
            message=N_("Suspension is not turned on for this institution: this microcredential can only be "
                       "revoked."))
    if purpose not in entries:
        return StatusChangeRefused(f"credential {record_id} has no {purpose} status entry",
                                   message=N_("This microcredential has no status entry and cannot be revoked "
                                              "here."))
    if revoked:
        return StatusChangeRefused(f"credential {record_id} is revoked; that is final",
                                   message=N_("This microcredential is revoked; that is final."))
    if action == "suspend" and suspended:
        return StatusChangeRefused(f"credential {record_id} is suspended already",
                                   message=N_("This microcredential is suspended already."))
    if action == "unsuspend" and not suspended:
        return StatusChangeRefused(f"credential {record_id} is not suspended",
                                   message=N_("This microcredential is not suspended."))
    return None
