"""Multibase (base58btc 'z', base64url 'u') and Multikey Ed25519 codecs.

Controlled Identifiers 1.0 §2.2.2 (Multikey) and the multicodec table: ed25519-pub 0xed,
ed25519-priv 0x1300, encoded as unsigned varints.
"""

from __future__ import annotations

import base64

import base58

from .errors import MalformedValueError

__all__ = [
    "ED25519_PRIV_PREFIX", "ED25519_PUB_PREFIX", "decode_multibase", "decode_public_multikey",
    "decode_secret_multikey", "encode_multibase", "encode_public_multikey",
    "encode_secret_multikey",
]

ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"


def encode_multibase(data: bytes, base: str = "z") -> str:
    if base == "z":
        return "z" + base58.b58encode(data).decode("ascii")
    if base == "u":
        return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")
    raise ValueError(f"unsupported multibase {base!r}")


def decode_multibase(text: object, *, path: str = "", max_length: int = 1 << 24) -> bytes:
    """Decode base58btc ('z') or base64url ('u') multibase text."""
    if not isinstance(text, str) or len(text) < 2:
        raise MalformedValueError("not a multibase string", path=path, title="Invalid multibase value")
    if len(text) > max_length:
        raise MalformedValueError("multibase value too long", path=path, title="Invalid multibase value")
    header, body = text[0], text[1:]
    try:
        if header == "z":
            return base58.b58decode(body.encode("ascii"))
        if header == "u":
            if "=" in body or "+" in body or "/" in body:
                raise ValueError("padding or non-url characters")
            return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, UnicodeEncodeError) as exc:
        raise MalformedValueError(f"invalid multibase data: {exc}", path=path,
                                  title="Invalid multibase value") from exc
    raise MalformedValueError(f"unsupported multibase header {header!r}", path=path,
                              title="Invalid multibase value")


def encode_public_multikey(public_key: bytes) -> str:
    return encode_multibase(ED25519_PUB_PREFIX + public_key)


def encode_secret_multikey(secret_key: bytes) -> str:
    return encode_multibase(ED25519_PRIV_PREFIX + secret_key)


def decode_public_multikey(text: object, *, path: str = "") -> bytes:
    raw = decode_multibase(text, path=path, max_length=200)
    if not raw.startswith(ED25519_PUB_PREFIX) or len(raw) != 34:
        raise MalformedValueError("not an Ed25519 public Multikey", path=path,
                                  title="Invalid public key")
    return raw[2:]


def decode_secret_multikey(text: object, *, path: str = "") -> bytes:
    raw = decode_multibase(text, path=path, max_length=200)
    if not raw.startswith(ED25519_PRIV_PREFIX) or len(raw) != 34:
        raise MalformedValueError("not an Ed25519 secret Multikey", path=path,
                                  title="Invalid secret key")
    return raw[2:]
