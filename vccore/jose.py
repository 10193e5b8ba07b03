"""The JWS core of the JOSE credential formats (RFC 7515 compact serialization, RFC 7519 claims),
on joserfc: parse, verify, sign, and the `exp`/`nbf`/`iat` checks against an injected clock.

JWS is never hand-written here: joserfc checks and makes every signature. Accepted algorithms are
EdDSA (and its RFC 9864 name Ed25519), ES256 and ES384; the key must match the algorithm.
Everything a token's header or payload says is unverified until `verify_signature` has passed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import warnings
from dataclasses import dataclass
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jws import JWSRegistry

from .errors import ParsingError, ProofVerificationError, VCError
from .josekeys import PublicKey
from .jsondoc import MAX_BYTES, parse_json
from .report import Problem

__all__ = ["ALGORITHMS", "DisclosureError", "JoseHeaderError", "Jws", "KeyBindingError", "b64url_decode",
           "b64url_encode", "looks_like_jws", "parse_compact", "sign_compact", "time_problems",
           "verify_signature"]

ALGORITHMS = ("EdDSA", "Ed25519", "ES256", "ES384")
_KEY_FOR_ALG = {"EdDSA": ("OKP", "Ed25519"), "Ed25519": ("OKP", "Ed25519"), "ES256": ("EC", "P-256"),
                "ES384": ("EC", "P-384")}
LEEWAY = dt.timedelta(minutes=1)  # clock skew allowed on exp/nbf/iat
_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


class JoseHeaderError(VCError):
    code = "JOSE_HEADER_ERROR"
    title = "The token's header is not acceptable"


class DisclosureError(VCError):
    code = "SD_JWT_DISCLOSURE_ERROR"
    title = "A disclosure does not match the signed credential"


class KeyBindingError(VCError):
    code = "KEY_BINDING_ERROR"
    title = "The key binding does not hold"


class _Registry(JWSRegistry):
    # Credentials put DIDs (did:jwk is a whole JWK) in kid; the payload is bounded by MAX_BYTES.
    max_header_length = 8192
    max_payload_length = MAX_BYTES


# Header members outside JWS's registry (`iss` in veramo's vc+jwt, `cty`) are allowed; `crit` is
# still enforced by joserfc: a critical extension we do not know is refused.
_REGISTRY = _Registry(algorithms=ALGORITHMS, strict_check_header=False)


def b64url_decode(text: Any, *, path: str = "") -> bytes:
    """Base64url without padding (RFC 7515 §2), strictly: other alphabets or padding are refused."""
    if not isinstance(text, str) or not set(text) <= _B64URL or len(text) % 4 == 1:
        raise ParsingError("not base64url", path=path, title="Malformed token")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def looks_like_jws(text: Any) -> bool:
    """A compact JWS (three base64url parts), possibly followed by SD-JWT's `~` parts."""
    if not isinstance(text, str):
        return False
    first = text.strip().split("~", 1)[0]
    parts = first.split(".")
    return len(parts) == 3 and first.startswith("eyJ") and all(set(p) <= _B64URL for p in parts)


@dataclass(frozen=True)
class Jws:
    """A parsed, not yet verified, compact JWS."""

    token: str
    header: dict[str, Any]
    payload: bytes
    _compact: Any

    def claims(self, *, path: str = "/payload") -> dict[str, Any]:
        """The payload as a JSON object (a JWT claims set)."""
        value = parse_json(self.payload)
        if not isinstance(value, dict):
            raise ParsingError("the payload is not a JSON object", path=path, title="Malformed token")
        return value


