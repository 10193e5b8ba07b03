"""Keys for JOSE: public JWKs (RFC 7517) from DID documents and JWT VC Issuer Metadata, on joserfc.

An issuer's key is found from a JWT's `kid` (a DID URL, a bare DID, or a key id within the
issuer's DID document or JWK Set) and `iss` (a DID, or an https URL with JWT VC Issuer Metadata,
SD-JWT VC §5). DID documents come from vccore.did (did:key Ed25519/P-256, did:jwk, did:web through
the injected transport); nothing is fetched unless a transport was configured.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey

from .did import DidResolver
from .errors import InvalidRelationshipError, InvalidVerificationMethodError, TransportError, VCError
from .multibase import decode_multibase
from .transport import NoNetwork, Transport

__all__ = ["JoseKeys", "PublicKey", "ResolvedKey", "did_jwk", "did_key_p256", "ec_key_from_seed", "import_public_jwk",
           "multikey_to_jwk", "okp_key", "public_jwk"]

PublicKey = ECKey | OKPKey
_CURVES = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}
# multicodec varint prefixes of the public keys we read from Multikey values
_MULTICODEC = {b"\xed\x01": ("OKP", "Ed25519", 32), b"\x80\x24": ("EC", "P-256", 33),
               b"\x81\x24": ("EC", "P-384", 49)}


@dataclass(frozen=True)
class ResolvedKey:
    """A public key and where it came from (the verification method or JWK Set entry)."""

    key: PublicKey
    key_id: str
    controller: str


def import_public_jwk(jwk: Any, *, path: str = "") -> PublicKey:
    """A public Ed25519 or EC (P-256/P-384) JWK; private members and other key types are refused."""
    if not isinstance(jwk, dict) or "d" in jwk:
        raise InvalidVerificationMethodError("not a public JWK", path=path)
    kty, crv = jwk.get("kty"), jwk.get("crv")
    try:
        if kty == "OKP" and crv == "Ed25519":
            return OKPKey.import_key({k: jwk[k] for k in ("kty", "crv", "x")})
        if kty == "EC" and crv in _CURVES:
            return ECKey.import_key({k: jwk[k] for k in ("kty", "crv", "x", "y")})
    except (JoseError, KeyError, ValueError, TypeError) as exc:
        raise InvalidVerificationMethodError(f"malformed {kty} JWK: {type(exc).__name__}", path=path) from exc
    raise InvalidVerificationMethodError(f"unsupported key type {kty}/{crv}", path=path)


def multikey_to_jwk(value: Any, *, path: str = "") -> dict[str, str]:
    """A Multikey `publicKeyMultibase` (Ed25519, or a compressed P-256/P-384 point) as a JWK."""
    raw = decode_multibase(value, path=path, max_length=200)
    for prefix, (kty, crv, size) in _MULTICODEC.items():
        if raw.startswith(prefix) and len(raw) == len(prefix) + size:
            body = raw[len(prefix):]
            if kty == "OKP":
                return {"kty": "OKP", "crv": crv, "x": _b64(body)}
            try:
                point = ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[crv], body)
            except ValueError as exc:
                raise InvalidVerificationMethodError(f"not a point on {crv}", path=path) from exc
            return dict(ECKey.import_key(point).as_dict(private=False))
    raise InvalidVerificationMethodError("not an Ed25519, P-256 or P-384 public Multikey", path=path)


def public_jwk(key: PublicKey) -> dict[str, Any]:
    """The public JWK of a key (members kty, crv, x[, y] only)."""
    return {k: v for k, v in key.as_dict(private=False).items() if k in ("kty", "crv", "x", "y")}


def okp_key(private_key: Any) -> OKPKey:
    """A joserfc signing key from a `cryptography` Ed25519 private key (vccore.KeyPair.private_key)."""
    return OKPKey.import_key(private_key)


def ec_key_from_seed(seed: bytes, *, info: bytes = b"vccore P-256 v1") -> ECKey:
    """A P-256 signing key derived from 32 secret bytes (HKDF-SHA256): a wallet keeps one seed per
    profile and derives its ES256 holder key from it, so nothing new has to be stored."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    material = HKDF(algorithm=hashes.SHA256(), length=48, salt=None, info=info).derive(seed)
    scalar = int.from_bytes(material, "big") % (order - 1) + 1  # 384 bits reduced: bias < 2^-128
    return ECKey.import_key(ec.derive_private_key(scalar, ec.SECP256R1()))


def did_jwk(key: PublicKey) -> str:
    """did:jwk §2.1 Create: base64url of the public JWK's JSON."""
    return "did:jwk:" + _b64(json.dumps(public_jwk(key), separators=(",", ":")).encode("utf-8"))


