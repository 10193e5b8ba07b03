"""OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow, JWT proofs (EdDSA,
did:key kid) — the profile the wallet follows too. Two configurations of the same microcredential:
`MicroCredential` (`ldp_vc`) and, unless OID4VCI_SD_JWT_VC is off, `MicroCredentialSdJwt`
(`dc+sd-jwt`, issuer.sdjwt_vc). A thin HTTP shell: the credential comes from IssuerService.deliver, the flow's state from
Oid4vciStore, proof checks from oid4vci_proof."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from vccore.errors import VCError
from vccore.jsondoc import parse_json

from .oid4vci_proof import InvalidProof, verify_proof_jwt
from .sdjwt_vc import SD_JWT_CONFIGURATION_ID, VCT, sd_jwt_vc
from .oid4vci_state import InvalidGrant, InvalidNonce, InvalidToken, Oid4vciStore

__all__ = ["CONFIGURATION_ID", "GRANT_TYPE", "Offer", "bp", "create_offer", "create_offers", "issuer_url", "offer_link"]

bp = Blueprint("oid4vci", __name__)

CONFIGURATION_ID = "MicroCredential"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER_SCHEME = "openid-credential-offer://"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
TOKEN_TTL = 300


@dataclass(frozen=True)
class Offer:
    """A credential offer for one pending credential: the link a wallet opens or scans."""

    pending_id: str
    code: str
    link: str
    expires: dt.datetime


def issuer_url() -> str:
    """The Credential Issuer Identifier: PUBLIC_BASE_URL, else this request's base URL."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    return (configured or request.url_root).rstrip("/")


def offer_link(credential_issuer: str, code: str) -> str:
    """§4.1.1 credential offer passed by value in the credential_offer parameter."""
    offer = {"credential_issuer": credential_issuer,
             "credential_configuration_ids": [CONFIGURATION_ID, SD_JWT_CONFIGURATION_ID],
             "grants": {GRANT_TYPE: {"pre-authorized_code": code}}}
    text = json.dumps(offer, separators=(",", ":"))
    return f"{OFFER_SCHEME}?credential_offer={urllib.parse.quote(text, safe='')}"


def _offer_expiry(pending: Any, now: dt.datetime, ttl: int) -> dt.datetime:
    """Whichever comes first: the service's own expiry of the pending credential, or now + ttl."""
    expires = now + dt.timedelta(seconds=ttl)
    pending_expires = getattr(pending, "expires_at", None) or getattr(pending, "expires", None)
    if isinstance(pending_expires, str):
        pending_expires = dt.datetime.fromisoformat(pending_expires.replace("Z", "+00:00"))
    if isinstance(pending_expires, dt.datetime):
        if pending_expires.tzinfo is None:
            pending_expires = pending_expires.replace(tzinfo=dt.timezone.utc)
        expires = min(expires, pending_expires)
    return expires


def create_offers(store: Oid4vciStore, pendings: list[Any], *, credential_issuer: str,
                  now: dt.datetime, ttl: int) -> list[Offer]:
    """Fresh pre-authorized codes for pending credentials made by IssuerService.offer/offer_batch."""
    rows = [(p.id, _offer_expiry(p, now, ttl), getattr(p, "participant_name", "") or "") for p in pendings]
    codes = store.create_offers(rows)
    return [Offer(pid, code, offer_link(credential_issuer, code), expires)
            for (pid, expires, _), code in zip(rows, codes)]


def create_offer(store: Oid4vciStore, pending: Any, *, credential_issuer: str, now: dt.datetime,
                 ttl: int) -> Offer:
    """A fresh pre-authorized code for one pending credential."""
    return create_offers(store, [pending], credential_issuer=credential_issuer, now=now, ttl=ttl)[0]


def _store() -> Oid4vciStore:
    return current_app.extensions["oid4vci_store"]


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    response = jsonify({"error": error, "error_description": description})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Bearer error="{error}"'
    return response


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/.well-known/openid-credential-issuer")
def issuer_metadata():
    """§12.2 Credential Issuer Metadata."""
    base = issuer_url()
    name = current_app.extensions["issuer_service"].institution.name
    response = jsonify({
        "credential_issuer": base,
        "credential_endpoint": base + "/oid4vci/credential",
        "nonce_endpoint": base + "/oid4vci/nonce",
        "display": [{"name": name, "locale": "nl"}, {"name": name, "locale": "en"}],
        "credential_configurations_supported": {CONFIGURATION_ID: {
            "format": "ldp_vc",
            "credential_definition": {"@context": CONTEXTS,
                                      "type": ["VerifiableCredential", "OpenBadgeCredential"]},
            "cryptographic_binding_methods_supported": ["did:key"],
            "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
            "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}},
        }, **_sd_jwt_configuration()},
    })
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _sd_jwt_enabled() -> bool:
    return bool(current_app.config.get("OID4VCI_SD_JWT_VC", True))


def _sd_jwt_configuration() -> dict[str, Any]:
    """The same microcredential as an SD-JWT VC: each subject member disclosable (the grade too)."""
    if not _sd_jwt_enabled():
        return {}
    return {SD_JWT_CONFIGURATION_ID: {
        "format": "dc+sd-jwt", "vct": VCT, "scope": SD_JWT_CONFIGURATION_ID,
        "cryptographic_binding_methods_supported": ["jwk", "did:key"],
        "credential_signing_alg_values_supported": ["EdDSA"],
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}},
        "display": [{"name": "Microcredential (selectief te tonen)", "locale": "nl"},
                    {"name": "Microcredential (selective disclosure)", "locale": "en"}],
    }}


