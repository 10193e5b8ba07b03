"""Answering a verifier's OpenID4VP request in the web app (wallet.oid4vp): the learner pastes the link,
uploads or photographs its QR code, or arrives by a same-device link (`/oid4vp?client_id=…&request_uri=…`);
the wallet shows who asks and what for, the learner picks what to share and agrees (or declines)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from vccore.errors import VCError

from ..defaults import allow_private_network
from ..formats import disclosable
from ..oid4vp import answer, decline, fetch_request, matches, options, unfit
from ..qrimage import read_codes
from .views import USABLE, check_csrf, current, page, state, unlocked

bp = Blueprint("respond", __name__)
bp.before_request(check_csrf)  # the consent form's POSTs carry the session's CSRF token, as every wallet form


def _allow_http() -> bool:
    return bool(current_app.config.get("ALLOW_HTTP")) or allow_private_network()


def _consent(link: str) -> Any:
    wallet = current().wallet
    asked = fetch_request(link, client=state().client, wallet=wallet, allow_http=_allow_http())
    token = current().ask(asked)
    return redirect(url_for("respond.consent", token=token, lang=g.lang), code=303)


@bp.post("/respond")
@unlocked
def start() -> Any:
    link = request.form.get("link", "").strip()
    image = request.files.get("image")
    if image and image.filename:
        link = next((t for t in read_codes(image.read()) if "client_id=" in t), link)
    if not link:
        raise VCError("paste the verifier's link or choose a photo of its QR code", title="Nothing to answer")
    return _consent(link)


@bp.get("/oid4vp")
@unlocked
def same_device() -> Any:
    """A wallet link (§9: a URL as the authorization endpoint) that carries the request's parameters."""
    if not request.args.get("client_id"):
        abort(404)
    query = urllib.parse.urlencode({k: v for k, v in request.args.items() if k != "lang"})
    return _consent("openid4vp://?" + query)


def _asked(token: str) -> Any:
    return current().asked.get(token) or abort(404)


@bp.get("/respond/<token>")
@unlocked
def consent(token: str) -> Any:
    asked, wallet = _asked(token), current().wallet
    found = matches(wallet, asked, usable=USABLE)
    offered = options(asked, found)
    chosen = [m for option in offered[:1] for q in option for m in found[q][:1]]
    hideable = any(disclosable(wallet.body(m.cred_id)) for ms in found.values() for m in ms)
    return page("respond.html", token=token, asked=asked, found=found, options=offered,
                records={r.id: r for r in wallet.records()}, preselected={m.cred_id for m in chosen},
                hideable=hideable, not_accepted=[] if offered else unfit(wallet, asked, usable=USABLE))


@bp.post("/respond/<token>")
@unlocked
def send(token: str) -> Any:
    asked, wallet = _asked(token), current().wallet
    if request.form.get("action") == "decline":
        decline(asked, client=state().client)
        current().asked.pop(token, None)
        return page("responded.html", asked=asked, declined=True)
    found = matches(wallet, asked, usable=USABLE)
    wanted = set(request.form.getlist("ids"))
    chosen = [m for ms in found.values() for m in ms if m.cred_id in wanted]
    if len({m.query.id for m in chosen}) != len(chosen):  # one credential per credential query
        raise VCError("choose one microcredential", title="Choose one")
    reply = answer(wallet, asked, chosen, client=state().client, hide=tuple(request.form.getlist("hide")))
    current().asked.pop(token, None)
    target = reply.get("redirect_uri")
    if isinstance(target, str) and target.startswith(("https://", "http://")):
        return redirect(target, code=303)  # §8.2: back to the verifier on this device
    return page("responded.html", asked=asked, declined=False)


def _register_errors() -> None:
    from .views import coded_error
    bp.register_error_handler(VCError, coded_error)


_register_errors()
