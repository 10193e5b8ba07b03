"""Status results (vccore.statuscheck.StatusResult) as a person reads them, in the viewer's language
and time zone: "Not revoked or suspended — status as published at 10:41 (list fetched 10:42); could
not be refreshed". Shared by the verifier's page and the wallet."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from .l10n import Localizer
from .statuscheck import StatusResult

__all__ = ["status_sentence", "status_state"]


def status_state(results: Sequence[StatusResult]) -> str:
    """'revoked', 'suspended', 'unchecked' (never shown as fine), 'ok', or 'none' (no status entry)."""
    if any(r.purpose == "revocation" and r.state == "set" for r in results):
        return "revoked"
    if any(r.purpose == "suspension" and r.state == "set" for r in results):
        return "suspended"
    if not results:
        return "none"
    return "unchecked" if any(r.state == "unchecked" for r in results) else "ok"


def _when(value: dt.datetime, l10n: Localizer, now: dt.datetime) -> str:
    """The time alone on the viewer's today, else date and time."""
    return l10n.time(value) if l10n.local(value).date() == l10n.local(now).date() else l10n.datetime(value)


def _freshness(results: Sequence[StatusResult], l10n: Localizer, now: dt.datetime) -> str:
    used = [r for r in results if r.fetched_at is not None]
    if not used:
        return ""
    fetched = _when(min(r.fetched_at for r in used), l10n, now)  # type: ignore[type-var]
    published_at = [r.list_valid_from for r in used if r.list_valid_from is not None]
    published = _when(min(published_at), l10n, now) if published_at else None
    if all(r.refreshed for r in used):
        if published:
            return l10n.gettext("status as published at %(published)s, checked at %(checked)s",
                                published=published, checked=fetched)
        return l10n.gettext("status checked at %(checked)s", checked=fetched)
    if published:
        return l10n.gettext("status as published at %(published)s (list fetched %(fetched)s); could not be "
                            "refreshed", published=published, fetched=fetched)
    return l10n.gettext("list fetched %(fetched)s; could not be refreshed", fetched=fetched)


def status_sentence(results: Sequence[StatusResult], l10n: Localizer, *, now: dt.datetime) -> str:
    """One sentence for a credential's status entries."""
    state = status_state(results)
    if state == "none":
        return l10n.gettext("The certificate carries no status information")
    if state == "unchecked":
        return l10n.gettext("Could not be checked: the institution's status list could not be reached")
    relevant = [r for r in results if r.state == "set"] if state in ("revoked", "suspended") else list(results)
    headline = {"revoked": l10n.gettext("Revoked by the institution"),
                "suspended": l10n.gettext("Suspended by the institution: temporarily not valid"),
                "ok": l10n.gettext("Not revoked or suspended")}[state]
    freshness = _freshness(relevant, l10n, now)
    return f"{headline} — {freshness}" if freshness else headline
