"""A presentation file (docs/presentation-file.md): the signed presentation the learner saves to send by
e-mail or upload to a job site, as `.json` and as QR text, valid for the time they chose; and the PDF
certificate that carries one (docs/pdf-certificate.md)."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, request

from vccore.errors import VCError

from ..certificate import certificate_pdf, pdf_name
from ..present import FILE_VALIDITY
from .views import check_csrf, coded_error, current, page, unlocked

bp = Blueprint("sharing", __name__)
bp.register_error_handler(VCError, coded_error)  # a coded refusal (no font, no such credential) in the page's language


def _shown(token: str) -> Any:
    shown = current().shown.get(token) or abort(404)
    return shown if "expires" in shown.document.get("proof", {}) else abort(404)


@bp.get("/present/<token>/file")
@unlocked
def file_page(token: str) -> Any:
    return page("file.html", token=token, shown=_shown(token), warned=request.args.get("warned") == "1")


def _download(body: str, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/present/<token>/presentation.json")
@unlocked
def file_json(token: str) -> Any:
    shown = _shown(token)
    return _download(json.dumps(shown.document, indent=2, ensure_ascii=False), "application/vp+ld+json",
                     f"presentation-{shown.expires[:10]}.json")


@bp.get("/present/<token>/presentation.txt")
@unlocked
def file_text(token: str) -> Any:
    shown = _shown(token)
    return _download("\n".join(shown.texts) + "\n", "text/plain", f"presentation-{shown.expires[:10]}.txt")


@bp.post("/credentials/<cred_id>/certificate.pdf")
@unlocked
def certificate(cred_id: str) -> Any:
    """The PDF certificate in the page's language, its QR code valid as long as chosen (a year by default).
    A POST with the session's token: it signs a presentation with the holder's key."""
    check_csrf()
    wallet = current().wallet
    valid = request.form.get("valid", "year")
    body = certificate_pdf(wallet, cred_id, l10n=g.l10n, valid_for=valid if valid in FILE_VALIDITY else "year",
                           fonts=current_app.config.get("PDF_FONTS"), hide=tuple(request.form.getlist("hide")))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{pdf_name(wallet.record(cred_id).summary)}"'})
