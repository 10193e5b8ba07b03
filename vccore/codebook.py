"""Codebooks of the MC2 QR payload format (docs/qr-format.md section 1.2): the key table, the value
table and the two preset DEFLATE dictionaries, read from vccore/qrbook/c<n>.json.

A published codebook never changes: decoders need its exact bytes, forever. New terms or another
issuer's layout go into a codebook with a new number (built by scripts/build_qr_codebook.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import ParsingError

__all__ = ["BOOK_DIR", "Codebook", "FIRST_VALUE_CODE", "MAX_CODE", "codebook", "known_codebooks"]

BOOK_DIR = Path(__file__).resolve().parent / "qrbook"
FIRST_VALUE_CODE = 8  # codes 0-7 are the placeholders (vccore/qr2.py), 8... the value table
MAX_CODE = 255        # every code fits one or two bytes of CBOR


@dataclass(frozen=True)
class Codebook:
    """One codebook: `keys[i]` is key code i, `values[i]` is value code FIRST_VALUE_CODE + i."""

    number: int
    keys: tuple[str, ...]
    values: tuple[str, ...]
    structure_dictionary: bytes  # preset dictionary of stream Z1 (CBOR structure)
    text_dictionary: bytes       # preset dictionary of stream Z2 (texts)
    key_codes: dict[str, int] = field(init=False, repr=False, compare=False)
    value_codes: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(set(self.keys)) != len(self.keys) or len(set(self.values)) != len(self.values):
            raise ValueError(f"codebook {self.number}: a key or value is listed twice")
        if FIRST_VALUE_CODE + len(self.values) - 1 > MAX_CODE or len(self.keys) - 1 > MAX_CODE:
            raise ValueError(f"codebook {self.number}: more than {MAX_CODE + 1} codes")
        object.__setattr__(self, "key_codes", {k: i for i, k in enumerate(self.keys)})
        object.__setattr__(self, "value_codes", {v: FIRST_VALUE_CODE + i for i, v in enumerate(self.values)})

    @classmethod
    def from_json(cls, document: dict) -> "Codebook":
        return cls(number=document["codebook"], keys=tuple(document["keys"]), values=tuple(document["values"]),
                   structure_dictionary=base64.b64decode(document["structure_dictionary"], validate=True),
                   text_dictionary=document["text_dictionary"].encode("utf-8"))

    def to_json(self) -> dict:
        return {"codebook": self.number, "keys": list(self.keys), "values": list(self.values),
                "structure_dictionary": base64.b64encode(self.structure_dictionary).decode("ascii"),
                "text_dictionary": self.text_dictionary.decode("utf-8")}

    def fingerprint(self) -> str:
        """SHA-256 of the file's canonical content: what tests pin so a published book never changes."""
        canonical = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def known_codebooks() -> list[int]:
    """Numbers of the codebooks this installation ships."""
    return sorted(int(p.stem[1:]) for p in BOOK_DIR.glob("c*.json") if p.stem[1:].isdigit())


@lru_cache(maxsize=8)
def codebook(number: int) -> Codebook:
    """Codebook `number`; an unknown one is a PARSING_ERROR (the payload needs a newer decoder)."""
    path = BOOK_DIR / f"c{number}.json"
    if not 1 <= number <= 999 or not path.is_file():
        raise ParsingError(f"unknown QR codebook {number} (this decoder knows {known_codebooks()})",
                           title="Unsupported QR format")
    book = Codebook.from_json(json.loads(path.read_text(encoding="utf-8")))
    if book.number != number:
        raise ValueError(f"{path.name} says it is codebook {book.number}")
    return book
