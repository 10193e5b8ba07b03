"""Collecting an OpenID4VCI offer in the web app (wallet.oid4vci): an offer that asks for a transaction
code gets a page to type it (§4.1.1; the code goes in a POST body only, never in a URL or a log); an
offer that needs a sign-in at the issuer sends the browser to the issuer's authorization endpoint,
which sends it back to /oid4vci/callback with a code and the state (§5.1, RFC 6749 §4.1). The state
is unguessable, kept in this browser's unlocked session for ten minutes and used once; that binding
is what protects the callback, a GET from another site, against forged answers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, redirect, request, url_for

from vccore.errors import VCError
from vccore.l10n import N_

from ..errors import OfferError
from ..oid4vci import finish_sign_in, parse_offer, prepare_offer, redeem_prepared, start_sign_in
from ..oid4vci_auth import SignInError
from ..oid4vci_flow import TxCodeError
from .i18n import _
from .views import COOKIE, check_csrf, coded_error, current, page, state, stored_page, unlocked

bp = Blueprint("collect", __name__)
bp.before_request(check_csrf)
ANSWER = ("code", "state", "error", "iss")  # what the wallet reads of the issuer's redirect (RFC 6749, RFC 9207)

SIGN_IN_REFUSED = {  # SignInError.reason -> what happened
    "unknown": N_("This wallet is not waiting for this sign-in. It may have been started in another browser, or "
                  "the wallet was locked in between."),
    "used": N_("This sign-in has already been used."),
    "expired": N_("The sign-in took longer than 10 minutes."),
    "refused": N_("The institution did not let the sign-in finish, or it was cancelled."),
    "no_code": N_("The institution sent no authorization code back."),
    "issuer": N_("The answer came from another sign-in service than the one the wallet asked."),
}
TX_CODE_PROBLEM = {  # TxCodeError.reason or the issuer's OAuth error -> what to do
    "missing": N_("Type the code."),
    "form": N_("This code has the wrong form. Check it and type it again."),
    "invalid_grant": N_("The institution did not accept the code. Check it and type it again."),
}


def collect_offer(link: str) -> Any:
    """From the import form: redeem the offer at once, ask for its code, or send the browser to sign in."""
    wallet = current().wallet
    prepared = prepare_offer(parse_offer(link), key=wallet.profile().key, client=state().client)
    if prepared.tx_code is not None:
        return redirect(url_for("collect.code", token=current().wait_for_code(prepared), lang=g.lang), code=303)
    if prepared.needs_sign_in:
        sign_in = start_sign_in(prepared, client=state().client,
                                redirect_uri=url_for("collect.callback", _external=True))
        current().sign_in(sign_in, now=wallet.clock.now())
        return redirect(sign_in.url, code=303)
    return stored_page(redeem_prepared(prepared, client=state().client, clock=wallet.clock))


@bp.route("/import/code/<token>", methods=["GET", "POST"])
@unlocked
def code(token: str) -> Any:
    prepared = current().coding.get(token) or abort(404)
    if request.method == "GET":
        return _code_page(token, prepared, None, 200)
    try:
        body = redeem_prepared(prepared, client=state().client, clock=current().wallet.clock,
                               tx_code=request.form.get("tx_code", "").strip())
    except TxCodeError as exc:
        return _code_page(token, prepared, exc, 400)
    except OfferError as exc:
        if exc.oauth_error != "invalid_grant":  # not the code: this offer cannot be collected here
            current().coding.pop(token, None)
            raise
        return _code_page(token, prepared, exc, 422)
    current().coding.pop(token, None)
    return stored_page(body)


def _code_page(token: str, prepared: Any, problem: OfferError | None, status: int) -> tuple[str, int]:
    tx = prepared.tx_code
    why = getattr(problem, "reason", None) or getattr(problem, "oauth_error", None)
    return page("collect_code.html", status, token=token, issuer=prepared.issuer_name(g.lang),
                description=str(tx.get("description") or "")[:300],
                length=tx["length"] if isinstance(tx.get("length"), int) and 0 < tx["length"] <= 64 else None,
                numeric=tx.get("input_mode", "numeric") == "numeric", problem=problem,
                advice=_(TX_CODE_PROBLEM[why]) if why in TX_CODE_PROBLEM else None)


@bp.get("/oid4vci/callback")
def callback() -> Any:
    """The issuer sends the browser back here. Browsers withhold the SameSite=Strict session cookie on
    that cross-site redirect; without it, a page of ours takes one more step, same-site, which has it."""
    if state().sessions.get(request.cookies.get(COOKIE)) is None:
        target = url_for("collect.finish", lang=g.lang, **{k: v[:2000] for k, v in request.args.items() if k in ANSWER})
        return page("collect_return.html", target=target)
    return finish()


@bp.get("/oid4vci/finish")
@unlocked
def finish() -> Any:
    answer = {k: v for k, v in request.args.items() if k in ANSWER}
    wallet = current().wallet
    sign_in = current().signed_in(answer.get("state", ""), now=wallet.clock.now())
    return stored_page(finish_sign_in(sign_in, answer, client=state().client, clock=wallet.clock))


@bp.after_request
def no_referrer(response: Response) -> Response:
    """The callback's URL holds the authorization code: no page of it tells another site its address."""
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.errorhandler(SignInError)
def sign_in_refused(exc: SignInError) -> tuple[str, int]:
    return page("collect_refused.html", 400, error=exc, what=_(SIGN_IN_REFUSED.get(exc.reason, SIGN_IN_REFUSED["unknown"])))


bp.register_error_handler(VCError, coded_error)
