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

from .errors import CorruptWalletError, KdfLimitError, WrongPassphraseError

__all__ = ["KdfParams", "MAX_N", "Sealer", "derive_key", "unwrap_data_key", "wrap_data_key"]

NONCE = 12
Random = Callable[[int], bytes]


# The costliest parameters the wallet itself writes (KdfParams.new refuses more): n up to 2^17
# (128 MiB, OWASP's minimum), r=8, p=1. Anything costlier in a backup or database is refused
# before deriving: 128 * r * n bytes of memory is what scrypt takes.
MIN_N, DEFAULT_N, MAX_N = 2 ** 10, 2 ** 15, 2 ** 17
MAX_R, MAX_P = 8, 1
SALT_BYTES = (16, 64)


@dataclass(frozen=True)
class KdfParams:
    """scrypt parameters (n=2^15, r=8: ~32 MiB, ~0.1 s; OWASP's minimum is 2^17 with r=8 p=1
    at 128 MiB, we trade some for phones; stored with the wallet so they can be raised to MAX_N)."""

    salt: bytes
    n: int = DEFAULT_N
    r: int = MAX_R
    p: int = MAX_P

    @classmethod
    def new(cls, random: Random = os.urandom, *, n: int = DEFAULT_N) -> "KdfParams":
        return cls(random(16), n).checked()

    def to_json(self) -> dict[str, object]:
        return {"kdf": "scrypt", "salt": self.salt.hex(), "n": self.n, "r": self.r, "p": self.p}

    @classmethod
    def from_json(cls, doc: dict[str, object]) -> "KdfParams":
        numbers = [doc.get(k) for k in ("n", "r", "p")]
        if not all(type(v) is int for v in numbers) or not isinstance(doc.get("salt"), str):
            raise CorruptWalletError("the key derivation parameters are unreadable")
        try:
            salt = bytes.fromhex(str(doc["salt"]))
        except ValueError as exc:
            raise CorruptWalletError("the key derivation salt is not hex") from exc
        if doc.get("kdf") != "scrypt":
            raise CorruptWalletError("unsupported key derivation function (only scrypt)")
        return cls(salt, *numbers).checked()  # type: ignore[arg-type]

    def checked(self) -> "KdfParams":
        """Self, if the wallet could have written these parameters; else a coded refusal."""
        if self.n > MAX_N or self.r > MAX_R or self.p > MAX_P:
            raise KdfLimitError(f"scrypt n={self.n} r={self.r} p={self.p} exceeds the wallet's maximum "
                                f"n={MAX_N} r={MAX_R} p={MAX_P}")
        if self.n < MIN_N or self.n & (self.n - 1) or self.r < 1 or self.p < 1 \
                or not SALT_BYTES[0] <= len(self.salt) <= SALT_BYTES[1]:
            raise CorruptWalletError("unsupported key derivation parameters")
        return self


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
