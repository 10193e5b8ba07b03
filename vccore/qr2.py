"""MC2: the structure-aware QR payload body (docs/qr-format.md section 1.2), `Z1 ‖ Z2 ‖ BIN`.

- Z1: raw DEFLATE (preset dictionary: the codebook's structure) of one CBOR item, the document with
  map keys as key-table codes (unknown keys as text), sorted, and every value a code: a placeholder
  (vccore/qr2forms.py), a value-table code, a back-reference (negative integer), true/false/null.
- Z2: raw DEFLATE (preset dictionary: the codebook's phrases) of the texts, each followed by NUL.
- BIN: the placeholders' raw bytes, in document order, not deflated.

Lossless: the encoder decodes what it wrote and compares (types included) before it answers; only
the order of object members changes, which RDFC-1.0 and JCS signatures ignore.
"""

from __future__ import annotations

import io
import json
import zlib
from typing import Any

import cbor2

from . import qr2forms as forms
from .codebook import Codebook
from .errors import ParsingError
from .jsondoc import MAX_DEPTH

__all__ = ["NotEncodable", "decode_body", "encode_body", "structure"]

_DAMAGED = "Damaged QR payload"
_REFERENCED = (forms.DID_KEY, forms.DID_KEY_VM, forms.UUID)


class NotEncodable(ValueError):
    """The document has something MC2 cannot carry exactly (the caller falls back to MC1D1)."""


def _deflate(data: bytes, zdict: bytes) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict)
    return comp.compress(data) + comp.flush()


class _Writer:
    def __init__(self, book: Codebook) -> None:
        self.book, self.texts, self.bin = book, [], bytearray()
        self.refs: dict[tuple[str, bytes], int] = {}

    def item(self, value: Any, depth: int) -> Any:
        if value is None or value is True or value is False:
            return value
        if depth > MAX_DEPTH:
            raise NotEncodable("nested too deeply")
        kind = type(value)
        if kind is str:
            return self.string(value)
        if kind is int or kind is float:
            text = forms.number_text(value)
            if text is None:
                raise NotEncodable(f"number {value!r}")
            self.texts.append(text)
            return forms.NUMBER
        if kind is list:
            return [self.item(v, depth + 1) for v in value]
        if kind is dict:
            codes = self.book.key_codes
            if any(type(k) is not str for k in value):
                raise NotEncodable("an object key that is not a string")
            order = sorted(value, key=lambda k: (0, codes[k], "") if k in codes else (1, 0, k))
            return {codes.get(k, k): self.item(value[k], depth + 1) for k in order}
        raise NotEncodable(f"a {kind.__name__} is not JSON")

    def string(self, text: str) -> Any:
        code = self.book.value_codes.get(text)
        if code is not None:
            return code
        special = forms.classify(text)
        if special is None:
            if "\x00" in text:
                raise NotEncodable("a text with a NUL character")
            self.texts.append(text)
            return forms.TEXT
        form, raw = special
        if form in _REFERENCED:
            ref = ("uuid" if form == forms.UUID else "did", raw)
            if ref in self.refs:
                return -1 - (2 * self.refs[ref] + (form == forms.DID_KEY_VM))
            self.refs[ref] = len(self.refs)
        self.bin += raw
        return form


def structure(document: dict[str, Any], book: Codebook) -> bytes:
    """The CBOR of stream Z1 before DEFLATE (scripts/build_qr_codebook.py builds dictionaries with it)."""
    return cbor2.dumps(_Writer(book).item(document, 1))


def encode_body(document: dict[str, Any], book: Codebook) -> bytes:
    """Z1 ‖ Z2 ‖ BIN of `document`; NotEncodable when it cannot be carried exactly."""
    if type(document) is not dict:
        raise NotEncodable("the document is not a JSON object")
    writer = _Writer(book)
    try:
        cbor = cbor2.dumps(writer.item(document, 1))
        texts = b"".join(t.encode("utf-8") + b"\x00" for t in writer.texts)
    except UnicodeEncodeError as exc:  # a lone surrogate: not UTF-8, so not in any QR payload
        raise NotEncodable("a text that is not valid Unicode") from exc
    body = _deflate(cbor, book.structure_dictionary) + _deflate(texts, book.text_dictionary) + bytes(writer.bin)
    try:
        decoded = decode_body(body, book)
    except ParsingError as exc:  # e.g. beyond the size limits: the decoder would refuse it
        raise NotEncodable(exc.detail) from exc
    if _strict(decoded) != _strict(document):
        raise NotEncodable("the document does not survive the round trip")
    return body


