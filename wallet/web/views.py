"""Pages of the local wallet app; each view is a thin shell over the `Wallet` library object."""

from __future__ import annotations

import secrets
from functools import wraps
from typing import Any, Callable

from flask import (Blueprint, Response, abort, current_app, g, redirect, render_template, request, session,
                   url_for)

from werkzeug.exceptions import HTTPException

from vccore.errors import VCError
from vccore.l10n import N_
from vccore.qrcodec import decode_request

from ..backup import make_backup, restore_backup
from ..browse import Filters, facets, totals
from ..errors import NotFoundError, UnlockThrottledError
from ..holder import Wallet
from ..qrimage import read_codes
from ..recheck import recheck, recheck_all, remember
from .i18n import _
from .session import Unlocked, WalletApp

bp = Blueprint("wallet", __name__)
COOKIE = "wallet_session"
USABLE = ("ok", "none", "unknown")   # may be presented without a warning
HELD = ("revoked", "suspended")      # shown, but only chosen on purpose


def state() -> WalletApp:
    return current_app.extensions["wallet"]


def current() -> Unlocked:
    """This browser's unlocked session (set by `unlocked`)."""
    return g.unlocked


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


@bp.app_context_processor
def helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "is_unlocked": lambda: "unlocked" in g}


@bp.before_request
def check_csrf() -> None:
    expected, given = session.get("csrf"), request.form.get("csrf")
    if request.method == "POST" and not (expected and given and secrets.compare_digest(expected, given)):
        abort(400)


