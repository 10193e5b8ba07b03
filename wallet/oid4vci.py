"""OpenID for Verifiable Credential Issuance 1.0, wallet side, in the project's profile:
pre-authorized code flow (§3.5), credential offer by value (§4.1), issuer metadata (§12.2),
token (§6), nonce (§7), credential request with a `jwt` key proof (§8, Appendix F.1)."""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any, Protocol

import jwt

from vccore import Clock, KeyPair
from vccore.transport import HttpTransport, Response

from .errors import OfferError

__all__ = ["CONFIGURATION_ID", "HttpClient", "Offer", "PRE_AUTHORIZED", "UrllibClient", "parse_offer",
           "redeem_offer"]

PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
CONFIGURATION_ID = "MicroCredential"
OFFER_SCHEME = "openid-credential-offer://"
MAX_OFFER = 8192


class HttpClient(Protocol):
    def request(self, method: str, url: str, *, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response: ...


UrllibClient = HttpTransport  # the transport's request(): policy-checked, pinned, no redirects


@dataclass(frozen=True)
class Offer:
    issuer: str
    configuration_ids: tuple[str, ...]
    code: str


def parse_offer(link: str) -> Offer:
    """§4.1.1 credential offer by value (`openid-credential-offer://?credential_offer=...`)."""
    link = link.strip()
    if len(link) > MAX_OFFER or not link.startswith(OFFER_SCHEME):
        raise OfferError("not an openid-credential-offer:// link", title="Not a credential offer")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    if "credential_offer" not in query:
        raise OfferError("the link carries no credential_offer (by reference is not supported)",
                         title="Not a credential offer")
    try:
        doc = json.loads(query["credential_offer"][0])
        grant = doc["grants"][PRE_AUTHORIZED]
        offer = Offer(doc["credential_issuer"], tuple(doc["credential_configuration_ids"]),
                      grant["pre-authorized_code"])
    except (ValueError, KeyError, TypeError) as exc:
        raise OfferError(f"the offer is malformed ({type(exc).__name__})", title="Invalid credential offer") from exc
    if "tx_code" in grant:
        raise OfferError("offers with a transaction code are not supported", title="Unsupported offer")
    if not (isinstance(offer.issuer, str) and offer.issuer.startswith(("https://", "http://"))
            and isinstance(offer.code, str) and offer.code):
        raise OfferError("the offer's issuer or code is malformed", title="Invalid credential offer")
    if CONFIGURATION_ID not in offer.configuration_ids:
        raise OfferError(f"the offer is not for {CONFIGURATION_ID}", title="Unsupported offer")
    return offer


def _json(response: Response, step: str) -> dict[str, Any]:
    try:
        doc = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        doc = None
    if response.status != 200 or not isinstance(doc, dict):
        error = doc.get("error") if isinstance(doc, dict) else None
        raise OfferError(f"{step}: {error or 'HTTP ' + str(response.status)}",
                         title="The issuer refused the request")
    return doc


def _get(client: HttpClient, url: str, step: str) -> dict[str, Any]:
    return _json(client.request("GET", url, headers={"Accept": "application/json"}), step)


def _post_raw(client: HttpClient, url: str, body: bytes, content_type: str, token: str | None = None) -> Response:
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.request("POST", url, data=body, headers=headers)


def _post(client: HttpClient, url: str, step: str, body: bytes, content_type: str,
          token: str | None = None) -> dict[str, Any]:
    return _json(_post_raw(client, url, body, content_type, token), step)


def exact_credential_bytes(body: bytes, credential: Any) -> bytes:
    """The credential exactly as the issuer sent it: the slice of the response that holds it (the
    wallet stores what it received). Re-serialised only when no such slice is found."""
    text = body.decode("utf-8")
    decoder = json.JSONDecoder()
    for match in re.finditer(r'"credential"\s*:\s*', text):
        try:
            value, end = decoder.raw_decode(text, match.end())
        except ValueError:
            continue
        if value == credential:
            return text[match.end():end].encode("utf-8")
    return json.dumps(credential, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def key_proof(key: KeyPair, *, audience: str, nonce: str, clock: Clock) -> str:
    """Appendix F.1 `jwt` proof of possession of the holder key."""
    claims = {"aud": audience, "iat": int(clock.now().timestamp()), "nonce": nonce}
    return jwt.encode(claims, key.private_key, algorithm="EdDSA",
                      headers={"typ": "openid4vci-proof+jwt", "kid": key.id})


def redeem_offer(offer: Offer, *, key: KeyPair, client: HttpClient, clock: Clock) -> bytes:
    """Run the flow; returns the credential's bytes exactly as the issuer sent them."""
    try:
        return _redeem(offer, key=key, client=client, clock=clock)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise OfferError(f"the issuer's metadata or answer is malformed ({type(exc).__name__})",
                         title="Unexpected answer from the issuer") from exc


def _redeem(offer: Offer, *, key: KeyPair, client: HttpClient, clock: Clock) -> bytes:
    base = offer.issuer.rstrip("/")
    meta = _get(client, base + "/.well-known/openid-credential-issuer", "issuer metadata")
    if meta.get("credential_issuer") != offer.issuer:
        raise OfferError("the metadata names another credential issuer", title="Issuer mismatch")
    config = (meta.get("credential_configurations_supported") or {}).get(CONFIGURATION_ID)
    if not isinstance(config, dict) or config.get("format") != "ldp_vc":
        raise OfferError(f"the issuer does not offer {CONFIGURATION_ID} as ldp_vc", title="Unsupported offer")
    auth_base = (meta.get("authorization_servers") or [base])[0].rstrip("/")
    auth = _get(client, auth_base + "/.well-known/oauth-authorization-server", "authorization server metadata")
    form = urllib.parse.urlencode({"grant_type": PRE_AUTHORIZED, "pre-authorized_code": offer.code}).encode()
    token = _post(client, auth["token_endpoint"], "token", form, "application/x-www-form-urlencoded")
    nonce = _post(client, meta["nonce_endpoint"], "nonce", b"", "application/json")["c_nonce"]
    request = {"credential_configuration_id": CONFIGURATION_ID,
               "proofs": {"jwt": [key_proof(key, audience=offer.issuer, nonce=nonce, clock=clock)]}}
    response = _post_raw(client, meta["credential_endpoint"], json.dumps(request).encode(), "application/json",
                         token=token.get("access_token"))
    answer = _json(response, "credential")
    try:
        credential = answer["credentials"][0]["credential"]
    except (KeyError, IndexError, TypeError) as exc:
        raise OfferError("the issuer's answer holds no credential", title="No credential received") from exc
    return exact_credential_bytes(response.body, credential)