def _strict(document: Any) -> str:
    """A comparison form that tells 1, 1.0 and true apart (== does not) and ignores key order."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=True)


def _inflate(data: bytes, zdict: bytes, limit: int, name: str) -> tuple[bytes, bytes]:
    inflater = zlib.decompressobj(-15, zdict=zdict)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ParsingError(f"stream {name}: invalid DEFLATE data: {exc}", title=_DAMAGED) from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise ParsingError(f"stream {name} expands beyond the limit", title="QR payload too large")
    if not inflater.eof:
        raise ParsingError(f"stream {name} is truncated", title=_DAMAGED)
    return out, inflater.unused_data


class _Reader:
    """Walks the decoded CBOR item; `size` counts the document's size as minified JSON (roughly), so
    shared CBOR values (tags 28/29) and back-references cannot expand it past the limit."""

    def __init__(self, book: Codebook, texts: list[str], binary: bytes, limit: int) -> None:
        self.book, self.keys, self.values = book, book.keys, book.values
        self.texts, self.binary, self.limit = texts, binary, limit
        self.next_text = self.offset = self.size = 0
        self.refs: list[tuple[bool, str]] = []  # (is a urn:uuid, the DID or urn:uuid)

    def item(self, node: Any, depth: int) -> Any:
        kind = type(node)
        if kind is int:
            if node >= forms.PLACEHOLDERS:
                if node - forms.PLACEHOLDERS >= len(self.values):
                    raise ParsingError(f"unknown value code {node} in codebook {self.book.number}", title=_DAMAGED)
                value = self.values[node - forms.PLACEHOLDERS]
            else:
                value = self.placeholder(node) if node >= 0 else self.reference(-1 - node)
            self.size += len(value) + 3 if type(value) is str else 24
            if self.size > self.limit:
                raise ParsingError("the payload expands beyond the size limit", title="QR payload too large")
            return value
        if kind is dict or kind is list:
            if depth > MAX_DEPTH:
                raise ParsingError(f"nesting deeper than {MAX_DEPTH} levels", title="Document nested too deeply")
            if self.size > self.limit:
                raise ParsingError("the payload expands beyond the size limit", title="QR payload too large")
            self.size += 2 + len(node)
            if kind is list:
                return [self.item(v, depth + 1) for v in node]
            out = {self.key(k): self.item(v, depth + 1) for k, v in node.items()}
            if len(out) != len(node):
                raise ParsingError("an object has the same member twice", title=_DAMAGED)
            return out
        if node is None or kind is bool:
            self.size += 5
            return node
        raise ParsingError(f"unexpected CBOR item ({kind.__name__}) in the structure", title=_DAMAGED)

    def key(self, key: Any) -> str:
        if type(key) is int and 0 <= key < len(self.keys):
            name = self.keys[key]
        elif type(key) is str:
            name = key
        else:
            raise ParsingError(f"unknown key code {key!r} in codebook {self.book.number}", title=_DAMAGED)
        self.size += len(name) + 3
        return name

    def text(self) -> str:
        if self.next_text >= len(self.texts):
            raise ParsingError("the text stream ends before the structure does", title=_DAMAGED)
        self.next_text += 1
        return self.texts[self.next_text - 1]

    def placeholder(self, code: int) -> Any:
        if code == forms.TEXT:
            return self.text()
        if code == forms.NUMBER:
            value = forms.parse_number(text := self.text())
            if value is None:
                raise ParsingError(f"not a JSON number: {text[:40]!r}", title=_DAMAGED)
            return value
        if code not in forms.SIZES:
            raise ParsingError(f"placeholder {code} is reserved", title=_DAMAGED)
        raw = self.binary[self.offset:self.offset + forms.SIZES[code]]
        if len(raw) < forms.SIZES[code]:
            raise ParsingError("the binary part ends before the structure does", title=_DAMAGED)
        self.offset += len(raw)
        value = forms.render(code, raw)
        if code in _REFERENCED:  # the DID (or urn:uuid) itself, whichever form came first
            self.refs.append((code == forms.UUID, value.split("#", 1)[0]))
        return value

    def reference(self, number: int) -> str:
        index, as_method = number >> 1, number & 1
        if index >= len(self.refs):
            raise ParsingError(f"back-reference {index} points forward: only {len(self.refs)} references so far",
                               title=_DAMAGED)
        is_uuid, value = self.refs[index]
        if is_uuid and as_method:
            raise ParsingError("a urn:uuid has no verification-method form", title=_DAMAGED)
        return f"{value}#{value[8:]}" if as_method else value


def _structure(data: bytes) -> Any:
    stream = io.BytesIO(data)
    try:
        node = cbor2.CBORDecoder(stream).decode()
    except Exception as exc:  # cbor2's errors, and whatever its tag decoders raise on hostile input
        raise ParsingError(f"stream Z1 is not CBOR: {exc}", title=_DAMAGED) from exc
    if stream.tell() != len(data):
        raise ParsingError(f"stream Z1 has {len(data) - stream.tell()} bytes after its CBOR item", title=_DAMAGED)
    return node


def decode_body(data: bytes, book: Codebook, *, max_decoded: int = 512 * 1024) -> dict[str, Any]:
    """The document from Z1 ‖ Z2 ‖ BIN; PARSING_ERROR for anything that is not exactly that."""
    structure, rest = _inflate(data, book.structure_dictionary, max_decoded, "Z1")
    texts, binary = _inflate(rest, book.text_dictionary, max_decoded - len(structure), "Z2")
    if texts and not texts.endswith(b"\x00"):
        raise ParsingError("the last text of stream Z2 has no NUL terminator", title=_DAMAGED)
    node = _structure(structure)
    if type(node) is not dict:
        raise ParsingError("the payload is not a JSON object", title=_DAMAGED)
    try:
        strings = texts.decode("utf-8").split("\x00")[:-1]
    except UnicodeDecodeError as exc:
        raise ParsingError(f"stream Z2 is not UTF-8 (byte {exc.start})", title=_DAMAGED) from exc
    reader = _Reader(book, strings, binary, max_decoded)
    document = reader.item(node, 1)
    if reader.size > max_decoded:
        raise ParsingError("the payload expands beyond the size limit", title="QR payload too large")
    if reader.next_text != len(reader.texts):
        raise ParsingError(f"stream Z2 has {len(reader.texts) - reader.next_text} unused texts", title=_DAMAGED)
    if reader.offset != len(binary):
        raise ParsingError(f"{len(binary) - reader.offset} trailing bytes after the payload", title=_DAMAGED)
    if cbor2.dumps(node) != structure:  # only the shortest encoding, no duplicate keys, tags or floats
        raise ParsingError("stream Z1 is not in the preferred CBOR serialization (shortest forms, "
                           "definite lengths, each key once)", title=_DAMAGED)
    return document