def unlocked(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only with this browser's session cookie; one request of a session at a time."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = request.cookies.get(COOKIE)
        found = state().sessions.get(token)
        if found is None:
            return _to_unlock(ended=bool(token))
        with found.lock:
            if found.closed:  # locked or expired while this request waited
                return _to_unlock(ended=True)
            g.unlocked = found
            found.wallet.refresh()  # another session (or the CLI) may have written
            return view(*args, **kwargs)
    return wrapper


def _local_path(value: str | None) -> str | None:
    """A path on this wallet to return to after unlocking (never another site: no scheme, no //)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value or len(value) > 500:
        return None
    return value if value.split("?")[0] not in ("/unlock", "/lock") else None


def _to_unlock(*, ended: bool) -> Response:
    asked = _local_path(request.full_path.rstrip("?")) if request.method == "GET" else None
    response = redirect(url_for("wallet.unlock", lang=g.lang, ended=1 if ended else None, next=asked))
    if ended:
        response.delete_cookie(COOKIE, path="/", samesite="Strict", secure=request.is_secure, httponly=True)
    return response


def page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), status


HTTP_TEXTS = {  # status -> (headline, what to do); anything else: the general text
    400: (N_("The request could not be used"), N_("Go back, reload the page and try again.")),
    404: (N_("This page does not exist"), N_("It may have been removed, or the link is incomplete.")),
    405: (N_("This page cannot be used this way"), N_("Go back and use the buttons on the page.")),
    413: (N_("The file is too large"), N_("Choose a smaller file.")),
}


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException) -> Any:
    """Werkzeug's own error pages are English only: ours are in the page's language."""
    code = exc.code or 500
    if code < 400:
        return exc
    message, advice = HTTP_TEXTS.get(code, (N_("Something went wrong"), N_("Try again.")))
    return page("http_error.html", code, code=code, message=_(message), advice=_(advice))


@bp.errorhandler(VCError)
def coded_error(exc: VCError) -> tuple[str, int]:
    return page("error.html", 404 if isinstance(exc, NotFoundError) else 400, error=exc)


@bp.route("/unlock", methods=["GET", "POST"])
def unlock() -> Any:
    if request.method == "POST":
        try:
            token = state().sessions.unlock(request.form.get("passphrase", ""), client=request.remote_addr or "-")
        except UnlockThrottledError as exc:
            body, status = _unlock_page(exc, 429)
            return Response(body, status, headers={"Retry-After": str(exc.retry_after)})
        except VCError as exc:
            return _unlock_page(exc, 401)
        state().sessions.end(request.cookies.get(COOKIE))  # a new session, never a planted one
        session["csrf"] = secrets.token_urlsafe(24)
        opened = state().sessions.get(token)
        stale = len(recheck_all(opened.wallet).not_refreshed) if opened is not None else 0  # status may have changed
        response = redirect(_local_path(request.form.get("next")) or url_for("wallet.index", lang=g.lang,
                                                                              rechecked=1, stale=stale or None))
        response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure, path="/")
        return response
    return _unlock_page(None, 200)


def _unlock_page(error: VCError | None, status: int) -> tuple[str, int]:
    return page("unlock.html", status, error=error, exists=Wallet.exists(state().home),
                ended=request.args.get("ended") == "1", locked=request.args.get("locked") == "1",
                next=_local_path(request.values.get("next")))


@bp.post("/lock")
def lock() -> Any:
    state().sessions.end(request.cookies.get(COOKIE))
    response = redirect(url_for("wallet.unlock", lang=g.lang, locked=1))
    response.delete_cookie(COOKIE, path="/", samesite="Strict", secure=request.is_secure, httponly=True)
    return response


@bp.get("/")
@unlocked
def index() -> Any:
    wallet = current().wallet
    filters = Filters.of(request.args)
    found = wallet.find(filters)
    per, overall = totals(found)
    return page("list.html", records=found, filters=filters, facets=facets(wallet.records()),
                per=per, overall=overall, profiles={p.id: p.label for p in wallet.profiles()},
                rechecked=request.args.get("rechecked") == "1", stale=request.args.get("stale", 0, type=int),
                now=wallet.clock.now())


@bp.post("/recheck", endpoint="recheck_all")
@unlocked
def recheck_all_view() -> Any:
    """'Check again': every stored credential's status, now."""
    done = recheck_all(current().wallet)
    return redirect(url_for("wallet.index", lang=g.lang, rechecked=1, stale=len(done.not_refreshed) or None))


@bp.post("/credentials/<cred_id>/recheck")
@unlocked
def recheck_one(cred_id: str) -> Any:
    recheck(current().wallet, cred_id)
    return redirect(url_for("wallet.detail", cred_id=cred_id, lang=g.lang))


@bp.get("/credentials/<cred_id>")
@unlocked
def detail(cred_id: str) -> Any:
    wallet = current().wallet
    return page("detail.html", record=wallet.record(cred_id), d=wallet.details(cred_id),
                raw=wallet.body(cred_id).decode("utf-8", "replace"), hideable=wallet.hideable(cred_id))


@bp.post("/credentials/<cred_id>/delete")
@unlocked
def delete(cred_id: str) -> Any:
    if request.form.get("confirm") != "yes":
        return redirect(url_for("wallet.detail", cred_id=cred_id, lang=g.lang, confirm=1))
    current().wallet.delete(cred_id)
    return redirect(url_for("wallet.index", lang=g.lang, deleted=1))


def _offer_link() -> str:
    """An offer link typed or pasted, or read from a photo of its QR code ("" when none)."""
    offer_image = request.files.get("offer_image")
    if offer_image and offer_image.filename:
        return next((t for t in read_codes(offer_image.read()) if t.startswith("openid-credential-offer://")), "")
    return request.form.get("offer", "").strip()


def _incoming() -> bytes:
    upload = request.files.get("file")
    if upload and upload.filename:
        return upload.read()
    if request.form.get("json", "").strip():
        return request.form["json"].encode("utf-8")
    raise VCError("choose a file, paste JSON or give an offer", title="Nothing to import")


def stored_page(body: bytes) -> tuple[str, int]:
    """Verify and store what came in, by whatever way; the result page."""
    wallet = current().wallet
    result = wallet.import_bytes(body)
    if result.stored and not result.duplicate:
        remember(wallet, result.stored_id, result.intake)  # keep the structured status results too
    token = current().hold(result.intake) if not result.stored and result.intake.document else None
    return page("result.html", 200 if result.stored else 422, result=result, token=token)


@bp.route("/import", methods=["GET", "POST"])
@unlocked
def import_credential() -> Any:
    if request.method == "GET":
        return page("import.html")
    if request.form.get("keep"):
        intake = current().pending.pop(request.form["keep"], None) or abort(404)
        result = current().wallet.import_bytes(intake.body, keep_failed=True, intake=intake)
        return page("result.html", result=result, token=None)
    link = _offer_link()
    if link:
        from .collect import collect_offer  # collect builds on this module's helpers
        return collect_offer(link)
    return stored_page(_incoming())


@bp.route("/present", methods=["GET", "POST"])
@unlocked
def present() -> Any:
    wallet = current().wallet
    if request.method == "GET":
        records = wallet.records()
        return page("present.html", records=[r for r in records if r.status in USABLE],
                    held=[r for r in records if r.status in HELD])
    text = request.form.get("request", "").strip()
    image = request.files.get("request_image")
    if image and image.filename:
        text = next((t for t in read_codes(image.read()) if t.startswith("MCREQ1:")), text)
    req = decode_request(text, now=wallet.clock.now()) if text else None
    ids = request.form.getlist("ids") or _usable_for(wallet, req)
    valid = request.form.get("valid") if request.form.get("action") == "file" else None
    shown = wallet.present(ids, request=req, hide=request.form.getlist("hide"), valid_for=valid)
    warned = any(wallet.record(i).status not in USABLE for i in ids)
    endpoint = "sharing.file_page" if valid else "wallet.show"
    return redirect(url_for(endpoint, token=current().show(shown), lang=g.lang, warned=1 if warned else None))


def _usable_for(wallet: Wallet, req: Any) -> list[str]:
    """Nothing chosen: the first profile's credentials that may be presented without a warning and
    have every type the verifier's request wants."""
    holder = wallet.profile()
    wanted = set(req.types) if req is not None and req.types else set()
    ids = [r.id for r in wallet.records() if r.profile == holder.id and r.status in USABLE
           and wanted <= set(r.summary.get("types") or [])]
    if not ids:
        raise NotFoundError("no valid stored credential has the types the verifier asks for")
    return ids


@bp.get("/present/<token>")
@unlocked
def show(token: str) -> Any:
    shown = current().shown.get(token) or abort(404)
    return page("qr.html", token=token, shown=shown, proof=shown.document["proof"],
                warned=request.args.get("warned") == "1")


@bp.get("/present/<token>/<int:index>.png")
@unlocked
def qr_png(token: str, index: int) -> Any:
    shown = current().shown.get(token) or abort(404)
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
        result = restore_backup(current().wallet, request.files["file"].read(), secret)
        return page("backup.html", message=("restored", result))
    return Response(make_backup(current().wallet, secret), mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=wallet-backup.json"})
