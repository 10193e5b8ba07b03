"""Staff UI: every offer with its state (pending, redeemed, expired), filtered and paged, as a CSV
file with the learner-facing links, and one offer's page (link and QR code)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from .. import oid4vci
from ..errors import OfferNotFound
from ..offer_list import OFFER_STATES, PER_PAGE, OfferFilter, offer_page, offer_rows
from .auth import login_required
from .csvfile import csv_download
from .i18n import current
from .learner import learner_url
from .qr import qr_data_uri

__all__ = ["register"]


def _service():
    return current_app.extensions["issuer_service"]


def _now() -> str:
    from vccore.clock import format_datetime

    return format_datetime(current_app.extensions["issuer_clock"].now())


def _chosen() -> OfferFilter:
    state = request.args.get("state", "")
    return OfferFilter(state=state if state in OFFER_STATES else "", series_id=request.args.get("definition", "")[:64],
                       query=request.args.get("q", "").strip()[:200])


def _filter_args(chosen: OfferFilter) -> dict[str, str]:
    return {k: v for k, v in (("state", chosen.state), ("definition", chosen.series_id), ("q", chosen.query)) if v}


@login_required
def offers():
    chosen = _chosen()
    try:
        page = int(request.args.get("page", "1")[:9])
    except ValueError:
        page = 1
    found = offer_page(_service().registry, chosen, now=_now(), page=page, per_page=PER_PAGE)
    return render_template("offers.html", found=found, chosen=chosen, args=_filter_args(chosen),
                           states=OFFER_STATES, definitions=_service().definitions())


@login_required
def offers_csv():
    """The selected offers with the links a learner opens: the wallet link and the https offer page."""
    rows = list(offer_rows(_service().registry, _chosen(), now=_now()))
    codes = current_app.extensions["oid4vci_store"].offers_for([r.id for r in rows])
    base = oid4vci.issuer_url()
    table = []
    for row in rows:
        stored = codes.get(row.id)
        link = oid4vci.offer_link(base, stored.code) if stored else ""
        table.append([row.participant_name, row.title, row.state, current().datetime(row.expires_at), link,
                      learner_url(stored.code) if stored else ""])
    return csv_download("offers.csv", ["name", "microcredential", "state", "valid_until", "offer_link",
                                       "offer_page"], table)


@login_required
def offer(pending_id: str):
    try:
        pending = _service().pending(pending_id)
    except OfferNotFound:
        abort(404)
    found = current_app.extensions["oid4vci_store"].offer_for(pending_id)
    expired = current_app.extensions["issuer_clock"].now() >= (found.expires if found else _expiry(pending))
    link = oid4vci.offer_link(oid4vci.issuer_url(), found.code) if found else ""
    return render_template("offer.html", pending=pending, offer=found, link=link, qr=qr_data_uri(link) if link else "",
                           page_url=learner_url(found.code) if found else "", expired=expired,
                           redeemed=pending.delivered)


def _expiry(pending):
    from vccore.clock import parse_datetime

    return parse_datetime(pending.expires_at)


@login_required
def make_link(pending_id: str):
    """An offer made without a link (e.g. on the command line without --issuer-url) gets one here."""
    from .issuing import make_offer

    try:
        pending = _service().pending(pending_id)
    except OfferNotFound:
        abort(404)
    if not pending.delivered and current_app.extensions["oid4vci_store"].offer_for(pending_id) is None:
        make_offer(pending)
    return redirect(url_for("web.offer", pending_id=pending_id))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/offers", "offers", offers)
    bp.add_url_rule("/offers.csv", "offers_csv", offers_csv)
    bp.add_url_rule("/offers/<pending_id>", "offer", offer)
    bp.add_url_rule("/offers/<pending_id>/link", "make_link", make_link, methods=["POST"])
