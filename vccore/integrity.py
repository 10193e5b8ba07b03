"""VC Data Model 2.0 §5.3 Integrity of Related Resources: the syntax of `digestSRI` and `digestMultibase`.

`digestSRI` is one or more Subresource Integrity hash expressions (SRI §3.5: `sha256-`, `sha384-`
or `sha512-` and the standard base64 of a digest of that length, an optional `?option`).
`digestMultibase` is a multibase string (Data Integrity 1.0 §2.6, Controlled Identifiers §2.4:
`u` base64url or `z` base58btc) of a multihash of a SHA-2/SHA-3 digest; a bare digest of 32, 48 or
64 bytes is also accepted, as the W3C VC 2.0 test suite's own valid fixture is one.
Only the syntax is checked here: nothing is fetched to compare the digest with the resource.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from .errors import MalformedValueError, VCError
from .multibase import decode_multibase

__all__ = ["check_digest_multibase", "check_digest_sri"]

_SRI_LENGTHS = {"sha256": 32, "sha384": 48, "sha512": 64}
_SRI = re.compile(r"^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?[\x21-\x7e]*)?$")
# multicodec codes of the hash functions a digest may use, with their digest lengths
_MULTIHASH = {0x12: 32, 0x13: 64, 0x14: 64, 0x15: 48, 0x16: 32, 0x20: 48}
_RAW_LENGTHS = (32, 48, 64)
_MAX_TEXT = 1024


def _values(value: Any, member: str, path: str) -> list[tuple[str, str]]:
    """One string or a non-empty list of strings, each with its JSON pointer."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and 0 < len(v) <= _MAX_TEXT for v in items):
        raise MalformedValueError(f"{member} must be a string or a list of strings", path=path,
                                  title=f"Invalid {member}")
    return [(v, f"{path}/{i}" if isinstance(value, list) else path) for i, v in enumerate(items)]


def check_digest_sri(value: Any, *, path: str) -> None:
    """Raises MalformedValueError unless every hash expression is well formed."""
    for text, where in _values(value, "digestSRI", path):
        for expression in text.split():
            match = _SRI.match(expression)
            if match is None:
                raise MalformedValueError(f"{expression[:80]!r} is not a sha256-, sha384- or sha512- hash "
                                          "expression in standard base64", path=where, title="Invalid digestSRI")
            algorithm, encoded = match.group(1), match.group(2)
            try:
                digest = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
            except (binascii.Error, ValueError):
                digest = b""
            if len(digest) != _SRI_LENGTHS[algorithm]:
                raise MalformedValueError(f"a {algorithm} digest has {_SRI_LENGTHS[algorithm]} bytes, this one "
                                          f"{len(digest)}", path=where, title="Invalid digestSRI")


def check_digest_multibase(value: Any, *, path: str) -> None:
    """Raises MalformedValueError unless every value is a multibase digest (multihash or bare)."""
    for text, where in _values(value, "digestMultibase", path):
        try:
            data = decode_multibase(text, path=where, max_length=_MAX_TEXT)
        except VCError as exc:
            raise MalformedValueError(exc.detail, path=where, title="Invalid digestMultibase") from exc
        if len(data) in _RAW_LENGTHS:
            continue
        if len(data) >= 2 and _MULTIHASH.get(data[0]) == data[1] == len(data) - 2:
            continue
        raise MalformedValueError(f"{len(data)} bytes are neither a SHA-2/SHA-3 multihash nor a digest",
                                  path=where, title="Invalid digestMultibase")
