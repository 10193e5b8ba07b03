"""The learner's offer page (public, no login): https://<issuer>/offer/<pre-authorized code>.

What staff mail to a participant. A custom-scheme wallet link (openid-credential-offer://) is not
clickable in many mail programs; this page is, and on it the learner opens the offer in the
wallet on the same phone, or scans its QR code from a computer's screen. It shows the unit and
the institution, not the participant's name, and it redeems nothing: only the wallet does.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from .. import oid4vci
from ..errors import DefinitionNotFound, OfferNotFound
from .headers import security_headers
from .i18n import install
from .qr import qr_data_uri

__all__ = ["bp", "learner_url"]

bp = Blueprint("learner", __name__)
install(bp)
bp.after_request(security_headers)


def learner_url(code: str) -> str:
    return f"{oid4vci.issuer_url()}/offer/{code}"


@bp.get("/offer/<code>")
def offer_page(code: str):
    service = current_app.extensions["issuer_service"]
    stored = current_app.extensions["oid4vci_store"].offer_by_code(code[:200])
    try:
        pending = service.pending(stored.pending_id) if stored else None
        definition = service.definition(pending.definition_id).definition if pending else None
    except (OfferNotFound, DefinitionNotFound):
        pending = definition = None
    if pending is None or definition is None:
        return render_template("learner_offer.html", missing=True), 404
    link = oid4vci.offer_link(oid4vci.issuer_url(), stored.code)
    state = ("redeemed" if pending.delivered or stored.redeemed else
             "expired" if current_app.extensions["issuer_clock"].now() >= stored.expires else "pending")
    return render_template("learner_offer.html", missing=False, definition=definition, offer=stored, state=state,
                           link=link, qr=qr_data_uri(link) if state == "pending" else "")
