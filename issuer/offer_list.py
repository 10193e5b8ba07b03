"""Offers as the staff console lists them: state (pending, redeemed, expired), filters, pages.

The state is computed in SQL from the registry's own columns, so a page of 50 out of many
thousands costs one indexed query and one count, whatever the filter.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Iterator

from .registry import Registry

__all__ = ["OFFER_STATES", "OfferFilter", "OfferPage", "OfferRow", "offer_page", "offer_rows"]

OFFER_STATES = ("pending", "redeemed", "expired")
PER_PAGE = 50
_STATE_SQL = ("CASE WHEN o.delivered_at IS NOT NULL THEN 'redeemed' WHEN o.expires_at <= :now THEN 'expired' "
              "ELSE 'pending' END")
_WHERE_STATE = {
    "redeemed": "o.delivered_at IS NOT NULL",
    "expired": "o.delivered_at IS NULL AND o.expires_at <= :now",
    "pending": "o.delivered_at IS NULL AND o.expires_at > :now",
}


@dataclass(frozen=True)
class OfferRow:
    id: str
    definition_id: str
    title: str  # of the definition version the offer was made from
    participant_name: str
    created_at: str  # UTC, as stored
    expires_at: str
    delivered_at: str | None
    record_id: str | None
    created_by: str
    state: str  # one of OFFER_STATES


@dataclass(frozen=True)
class OfferFilter:
    """What the list shows: a state, a definition (all its versions), a name (substring)."""

    state: str = ""
    series_id: str = ""
    query: str = ""


@dataclass(frozen=True)
class OfferPage:
    rows: list[OfferRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _where(chosen: OfferFilter, now: str) -> tuple[str, dict[str, str]]:
    clauses, args = [], {"now": now}
    if chosen.state in _WHERE_STATE:
        clauses.append(_WHERE_STATE[chosen.state])
    if chosen.series_id:
        clauses.append("d.series_id = :series")
        args["series"] = chosen.series_id
    if chosen.query:
        clauses.append("o.participant_name LIKE :like ESCAPE '\\'")
        args["like"] = "%" + chosen.query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def _select(where: str) -> str:
    return (f"SELECT o.id, o.definition_id, json_extract(d.body, '$.title') AS title, o.participant_name, "
            f"o.created_at, o.expires_at, o.delivered_at, o.record_id, o.created_by, {_STATE_SQL} AS state "
            f"FROM offers o JOIN definitions d ON d.id = o.definition_id{where} "
            "ORDER BY o.created_at DESC, o.rowid DESC")


def _row(row: sqlite3.Row) -> OfferRow:
    return OfferRow(*(row[k] for k in ("id", "definition_id", "title", "participant_name", "created_at",
                                       "expires_at", "delivered_at", "record_id", "created_by", "state")))


def offer_page(registry: Registry, chosen: OfferFilter, *, now: str, page: int = 1,
               per_page: int = PER_PAGE) -> OfferPage:
    """One page (1-based; clamped to the last page) of the offers `chosen` selects, newest first."""
    where, args = _where(chosen, now)
    total = registry.query(f"SELECT COUNT(*) FROM offers o JOIN definitions d ON d.id = o.definition_id{where}",
                           args)[0][0]
    last = max(1, -(-total // per_page))
    page = min(max(1, page), last)
    rows = registry.query(_select(where) + " LIMIT :limit OFFSET :offset",
                          {**args, "limit": per_page, "offset": (page - 1) * per_page})
    return OfferPage([_row(r) for r in rows], total, page, per_page)


def offer_rows(registry: Registry, chosen: OfferFilter, *, now: str) -> Iterator[OfferRow]:
    """Every offer `chosen` selects, newest first (for the CSV download)."""
    where, args = _where(chosen, now)
    return (_row(r) for r in registry.query(_select(where), args))
