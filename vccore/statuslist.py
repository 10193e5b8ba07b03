"""W3C Bitstring Status List v1.0: the bitstring codec and status entry checks.

§3.1 BitstringStatusListEntry, §3.2 BitstringStatusListCredential, §4.1 Generate Algorithm
(GZIP, multibase base64url, minimum 131,072 entries = 16 KB), §4.2 Validate Algorithm.
Bits are numbered from the left of the first byte (index 0 is the most significant bit).
"""

from __future__ import annotations

import gzip
import zlib
from typing import Any

from .errors import MalformedValueError, RangeError, StatusListLengthError
from .multibase import decode_multibase, encode_multibase

__all__ = ["MIN_ENTRIES", "Bitstring", "parse_status_entry"]

MIN_ENTRIES = 131_072
MAX_DECOMPRESSED = 16 * 1024 * 1024  # refuse decompression bombs


class Bitstring:
    """A mutable bitstring of status bits."""

    def __init__(self, size: int = MIN_ENTRIES, data: bytes | None = None) -> None:
        if size % 8:
            raise ValueError("size must be a multiple of 8")
        self.size = size
        self.bits = bytearray(data if data is not None else size // 8)

    def get(self, index: int) -> bool:
        if not 0 <= index < self.size:
            raise RangeError(f"status index {index} is outside the list of {self.size} entries",
                             path="/statusListIndex", title="Status index out of range")
        return bool(self.bits[index // 8] & (0x80 >> (index % 8)))

    def set(self, index: int, value: bool) -> None:
        self.get(index)  # bounds check
        if value:
            self.bits[index // 8] |= 0x80 >> (index % 8)
        else:
            self.bits[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF

    def encode(self) -> str:
        """§4.1: GZIP-compress, then multibase base64url (no padding)."""
        return encode_multibase(gzip.compress(bytes(self.bits), mtime=0), "u")

    @classmethod
    def decode(cls, encoded: Any, *, min_entries: int = MIN_ENTRIES) -> "Bitstring":
        """§4.2 steps: multibase-decode, GUNZIP with a size cap, check the minimum length."""
        raw = decode_multibase(encoded, path="/credentialSubject/encodedList", max_length=4 * 1024 * 1024)
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(raw, MAX_DECOMPRESSED + 1)
        except zlib.error as exc:
            raise MalformedValueError(f"encodedList is not GZIP data: {exc}",
                                      path="/credentialSubject/encodedList") from exc
        if len(data) > MAX_DECOMPRESSED or inflater.unconsumed_tail:
            raise MalformedValueError("encodedList expands beyond the size limit",
                                      path="/credentialSubject/encodedList", title="Status list too large")
        if len(data) * 8 < min_entries:
            raise StatusListLengthError(f"the list has {len(data) * 8} entries, fewer than {min_entries}",
                                        path="/credentialSubject/encodedList")
        return cls(len(data) * 8, data)


def parse_status_entry(entry: Any, *, path: str) -> tuple[str, int, str]:
    """§3.1: (statusListCredential URL, index, purpose) of a BitstringStatusListEntry."""
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        raise MalformedValueError("not a BitstringStatusListEntry", path=path)
    url, index, purpose = entry.get("statusListCredential"), entry.get("statusListIndex"), entry.get("statusPurpose")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise MalformedValueError("statusListCredential must be a URL", path=path + "/statusListCredential")
    if not isinstance(index, str) or not index.isdigit() or len(index) > 12:
        raise MalformedValueError("statusListIndex must be a string of digits", path=path + "/statusListIndex")
    if not isinstance(purpose, str):
        raise MalformedValueError("statusPurpose is missing", path=path + "/statusPurpose")
    return url, int(index), purpose
