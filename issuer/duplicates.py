"""Has this person had this unit before? Earlier credentials and open offers of the same definition
(any of its versions) for the same name or wallet DID, so staff are warned before issuing twice.

Names match regardless of case and spacing ("Sanne  de Vries" = "sanne de vries"). A warning, not
a rule: re-issuing after a revocation, or a namesake, are real cases, so staff may go on deliberately.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .model import Participant
from .registry import Registry

__all__ = ["EarlierAward", "earlier_awards", "name_key", "repeated_rows"]


@dataclass(frozen=True)
class EarlierAward:
    index: int  # which of the participants asked about (0-based)
    kind: str  # "record" (issued) | "offer" (an open offer, not collected or expired yet)
    id: str  # record id or offer id
    participant_name: str
    at: str  # issued_at / created_at (UTC)
    status: str  # record: active | revoked | suspended; offer: pending


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def earlier_awards(registry: Registry, series_id: str, participants: Sequence[Participant], *,
                   now: str) -> list[EarlierAward]:
    """Every earlier record or open offer of the series that matches one of `participants`."""
    by_name: dict[str, list[int]] = {}
    by_did: dict[str, list[int]] = {}
    for i, p in enumerate(participants):
        by_name.setdefault(name_key(p.name), []).append(i)
        if p.holder_did:
            by_did.setdefault(p.holder_did, []).append(i)
    found: list[EarlierAward] = []
    records = registry.query(
        "SELECT r.id, r.participant_name, r.holder_did, r.issued_at, r.revoked, r.suspended FROM records r "
        "JOIN definitions d ON d.id = r.definition_id WHERE d.series_id = ?", (series_id,))
    for r in records:
        status = "revoked" if r["revoked"] else "suspended" if r["suspended"] else "active"
        hits = set(by_name.get(name_key(r["participant_name"]), [])) | set(by_did.get(r["holder_did"] or "", []))
        found += [EarlierAward(i, "record", r["id"], r["participant_name"], r["issued_at"], status) for i in hits]
    offers = registry.query(
        "SELECT o.id, o.participant_name, o.created_at FROM offers o JOIN definitions d ON d.id = o.definition_id "
        "WHERE d.series_id = ? AND o.delivered_at IS NULL AND o.expires_at > ?", (series_id, now))
    for o in offers:
        for i in by_name.get(name_key(o["participant_name"]), []):
            found.append(EarlierAward(i, "offer", o["id"], o["participant_name"], o["created_at"], "pending"))
    return sorted(found, key=lambda a: (a.index, a.at))


def repeated_rows(participants: Sequence[Participant]) -> dict[int, int]:
    """Within one batch: index of a participant -> index of the first earlier one with the same name."""
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for i, p in enumerate(participants):
        key = name_key(p.name)
        if key in first:
            repeats[i] = first[key]
        else:
            first[key] = i
    return repeats
