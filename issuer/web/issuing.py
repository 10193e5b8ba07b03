"""Staff UI: issue one microcredential, as an OpenID4VCI offer (link + QR) or directly to a DID."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from vccore.errors import VCError

from .. import oid4vci
from ..errors import DefinitionNotFound, InvalidInput
from ..model import Participant, parse
from .auth import login_required
from .forms import errors_by_field, participant_input
from .qr import qr_data_uri

__all__ = ["make_offer", "register"]


def _service():
    return current_app.extensions["issuer_service"]


def _now() -> dt.datetime:
    return current_app.extensions["issuer_clock"].now()


def make_offer(pending) -> oid4vci.Offer:
    """A credential offer (pre-authorized code) for a pending credential made by the service."""
    return oid4vci.create_offer(current_app.extensions["oid4vci_store"], pending,
                                credential_issuer=oid4vci.issuer_url(), now=_now(),
                                ttl=int(current_app.config["OFFER_TTL"]))


def _definition_or_404(definition_id: str):
    try:
        return _service().definition(definition_id)
    except DefinitionNotFound:
        abort(404)


@login_required
def issue(definition_id: str):
    stored = _definition_or_404(definition_id)
    form = request.form if request.method == "POST" else {"award_date": _now().date().isoformat()}
    if request.method == "GET":
        return render_template("issue.html", stored=stored, form=form, errors={})
    try:
        participant = parse(Participant, participant_input(request.form))
        if participant.holder_did:
            record = _service().issue_direct(definition_id, participant, participant.holder_did,
                                             base_url=oid4vci.issuer_url())
            return redirect(url_for("web.record", record_id=record.id))
        pending = _service().offer(definition_id, participant)
    except InvalidInput as exc:
        return render_template("issue.html", stored=stored, form=form, errors=errors_by_field(exc.errors),
                               all_errors=exc.errors), 422
    except VCError as exc:
        return render_template("issue.html", stored=stored, form=form, errors={},
                               failure=exc), 422
    make_offer(pending)
    return redirect(url_for("web.offer", pending_id=pending.id))


@login_required
def offer(pending_id: str):
    found = current_app.extensions["oid4vci_store"].offer_for(pending_id)
    if found is None:
        abort(404)
    link = oid4vci.offer_link(oid4vci.issuer_url(), found.code)
    return render_template("offer.html", offer=found, link=link, qr=qr_data_uri(link),
                           expired=_now() >= found.expires)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/definitions/<definition_id>/issue", "issue", issue, methods=["GET", "POST"])
    bp.add_url_rule("/offers/<pending_id>", "offer", offer)
