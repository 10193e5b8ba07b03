"""Verifier pages: intake (camera, upload, paste), request mode, result, trust list."""

from __future__ import annotations

import datetime as dt
import io
import json
import pickle
import secrets
import sqlite3
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import qrcode
import qrcode.image.svg
from flask import (Blueprint, Response, abort, current_app, g, redirect, render_template, request,
                   url_for)

from werkzeug.exceptions import HTTPException

from vccore.errors import VCError
from vccore.l10n import N_
from vccore.problems import problem_document
from vccore.trustlist import TrustListError

from vccore.problemtexts import problem_text
from vccore.statustext import status_sentence

from .challenges import ChallengeLimitError, client_key
from .i18n import CHECK_NAMES, CHECK_STATES, ELEMENTS, _, for_request
from .service import CredentialResult, Outcome, VerifierService
from .verdict import STATES

bp = Blueprint("pages", __name__)
MAX_TEXT = 128 * 1024


class ResultStore:
    """Recent outcomes in memory for the result page, its print view and JSON download (TTL, bounded)."""

    def __init__(self, *, ttl: float = 1800, size: int = 500) -> None:
        self.ttl, self.size = ttl, size
        self._items: OrderedDict[str, tuple[float, Outcome]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, outcome: Outcome) -> str:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._items[key] = (time.monotonic(), outcome)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Outcome | None:
        with self._lock:
            item = self._items.get(key)
        if item is None or time.monotonic() - item[0] > self.ttl:
            return None
        return item[1]


class SqliteResultStore:
    """The same, in a SQLite file shared by worker processes (`serve --workers N`).

    Outcomes are pickled: only this server writes the file, never a client."""

    def __init__(self, path: Path, *, ttl: float = 1800) -> None:
        self.path, self.ttl = str(path), ttl
        with sqlite3.connect(self.path) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, at REAL, outcome BLOB)")

    def put(self, outcome: Outcome) -> str:
        key = secrets.token_urlsafe(16)
        with sqlite3.connect(self.path, timeout=10) as db:
            db.execute("DELETE FROM results WHERE at < ?", (time.time() - self.ttl,))
            db.execute("INSERT INTO results VALUES (?, ?, ?)", (key, time.time(), pickle.dumps(outcome)))
        return key

    def get(self, key: str) -> Outcome | None:
        with sqlite3.connect(self.path, timeout=10) as db:
            row = db.execute("SELECT at, outcome FROM results WHERE key = ?", (key,)).fetchone()
        if row is None or time.time() - row[0] > self.ttl:
            return None
        return pickle.loads(row[1])


def _service() -> VerifierService:
    return current_app.extensions["verifier"]


@bp.before_app_request
def _language() -> None:
    g.l10n = for_request(request.args.get("lang"), request.cookies.get("lang"),
                         [lang for lang, _q in request.accept_languages], current_app.config.get("TIMEZONE"))
    g.lang = g.l10n.locale


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    l10n = g.l10n

    def sentence(c: CredentialResult) -> str:
        return status_sentence(c.statuses, l10n, now=_service().clock.now())
    return {"lang": l10n.locale, "states": STATES, "printing": bool(request.args.get("print")),
            "explain": lambda p: problem_text(p.code if p is not None else "", l10n),
            "check_name": lambda name: l10n.gettext(CHECK_NAMES[name]) if name in CHECK_NAMES else name,
            "check_status": lambda st: l10n.gettext(CHECK_STATES.get(st, st)), "status_sentence": sentence}


@bp.app_template_filter("element")
def _element(key: str) -> str:
    return g.l10n.gettext(ELEMENTS[key]) if key in ELEMENTS else key


@bp.after_app_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; "
                                "style-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'; form-action 'self'")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.args.get("lang") in ("nl", "en"):
        response.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax")
    return response


HTTP_TEXTS = {  # status -> (headline, what to do); anything else: the general text
    400: (N_("The request could not be used"), N_("Go back, reload the page and try again.")),
    404: (N_("This page does not exist"), N_("It may have been removed, or the link is incomplete.")),
    405: (N_("This page cannot be used this way"), N_("Go back and use the buttons on the page.")),
}


@bp.app_errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Any:
    """Pages get an error page in their language; the VC API keeps problem details (verifier.api)."""
    code = exc.code or 500
    if code < 400 or request.path.startswith(("/credentials/", "/presentations/")):
        return exc
    message, advice = HTTP_TEXTS.get(code, (N_("Something went wrong"), N_("Try again.")))
    return render_template("http_error.html", code=code, message=_(message), advice=_(advice)), code


