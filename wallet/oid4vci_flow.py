"""The OpenID4VCI exchange (wallet.oid4vci): choose the configuration and holder key, get an
access token (pre-authorized code, or authorization code with PAR and PKCE S256), a nonce, and
the credential."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.parse
from typing import Any, Callable

from vccore import Clock, KeyPair

from .errors import OfferError
from .holderkeys import HolderKey, choose_holder_key
from .oid4vci import (AUTHORIZATION_CODE, CONFIGURATION_ID, FORMATS, PRE_AUTHORIZED, Authorize, HttpClient, Offer,
                      _json, exact_credential_bytes, get_json, key_proof, offer_from_json, post, well_known)

__all__ = ["CLIENT_ID", "REDIRECT_URI", "redeem"]

CLIENT_ID = "mc-wallet"                       # a public client (RFC 6749 §2.1); PKCE protects the code
REDIRECT_URI = "openid-credential-redirect://callback"
FORM = "application/x-www-form-urlencoded"
MAX_TX_CODE = 64


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def redeem(offer: Offer, *, key: KeyPair, client: HttpClient, clock: Clock, tx_code: str | None,
           authorize: Authorize | None, configuration: str | None, random: Callable[[int], bytes]) -> bytes:
    if offer.offer_uri is not None:  # §4.1.3 by reference
        offer = offer_from_json(get_json(client, offer.offer_uri, "credential offer"))
    meta = well_known(client, offer.issuer, "openid-credential-issuer", "issuer metadata")
    # §12.2.3 wants the identical URL; a trailing slash is tolerated (edubadges' agent publishes one)
    if not isinstance(meta.get("credential_issuer"), str) or meta["credential_issuer"].rstrip("/") != offer.issuer.rstrip("/"):
        raise OfferError("the metadata names another credential issuer", title="Issuer mismatch")
    config_id, config = _configuration(meta, offer, configuration)
    holder = _holder(key, config)
    auth_base = offer.authorization_server or (meta.get("authorization_servers") or [offer.issuer])[0]
    auth = _auth_metadata(client, auth_base)
    if offer.pre_authorized:
        token = _pre_authorized_token(client, auth, offer, tx_code)
    elif offer.authorization_code:
        token = _authorization_code_token(client, auth, offer, config_id, config, authorize, random)
    else:  # pragma: no cover - offer_from_json refuses offers without a grant
        raise OfferError("no usable grant", title="Unsupported offer")
    nonce = token.get("c_nonce")
    if meta.get("nonce_endpoint"):
        nonce = _json(post(client, meta["nonce_endpoint"], b"", FORM), "nonce")["c_nonce"]
    # OpenID4VCI 1.0 (a nonce endpoint): `proofs`, no `iss` for a pre-authorized code. Draft 13
    # issuers (c_nonce in the token response, eduWallet's agent) want `proof`, and eduWallet's
    # agent needs `iss` (docs/interop.md).
    draft13 = not meta.get("nonce_endpoint")
    iss = holder.did if draft13 else (None if offer.pre_authorized else CLIENT_ID)
    proof = key_proof(holder, audience=offer.issuer, nonce=nonce, clock=clock, issuer=iss)
    if draft13:
        request: dict[str, Any] = {"format": config["format"], "proof": {"proof_type": "jwt", "jwt": proof}}
        for member in ("credential_definition", "vct"):
            if member in config:
                request[member] = config[member]
    else:
        request = {"credential_configuration_id": config_id, "proofs": {"jwt": [proof]}}
    response = post(client, meta["credential_endpoint"], json.dumps(request).encode(), "application/json",
                    token=token.get("access_token"))
    answer = _json(response, "credential")
    if "transaction_id" in answer and "credentials" not in answer and "credential" not in answer:
        raise OfferError("the issuer defers issuance, which this wallet does not support",
                         title="Unsupported offer")
    credential = answer["credentials"][0]["credential"] if "credentials" in answer else answer.get("credential")
    if not isinstance(credential, (dict, str)) or not credential:
        raise OfferError("the issuer's answer holds no credential", title="No credential received")
    return exact_credential_bytes(response.body, credential)


def _configuration(meta: dict[str, Any], offer: Offer, wanted: str | None) -> tuple[str, dict[str, Any]]:
    """The first offered configuration in a format this wallet keeps (or the one asked for)."""
    supported = meta.get("credential_configurations_supported") or {}
    ids = [wanted] if wanted else ([CONFIGURATION_ID] if CONFIGURATION_ID in offer.configuration_ids else []) \
        + [c for c in offer.configuration_ids if c != CONFIGURATION_ID]
    for config_id in ids:
        config = supported.get(config_id)
        if config_id in offer.configuration_ids and isinstance(config, dict) and config.get("format") in FORMATS:
            return config_id, config
    raise OfferError(f"the issuer offers {', '.join(offer.configuration_ids)} in no format this wallet keeps "
                     f"({', '.join(FORMATS)})", title="Unsupported offer")


def _holder(key: KeyPair, config: dict[str, Any]) -> HolderKey:
    proof_types = config.get("proof_types_supported") or {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}}
    jwt = proof_types.get("jwt")
    if not isinstance(jwt, dict):
        raise OfferError("the issuer accepts no jwt key proof", title="Unsupported offer")
    holder = choose_holder_key(key, algs=jwt.get("proof_signing_alg_values_supported"),
                               methods=config.get("cryptographic_binding_methods_supported"))
    if holder is None:
        raise OfferError("the issuer accepts none of the wallet's keys (EdDSA or ES256, did:key or did:jwk)",
                         title="Unsupported offer")
    return holder


def _auth_metadata(client: HttpClient, base: str) -> dict[str, Any]:
    try:
        return well_known(client, base, "oauth-authorization-server", "authorization server metadata")
    except OfferError:
        return well_known(client, base, "openid-configuration", "authorization server metadata")


def _pre_authorized_token(client: HttpClient, auth: dict[str, Any], offer: Offer, tx_code: str | None) -> dict[str, Any]:
    form = {"grant_type": PRE_AUTHORIZED, "pre-authorized_code": offer.code}
    if offer.tx_code is not None:
        if not tx_code:
            raise OfferError(f"the issuer asks for a transaction code ({_describe(offer.tx_code)})",
                             title="Transaction code needed")
        if len(tx_code) > MAX_TX_CODE or (offer.tx_code.get("input_mode", "numeric") == "numeric"
                                          and not tx_code.isdigit()):
            raise OfferError("the transaction code has the wrong form", title="Transaction code needed")
        form["tx_code"] = tx_code
    return _json(post(client, auth["token_endpoint"], urllib.parse.urlencode(form).encode(), FORM), "token")


def _describe(tx: dict[str, Any]) -> str:
    parts = [str(tx.get("description") or "a code")]
    if isinstance(tx.get("length"), int):
        parts.append(f"{tx['length']} {'digits' if tx.get('input_mode', 'numeric') == 'numeric' else 'characters'}")
    return ", ".join(parts)


def _authorization_code_token(client: HttpClient, auth: dict[str, Any], offer: Offer, config_id: str,
                              config: dict[str, Any], authorize: Authorize | None,
                              random: Callable[[int], bytes]) -> dict[str, Any]:
    """RFC 6749 §4.1 with PKCE S256 (RFC 7636) and PAR (RFC 9126), OID4VCI §5.1.1 authorization_details."""
    if authorize is None:
        raise OfferError("this offer needs a sign-in at the issuer, which this command cannot show",
                         title="Sign-in needed")
    if "S256" not in auth.get("code_challenge_methods_supported", ["S256"]):
        raise OfferError("the authorization server does not support PKCE S256", title="Unsupported offer")
    verifier, state = _b64(random(32)), _b64(random(16))
    params = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "state": state,
              "code_challenge": _b64(hashlib.sha256(verifier.encode("ascii")).digest()),
              "code_challenge_method": "S256",
              "authorization_details": json.dumps([{"type": "openid_credential",
                                                    "credential_configuration_id": config_id}])}
    if offer.issuer_state:
        params["issuer_state"] = offer.issuer_state
    if config.get("scope"):
        params["scope"] = config["scope"]
    if auth.get("pushed_authorization_request_endpoint"):
        pushed = _json(post(client, auth["pushed_authorization_request_endpoint"],
                            urllib.parse.urlencode(params).encode(), FORM), "pushed authorization request")
        query = {"client_id": CLIENT_ID, "request_uri": pushed["request_uri"]}
    elif auth.get("require_pushed_authorization_requests"):
        raise OfferError("PAR is required but no endpoint is given", title="Unexpected answer from the issuer")
    else:
        query = params
    redirect = authorize(auth["authorization_endpoint"] + "?" + urllib.parse.urlencode(query))
    answer = urllib.parse.parse_qs(urllib.parse.urlsplit(redirect).query)
    if answer.get("state", [None])[0] != state:
        raise OfferError("the sign-in answered another request (state)", title="Sign-in failed")
    if "code" not in answer:
        raise OfferError(f"sign-in: {answer.get('error', ['no code'])[0]}", title="Sign-in failed")
    form = {"grant_type": AUTHORIZATION_CODE, "code": answer["code"][0], "redirect_uri": REDIRECT_URI,
            "client_id": CLIENT_ID, "code_verifier": verifier}
    return _json(post(client, auth["token_endpoint"], urllib.parse.urlencode(form).encode(), FORM), "token")
