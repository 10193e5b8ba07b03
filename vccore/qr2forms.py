"""The special value forms of the MC2 QR payload (docs/qr-format.md section 1.2): strings that travel
as raw bytes in stream BIN (did:key, did:key verification method, multibase signature, urn:uuid,
date-time) and numbers that travel as JSON text.

A form is used only when it re-encodes to exactly the original string: `classify` decodes and
re-encodes, so `+00:00`, upper-case UUIDs or a non-canonical base58 string stay plain text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import base58

__all__ = ["DATE_TIME", "DID_KEY", "DID_KEY_VM", "NUMBER", "PLACEHOLDERS", "SIGNATURE", "SIZES", "TEXT", "UUID",
           "classify", "number_text", "parse_number", "render"]

# Placeholder codes (CBOR unsigned integers 0-7); 7 is reserved.
TEXT, DID_KEY, DID_KEY_VM, SIGNATURE, UUID, DATE_TIME, NUMBER = range(7)
PLACEHOLDERS = 8
SIZES = {DID_KEY: 32, DID_KEY_VM: 32, SIGNATURE: 64, UUID: 16, DATE_TIME: 4}

_B58 = "[1-9A-HJ-NP-Za-km-z]"
_DID = re.compile(rf"did:key:(z6Mk{_B58}{{40,48}})")
_VM = re.compile(rf"did:key:(z6Mk{_B58}{{40,48}})#\1")
_SIG = re.compile(rf"z{_B58}{{80,90}}")
_UUID = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_ED25519_PUB = b"\xed\x01"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
MAX_NUMBER_TEXT = 40


def _b58(data: bytes) -> str:
    return base58.b58encode(data).decode("ascii")


def render(form: int, raw: bytes) -> str:
    """The string a placeholder stands for, from its bytes (exactly SIZES[form] of them)."""
    if form == DID_KEY:
        return "did:key:z" + _b58(_ED25519_PUB + raw)
    if form == DID_KEY_VM:
        multikey = "z" + _b58(_ED25519_PUB + raw)
        return f"did:key:{multikey}#{multikey}"
    if form == SIGNATURE:
        return "z" + _b58(raw)
    if form == UUID:
        return f"urn:uuid:{uuid.UUID(bytes=raw)}"
    if form == DATE_TIME:
        moment = _EPOCH + dt.timedelta(seconds=int.from_bytes(raw, "big"))
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    raise ValueError(f"placeholder {form} has no bytes")


def _raw(form: int, text: str) -> bytes | None:
    if form in (DID_KEY, DID_KEY_VM):
        match = (_DID if form == DID_KEY else _VM).fullmatch(text)
        if match is None:
            return None
        key = base58.b58decode(match.group(1)[1:])
        return key[2:] if len(key) == 34 and key.startswith(_ED25519_PUB) else None
    if form == SIGNATURE:
        return base58.b58decode(text[1:]) if _SIG.fullmatch(text) else None
    if form == UUID:
        return uuid.UUID(text[9:]).bytes if _UUID.fullmatch(text) else None
    if form == DATE_TIME and _DATE_TIME.fullmatch(text):
        try:
            moment = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
        except ValueError:
            return None
        seconds = int((moment - _EPOCH).total_seconds())
        return seconds.to_bytes(4, "big") if 0 <= seconds < 1 << 32 else None
    return None


def classify(text: str) -> tuple[int, bytes] | None:
    """(form, bytes) when `text` has a special form that re-encodes to exactly `text`, else None."""
    if text.startswith("did:key:z6Mk"):
        forms: tuple[int, ...] = (DID_KEY_VM,) if "#" in text else (DID_KEY,)
    elif text.startswith("urn:uuid:"):
        forms = (UUID,)
    elif text.startswith("z"):
        forms = (SIGNATURE,)
    elif len(text) == 20 and text.endswith("Z"):
        forms = (DATE_TIME,)
    else:
        return None
    for form in forms:
        raw = _raw(form, text)
        if raw is not None and len(raw) == SIZES[form] and render(form, raw) == text:
            return form, raw
    return None


def number_text(value: int | float) -> str | None:
    """The JSON text of a number (what `json.dumps` writes), or None when the format cannot carry it."""
    try:
        text = json.dumps(value)
    except ValueError:  # an integer too long to print
        return None
    return text if len(text) <= MAX_NUMBER_TEXT and _NUMBER.fullmatch(text) else None


def parse_number(text: str) -> int | float | None:
    """A number from its JSON text (int or float, as `json.loads` reads it); None if not one."""
    if len(text) > MAX_NUMBER_TEXT or not _NUMBER.fullmatch(text):
        return None
    value = json.loads(text)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value
