"""OpenID for Verifiable Credential Issuance 1.0, wallet side: credential offers by value and by
reference (§4.1), issuer and authorization server metadata (§12.2, RFC 8414), the pre-authorized
code with an optional transaction code (§3.5, §6.1) and the authorization code flow with PAR and
PKCE (wallet.oid4vci_auth, in two steps for a browser), nonce endpoint (§7) or draft 13's c_nonce, `jwt` key proofs with
EdDSA or ES256 for did:key or did:jwk holders (Appendix F.1), the 1.0 `proofs` request (§8.2) or
draft 13's `proof`. Formats: ldp_vc, jwt_vc_json, dc+sd-jwt (vc+sd-jwt). The credential is
returned exactly as the issuer sent it."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Protocol

from vccore import Clock, KeyPair
from vccore.jose import sign_compact
from vccore.transport import HttpTransport, Response

from .errors import OfferError
from .holderkeys import HolderKey

if TYPE_CHECKING:  # pragma: no cover
    from .oid4vci_auth import SignIn
    from .oid4vci_flow import Prepared

__all__ = ["AUTHORIZATION_CODE", "CONFIGURATION_ID", "FORMATS", "HttpClient", "Offer", "PRE_AUTHORIZED",
           "UrllibClient", "exact_credential_bytes", "finish_sign_in", "key_proof", "parse_offer", "prepare_offer",
           "redeem_offer", "redeem_prepared", "start_sign_in"]

PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
AUTHORIZATION_CODE = "authorization_code"
CONFIGURATION_ID = "MicroCredential"
FORMATS = ("ldp_vc", "jwt_vc_json", "jwt_vc_json-ld", "dc+sd-jwt", "vc+sd-jwt")
OFFER_SCHEME = "openid-credential-offer://"
MAX_OFFER = 8192
Authorize = Callable[[str], str]  # authorization URL -> the redirect URL the issuer sent the browser to


class HttpClient(Protocol):
    def request(self, method: str, url: str, *, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response: ...


UrllibClient = HttpTransport  # the transport's request(): policy-checked, pinned, no redirects


@dataclass(frozen=True)
class Offer:
    issuer: str
    configuration_ids: tuple[str, ...]
    code: str | None                       # pre-authorized code
    tx_code: dict[str, Any] | None = None  # the offer's tx_code description: the user types a code
    issuer_state: str | None = None        # authorization code grant
    authorization_code: bool = False
    authorization_server: str | None = None
    offer_uri: str | None = None           # by reference: fetched when redeemed

    @property
    def pre_authorized(self) -> bool:
        return self.code is not None


def parse_offer(link: str) -> Offer:
    """§4.1: `openid-credential-offer://?credential_offer=<JSON>` or `?credential_offer_uri=<URL>`."""
    link = link.strip()
    if len(link) > MAX_OFFER or not link.startswith(OFFER_SCHEME):
        raise OfferError("not an openid-credential-offer:// link", title="Not a credential offer")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    if "credential_offer_uri" in query and "credential_offer" not in query:
        uri = query["credential_offer_uri"][0]
        if not uri.startswith(("https://", "http://")):
            raise OfferError("credential_offer_uri is not a URL", title="Invalid credential offer")
        return Offer("", (), None, offer_uri=uri)
    if "credential_offer" not in query:
        raise OfferError("the link carries no credential_offer", title="Not a credential offer")
    try:
        return offer_from_json(json.loads(query["credential_offer"][0]))
    except ValueError as exc:
        raise OfferError("the offer is not JSON", title="Invalid credential offer") from exc


def offer_from_json(doc: Any) -> Offer:
    """§4.1.1 Credential Offer Parameters."""
    try:
        grants = doc.get("grants") or {}
        pre, auth = grants.get(PRE_AUTHORIZED), grants.get(AUTHORIZATION_CODE)
        offer = Offer(doc["credential_issuer"], tuple(doc["credential_configuration_ids"]),
                      pre["pre-authorized_code"] if isinstance(pre, dict) else None,
                      pre.get("tx_code") if isinstance(pre, dict) else None,
                      auth.get("issuer_state") if isinstance(auth, dict) else None, isinstance(auth, dict),
                      (pre if isinstance(pre, dict) else auth if isinstance(auth, dict) else {}).get("authorization_server"))
    except (KeyError, TypeError, AttributeError) as exc:
        raise OfferError(f"the offer is malformed ({type(exc).__name__})", title="Invalid credential offer") from exc
    if not (isinstance(offer.issuer, str) and offer.issuer.startswith(("https://", "http://"))):
        raise OfferError("the offer's credential_issuer is not a URL", title="Invalid credential offer")
    if not offer.configuration_ids or not all(isinstance(c, str) for c in offer.configuration_ids):
        raise OfferError("the offer names no credential configuration", title="Invalid credential offer")
    if offer.code is not None and not (isinstance(offer.code, str) and offer.code):
        raise OfferError("the pre-authorized code is malformed", title="Invalid credential offer")
    if offer.tx_code is False:  # eduWallet's agent writes `"tx_code": false` for "none" (docs/interop.md)
        offer = dataclasses.replace(offer, tx_code=None)
    if offer.tx_code is not None and not isinstance(offer.tx_code, dict):
        raise OfferError("tx_code must be an object", title="Invalid credential offer")
    if offer.code is None and not offer.authorization_code:
        raise OfferError("the offer has no grant this wallet supports", title="Unsupported offer")
    return offer


def _json(response: Response, step: str) -> dict[str, Any]:
    try:
        doc = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        doc = None
    if not 200 <= response.status < 300 or not isinstance(doc, dict):
        error = doc.get("error") if isinstance(doc, dict) else None
        error = error if isinstance(error, str) else None
        raise OfferError(f"{step}: {error or 'HTTP ' + str(response.status)}", title="The issuer refused the request",
                         oauth_error=error)
    return doc


def get_json(client: HttpClient, url: str, step: str) -> dict[str, Any]:
    return _json(client.request("GET", url, headers={"Accept": "application/json"}), step)


def post(client: HttpClient, url: str, body: bytes, content_type: str, token: str | None = None,
         extra: dict[str, str] | None = None) -> Response:
    headers = {"Content-Type": content_type, "Accept": "application/json", **(extra or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.request("POST", url, data=body, headers=headers)


def well_known(client: HttpClient, base: str, name: str, step: str) -> dict[str, Any]:
    """RFC 8414 §3.1 / OID4VCI §12.2.2: `/.well-known/<name>` inserted before the path; issuers that
    append it to their URL (draft 13 agents, eduWallet's) are asked second."""
    parts = urllib.parse.urlsplit(base.rstrip("/"))
    inserted = f"{parts.scheme}://{parts.netloc}/.well-known/{name}{parts.path}"
    appended = f"{base.rstrip('/')}/.well-known/{name}"
    urls = [inserted] if inserted == appended else [inserted, appended]
    for i, url in enumerate(urls):
        response = client.request("GET", url, headers={"Accept": "application/json"})
        if response.status == 404 and i + 1 < len(urls):
            continue
        return _json(response, step)
    raise OfferError(f"{step}: not found", title="The issuer refused the request")  # pragma: no cover


def exact_credential_bytes(body: bytes, credential: Any) -> bytes:
    """The credential exactly as the issuer sent it: a JOSE credential is its compact text; a JSON
    credential the slice of the response that holds it (re-serialised only if none is found)."""
    if isinstance(credential, str):
        return credential.encode("utf-8")
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


def key_proof(key: KeyPair | HolderKey, *, audience: str, nonce: str | None, clock: Clock,
              issuer: str | None = None) -> str:
    """Appendix F.1 `jwt` proof of possession of the holder key (`iss` only when given)."""
    if isinstance(key, KeyPair):
        from .holderkeys import holder_keys
        key = holder_keys(key)[0]
    claims: dict[str, Any] = {"aud": audience, "iat": int(clock.now().timestamp())}
    if nonce is not None:
        claims["nonce"] = nonce
    if issuer is not None:
        claims["iss"] = issuer
    return sign_compact({"typ": "openid4vci-proof+jwt", "alg": key.alg, "kid": key.kid}, claims, key.signing)


def redeem_offer(offer: Offer, *, key: KeyPair, client: HttpClient, clock: Clock, tx_code: str | None = None,
                 authorize: Authorize | None = None, configuration: str | None = None,
                 random: Callable[[int], bytes] = os.urandom, redirect_uri: str | None = None) -> bytes:
    """Run the flow the offer allows; returns the credential's bytes exactly as the issuer sent them.
    `redirect_uri` is where the issuer sends the browser after a sign-in (the CLI's custom scheme
    unless given)."""
    from .oid4vci_flow import REDIRECT_URI, redeem
    with _malformed_answers():
        return redeem(offer, key=key, client=client, clock=clock, tx_code=tx_code, authorize=authorize,
                      configuration=configuration, random=random, redirect_uri=redirect_uri or REDIRECT_URI)


# The same exchange in steps, for a screen that asks for a transaction code or sends the browser to
# sign in between them (wallet.web.collect).

def prepare_offer(offer: Offer, *, key: KeyPair, client: HttpClient, configuration: str | None = None) -> Prepared:
    """The offer read against its issuer's metadata (wallet.oid4vci_flow.Prepared)."""
    from .oid4vci_flow import prepare
    with _malformed_answers():
        return prepare(offer, key=key, client=client, configuration=configuration)


def redeem_prepared(prepared: Prepared, *, client: HttpClient, clock: Clock, tx_code: str | None = None) -> bytes:
    """A pre-authorized offer's credential (with the transaction code the learner typed)."""
    from .oid4vci_flow import pre_authorized
    with _malformed_answers():
        return pre_authorized(prepared, tx_code, client=client, clock=clock)


def start_sign_in(prepared: Prepared, *, client: HttpClient, redirect_uri: str,
                  random: Callable[[int], bytes] = os.urandom) -> SignIn:
    """The authorization URL to send the browser to and the sign-in to keep (wallet.oid4vci_auth.SignIn)."""
    from .oid4vci_auth import start_sign_in as start
    with _malformed_answers():
        return start(prepared, client=client, redirect_uri=redirect_uri, random=random)


def finish_sign_in(sign_in: SignIn, answer: dict[str, str], *, client: HttpClient, clock: Clock) -> bytes:
    """The credential, once the browser came back with `answer` (the redirect's query parameters)."""
    from .oid4vci_flow import finish_sign_in as finish
    with _malformed_answers():
        return finish(sign_in, answer, client=client, clock=clock)


@contextlib.contextmanager
def _malformed_answers() -> Iterator[None]:
    """An issuer's answer without the members the flow reads is a coded refusal, not a crash."""
    try:
        yield
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
        if isinstance(exc, OfferError):
            raise
        raise OfferError(f"the issuer's metadata or answer is malformed ({type(exc).__name__})",
                         title="Unexpected answer from the issuer") from exc
