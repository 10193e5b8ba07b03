"""Ed25519 key pairs as Multikey documents (Controlled Identifiers 1.0 §2.2.2), bound to did:key."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, PrivateFormat, NoEncryption

from .errors import MalformedValueError
from .multibase import (decode_secret_multikey, encode_public_multikey,
                        encode_secret_multikey)

__all__ = ["KeyPair", "verify_ed25519"]


@dataclass(frozen=True)
class KeyPair:
    """An Ed25519 key with the verification method id it signs as."""

    private_key: Ed25519PrivateKey
    id: str
    controller: str

    @classmethod
    def generate(cls, seed: bytes | None = None, *, controller: str | None = None,
                 key_id: str | None = None) -> "KeyPair":
        """New key from a 32-byte seed (random when None); did:key ids unless told otherwise."""
        seed = os.urandom(32) if seed is None else seed
        if len(seed) != 32:
            raise MalformedValueError("an Ed25519 seed is 32 bytes", title="Invalid seed")
        return cls.from_private_key(Ed25519PrivateKey.from_private_bytes(seed),
                                    controller=controller, key_id=key_id)

    @classmethod
    def from_private_key(cls, key: Ed25519PrivateKey, *, controller: str | None = None,
                         key_id: str | None = None) -> "KeyPair":
        public = encode_public_multikey(_raw_public(key.public_key()))
        controller = controller or f"did:key:{public}"
        return cls(key, key_id or f"{controller}#{public}", controller)

    @classmethod
    def from_multikey(cls, doc: dict[str, Any]) -> "KeyPair":
        """Load a Multikey JSON key file (the CLI contract in docs/architecture.md)."""
        if not isinstance(doc, dict) or "secretKeyMultibase" not in doc:
            raise MalformedValueError("key file has no secretKeyMultibase", title="Invalid key file")
        seed = decode_secret_multikey(doc["secretKeyMultibase"], path="/secretKeyMultibase")
        pair = cls.generate(seed, controller=doc.get("controller"), key_id=doc.get("id"))
        if "publicKeyMultibase" in doc and doc["publicKeyMultibase"] != pair.public_multibase:
            raise MalformedValueError("public key does not match the secret key",
                                      path="/publicKeyMultibase", title="Invalid key file")
        return pair

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "KeyPair":
        with open(path, encoding="utf-8") as fh:
            return cls.from_multikey(json.load(fh))

    @property
    def public_bytes(self) -> bytes:
        return _raw_public(self.private_key.public_key())

    @property
    def seed(self) -> bytes:
        return self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    @property
    def public_multibase(self) -> str:
        return encode_public_multikey(self.public_bytes)

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)

    def to_multikey(self, *, include_secret: bool = True) -> dict[str, str]:
        doc = {"type": "Multikey", "id": self.id, "controller": self.controller,
               "publicKeyMultibase": self.public_multibase}
        if include_secret:
            doc["secretKeyMultibase"] = encode_secret_multikey(self.seed)
        return doc


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def verify_ed25519(public_key: bytes, signature: bytes, data: bytes) -> bool:
    """True when the signature is valid (callers turn False into a coded problem)."""
    if len(signature) != 64 or len(public_key) != 32:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
