"""OpenID4VP 1.0 on the verifier (docs/oid4vp-profile.md): the page that asks for a microcredential
(QR code for another device, a link for this one), the Request URI (§5, JAR) and the Response URI
(§8.2 `direct_post`), and the status the page polls until the answer's verdict can be shown."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, url_for

from vccore.clock import parse_datetime
from vccore.dcql import DcqlError
from vccore.errors import InvalidChallengeError, VCError
from vccore.oid4vp import SELF_ISSUED, VpTokenError, request_link

from .challenges import ChallengeLimitError, client_key
from .i18n import _
from .oid4vp_answer import QueryNotMetError, RefusedAnswerError, check_answer
from .oid4vp_query import NLQF_LEVELS, Conditions, microcredential_query
from .oid4vp_store import (ANSWERED, DECLINED, RequestExpiredError, RequestUsedError, TransactionStore,
                           UnknownRequestError)
from .service import VerifierService

bp = Blueprint("oid4vp", __name__)
REQUEST_TYPE = "application/oauth-authz-req+jwt"


def _service() -> VerifierService:
    return current_app.extensions["verifier"]


def _store() -> TransactionStore:
    return current_app.extensions["oid4vp"]


def _base() -> str:
    return (current_app.config.get("VERIFIER_DOMAIN") or request.host_url).rstrip("/")


@bp.get("/ask")
def ask_form():
    return render_template("ask.html", levels=NLQF_LEVELS, error=None, trust=_service().trust.current)


@bp.post("/ask")
def ask():
    from .web import _limited
    if not _same_site():
        abort(403)
    service, identity = _service(), current_app.extensions["oid4vp_identity"]
    try:
        conditions = Conditions.from_form(request.form)
    except VCError as exc:
        return render_template("ask.html", levels=NLQF_LEVELS, error=exc, trust=service.trust.current), 400
    try:
        issued = service.challenges.issue(domain=identity.client_id, types=("OpenBadgeCredential",),
                                          name=current_app.config.get("VERIFIER_NAME"),
                                          client=client_key(request.remote_addr))
    except ChallengeLimitError as exc:
        return _limited(exc)
    trusted = list(service.trust.current.entries) if service.trust.current else []
    tx = _store().create(nonce=issued.challenge, client_id=identity.client_id,
                         expires=parse_datetime(issued.expires).timestamp(),
                         query=microcredential_query(conditions, trusted), conditions=conditions.to_json())
    return redirect(url_for("oid4vp.asked", transaction=tx.transaction_id, lang=g.lang), code=303)


def _same_site() -> bool:
    """A form posted from this site (the page sends `Referrer-Policy: no-referrer`, so browsers send
    `Origin: null` for it; Sec-Fetch-Site then tells where it came from)."""
    origin, site = request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site")
    if origin not in (None, "null"):
        return origin == request.host_url.rstrip("/") and site in (None, "same-origin")
    return site in (None, "same-origin", "none")


def _links(tx) -> tuple[str, str]:  # noqa: ANN001
    """(for another device, for this device): the same request; the second is answered with a
    redirect back to the verdict (§8.2 `redirect_uri`)."""
    client_id = tx.client_id
    base = _base() + url_for("oid4vp.request_object", request_id=tx.request_id)
    return request_link(client_id, base), request_link(client_id, base + "?device=same")


@bp.get("/ask/<transaction>")
def asked(transaction: str):
    tx = _store().by_transaction(transaction) or abort(404)
    if tx.state == ANSWERED and tx.result:
        return redirect(url_for("pages.result", key=tx.result, lang=g.lang), code=303)
    cross, same = _links(tx)
    return render_template("asked.html", tx=tx, cross=cross, same=same, status=_status(tx),
                           conditions=Conditions.from_json(tx.conditions),
                           expires=dt.datetime.fromtimestamp(tx.expires, dt.timezone.utc))


def _status(tx) -> dict[str, Any]:  # noqa: ANN001
    """What the waiting page says, in its language; `result` once there is a verdict to show."""
    expired = tx.expires < _service().clock.now().timestamp()
    if tx.state == ANSWERED and tx.result:
        return {"state": "answered", "result": url_for("pages.result", key=tx.result, lang=g.lang),
                "message": _("An answer has arrived. Showing the result…")}
    if tx.state == DECLINED:
        return {"state": "declined", "message": _("The candidate declined to share a microcredential.")}
    if expired:
        return {"state": "expired", "message": _("This request has expired. Make a new one.")}
    if tx.refusal:
        from vccore.problemtexts import problem_text
        why = problem_text(tx.refusal.get("code", ""), g.l10n)
        return {"state": "refused", "code": tx.refusal.get("code"),
                "message": _("An answer was refused: %(title)s. %(advice)s Still waiting for an answer…",
                             title=why.title, advice=why.advice)}
    if tx.state == "retrieved":
        return {"state": "retrieved", "message": _("The wallet has opened the request. Waiting for the answer…")}
    return {"state": "waiting", "message": _("Waiting for the candidate's wallet…")}


@bp.get("/ask/<transaction>/status")
def status(transaction: str):
    tx = _store().by_transaction(transaction) or abort(404)
    return Response(json.dumps(_status(tx), ensure_ascii=False), mimetype="application/json",
                    headers={"Cache-Control": "no-store"})


@bp.get("/ask/<transaction>/qr.svg")
def qr(transaction: str):
    tx = _store().by_transaction(transaction) or abort(404)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(_links(tx)[0])
    out = io.BytesIO()
    code.make_image().save(out)
    return Response(out.getvalue(), mimetype="image/svg+xml")


def _oauth_error(exc: VCError, status: int = 400) -> Response:
    """§8.5 / RFC 6749 error shape, with our problem code beside it (docs/problem-codes.md)."""
    body = {"error": getattr(exc, "oauth_error", "invalid_request"), "error_description": exc.detail,
            "code": exc.code, "title": exc.title}
    return Response(json.dumps(body, ensure_ascii=False), status, mimetype="application/json",
                    headers={"Cache-Control": "no-store"})


@bp.get("/oid4vp/request/<request_id>")
def request_object(request_id: str):
    """The Request URI (RFC 9101 §5.2, OpenID4VP §5.10.1): the signed Request Object."""
    try:
        tx = _store().open_request(request_id)
    except VCError as exc:
        return _oauth_error(exc, 404 if isinstance(exc, UnknownRequestError) else 410)
    identity, now = current_app.extensions["oid4vp_identity"], int(_service().clock.now().timestamp())
    response_uri = _base() + url_for("oid4vp.response", request_id=request_id)
    if request.args.get("device") == "same":
        response_uri += "?device=same"
    claims = {"client_id": tx.client_id, "response_type": "vp_token", "response_mode": "direct_post",
              "response_uri": response_uri, "nonce": tx.nonce, "state": request_id, "dcql_query": tx.query,
              "client_metadata": _client_metadata(), "microcredential_conditions": tx.conditions,
              "aud": SELF_ISSUED, "iat": now, "exp": int(tx.expires)}
    _store().retrieved(request_id)
    return Response(identity.sign(claims), mimetype=REQUEST_TYPE, headers={"Cache-Control": "no-store"})


def _client_metadata() -> dict[str, Any]:
    """§11 and Appendix B: the formats and algorithms this verifier accepts, and its name."""
    algs = ["EdDSA", "Ed25519", "ES256", "ES384"]
    metadata: dict[str, Any] = {"vp_formats_supported": {
        "ldp_vc": {"proof_type_values": ["DataIntegrityProof", "Ed25519Signature2020"],
                   "cryptosuite_values": ["eddsa-rdfc-2022", "eddsa-jcs-2022"]},
        "jwt_vc_json": {"alg_values": algs},
        "dc+sd-jwt": {"sd-jwt_alg_values": algs, "kb-jwt_alg_values": algs},
        "vc+sd-jwt": {"sd-jwt_alg_values": algs, "kb-jwt_alg_values": algs}}}  # the pre-1.0 name (oid4vp_query)
    if current_app.config.get("VERIFIER_NAME"):
        metadata["client_name"] = current_app.config["VERIFIER_NAME"]
    return metadata


@bp.post("/oid4vp/response/<request_id>")
def response(request_id: str):
    """The Response URI (§8.2): the wallet posts `vp_token` and `state` (or `error`)."""
    store, service = _store(), _service()
    try:
        if request.form.get("state", request_id) != request_id:
            raise UnknownRequestError("state is not the request this response URI belongs to", path="/state")
        tx = store.open_request(request_id)
    except (UnknownRequestError, RequestExpiredError, RequestUsedError) as exc:
        return _oauth_error(exc)
    if request.form.get("error"):
        store.finish(request_id, result=None, declined=True)
        return _json({})
    try:
        if not request.form.get("vp_token"):
            raise VpTokenError("the response has no vp_token", path="/vp_token")
        outcome = check_answer(service, tx, request.form["vp_token"])
        service.challenges.consume(tx.nonce)  # single use, also against the page's own intakes
    except InvalidChallengeError as exc:
        return _oauth_error(RequestUsedError(f"the nonce was already used: {exc.detail}", path="/vp_token"))
    except (VpTokenError, RefusedAnswerError, QueryNotMetError, DcqlError) as exc:
        store.refuse(request_id, exc)
        return _oauth_error(exc)
    key = current_app.extensions["results"].put(outcome)
    try:
        store.finish(request_id, result=key)
    except RequestUsedError as exc:
        return _oauth_error(exc)
    body = {"redirect_uri": _base() + url_for("pages.result", key=key)} if request.args.get("device") == "same" else {}
    return _json(body)


def _json(body: dict[str, Any]) -> Response:
    return Response(json.dumps(body), 200, mimetype="application/json", headers={"Cache-Control": "no-store"})
