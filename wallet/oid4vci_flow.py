"""The OpenID4VCI exchange (wallet.oid4vci): read the offer against the issuer's metadata (choose
the configuration and holder key), get an access token (pre-authorized code, or authorization code
through wallet.oid4vci_auth), a nonce, and the credential. `prepare` and `collect` are separate so
that a screen can ask for a transaction code, or send the browser to sign in, between them."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable

from vccore import Clock, KeyPair

from .errors import OfferError
from .holderkeys import HolderKey, choose_holder_key
from .oid4vci import (CONFIGURATION_ID, FORMATS, PRE_AUTHORIZED, Authorize, HttpClient, Offer, _json,
                      exact_credential_bytes, get_json, key_proof, offer_from_json, post, well_known)
from .oid4vci_auth import CLIENT_ID, FORM, REDIRECT_URI, SignIn, answer_of, exchange_code, start_sign_in

__all__ = ["CLIENT_ID", "MAX_TX_CODE", "Prepared", "REDIRECT_URI", "TxCodeError", "collect", "finish_sign_in",
           "pre_authorized", "prepare", "redeem", "tx_code_error"]

MAX_TX_CODE = 64


class TxCodeError(OfferError):
    """The offer's transaction code is missing (`reason` "missing") or has the wrong form ("form");
    refused before the issuer is asked."""

    def __init__(self, detail: str, *, reason: str) -> None:
        super().__init__(detail, title="Transaction code needed")
        self.reason = reason


@dataclass(frozen=True)
class Prepared:
    """An offer read against its issuer's metadata: what the token and credential requests need."""

    offer: Offer
    config_id: str
    meta: dict[str, Any] = field(repr=False)
    config: dict[str, Any] = field(repr=False)
    holder: HolderKey = field(repr=False)
    auth: dict[str, Any] = field(repr=False)  # the authorization server's metadata

    @property
    def tx_code(self) -> dict[str, Any] | None:
        """§4.1.1: what the offer says of the code the learner must type (None: no code)."""
        return self.offer.tx_code if self.offer.pre_authorized else None

    @property
    def needs_sign_in(self) -> bool:
        return not self.offer.pre_authorized and self.offer.authorization_code

    def issuer_name(self, lang: str) -> str | None:
        """§12.2.4 `display`: the issuer's name in `lang`, else its first name (None when it gives none)."""
        shown = [d for d in self.meta.get("display") or [] if isinstance(d, dict) and isinstance(d.get("name"), str)]
        chosen = next((d for d in shown if str(d.get("locale", "")).split("-")[0] == lang), shown[0] if shown else None)
        return chosen["name"][:200] if chosen else None


def prepare(offer: Offer, *, key: KeyPair, client: HttpClient, configuration: str | None) -> Prepared:
    """Fetch an offer given by reference (§4.1.3), the issuer and authorization server metadata; choose
    the configuration and the holder key."""
    if offer.offer_uri is not None:
        offer = offer_from_json(get_json(client, offer.offer_uri, "credential offer"))
    meta = well_known(client, offer.issuer, "openid-credential-issuer", "issuer metadata")
    # §12.2.3 wants the identical URL; a trailing slash is tolerated (edubadges' agent publishes one)
    if not isinstance(meta.get("credential_issuer"), str) or meta["credential_issuer"].rstrip("/") != offer.issuer.rstrip("/"):
        raise OfferError("the metadata names another credential issuer", title="Issuer mismatch")
    config_id, config = _configuration(meta, offer, configuration)
    holder = _holder(key, config)
    auth_base = offer.authorization_server or (meta.get("authorization_servers") or [offer.issuer])[0]
    return Prepared(offer, config_id, meta, config, holder, _auth_metadata(client, auth_base))


