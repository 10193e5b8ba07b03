"""QR payload codec: presentation <-> text for QR codes (alphanumeric mode), and animated frames.

Format (docs/qr-format.md): `MC1:` + base45(raw DEFLATE(minified JSON)), or `MC1D1:` when the
DEFLATE stream uses preset dictionary version 1 (vccore/qrdict/v1.json, shipped by both sides), or
`MC2C<n>:` + base45 of the structure-aware body of vccore/qr2.py with codebook n (vccore/qrbook/).
A payload too large for one code is split into frames `<header>/F<i>/<n>/<id>:<chunk>` (1-based i,
n frames, id = 8 hex digits of SHA-256 of the whole payload) that a scanner joins in any order.
Decoders cap the decompressed size and check the frame id against the assembled payload.
A verifier's presentation request is `MCREQ1:` + base45(minified JSON {challenge, domain,
expires, types?, name?}) (docs/qr-format.md section 3).
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import datetime as dt

import base45

from .clock import format_datetime, parse_datetime
from .codebook import codebook as _codebook
from .errors import MalformedValueError, ParsingError, RangeError
from .qr2 import NotEncodable, decode_body, encode_body
from .jsondoc import check_depth, parse_json

__all__ = ["FrameAssembler", "MAX_DECODED", "PresentationRequest", "decode_payload", "decode_request",
           "encode_frames", "encode_payload", "encode_request"]

MAX_DECODED = 512 * 1024  # a presentation of a few microcredentials is ~5-20 KB
MAX_TEXT = 64 * 1024
_DICT_DIR = Path(__file__).resolve().parent / "qrdict"
_HEADER = r"(MC1(?:D(\d{1,3}))?|MC2C([1-9]\d{0,2}))"  # MC2C<n>: 1-999, no leading zero
_SINGLE = re.compile(rf"^{_HEADER}:([0-9A-Z $%*+\-./:]*)$")
_FRAME = re.compile(rf"^{_HEADER}/F(\d{{1,3}})/(\d{{1,3}})/([0-9A-F]{{8}}):([0-9A-Z $%*+\-./:]*)$")
_REQUEST = re.compile(r"^MCREQ1:([0-9A-Z $%*+\-./:]*)$")
_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
MAX_REQUEST = 4096


@lru_cache(maxsize=4)
def dictionary(version: int) -> bytes:
    """Preset DEFLATE dictionary `version` (fixed forever once published)."""
    path = _DICT_DIR / f"v{version}.json"
    if not path.is_file():
        raise ParsingError(f"unknown QR dictionary version {version}", title="Unsupported QR format")
    return path.read_bytes()


def _minify(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def encode_payload(document: dict[str, Any], *, dictionary_version: int | None = 1,
                   codebook: int | None = None) -> str:
    """One QR payload text for a presentation (or credential): `MC2C<codebook>:` when a codebook is
    given and the document survives MC2 exactly, else `MC1D<dictionary_version>:` (or `MC1:`)."""
    if codebook:
        try:
            return f"MC2C{codebook}:" + base45.b45encode(encode_body(document, _codebook(codebook))).decode("ascii")
        except NotEncodable:
            pass  # something MC2 cannot carry exactly (docs/qr-format.md 1.2): the JSON format can
    if dictionary_version:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, dictionary(dictionary_version))
        header = f"MC1D{dictionary_version}:"
    else:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
        header = "MC1:"
    data = comp.compress(_minify(document)) + comp.flush()
    return header + base45.b45encode(data).decode("ascii")


def encode_frames(document: dict[str, Any], *, max_chars: int, dictionary_version: int | None = 1,
                  codebook: int | None = None) -> list[str]:
    """The payload as one text if it fits in `max_chars`, else frames of at most `max_chars` each."""
    payload = encode_payload(document, dictionary_version=dictionary_version, codebook=codebook)
    if len(payload) <= max_chars:
        return [payload]
    header, body = payload.split(":", 1)
    ident = hashlib.sha256(payload.encode("ascii")).hexdigest()[:8].upper()
    overhead = len(f"{header}/F000/000/{ident}:")
    size = max_chars - overhead
    if size < 16:
        raise ValueError("max_chars too small for framing")
    chunks = [body[i:i + size] for i in range(0, len(body), size)]
    if len(chunks) > 999:
        raise ValueError("presentation too large for an animated QR sequence")
    return [f"{header}/F{i}/{len(chunks)}/{ident}:{c}" for i, c in enumerate(chunks, 1)]


def decode_payload(text: str) -> dict[str, Any]:
    """Decode one complete payload (`MC1:` / `MC1D<n>:` / `MC2C<n>:`) into a JSON document, with size caps."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ParsingError("QR text is too long", title="QR payload too large")
    match = _SINGLE.match(text)
    if not match:
        raise ParsingError("not a microcredential QR payload (expected MC2C1:, MC1D1: or MC1:)",
                           title="Unrecognised QR code")
    try:
        raw = base45.b45decode(match.group(4))
    except ValueError as exc:
        raise ParsingError(f"invalid base45: {exc}", title="Damaged QR payload") from exc
    if match.group(3):
        return decode_body(raw, _codebook(int(match.group(3))), max_decoded=MAX_DECODED)
    zdict = dictionary(int(match.group(2))) if match.group(2) else None
    inflater = zlib.decompressobj(-15, zdict=zdict) if zdict else zlib.decompressobj(-15)
    try:
        data = inflater.decompress(raw, MAX_DECODED + 1)
    except zlib.error as exc:
        raise ParsingError(f"invalid DEFLATE data: {exc}", title="Damaged QR payload") from exc
    if len(data) > MAX_DECODED or inflater.unconsumed_tail:
        raise ParsingError(f"the payload expands beyond {MAX_DECODED} bytes", title="QR payload too large")
    if not inflater.eof:
        raise ParsingError("the compressed data is truncated", title="Damaged QR payload")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ParsingError(f"the payload is not JSON: {exc}", title="Damaged QR payload") from exc
    check_depth(document)
    if not isinstance(document, dict):
        raise ParsingError("the payload is not a JSON object", title="Damaged QR payload")
    return document


