"""The holder keys a profile can prove possession of in OpenID4VCI: its Ed25519 key as did:key or
did:jwk (EdDSA), and a P-256 key derived from the same seed as did:key or did:jwk (ES256). Nothing
new is stored: the profile's seed is the only secret (vccore.josekeys.ec_key_from_seed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from vccore import KeyPair
from vccore.josekeys import did_jwk, did_key_p256, ec_key_from_seed, okp_key, public_jwk

__all__ = ["HolderKey", "P256_INFO", "choose_holder_key", "holder_keys"]

P256_INFO = b"mc-wallet holder P-256 v1"


@dataclass(frozen=True)
class HolderKey:
    alg: str          # JWS alg of the proofs: EdDSA or ES256
    method: str       # did:key or did:jwk
    did: str
    kid: str          # the verification method the proofs name
    signing: Any      # joserfc private key

    @property
    def public_jwk(self) -> dict[str, Any]:
        return public_jwk(self.signing)


def holder_keys(key: KeyPair) -> list[HolderKey]:
    """Every holder key of a profile, in the wallet's order of preference."""
    ed = okp_key(key.private_key)
    p256 = ec_key_from_seed(key.seed, info=P256_INFO)
    ed_jwk, p_jwk, p_key = did_jwk(ed), did_jwk(p256), did_key_p256(p256)
    return [HolderKey("EdDSA", "did:key", key.controller, key.id, ed),
            HolderKey("EdDSA", "did:jwk", ed_jwk, ed_jwk + "#0", ed),
            HolderKey("ES256", "did:key", p_key, f"{p_key}#{p_key[len('did:key:'):]}", p256),
            HolderKey("ES256", "did:jwk", p_jwk, p_jwk + "#0", p256)]


def choose_holder_key(key: KeyPair, *, algs: Sequence[str] | None, methods: Sequence[str] | None) -> HolderKey | None:
    """The first holder key whose alg and binding method the issuer accepts (OpenID4VCI §12.2.4
    proof_signing_alg_values_supported, cryptographic_binding_methods_supported); EdDSA and did:key
    first, since only those bind a credential to the key the wallet signs presentations with."""
    accepted_algs = {"EdDSA" if a == "Ed25519" else a for a in (algs or ["EdDSA"])}
    accepted_methods = set(methods or ["did:key"])
    if "jwk" in accepted_methods:  # a bare JWK (SD-JWT VC cnf): any of our keys, named by its DID
        accepted_methods |= {"did:key", "did:jwk"}
    for candidate in holder_keys(key):
        if candidate.alg in accepted_algs and (candidate.method in accepted_methods or "did" in accepted_methods):
            return candidate
    return None
