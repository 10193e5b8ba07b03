"""The authorization code flow of OpenID4VCI 1.0 (§3.4, §5.1), wallet side: RFC 6749 §4.1 with PKCE
S256 (RFC 7636), a pushed authorization request (RFC 9126), `issuer_state` and
`authorization_details`. Split in two so that a web app can send the browser to the issuer and
finish when it comes back, without a thread waiting: `start_sign_in` returns the authorization URL
and a `SignIn` to keep; `exchange_code` checks the answer against it and gets the access token."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

from .errors import OfferError
from .oid4vci import AUTHORIZATION_CODE, HttpClient, _json, post

if TYPE_CHECKING:  # pragma: no cover
    from .oid4vci_flow import Prepared

__all__ = ["CLIENT_ID", "REDIRECT_URI", "SignIn", "SignInError", "answer_of", "exchange_code", "start_sign_in"]

CLIENT_ID = "mc-wallet"                       # a public client (RFC 6749 §2.1); PKCE protects the code
REDIRECT_URI = "openid-credential-redirect://callback"  # the CLI's; the web app passes its own callback URL
FORM = "application/x-www-form-urlencoded"
_ERROR_CODE = re.compile(r"[a-z_]{1,40}")     # RFC 6749 §4.1.2.1 error codes are short ASCII words


class SignInError(OfferError):
    """A sign-in that cannot finish. `reason` says why, as data for screens: `unknown` (no sign-in of
    this session has that state), `used`, `expired`, `refused` (the issuer answered `error=`),
    `no_code`, `issuer` (RFC 9207 `iss` names another server); `issuer_error` is the issuer's
    `error` code when it sent a well-formed one."""

    def __init__(self, detail: str, *, reason: str, issuer_error: str | None = None) -> None:
        super().__init__(detail, title="Sign-in failed")
        self.reason = reason
        self.issuer_error = issuer_error if issuer_error and _ERROR_CODE.fullmatch(issuer_error) else None


@dataclass(frozen=True)
class SignIn:
    """A sign-in waiting for the browser to come back: what the token request needs. The PKCE
    verifier and the state never leave the wallet except to the issuer's own endpoints."""

    url: str                                   # the authorization URL the browser is sent to
    redirect_uri: str
    state: str = field(repr=False)
    verifier: str = field(repr=False)
    prepared: "Prepared" = field(repr=False)   # the offer, metadata, configuration and holder key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def start_sign_in(prepared: "Prepared", *, client: HttpClient, redirect_uri: str = REDIRECT_URI,
                  random: Callable[[int], bytes]) -> SignIn:
    """§5.1: the authorization request (pushed first when the server has a PAR endpoint)."""
    auth, offer = prepared.auth, prepared.offer
    if "S256" not in auth.get("code_challenge_methods_supported", ["S256"]):
        raise OfferError("the authorization server does not support PKCE S256", title="Unsupported offer")
    verifier, state = _b64(random(32)), _b64(random(16))
    params = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": redirect_uri, "state": state,
              "code_challenge": _b64(hashlib.sha256(verifier.encode("ascii")).digest()),
              "code_challenge_method": "S256",
              "authorization_details": json.dumps([{"type": "openid_credential",
                                                    "credential_configuration_id": prepared.config_id}])}
    if offer.issuer_state:
        params["issuer_state"] = offer.issuer_state
    if prepared.config.get("scope"):
        params["scope"] = prepared.config["scope"]
    if auth.get("pushed_authorization_request_endpoint"):
        pushed = _json(post(client, auth["pushed_authorization_request_endpoint"],
                            urllib.parse.urlencode(params).encode(), FORM), "pushed authorization request")
        query = {"client_id": CLIENT_ID, "request_uri": pushed["request_uri"]}
    elif auth.get("require_pushed_authorization_requests"):
        raise OfferError("PAR is required but no endpoint is given", title="Unexpected answer from the issuer")
    else:
        query = params
    endpoint = auth["authorization_endpoint"]
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        raise OfferError("the authorization endpoint is not a URL", title="Unexpected answer from the issuer")
    url = endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode(query)
    return SignIn(url, redirect_uri, state, verifier, prepared)


def answer_of(redirect: str) -> dict[str, str]:
    """The parameters of the redirect URL the issuer sent the browser to (first value of each)."""
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(redirect).query).items()}


def check_answer(sign_in: SignIn, answer: Mapping[str, str]) -> str:
    """RFC 6749 §4.1.2: the code of an answer to this sign-in (state, RFC 9207 `iss`, `error`)."""
    if answer.get("state") != sign_in.state:
        raise SignInError("the sign-in answered another request (state)", reason="unknown")
    issuer = sign_in.prepared.auth.get("issuer")
    if "iss" in answer and isinstance(issuer, str) and answer["iss"] != issuer:
        raise SignInError("the answer comes from another authorization server (iss)", reason="issuer")
    if "error" in answer:
        raise SignInError(f"sign-in: {answer['error'][:40]}", reason="refused", issuer_error=answer["error"])
    if not answer.get("code"):
        raise SignInError("sign-in: no code", reason="no_code")
    return answer["code"]


def exchange_code(sign_in: SignIn, answer: Mapping[str, str], *, client: HttpClient) -> dict[str, Any]:
    """RFC 6749 §4.1.3 with the PKCE verifier: the token response."""
    form = {"grant_type": AUTHORIZATION_CODE, "code": check_answer(sign_in, answer),
            "redirect_uri": sign_in.redirect_uri, "client_id": CLIENT_ID, "code_verifier": sign_in.verifier}
    return _json(post(client, sign_in.prepared.auth["token_endpoint"], urllib.parse.urlencode(form).encode(), FORM),
                 "token")
