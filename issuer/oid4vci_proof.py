"""OpenID4VCI 1.0 Appendix F.1: the `jwt` key proof of possession, signed with a holder's did:key.

PyJWT does the JOSE work; this module adds what the profile asks of the issuer: the header
(`typ`, `alg` EdDSA, `kid` a did:key verification method, nothing else naming a key), the
audience, `iat` within a window of our clock (PyJWT would read the system clock), no `iss` for
anonymous pre-authorized access, and a nonce, which the caller checks against its store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from vccore.did import DidResolver
from vccore.errors import VCError

__all__ = ["InvalidProof", "KeyProof", "PROOF_TYP", "verify_proof_jwt"]

PROOF_TYP = "openid4vci-proof+jwt"
MAX_JWT_CHARS = 8192


class InvalidProof(VCError):
    """OpenID4VCI 1.0 §8.3.1.2 invalid_proof."""

    code = "INVALID_PROOF"
    title = "The key proof is not valid"


@dataclass(frozen=True)
class KeyProof:
    holder_did: str  # the DID whose key signed the proof; becomes credentialSubject.id
    kid: str
    nonce: str


def verify_proof_jwt(token: object, *, audience: str, now: dt.datetime,
                     resolver: DidResolver | None = None, max_skew: int = 300) -> KeyProof:
    """Check a proof JWT's header, signature and claims. Raises InvalidProof (never anything else)."""
    if not isinstance(token, str) or not token or len(token) > MAX_JWT_CHARS:
        raise InvalidProof("the proof must be a compact JWT")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise InvalidProof(f"the proof is not a JWT: {exc}") from exc
    kid = _check_header(header)
    public_key = _holder_key(kid, resolver or DidResolver())
    try:
        claims = jwt.decode(token, public_key, algorithms=["EdDSA"], audience=audience,
                            options={"require": ["aud", "iat", "nonce"], "verify_exp": False,
                                     "verify_nbf": False, "verify_iat": False})
    except jwt.InvalidAudienceError as exc:
        raise InvalidProof(f"the proof is not addressed to this issuer ({audience})") from exc
    except jwt.InvalidSignatureError as exc:
        raise InvalidProof("the proof's signature does not verify with the key named in kid") from exc
    except jwt.PyJWTError as exc:
        raise InvalidProof(f"the proof's claims are not acceptable: {exc}") from exc
    _check_times(claims, now, max_skew)
    if "iss" in claims:  # Appendix F.1: omitted for anonymous pre-authorized access
        raise InvalidProof("the proof has an iss claim, which anonymous pre-authorized access omits")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise InvalidProof("the proof's nonce is not a string")
    return KeyProof(holder_did=kid.split("#", 1)[0], kid=kid, nonce=nonce)


def _check_header(header: dict) -> str:
    if header.get("typ") != PROOF_TYP:
        raise InvalidProof(f"the proof's typ must be {PROOF_TYP!r}")
    if header.get("alg") != "EdDSA":
        raise InvalidProof("the proof must be signed with EdDSA (Ed25519)")
    if any(name in header for name in ("jwk", "x5c", "trust_chain")):
        raise InvalidProof("the proof must name its key only by kid")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid.startswith("did:key:") or "#" not in kid:
        raise InvalidProof("the proof's kid must be a did:key verification method")
    return kid


def _holder_key(kid: str, resolver: DidResolver) -> Ed25519PublicKey:
    try:
        method = resolver.verification_method(kid, purpose="authentication")
        return Ed25519PublicKey.from_public_bytes(method.public_key)
    except VCError as exc:
        raise InvalidProof(f"the proof's kid cannot be resolved: {exc.detail}") from exc
    except ValueError as exc:
        raise InvalidProof("the proof's kid is not an Ed25519 key") from exc


def _check_times(claims: dict, now: dt.datetime, max_skew: int) -> None:
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, (int, float)):
        raise InvalidProof("the proof's iat must be a number")
    if not abs(now.timestamp() - iat) <= max_skew:  # `not <=` also refuses NaN
        raise InvalidProof(f"the proof's iat is more than {max_skew} seconds from the issuer's clock")
    exp = claims.get("exp")
    if exp is not None and (isinstance(exp, bool) or not isinstance(exp, (int, float))
                            or not exp > now.timestamp()):
        raise InvalidProof("the proof has expired")
