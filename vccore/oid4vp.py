"""OpenID for Verifiable Presentations 1.0 (final), the parts both sides share: the wallet invocation
link (§9, `openid4vp://`), signed Request Objects (§5, JAR RFC 9101, `typ` oauth-authz-req+jwt) with
the `decentralized_identifier` Client Identifier Prefix (§5.9.3), the request parameters of our
profile (response type `vp_token`, response mode `direct_post`, §8.2), and the VP Token (§8.1).

Signatures are joserfc's (vccore.jose); keys come from DIDs resolved locally (did:key, did:jwk) or
through the injected transport (did:web), never from the request itself. docs/oid4vp-profile.md
says what of the specification we implement and why.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from .dcql import Query, parse_query
from .errors import VCError
from .jose import parse_compact, sign_compact, verify_signature
from .josekeys import JoseKeys
from .jsondoc import parse_json

__all__ = ["DID_PREFIX", "MAX_REQUEST", "REDIRECT_PREFIX", "REQUEST_TYP", "SCHEME", "AuthorizationRequest",
           "Invocation", "Oid4vpError", "VpTokenError", "encode_vp_token", "parse_invocation", "parse_vp_token",
           "read_request", "request_link", "sign_request"]

SCHEME = "openid4vp://"
REQUEST_TYP = "oauth-authz-req+jwt"
DID_PREFIX = "decentralized_identifier:"
REDIRECT_PREFIX = "redirect_uri:"
SELF_ISSUED = "https://self-issued.me/v2"  # §5.8 `aud` with static discovery
MAX_REQUEST = 64 * 1024
MAX_LINK = 16 * 1024
_URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]{1,512}$")  # §5.2 nonce, state


class Oid4vpError(VCError):
    """A request a wallet must not process (§5: the Wallet "MUST terminate request processing")."""

    code = "OID4VP_REQUEST_ERROR"
    title = "The verifier's request cannot be used"
    oauth_error = "invalid_request"


class VpTokenError(VCError):
    """A response whose vp_token is not shaped as §8.1 says."""

    code = "OID4VP_VP_TOKEN_ERROR"
    title = "The wallet's answer is malformed"


@dataclass(frozen=True)
class Invocation:
    """The link or QR text that starts a presentation (§5.1, §9): by reference or by value."""

    client_id: str
    request_uri: str | None = None
    request: str | None = None           # a Request Object by value
    params: dict[str, str] = field(default_factory=dict)  # an unsigned request (redirect_uri prefix)


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated request: who asks (client_id, its name), what for (the DCQL query, conditions)."""

    client_id: str
    response_uri: str
    nonce: str
    query: Query
    state: str | None = None
    client_metadata: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)  # our profile's `microcredential_conditions`
    expires: dt.datetime | None = None
    signed_by: str | None = None         # the verification method that signed it (None: unsigned)

    @property
    def client_name(self) -> str | None:
        name = self.client_metadata.get("client_name")
        return name[:200] if isinstance(name, str) and name.strip() else None

    @property
    def verified_identity(self) -> bool:
        return self.signed_by is not None

    @property
    def did(self) -> str | None:
        return self.client_id[len(DID_PREFIX):] if self.client_id.startswith(DID_PREFIX) else None


def request_link(client_id: str, request_uri: str, *, scheme: str = SCHEME) -> str:
    """§5.10 / §9: the QR code or link of a request by reference (client_id and request_uri, as RFC 9101
    §5.2 and §8.2 of this specification require)."""
    query = urllib.parse.urlencode({"client_id": client_id, "request_uri": request_uri})
    return f"{scheme}?{query}" if scheme.endswith("://") else f"{scheme}{'&' if '?' in scheme else '?'}{query}"


def sign_request(claims: dict[str, Any], *, key: Any, kid: str, alg: str) -> str:
    """§5: a Request Object (JAR) with `typ` oauth-authz-req+jwt, signed by the verifier's DID key."""
    return sign_compact({"typ": REQUEST_TYP, "alg": alg, "kid": kid}, claims, key)