def did_key_p256(key: ECKey) -> str:
    """did:key of a P-256 key: multicodec p256-pub (0x1200) + compressed point, base58btc."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from .multibase import encode_multibase
    point = key.get_op_key("verify").public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
    return "did:key:" + encode_multibase(b"\x80\x24" + point)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _method_key(method: dict[str, Any], where: str) -> PublicKey:
    if "publicKeyJwk" in method:
        return import_public_jwk(method["publicKeyJwk"], path=where)
    if "publicKeyMultibase" in method:
        return import_public_jwk(multikey_to_jwk(method["publicKeyMultibase"], path=where), path=where)
    raise InvalidVerificationMethodError(f"{where}: no publicKeyJwk or publicKeyMultibase")


def _as_list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


class JoseKeys:
    """Finds the public key of a JWT's signer through DIDs or JWT VC Issuer Metadata."""

    def __init__(self, *, resolver: DidResolver | None = None, transport: Transport | None = None,
                 issuers: dict[str, dict[str, Any]] | None = None) -> None:
        self.resolver = resolver or DidResolver()
        self.transport = transport or NoNetwork()
        # JWT VC Issuer Metadata known ahead ({issuer URL: {"issuer", "jwks": {"keys": [...]}}}).
        self._issuers: dict[str, dict[str, Any]] = dict(issuers or {})

    def add_issuer_metadata(self, metadata: dict[str, Any]) -> None:
        self._issuers[metadata["issuer"]] = metadata

    def signer(self, header: dict[str, Any], issuer: Any, *, purpose: str = "assertionMethod") -> ResolvedKey:
        """The key that signed a JWT with this header, issued by `issuer` (a DID or https URL)."""
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise InvalidVerificationMethodError("kid must be a string", path="/header/kid")
        if isinstance(kid, str) and kid.startswith("did:"):
            did = kid.split("#", 1)[0]
            if isinstance(issuer, str) and issuer.startswith("did:") and did != issuer:
                raise InvalidVerificationMethodError(f"the key {kid} is not the issuer's ({issuer})",
                                                     path="/header/kid")
            return self.did_key(kid, purpose=purpose)
        if isinstance(issuer, str) and issuer.startswith("did:"):
            return self.did_key(issuer, purpose=purpose, fragment=kid)
        if isinstance(issuer, str) and issuer.startswith("https://"):
            return self._metadata_key(issuer, kid)
        raise InvalidVerificationMethodError("the signer's key cannot be found: no DID in kid or iss",
                                             path="/header/kid")

    def did_key(self, reference: str, *, purpose: str, fragment: str | None = None) -> ResolvedKey:
        """The key of a DID URL or bare DID (its one key for `purpose`, or the one named `fragment`)."""
        did, _, frag = reference.partition("#")
        try:
            document = self.resolver.resolve(did)
        except VCError as exc:
            raise InvalidVerificationMethodError(exc.detail, path="/header/kid") from exc
        methods: dict[str, dict[str, Any]] = {}
        for m in _as_list(document.get("verificationMethod")):
            if isinstance(m, dict) and isinstance(m.get("id"), str):
                methods[did + m["id"] if m["id"].startswith("#") else m["id"]] = m
        related = []
        for entry in _as_list(document.get(purpose)):
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if isinstance(entry, dict) and isinstance(ref, str):
                methods.setdefault(did + ref if ref.startswith("#") else ref, entry)
            if isinstance(ref, str):
                related.append(did + ref if ref.startswith("#") else ref)
        wanted = frag or fragment
        if wanted:
            vm_id = wanted if wanted.startswith("did:") else f"{did}#{wanted}"
            if vm_id not in methods:  # a kid that is no DID URL (a key id of another scheme)
                candidates = [r for r in related if r in methods]
                if frag or len(candidates) != 1:
                    raise InvalidVerificationMethodError(f"{vm_id} is not in the DID document of {did}",
                                                         path="/header/kid")
                vm_id = candidates[0]
        else:
            candidates = [r for r in related if r in methods]
            if len(candidates) != 1:
                raise InvalidVerificationMethodError(f"{did} has {len(candidates)} keys for {purpose}; "
                                                     "the JWT's kid must name one", path="/header/kid")
            vm_id = candidates[0]
        if vm_id not in related:
            raise InvalidRelationshipError(f"{vm_id} is not authorized for {purpose}", path="/header/kid")
        method = methods[vm_id]
        if method.get("controller", did) != did:
            raise InvalidVerificationMethodError(f"{vm_id}: its controller is not {did}", path="/header/kid")
        return ResolvedKey(_method_key(method, vm_id), vm_id, did)

    def _metadata_key(self, issuer: str, kid: str | None) -> ResolvedKey:
        """SD-JWT VC §5: JWT VC Issuer Metadata at /.well-known/jwt-vc-issuer + the issuer's path."""
        metadata = self._issuers.get(issuer) or self._fetch_metadata(issuer)
        jwks = metadata.get("jwks")
        if jwks is None and isinstance(metadata.get("jwks_uri"), str):
            jwks = self._fetch_json(metadata["jwks_uri"])
        keys = [k for k in _as_list(jwks.get("keys") if isinstance(jwks, dict) else None) if isinstance(k, dict)]
        chosen = [k for k in keys if kid is None or k.get("kid") == kid]
        if len(chosen) != 1:
            raise InvalidVerificationMethodError(f"{issuer}'s JWK Set has {len(chosen)} keys matching "
                                                 f"kid {kid!r}", path="/header/kid")
        return ResolvedKey(import_public_jwk(chosen[0], path="/header/kid"), kid or issuer, issuer)

    def _fetch_metadata(self, issuer: str) -> dict[str, Any]:
        parts = urllib.parse.urlsplit(issuer)
        url = f"https://{parts.netloc}/.well-known/jwt-vc-issuer{parts.path.rstrip('/')}"
        metadata = self._fetch_json(url)
        if metadata.get("issuer") != issuer:
            raise InvalidVerificationMethodError(f"the metadata at {url} is for another issuer",
                                                 path="/payload/iss")
        return metadata

    def _fetch_json(self, url: str) -> dict[str, Any]:
        try:
            document = json.loads(self.transport.get(url).body)
        except TransportError as exc:
            raise InvalidVerificationMethodError(f"issuer keys unavailable: {exc.detail}", path="/payload/iss") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidVerificationMethodError(f"{url} is not JSON", path="/payload/iss") from exc
        if not isinstance(document, dict):
            raise InvalidVerificationMethodError(f"{url} is not a JSON object", path="/payload/iss")
        return document