@bp.get("/.well-known/oauth-authorization-server")
def authorization_server_metadata():
    """RFC 8414 metadata with OpenID4VCI's pre-authorized grant parameter (§12.3)."""
    base = issuer_url()
    response = jsonify({"issuer": base, "token_endpoint": base + "/oid4vci/token",
                        "pre-authorized_grant_anonymous_access_supported": True,
                        "grant_types_supported": [GRANT_TYPE]})
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.post("/oid4vci/token")
def token():
    """§6 Token Endpoint: pre-authorized code -> one access token (RFC 6749 §5.1/§5.2 answers)."""
    form = request.form
    if form.get("grant_type") != GRANT_TYPE:
        return _oauth_error("unsupported_grant_type", f"grant_type must be {GRANT_TYPE}")
    code = form.get("pre-authorized_code")
    if not code:
        return _oauth_error("invalid_request", "pre-authorized_code is missing")
    try:
        access_token = _store().redeem_code(code)
    except InvalidGrant as exc:
        return _oauth_error("invalid_grant", exc.detail)
    return _no_store(jsonify({"access_token": access_token, "token_type": "Bearer",
                              "expires_in": _store().token_ttl}))


@bp.post("/oid4vci/nonce")
def nonce():
    """§7 Nonce Endpoint: a fresh single-use c_nonce."""
    return _no_store(jsonify({"c_nonce": _store().new_nonce()}))


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def _proof_jwt(body: Any) -> str:
    """The one JWT proof of a §8.2 Credential Request, or invalid_credential_request."""
    if not isinstance(body, dict):
        raise ValueError("the request must be a JSON object")
    configurations = (CONFIGURATION_ID, SD_JWT_CONFIGURATION_ID) if _sd_jwt_enabled() else (CONFIGURATION_ID,)
    if body.get("credential_configuration_id") not in configurations:
        raise LookupError(f"credential_configuration_id must be one of {', '.join(configurations)}")
    proofs = body.get("proofs")
    if not isinstance(proofs, dict) or set(proofs) != {"jwt"}:
        raise ValueError("proofs must hold exactly one proof type, jwt")
    jwts = proofs["jwt"]
    if not isinstance(jwts, list) or len(jwts) != 1 or not isinstance(jwts[0], str):
        raise ValueError("proofs.jwt must be a list of one JWT (one credential per access token)")
    return jwts[0]


@bp.post("/oid4vci/credential")
def credential():
    """§8 Credential Endpoint: verify token, proof and nonce; deliver bound to the proof's DID."""
    store = _store()
    access_token = _bearer_token()
    if access_token is None:
        return _oauth_error("invalid_token", "an Authorization: Bearer access token is required", 401)
    try:
        store.check_token(access_token)
        body = parse_json(request.get_data(cache=False))
        jwt_text = _proof_jwt(body)
        proof = verify_proof_jwt(jwt_text, audience=issuer_url(),
                                 now=current_app.extensions["issuer_clock"].now())
        if not store.known_nonce(proof.nonce):
            raise InvalidProof("the proof's nonce was not issued by this issuer")
        store.use_nonce(proof.nonce)
        pending_id = store.use_token(access_token)
    except InvalidToken as exc:
        return _oauth_error("invalid_token", exc.detail, 401)
    except LookupError as exc:
        return _oauth_error("unknown_credential_configuration", str(exc))
    except (ValueError, VCError) as exc:
        if isinstance(exc, InvalidProof):
            return _oauth_error("invalid_proof", exc.detail)
        if isinstance(exc, InvalidNonce):
            return _oauth_error("invalid_nonce", exc.detail)
        return _oauth_error("invalid_credential_request", getattr(exc, "detail", str(exc)))
    return _deliver(pending_id, proof.holder_did, sd_jwt=body["credential_configuration_id"] == SD_JWT_CONFIGURATION_ID)


def _deliver(pending_id: str, holder_did: str, *, sd_jwt: bool = False) -> Response:
    service = current_app.extensions["issuer_service"]
    try:
        record = service.deliver(pending_id, holder_did, base_url=issuer_url())
    except VCError as exc:
        current_app.logger.info("oid4vci delivery of %s refused: %s", pending_id, exc.code)
        return _oauth_error("credential_request_denied", exc.detail)
    current_app.logger.info("oid4vci delivered record %s", record.id)
    if sd_jwt:  # made from the record's signed credential: same body, same status entry
        from vccore.josekeys import JoseKeys, public_jwk
        holder = public_jwk(JoseKeys().did_key(holder_did, purpose="authentication").key)
        text = sd_jwt_vc(record.credential, key=service.key, holder_jwk=holder,
                         now=current_app.extensions["issuer_clock"].now())
        return _no_store(jsonify({"credentials": [{"credential": text}]}))
    stored = getattr(record, "credential_json", None)
    if isinstance(stored, bytes):
        stored = stored.decode("utf-8")
    if not isinstance(stored, str):
        stored = json.dumps(record.credential, ensure_ascii=False)
    # The exact bytes the registry stored, never re-serialised (the signature covers their data).
    body = '{"credentials":[{"credential":' + stored + "}]}"
    return _no_store(Response(body, status=200, mimetype="application/json"))