def parse_invocation(link: str) -> Invocation:
    """`openid4vp://?client_id=...&request_uri=...` (or any URL with these parameters, e.g. a wallet's
    https link); `request=<JWT>` by value; or the parameters of an unsigned request."""
    text = link.strip() if isinstance(link, str) else ""
    if not text or len(text) > MAX_LINK or "?" not in text:
        raise Oid4vpError("not an OpenID4VP request link (openid4vp://?client_id=...&request_uri=...)",
                          title="Not a presentation request")
    pairs = urllib.parse.parse_qsl(urllib.parse.urlsplit(text).query, keep_blank_values=True)
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            raise Oid4vpError(f"the parameter {name} is given twice", path=f"/{name}")
        params[name] = value
    client_id = params.get("client_id")
    if not client_id:
        raise Oid4vpError("the request has no client_id", path="/client_id", title="Not a presentation request")
    method = params.get("request_uri_method", "get")
    if method not in ("get", "post"):
        raise Oid4vpError("request_uri_method is neither get nor post", path="/request_uri_method")
    if "request_uri" in params:
        uri = params["request_uri"]
        if not uri.startswith(("https://", "http://")):
            raise Oid4vpError("request_uri is not an https URL", path="/request_uri")
        return Invocation(client_id, request_uri=uri)
    if "request" in params:
        return Invocation(client_id, request=params["request"])
    return Invocation(client_id, params=params)


def _object(value: Any, name: str) -> dict[str, Any]:
    """A parameter that holds an object: an object in a Request Object, JSON text in a URL (§5.1)."""
    if isinstance(value, str):
        try:
            value = parse_json(value, max_depth=32)
        except VCError as exc:
            raise Oid4vpError(f"{name} is not JSON", path=f"/{name}") from exc
    if not isinstance(value, dict):
        raise Oid4vpError(f"{name} must be a JSON object", path=f"/{name}")
    return value


def _time(claims: dict[str, Any], name: str) -> dt.datetime | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 253402300800:
        raise Oid4vpError(f"{name} is not a NumericDate", path=f"/{name}")
    return dt.datetime.fromtimestamp(value, dt.timezone.utc)


def _validate(claims: dict[str, Any], *, client_id: str, now: dt.datetime, signed_by: str | None,
              allow_http: bool) -> AuthorizationRequest:
    """§5 and §8.2: the parameters of our profile; anything else a wallet must refuse is refused."""
    if claims.get("client_id") != client_id:
        raise Oid4vpError("the Request Object's client_id is not the link's (§5.10.1)", path="/client_id")
    if claims.get("response_type") != "vp_token":
        raise Oid4vpError(f"response_type {str(claims.get('response_type'))[:40]!r}: only vp_token is supported",
                          path="/response_type")
    if claims.get("response_mode") != "direct_post":
        raise Oid4vpError(f"response_mode {str(claims.get('response_mode'))[:40]!r}: only direct_post is supported",
                          path="/response_mode")
    if "redirect_uri" in claims:
        raise Oid4vpError("redirect_uri must not be present with direct_post (§8.2)", path="/redirect_uri")
    if "transaction_data" in claims:
        raise Oid4vpError("transaction_data is not supported by this wallet (§5.1)", path="/transaction_data")
    if "scope" in claims and "dcql_query" in claims:
        raise Oid4vpError("both scope and dcql_query", path="/scope")
    uri = claims.get("response_uri")
    schemes = ("https://", "http://") if allow_http else ("https://",)
    if not isinstance(uri, str) or not uri.startswith(schemes) or len(uri) > 2048:
        raise Oid4vpError("response_uri is not an https URL", path="/response_uri")
    if client_id.startswith(REDIRECT_PREFIX) and client_id[len(REDIRECT_PREFIX):] != uri:
        raise Oid4vpError("with the redirect_uri prefix the client_id names the response_uri (§5.9.3)",
                          path="/client_id")
    for name in ("nonce", "state"):
        value = claims.get(name)
        if (name == "nonce" or value is not None) and not (isinstance(value, str) and _URL_SAFE.match(value)):
            raise Oid4vpError(f"{name} must be ASCII URL-safe characters (§5.2)", path=f"/{name}")
    if "dcql_query" not in claims:
        raise Oid4vpError("the request has no dcql_query (scope aliases are not supported)", path="/dcql_query")
    query = parse_query(_object(claims["dcql_query"], "dcql_query"))
    metadata = _object(claims.get("client_metadata", {}), "client_metadata")
    conditions = claims.get("microcredential_conditions", {})
    expires = _time(claims, "exp")
    if expires is not None and expires < now - dt.timedelta(minutes=1):
        raise Oid4vpError("the request has expired", path="/exp", title="The request has expired")
    return AuthorizationRequest(client_id, uri, claims["nonce"], query, claims.get("state"), metadata,
                                conditions if isinstance(conditions, dict) else {}, expires, signed_by)


