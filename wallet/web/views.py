"""Pages of the local wallet app; each view is a thin shell over the `Wallet` library object."""

from __future__ import annotations

import secrets
from functools import wraps
from typing import Any, Callable

from flask import (Blueprint, Response, abort, current_app, g, redirect, render_template, request, session,
                   url_for)

from vccore.errors import VCError
from vccore.qrcodec import decode_request

from ..backup import make_backup, restore_backup
from ..browse import Filters, facets, totals
from ..errors import NotFoundError
from ..oid4vci import parse_offer, redeem_offer
from ..qrimage import read_codes
from .session import WalletSession

bp = Blueprint("wallet", __name__)


def state() -> WalletSession:
    return current_app.extensions["wallet"]


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


@bp.app_context_processor
def helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token}


@bp.before_request
def check_csrf() -> None:
    expected, given = session.get("csrf"), request.form.get("csrf")
    if request.method == "POST" and not (expected and given and secrets.compare_digest(expected, given)):
        abort(400)


def unlocked(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if state().wallet is None:
            return redirect(url_for("wallet.unlock", lang=g.lang))
        return view(*args, **kwargs)
    return wrapper


def page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), status


@bp.errorhandler(VCError)
def coded_error(exc: VCError) -> tuple[str, int]:
    return page("error.html", 404 if isinstance(exc, NotFoundError) else 400, error=exc)


@bp.route("/unlock", methods=["GET", "POST"])
def unlock() -> Any:
    error = None
    if request.method == "POST":
        try:
            state().unlock(request.form.get("passphrase", ""))
            return redirect(url_for("wallet.index", lang=g.lang))
        except VCError as exc:
            error = exc
    return page("unlock.html", 401 if error else 200, error=error, exists=(state().home / "wallet.db").is_file())


@bp.post("/lock")
def lock() -> Any:
    state().lock_wallet()
    return redirect(url_for("wallet.unlock", lang=g.lang))


@bp.get("/")
@unlocked
def index() -> Any:
    wallet = state().wallet
    filters = Filters.of(request.args)
    found = wallet.find(filters)
    per, overall = totals(found)
    return page("list.html", records=found, filters=filters, facets=facets(wallet.records()),
                per=per, overall=overall, profiles={p.id: p.label for p in wallet.profiles()})


@bp.get("/credentials/<cred_id>")
@unlocked
def detail(cred_id: str) -> Any:
    wallet = state().wallet
    return page("detail.html", record=wallet.record(cred_id), d=wallet.details(cred_id),
                raw=wallet.body(cred_id).decode("utf-8", "replace"))


@bp.post("/credentials/<cred_id>/delete")
@unlocked
def delete(cred_id: str) -> Any:
    if request.form.get("confirm") != "yes":
        return redirect(url_for("wallet.detail", cred_id=cred_id, lang=g.lang, confirm=1))
    state().wallet.delete(cred_id)
    return redirect(url_for("wallet.index", lang=g.lang, deleted=1))


def _incoming() -> bytes:
    wallet = state().wallet
    upload, offer_image = request.files.get("file"), request.files.get("offer_image")
    link = request.form.get("offer", "").strip()
    if offer_image and offer_image.filename:
        link = next((t for t in read_codes(offer_image.read()) if t.startswith("openid-credential-offer://")), "")
    if link:
        return redeem_offer(parse_offer(link), key=wallet.profile().key, client=state().client, clock=wallet.clock)
    if upload and upload.filename:
        return upload.read()
    if request.form.get("json", "").strip():
        return request.form["json"].encode("utf-8")
    raise VCError("choose a file, paste JSON or give an offer", title="Nothing to import")


@bp.route("/import", methods=["GET", "POST"])
@unlocked
def import_credential() -> Any:
    if request.method == "GET":
        return page("import.html")
    wallet = state().wallet
    if request.form.get("keep"):
        intake = state().pending.pop(request.form["keep"], None) or abort(404)
        result = wallet.import_bytes(intake.body, keep_failed=True, intake=intake)
        return page("result.html", result=result, token=None)
    result = wallet.import_bytes(_incoming())
    token = state().hold(result.intake) if not result.stored and result.intake.document else None
    return page("result.html", 200 if result.stored else 422, result=result, token=token)


@bp.route("/present", methods=["GET", "POST"])
@unlocked
def present() -> Any:
    wallet = state().wallet
    if request.method == "GET":
        return page("present.html", records=[r for r in wallet.records() if r.status != "invalid"])
    text = request.form.get("request", "").strip()
    image = request.files.get("request_image")
    if image and image.filename:
        text = next((t for t in read_codes(image.read()) if t.startswith("MCREQ1:")), text)
    req = decode_request(text, now=wallet.clock.now()) if text else None
    shown = wallet.present(request.form.getlist("ids"), request=req)
    return redirect(url_for("wallet.show", token=state().show(shown), lang=g.lang))


@bp.get("/present/<token>")
@unlocked
def show(token: str) -> Any:
    shown = state().shown.get(token) or abort(404)
    return page("qr.html", token=token, shown=shown, proof=shown.document["proof"])


@bp.get("/present/<token>/<int:index>.png")
@unlocked
def qr_png(token: str, index: int) -> Any:
    shown = state().shown.get(token) or abort(404)
    if not 0 <= index < len(shown.texts):
        abort(404)
    return Response(shown.png(index), mimetype="image/png")


@bp.route("/backup", methods=["GET", "POST"])
@unlocked
def backup() -> Any:
    if request.method == "GET":
        return page("backup.html", message=None)
    secret = request.form.get("backup_passphrase", "")
    if request.form.get("action") == "restore":
        result = restore_backup(state().wallet, request.files["file"].read(), secret)
        return page("backup.html", message=("restored", result))
    return Response(make_backup(state().wallet, secret), mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=wallet-backup.json"})