@dataclass
class FrameAssembler:
    """Collects animated-sequence frames in any order; `complete` once all have arrived."""

    header: str | None = None
    ident: str | None = None
    total: int = 0
    chunks: dict[int, str] = field(default_factory=dict)

    @staticmethod
    def is_frame(text: str) -> bool:
        return bool(_FRAME.match(text.strip()))

    def add(self, text: str) -> tuple[int, int]:
        """Add one frame; returns (frames received, frames in the sequence)."""
        match = _FRAME.match(text.strip())
        if not match:
            raise ParsingError("not a frame of an animated QR sequence", title="Unrecognised QR code")
        header = match.group(1)
        index, total, ident, chunk = int(match.group(4)), int(match.group(5)), match.group(6), match.group(7)
        if not 1 <= index <= total:
            raise ParsingError(f"frame {index} of {total} is out of range", title="Damaged QR sequence")
        if self.ident is None:
            self.header, self.ident, self.total = header, ident, total
        elif (ident, total, header) != (self.ident, self.total, self.header):
            raise ParsingError("the frame belongs to another sequence", title="Mixed QR sequences")
        self.chunks[index] = chunk
        return len(self.chunks), self.total

    @property
    def complete(self) -> bool:
        return self.total > 0 and len(self.chunks) == self.total

    def payload(self) -> str:
        if not self.complete:
            raise ParsingError(f"{len(self.chunks)} of {self.total} frames received", title="Incomplete QR sequence")
        text = f"{self.header}:" + "".join(self.chunks[i] for i in range(1, self.total + 1))
        if hashlib.sha256(text.encode("ascii")).hexdigest()[:8].upper() != self.ident:
            raise ParsingError("the assembled frames do not match their sequence id", title="Damaged QR sequence")
        return text

    def document(self) -> dict[str, Any]:
        return decode_payload(self.payload())


@dataclass(frozen=True)
class PresentationRequest:
    """A verifier's request for a presentation bound to a challenge and domain (qr-format.md §3)."""

    challenge: str
    domain: str
    expires: dt.datetime
    types: tuple[str, ...] = ()
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"challenge": self.challenge, "domain": self.domain,
                               "expires": format_datetime(self.expires)}
        if self.types:
            doc["types"] = list(self.types)
        if self.name:
            doc["name"] = self.name
        return doc


def encode_request(request: PresentationRequest) -> str:
    """`MCREQ1:` text of a presentation request (alphanumeric QR mode)."""
    return "MCREQ1:" + base45.b45encode(_minify(request.to_json())).decode("ascii")


def _request_member(doc: dict[str, Any], name: str, ok: bool, rule: str) -> None:
    if not ok:
        raise MalformedValueError(f"request member {name!r} must be {rule}", path="/" + name,
                                  title="Invalid presentation request")


def decode_request(text: str, *, now: dt.datetime | None = None) -> PresentationRequest:
    """Parse and check an `MCREQ1:` request; an expired one (at `now`) raises RANGE_ERROR."""
    match = _REQUEST.match(text.strip()) if isinstance(text, str) and len(text) < 3 * MAX_REQUEST else None
    if not match:
        raise ParsingError("not a presentation request (expected MCREQ1:)", title="Unrecognised QR code")
    try:
        raw = base45.b45decode(match.group(1))
    except ValueError as exc:
        raise ParsingError(f"invalid base45: {exc}", title="Damaged presentation request") from exc
    doc = parse_json(raw, max_bytes=MAX_REQUEST, max_depth=4)
    if not isinstance(doc, dict):
        raise ParsingError("the request is not a JSON object", title="Damaged presentation request")
    challenge, domain, types, name = doc.get("challenge"), doc.get("domain"), doc.get("types", []), doc.get("name")
    _request_member(doc, "challenge", isinstance(challenge, str) and bool(_CHALLENGE.match(challenge)),
                    "16-128 characters A-Z a-z 0-9 - _")
    _request_member(doc, "domain", isinstance(domain, str) and 1 <= len(domain) <= 253 and domain.isprintable()
                    and not any(c.isspace() for c in domain), "1-253 printable characters without spaces")
    _request_member(doc, "types", isinstance(types, list) and len(types) <= 16 and all(
        isinstance(t, str) and 0 < len(t) <= 100 for t in types), "a list of type names")
    _request_member(doc, "name", name is None or (isinstance(name, str) and len(name) <= 200), "a short text")
    expires = parse_datetime(doc.get("expires"), path="/expires", require_offset=True)
    if now is not None and expires <= now:
        raise RangeError(f"the request expired at {format_datetime(expires)}", path="/expires",
                         title="The presentation request has expired")
    return PresentationRequest(challenge, domain, expires, tuple(types), name)