def parse_compact(token: Any, *, path: str = "") -> Jws:
    """RFC 7515 §5.2 steps 1-6 (no signature yet): PARSING_ERROR / JOSE_HEADER_ERROR with a path."""
    if not isinstance(token, str) or len(token) > MAX_BYTES * 2:
        raise ParsingError("not a compact JWS of acceptable size", path=path, title="Malformed token")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise ParsingError(f"a compact JWS has 3 parts, this has {len(parts)}", path=path, title="Malformed token")
    for i, part in enumerate(parts):
        b64url_decode(part, path=path + ("/header", "/payload", "/signature")[i])
    header = parse_json(b64url_decode(parts[0]), max_depth=8)
    if not isinstance(header, dict):
        raise ParsingError("the header is not a JSON object", path=path + "/header", title="Malformed token")
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise JoseHeaderError(f"algorithm {alg!r} is not accepted (only {', '.join(ALGORITHMS)})",
                              path=path + "/header/alg")
    if "b64" in header or "crit" in header:
        raise JoseHeaderError("critical or unencoded-payload (b64) headers are not accepted",
                              path=path + "/header/crit")
    try:
        compact = jws.extract_compact(token.encode("ascii"), registry=_REGISTRY)
    except (JoseError, ValueError, TypeError) as exc:
        raise ParsingError(f"joserfc: {type(exc).__name__}", path=path, title="Malformed token") from exc
    return Jws(token, header, compact.payload, compact)


def verify_signature(token: Jws, key: PublicKey, *, path: str = "") -> None:
    """RFC 7515 §5.2 step 8: the signature with this key, its type matching `alg`; raises if not."""
    kty, crv = _KEY_FOR_ALG[token.header["alg"]]
    if key.key_type != kty or key.as_dict(private=False).get("crv") != crv:
        raise ProofVerificationError(f"{token.header['alg']} needs a {crv} key, the signer's is "
                                     f"{key.as_dict(private=False).get('crv')}", path=path + "/header/alg",
                                     title="Key does not match the algorithm")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SecurityWarning)  # "EdDSA" is RFC 9864's deprecated alias
            valid = jws.validate_compact(token._compact, key, registry=_REGISTRY)
    except (JoseError, ValueError, TypeError) as exc:
        raise ProofVerificationError(f"joserfc: {type(exc).__name__}", path=path + "/signature") from exc
    if not valid:
        raise ProofVerificationError("the signature does not match", path=path + "/signature")


def sign_compact(header: dict[str, Any], claims: dict[str, Any], key: Any) -> str:
    """A compact JWS of `claims` (compact JSON, UTF-8) with a private joserfc key."""
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        return jws.serialize_compact(header, payload, key, registry=_REGISTRY)


def _numeric_date(claims: dict[str, Any], name: str, path: str) -> dt.datetime | None | Problem:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 253402300800:
        return Problem("MALFORMED_VALUE_ERROR", "Invalid date", f"{name} is not a NumericDate",
                       f"{path}/{name}")
    return dt.datetime.fromtimestamp(value, dt.timezone.utc)


def time_problems(claims: dict[str, Any], *, now: dt.datetime, path: str = "/payload",
                  leeway: dt.timedelta = LEEWAY) -> list[Problem]:
    """RFC 7519 §4.1.4-4.1.6 `exp`, `nbf`, `iat` against `now` (one minute of clock skew allowed)."""
    problems: list[Problem] = []
    dates = {}
    for name in ("exp", "nbf", "iat"):
        value = _numeric_date(claims, name, path)
        if isinstance(value, Problem):
            problems.append(value)
        elif value is not None:
            dates[name] = value
    if "exp" in dates and now > dates["exp"] + leeway:
        problems.append(Problem("EXPIRED_ERROR", "The credential has expired",
                                f"exp is {dates['exp'].isoformat()}", f"{path}/exp"))
    if "nbf" in dates and now + leeway < dates["nbf"]:
        problems.append(Problem("NOT_YET_VALID_ERROR", "The credential is not valid yet",
                                f"nbf is {dates['nbf'].isoformat()}", f"{path}/nbf"))
    if "iat" in dates and now + leeway < dates["iat"]:
        problems.append(Problem("NOT_YET_VALID_ERROR", "Issued in the future",
                                f"iat is {dates['iat'].isoformat()}", f"{path}/iat"))
    return problems
