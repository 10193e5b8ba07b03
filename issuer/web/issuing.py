"""Staff UI: issue one microcredential, as an OpenID4VCI offer (link + QR) or directly to a DID;
a person who already has (or was offered) this unit gets a warning first."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from vccore.errors import VCError

from .. import oid4vci
from ..duplicates import name_key
from ..errors import DefinitionNotFound, InvalidInput, RefusalError
from ..model import Participant, parse
from .auth import login_required
from .forms import errors_by_field, participant_input
from .i18n import message

__all__ = ["make_offer", "refused_definition", "register"]


def _service():
    return current_app.extensions["issuer_service"]


def _now() -> dt.datetime:
    return current_app.extensions["issuer_clock"].now()


def make_offer(pending) -> oid4vci.Offer:
    """A credential offer (pre-authorized code) for a pending credential made by the service."""
    return oid4vci.create_offer(current_app.extensions["oid4vci_store"], pending,
                                credential_issuer=oid4vci.issuer_url(), now=_now(),
                                ttl=int(current_app.config["OFFER_TTL"]))


def refused_definition(definition_id: str):
    """(stored definition, None) when new credentials may be issued from it, else (stored, refusal page)."""
    try:
        stored = _service().definition(definition_id)
        _service().issuable_definition(definition_id)
    except DefinitionNotFound:
        abort(404)
    except RefusalError as exc:
        page = render_template("definition_refused.html", stored=stored, error=exc,
                               message=message(exc))
        return stored, (page, 409)
    return stored, None


def _render(stored, form, *, status: int = 200, **extra):
    extra.setdefault("errors", {})
    return render_template("issue.html", stored=stored, form=form, **extra), status


@login_required
def issue(definition_id: str):
    stored, refused = refused_definition(definition_id)
    if refused:
        return refused
    if request.method == "GET":
        return _render(stored, {"award_date": _now().date().isoformat()})
    form = request.form
    try:
        participant = parse(Participant, participant_input(form))
        earlier = _service().earlier_awards(definition_id, [participant])
        if earlier and form.get("confirm_duplicate") != name_key(participant.name):  # confirmed for this name
            return _render(stored, form, status=409, earlier=earlier, confirm_key=name_key(participant.name))
        actor = session.get("user", "")
        if participant.holder_did:
            record = _service().issue_direct(definition_id, participant, participant.holder_did,
                                             base_url=oid4vci.issuer_url(), actor=actor)
            return redirect(url_for("web.record", record_id=record.id))
        pending = _service().offer(definition_id, participant, actor=actor)
    except InvalidInput as exc:
        return _render(stored, form, status=422, errors=errors_by_field(exc.errors), all_errors=exc.errors)
    except VCError as exc:
        return _render(stored, form, status=422, failure=exc)
    make_offer(pending)
    return redirect(url_for("web.offer", pending_id=pending.id))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/definitions/<definition_id>/issue", "issue", issue, methods=["GET", "POST"])
