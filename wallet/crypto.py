"""Encryption at rest: a key from the passphrase (scrypt, RFC 7914) and AES-256-GCM sealing.

The passphrase derives a key-encryption key; that key unwraps one random data key, which
seals every row. Changing parameters or the passphrase only rewraps the data key. Each sealed
value is bound to where it lives (associated data), so rows cannot be swapped unnoticed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .errors import CorruptWalletError, WrongPassphraseError

__all__ = ["KdfParams", "Sealer", "derive_key", "unwrap_data_key", "wrap_data_key"]

NONCE = 12
Random = Callable[[int], bytes]


@dataclass(frozen=True)
class KdfParams:
    """scrypt parameters (n=2^15, r=8: ~32 MiB, ~0.1 s; OWASP's minimum is 2^17 with r=8 p=1
    at 128 MiB, we trade some for phones; stored with the wallet so they can be raised)."""

    salt: bytes
    n: int = 2 ** 15
    r: int = 8
    p: int = 1

    @classmethod
    def new(cls, random: Random = os.urandom, *, n: int = 2 ** 15) -> "KdfParams":
        return cls(random(16), n)

    def to_json(self) -> dict[str, object]:
        return {"kdf": "scrypt", "salt": self.salt.hex(), "n": self.n, "r": self.r, "p": self.p}

    @classmethod
    def from_json(cls, doc: dict[str, object]) -> "KdfParams":
        try:
            params = cls(bytes.fromhex(str(doc["salt"])), int(doc["n"]), int(doc["r"]), int(doc["p"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise CorruptWalletError("the key derivation parameters are unreadable") from exc
        if doc.get("kdf") != "scrypt" or not (2 ** 10 <= params.n <= 2 ** 22) or params.r > 32 or params.p > 16:
            raise CorruptWalletError("unsupported key derivation parameters")
        return params


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """32-byte key-encryption key from the passphrase."""
    if not passphrase:
        raise WrongPassphraseError("a passphrase is required", title="Passphrase required")
    kdf = Scrypt(salt=params.salt, length=32, n=params.n, r=params.r, p=params.p)
    return kdf.derive(passphrase.encode("utf-8"))


class Sealer:
    """AES-256-GCM with a random 96-bit nonce per value: nonce || ciphertext || tag."""

    def __init__(self, key: bytes, *, random: Random = os.urandom) -> None:
        self._aead = AESGCM(key)
        self._random = random

    def seal(self, plaintext: bytes, context: str) -> bytes:
        nonce = self._random(NONCE)
        return nonce + self._aead.encrypt(nonce, plaintext, context.encode("utf-8"))

    def open(self, sealed: bytes, context: str) -> bytes:
        if len(sealed) < NONCE + 16:
            raise CorruptWalletError(f"sealed value {context} is truncated")
        try:
            return self._aead.decrypt(sealed[:NONCE], sealed[NONCE:], context.encode("utf-8"))
        except InvalidTag as exc:
            raise CorruptWalletError(f"sealed value {context} does not authenticate") from exc


def wrap_data_key(data_key: bytes, passphrase: str, params: KdfParams, *, random: Random = os.urandom) -> bytes:
    return Sealer(derive_key(passphrase, params), random=random).seal(data_key, "wallet-data-key")


def unwrap_data_key(wrapped: bytes, passphrase: str, params: KdfParams) -> bytes:
    """The data key; a wrong passphrase fails the GCM tag and raises WRONG_PASSPHRASE."""
    try:
        return Sealer(derive_key(passphrase, params)).open(wrapped, "wallet-data-key")
    except CorruptWalletError as exc:
        raise WrongPassphraseError("the passphrase does not open this wallet") from exc
