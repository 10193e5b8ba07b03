"""Staff UI: issued credentials — search, details, revoke/suspend/unsuspend with a reason, download."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for

from vccore.errors import VCError

from ..errors import RecordNotFound
from .auth import login_required
from .i18n import text

__all__ = ["register"]

ACTIONS = ("revoke", "suspend", "unsuspend")


def _service():
    return current_app.extensions["issuer_service"]


def _record_or_404(record_id: str):
    try:
        return _service().record(record_id)
    except RecordNotFound:
        abort(404)


@login_required
def records():
    query = request.args.get("q", "")[:200]
    return render_template("records.html", records=_service().records(query, limit=200), query=query)


@login_required
def record(record_id: str):
    found = _record_or_404(record_id)
    return render_template("record.html", record=found, can_suspend=_service().can_suspend(found.id))


@login_required
def change_status(record_id: str):
    _record_or_404(record_id)
    action, reason = request.form.get("action"), request.form.get("reason", "").strip()[:500]
    if action not in ACTIONS:
        abort(400)
    if not reason:
        flash(text("reason_needed"), "error")
        return redirect(url_for("web.record", record_id=record_id))
    if action == "suspend" and not _service().can_suspend(record_id):
        flash(f"{text('suspension_off')} (STATUS_CHANGE_REFUSED)", "error")
        return redirect(url_for("web.record", record_id=record_id))
    try:
        getattr(_service(), action)(record_id, reason)
    except VCError as exc:
        flash(f"{text('error')}: {exc.detail} ({exc.code})", "error")
    else:
        current_app.logger.info("record %s: %s", record_id, action)
        flash(text("status_changed"), "success")
    return redirect(url_for("web.record", record_id=record_id))


@login_required
def download(record_id: str):
    """The exact signed bytes the registry stored, as a .json file."""
    found = _record_or_404(record_id)
    body = found.credential_json
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{found.participant_name}-{found.id}").strip("-")
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{name or "credential"}.json"'})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/records", "records", records)
    bp.add_url_rule("/records/<record_id>", "record", record)
    bp.add_url_rule("/records/<record_id>/status", "change_status", change_status, methods=["POST"])
    bp.add_url_rule("/records/<record_id>/download", "download", download)
