"""Staff UI: issued credentials — search, details with history, revoke/suspend (after a confirmation
step) and unsuspend with a reason, download as .json or as a PDF certificate."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for

from vccore.errors import VCError
from vccore.problemtexts import problem_text

from ..certificate import staff_certificate
from ..errors import RecordNotFound, RefusalError
from .auth import login_required
from .i18n import _, current, message
from .paging import page_number

__all__ = ["register"]

ACTIONS = ("revoke", "suspend", "unsuspend")
CONFIRMED = ("revoke", "suspend")  # final or far-reaching: a second, explicit step
PER_PAGE = 50


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
    total = _service().registry.count_records(query)
    page, pages = page_number(total, PER_PAGE)
    found = _service().registry.records(query, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return render_template("records.html", records=found, query=query, page=page, pages=pages, total=total)


def _record_page(found, *, status: int = 200, reason_error: str = ""):
    return render_template("record.html", record=found, can_suspend=_service().can_suspend(found.id),
                           history=_service().history(found.id), reason_error=reason_error), status


@login_required
def record(record_id: str):
    return _record_page(_record_or_404(record_id))


@login_required
def change_status(record_id: str):
    """Revoke and suspend show a confirmation page first; only its 'yes' (confirm=yes) changes the status."""
    found = _record_or_404(record_id)
    action, reason = request.form.get("action"), request.form.get("reason", "").strip()[:500]
    if action not in ACTIONS:
        abort(400)
    if not reason and action != "unsuspend":
        return _record_page(found, status=422, reason_error=_("Please give a reason."))
    refused = _service().refusal(found.id, action)
    if refused is None and action in CONFIRMED and request.form.get("confirm") != "yes":
        return render_template("status_confirm.html", record=found, action=action, reason=reason)
    try:
        if refused is not None:
            raise refused
        getattr(_service(), action)(found.id, reason, actor=session.get("user", ""))
    except RefusalError as exc:
        flash(_("%(refusal)s (code %(code)s)", refusal=message(exc), code=exc.code), "error")
    else:
        current_app.logger.info("record %s: %s", found.id, action)
        _flash_done(action)
    return redirect(url_for("web.record", record_id=found.id))


def _flash_done(action: str) -> None:
    if action == "revoke":
        flash(_("The microcredential has been revoked."), "success")
    elif action == "suspend":
        flash(_("The microcredential has been suspended."), "success")
    else:
        flash(_("The suspension has been lifted."), "success")


@login_required
def download(record_id: str):
    """The exact signed bytes the registry stored, as a .json file."""
    found = _record_or_404(record_id)
    body = found.credential_json
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{found.participant_name}-{found.id}").strip("-")
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{name or "credential"}.json"'})


@login_required
def certificate(record_id: str):
    """The staff copy as a PDF certificate in the page's language (docs/pdf-certificate.md)."""
    found = _record_or_404(record_id)
    try:
        body = staff_certificate(_service(), found, l10n=current(), fonts=current_app.config.get("PDF_FONTS"))
    except VCError as exc:  # PDF_FONT_MISSING: the server lacks the font; said in the staff's language
        why = problem_text(exc.code, current())
        return render_template("message.html", title=why.title, message=why.advice, code=exc.code), 503
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{found.participant_name}-{found.id}").strip("-")
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name or "certificate"}.pdf"'})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/records", "records", records)
    bp.add_url_rule("/records/<record_id>", "record", record)
    bp.add_url_rule("/records/<record_id>/status", "change_status", change_status, methods=["POST"])
    bp.add_url_rule("/records/<record_id>/download", "download", download)
    bp.add_url_rule("/records/<record_id>/certificate.pdf", "certificate", certificate)