def redeem(offer: Offer, *, key: KeyPair, client: HttpClient, clock: Clock, tx_code: str | None,
           authorize: Authorize | None, configuration: str | None, random: Callable[[int], bytes],
           redirect_uri: str = REDIRECT_URI) -> bytes:
    """The whole exchange in one call (the CLI): `authorize` shows the sign-in and returns the redirect."""
    prepared = prepare(offer, key=key, client=client, configuration=configuration)
    if prepared.offer.pre_authorized:
        return pre_authorized(prepared, tx_code, client=client, clock=clock)
    if authorize is None:
        raise OfferError("this offer needs a sign-in at the issuer, which this command cannot show",
                         title="Sign-in needed")
    sign_in = start_sign_in(prepared, client=client, redirect_uri=redirect_uri, random=random)
    return finish_sign_in(sign_in, answer_of(authorize(sign_in.url)), client=client, clock=clock)


def pre_authorized(prepared: Prepared, tx_code: str | None, *, client: HttpClient, clock: Clock) -> bytes:
    """§6.1 token request with the pre-authorized code (and the transaction code), then the credential."""
    form = {"grant_type": PRE_AUTHORIZED, "pre-authorized_code": prepared.offer.code}
    if prepared.tx_code is not None:
        problem = tx_code_error(prepared.tx_code, tx_code)
        if problem:
            said = {"missing": "the issuer asks for a transaction code", "form": "the transaction code has the wrong form"}
            raise TxCodeError(f"{said[problem]} ({_describe(prepared.tx_code)})", reason=problem)
        form["tx_code"] = tx_code
    token = _json(post(client, prepared.auth["token_endpoint"], urllib.parse.urlencode(form).encode(), FORM), "token")
    return collect(prepared, token, client=client, clock=clock)


def finish_sign_in(sign_in: SignIn, answer: dict[str, str], *, client: HttpClient, clock: Clock) -> bytes:
    """The browser came back with `answer` (the redirect's parameters): token, then the credential."""
    return collect(sign_in.prepared, exchange_code(sign_in, answer, client=client), client=client, clock=clock)


def tx_code_error(described: dict[str, Any], value: str | None) -> str | None:
    """Why a typed transaction code cannot be sent: "missing", "form", or None."""
    if not value:
        return "missing"
    if len(value) > MAX_TX_CODE or (described.get("input_mode", "numeric") == "numeric" and not value.isdigit()):
        return "form"
    return None


def collect(prepared: Prepared, token: dict[str, Any], *, client: HttpClient, clock: Clock) -> bytes:
    """§7 nonce, §8 credential request with a key proof; the credential's bytes as the issuer sent them."""
    offer, meta, config = prepared.offer, prepared.meta, prepared.config
    nonce = token.get("c_nonce")
    if meta.get("nonce_endpoint"):
        nonce = _json(post(client, meta["nonce_endpoint"], b"", FORM), "nonce")["c_nonce"]
    # OpenID4VCI 1.0 (a nonce endpoint): `proofs`, no `iss` for a pre-authorized code. Draft 13
    # issuers (c_nonce in the token response, eduWallet's agent) want `proof`, and eduWallet's
    # agent needs `iss` (docs/interop.md).
    draft13 = not meta.get("nonce_endpoint")
    iss = prepared.holder.did if draft13 else (None if offer.pre_authorized else CLIENT_ID)
    proof = key_proof(prepared.holder, audience=offer.issuer, nonce=nonce, clock=clock, issuer=iss)
    if draft13:
        request: dict[str, Any] = {"format": config["format"], "proof": {"proof_type": "jwt", "jwt": proof}}
        for member in ("credential_definition", "vct"):
            if member in config:
                request[member] = config[member]
    else:
        request = {"credential_configuration_id": prepared.config_id, "proofs": {"jwt": [proof]}}
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


def _describe(tx: dict[str, Any]) -> str:
    parts = [str(tx.get("description") or "a code")]
    if isinstance(tx.get("length"), int):
        parts.append(f"{tx['length']} {'digits' if tx.get('input_mode', 'numeric') == 'numeric' else 'characters'}")
    return ", ".join(parts)