@bp.get("/")
def index():
    return render_template("index.html", challenge=None)


@bp.get("/request")
def request_mode():
    service = _service()
    domain = current_app.config.get("VERIFIER_DOMAIN") or request.host_url.rstrip("/")
    try:
        req = service.challenges.issue(domain=domain, types=("OpenBadgeCredential",),
                                       name=current_app.config.get("VERIFIER_NAME"),
                                       client=client_key(request.remote_addr))  # ProxyFix sets it when trusted
    except ChallengeLimitError as exc:
        return _limited(exc)
    return render_template("request.html", req=req, challenge=req.challenge)


def _limited(exc: ChallengeLimitError):
    """429 (this client) or 503 (all clients) with Retry-After (RFC 6585 §4, RFC 9110 §10.2.3), as
    a page or, for a client that prefers JSON, problem details, both in the chosen language."""
    if exc.busy:
        title = _("The verifier is busy")
        message = _("Too many presentation requests are open right now. Try again in %(seconds)s seconds.",
                    seconds=exc.retry_after)
    else:
        title = _("Too many requests")
        message = _("This address asked for presentation requests too quickly or has too many open. Try again "
                    "in %(seconds)s seconds; an open request stays valid.", seconds=exc.retry_after)
    headers = {"Retry-After": str(exc.retry_after), "Content-Language": g.lang}
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        body = {**problem_document(exc, exc.status), "title": title, "detail": message,
                "retryAfter": exc.retry_after}
        return Response(json.dumps(body, ensure_ascii=False), exc.status, headers,
                        mimetype="application/problem+json")
    return render_template("limited.html", title=title, message=message, code=exc.code), exc.status, headers


@bp.get("/request/<challenge>.svg")
def request_qr(challenge: str):
    text = _service().challenges.request_text(challenge)
    if text is None:
        abort(404)
    data = qrcode.util.QRData(text.encode("ascii"), mode=qrcode.util.MODE_ALPHA_NUM)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(data)
    out = io.BytesIO()
    code.make_image().save(out)
    return Response(out.getvalue(), mimetype="image/svg+xml")


@bp.post("/verify")
def verify():
    upload = request.files.get("file")
    data: bytes | str | None = upload.read() if upload and upload.filename else None
    if not data:
        data = request.form.get("text", "")[:MAX_TEXT]
    challenge = request.form.get("challenge") or None
    service = _service()
    domain = service.challenges.domain_of(challenge) if challenge else None
    if challenge and domain is None:
        domain = ""  # unknown challenge: still verified, and refused as not issued here
    outcome = service.verify_input(data, challenge=challenge, domain=domain, single_use=bool(challenge))
    key = current_app.extensions["results"].put(outcome)
    return redirect(url_for("pages.result", key=key, lang=g.lang), code=303)


@bp.get("/result/<key>")
def result(key: str):
    outcome = current_app.extensions["results"].get(key)
    if outcome is None:
        return render_template("missing.html"), 404
    return render_template("result.html", outcome=outcome, key=key)


@bp.get("/result/<key>.json")
def result_json(key: str):
    outcome = current_app.extensions["results"].get(key)
    if outcome is None:
        abort(404)
    body = json.dumps(outcome.to_json(), indent=2, ensure_ascii=False)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="verification-{key[:8]}.json"'})


@bp.get("/trust")
def trust():
    store = _service().trust
    return render_template("trust.html", store=store, message=request.args.get("msg"), now=_service().clock.now(),
                           age_days=_age_days(store.loaded_at))


def _same_origin() -> bool:
    """Cross-site request forgery guard for state-changing forms: browsers say where a form
    was posted from (Origin, or Sec-Fetch-Site); anything from another site is refused."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == request.host_url.rstrip("/")
    return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")


@bp.post("/trust/import")
def trust_import():
    store = _service().trust
    upload = request.files.get("file")
    if not _same_origin():
        abort(403)
    try:
        if request.form.get("action") == "refresh":
            store.refresh()
        elif upload and upload.filename:
            store.import_bytes(upload.read(), source=upload.filename[:200])
        else:
            raise TrustListError("no file chosen", title="Nothing to import")
    except (TrustListError, VCError) as exc:
        return render_template("trust.html", store=store, error=exc, now=_service().clock.now(),
                               age_days=_age_days(store.loaded_at)), 400
    return redirect(url_for("pages.trust", msg="ok", lang=g.lang), code=303)


def _age_days(when: dt.datetime | None) -> int | None:
    if when is None:
        return None
    return max(0, (_service().clock.now() - when).days)
