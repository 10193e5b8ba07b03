"""Listing, searching and filtering stored credentials in memory (the summaries are sealed at
rest, so search runs over the decrypted summaries, never over an index in the clear)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

__all__ = ["Filters", "Record", "facets", "search", "totals"]


@dataclass(frozen=True)
class Record:
    """One stored credential as the list shows it."""

    id: str
    profile: int
    summary: dict[str, Any]
    haystack: str = field(repr=False, default="")

    @classmethod
    def of(cls, cred_id: str, profile: int, summary: dict[str, Any]) -> "Record":
        words = [summary.get(k) or "" for k in ("name", "code", "institution", "participant", "achievement_type")]
        return cls(cred_id, profile, summary, " ".join(str(w) for w in words).casefold())

    @property
    def status(self) -> str:
        v = self.summary.get("verification", {})
        if not v.get("verified") and v.get("status") not in ("revoked", "suspended"):
            return "invalid"
        return v.get("status", "none")

    @property
    def date(self) -> str:
        return (self.summary.get("valid_from") or "")[:10]


@dataclass(frozen=True)
class Filters:
    """Search text and filters; empty values mean 'any'. Dates are YYYY-MM-DD, inclusive."""

    q: str = ""
    institution: str = ""
    type: str = ""
    nlqf: str = ""
    date_from: str = ""
    date_to: str = ""
    status: str = ""

    @classmethod
    def of(cls, args: Any) -> "Filters":
        return cls(**{k: str(args.get(k, "") or "").strip()[:200] for k in cls.__dataclass_fields__})


def _match(r: Record, f: Filters, words: list[str]) -> bool:
    s = r.summary
    return (all(w in r.haystack for w in words)
            and (not f.institution or s.get("institution") == f.institution)
            and (not f.type or f.type == s.get("achievement_type") or f.type in (s.get("types") or []))
            and (not f.nlqf or s.get("nlqf") == f.nlqf)
            and (not f.date_from or r.date >= f.date_from)
            and (not f.date_to or (r.date and r.date <= f.date_to))
            and (not f.status or r.status == f.status))


def search(records: Iterable[Record], filters: Filters) -> list[Record]:
    words = filters.q.casefold().split()
    return [r for r in records if _match(r, filters, words)]


def totals(records: Iterable[Record]) -> tuple[dict[str, float], float]:
    """ECTS per institution and overall, counting only credentials that verified and are valid."""
    per: dict[str, float] = defaultdict(float)
    for r in records:
        if r.status in ("ok", "none", "unknown") and isinstance(r.summary.get("ects"), (int, float)):
            per[r.summary.get("institution") or "?"] += r.summary["ects"]
    return dict(sorted(per.items())), sum(per.values())


def facets(records: Iterable[Record]) -> dict[str, list[str]]:
    """The values the filter menus offer."""
    out: dict[str, set[str]] = {"institution": set(), "type": set(), "nlqf": set(), "status": set()}
    for r in records:
        s = r.summary
        for key, value in (("institution", s.get("institution")), ("type", s.get("achievement_type")),
                           ("nlqf", s.get("nlqf")), ("status", r.status)):
            if isinstance(value, str) and value:
                out[key].add(value)
    return {k: sorted(v) for k, v in out.items()}