def read_request(invocation: Invocation, request_object: str | None, *, keys: JoseKeys, now: dt.datetime,
                 allow_http: bool = False) -> AuthorizationRequest:
    """The validated request of an invocation; `request_object` is what its request_uri returned (or
    None for one by value / unsigned). `decentralized_identifier:` requests must be signed by a key of
    that DID named in `kid` (§5.9.3); `redirect_uri:` requests cannot be signed (§5.9.3); other
    prefixes (x509, federation, attestation) and pre-registered clients are not supported here."""
    client_id = invocation.client_id
    token = request_object if request_object is not None else invocation.request
    if client_id.startswith(DID_PREFIX):
        if token is None:
            raise Oid4vpError("a decentralized_identifier request must be a signed Request Object",
                              path="/request")
        claims, kid = _verified(token, did=client_id[len(DID_PREFIX):], keys=keys)
        return _validate(claims, client_id=client_id, now=now, signed_by=kid, allow_http=allow_http)
    if client_id.startswith(REDIRECT_PREFIX):
        if token is not None:
            raise Oid4vpError("a redirect_uri request cannot be signed (§5.9.3)", path="/request")
        return _validate(dict(invocation.params), client_id=client_id, now=now, signed_by=None,
                         allow_http=allow_http)
    prefix = client_id.split(":", 1)[0] if ":" in client_id else "pre-registered"
    raise Oid4vpError(f"the client identifier prefix {prefix[:40]!r} is not supported by this wallet",
                      path="/client_id", title="Unsupported verifier identifier")


def _verified(token: str, *, did: str, keys: JoseKeys) -> tuple[dict[str, Any], str]:
    if not isinstance(token, str) or len(token) > MAX_REQUEST:
        raise Oid4vpError("the Request Object is missing or too large", path="/request")
    try:
        jws = parse_compact(token.strip())
    except VCError as exc:
        raise Oid4vpError(f"the Request Object is not a JWS: {exc.detail}", path="/request") from exc
    if jws.header.get("typ") != REQUEST_TYP:
        raise Oid4vpError(f"the Request Object's typ is not {REQUEST_TYP} (§5)", path="/request/header/typ")
    kid = jws.header.get("kid")
    if not isinstance(kid, str) or kid.split("#", 1)[0] != did or "#" not in kid:
        raise Oid4vpError("the Request Object's kid must name a key of the client's DID (§5.9.3)",
                          path="/request/header/kid")
    try:
        resolved = keys.did_key(kid, purpose="authentication")
        verify_signature(jws, resolved.key)
        claims = jws.claims()
    except VCError as exc:
        raise Oid4vpError(f"the Request Object's signature does not verify: {exc.detail}",
                          path="/request" + exc.path, title="The request is not signed by the verifier") from exc
    return claims, kid


def parse_vp_token(value: Any) -> dict[str, list[Any]]:
    """§8.1: a JSON object {credential query id: [presentation, ...]} (form text or parsed)."""
    if isinstance(value, str):
        try:
            value = parse_json(value)
        except VCError as exc:
            raise VpTokenError(f"vp_token is not JSON: {exc.detail}", path="/vp_token") from exc
    if not isinstance(value, dict) or not value:
        raise VpTokenError("vp_token must be a non-empty JSON object keyed by credential query id",
                           path="/vp_token")
    out: dict[str, list[Any]] = {}
    for key, items in value.items():
        if not isinstance(items, list) or not items or not all(isinstance(i, (str, dict)) for i in items):
            raise VpTokenError(f"vp_token[{key[:40]!r}] must be a non-empty array of presentations",
                               path=f"/vp_token/{key[:40]}")
        out[key] = items
    return out


def encode_vp_token(token: dict[str, list[Any]]) -> str:
    return json.dumps(token, separators=(",", ":"), ensure_ascii=False)
