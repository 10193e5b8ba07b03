"""Presenting by QR code (docs/qr-format.md): a presentation signed by the holder key, one-way
(created + short expiry) or bound to a verifier's request (challenge + domain), as one QR code
up to version 27/M or an animated sequence of codes of at most version 20/M. The payload is
`MC2C1:` (codebook 1); a presentation MC2 cannot carry exactly goes as `MC1D1:`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from vccore import Canonicalizer, Clock, KeyPair, create_presentation, format_datetime, sign_presentation
from vccore.errors import MalformedValueError
from vccore.qrcodec import PresentationRequest, encode_frames, encode_payload

from .qrimage import render_apng, render_png

__all__ = ["FILE_VALIDITY", "FRAME_MAX_CHARS", "ONE_WAY_MINUTES", "Presentation", "QR_CODEBOOK", "SINGLE_MAX_CHARS",
           "make_presentation", "payload_texts"]

SINGLE_MAX_CHARS = 1637  # alphanumeric capacity of QR version 27 at error correction M
FRAME_MAX_CHARS = 970    # ... of version 20 at M
ONE_WAY_MINUTES = 10
QR_CODEBOOK = 1  # MC2C1: every verifier of this project decodes it (and MC1/MC1D1)
# A presentation file (docs/presentation-file.md) is valid for the time the learner chose: its proof
# carries `expires` (Data Integrity 1.0 §2.1), which QR presentations leave out for DIDKit's sake.
FILE_VALIDITY = {"day": dt.timedelta(days=1), "month": dt.timedelta(days=30), "year": dt.timedelta(days=365)}


@dataclass(frozen=True)
class Presentation:
    """A signed presentation and its QR texts (one, or the frames of an animated sequence)."""

    document: dict[str, Any]
    texts: list[str]
    # Until when the wallet tells its user the code is usable. Not signed: the proof carries no
    # `expires` (DIDKit refuses one); a verifier accepts a one-way presentation for its own maximum
    # age after `created`, a request-bound one while its challenge is open (docs/qr-format.md).
    expires: str | None = None

    @property
    def animated(self) -> bool:
        return len(self.texts) > 1

    def png(self, index: int = 0) -> bytes:
        return render_png(self.texts[index])

    def write(self, qr: str | Path | None = None, text: str | Path | None = None) -> list[Path]:
        """Files of the CLI contract: OUT.png (still, or animated PNG) and OUT-i.png per frame;
        the text file holds one payload per line. Returns the paths written."""
        written: list[Path] = []
        if qr is not None:
            qr = Path(qr)
            if self.animated:
                for i, frame in enumerate(self.texts, 1):
                    path = qr.with_name(f"{qr.stem}-{i}{qr.suffix or '.png'}")
                    path.write_bytes(render_png(frame))
                    written.append(path)
                qr.write_bytes(render_apng(self.texts))
            else:
                qr.write_bytes(self.png())
            written.insert(0, qr)
        if text is not None:
            Path(text).write_text("\n".join(self.texts) + "\n", encoding="ascii")
            written.append(Path(text))
        return written


def payload_texts(document: dict[str, Any], *, codebook: int | None = QR_CODEBOOK) -> list[str]:
    """One payload when it fits version 27/M, else frames that each fit version 20/M."""
    single = encode_payload(document, codebook=codebook)
    if len(single) <= SINGLE_MAX_CHARS:
        return [single]
    return encode_frames(document, max_chars=FRAME_MAX_CHARS, codebook=codebook)


def make_presentation(credentials: Sequence[dict[str, Any]], *, key: KeyPair, canon: Canonicalizer,
                      clock: Clock, request: PresentationRequest | None = None, challenge: str | None = None,
                      domain: str | None = None, minutes: int = ONE_WAY_MINUTES,
                      valid_for: str | None = None) -> Presentation:
    """Sign the credentials (as received) into a presentation; `request` sets challenge and domain;
    `valid_for` (day, month, year) makes a presentation file, whose proof says until when it is valid."""
    if not credentials:
        raise MalformedValueError("choose at least one credential to present", title="Nothing to present")
    now = clock.now()
    expires = now + dt.timedelta(minutes=minutes)
    if request is not None:
        challenge, domain = request.challenge, request.domain
        expires = min(expires, request.expires)
    signed_expires = None
    if valid_for is not None:
        if valid_for not in FILE_VALIDITY or request is not None or challenge is not None:
            raise MalformedValueError("a presentation file is valid for a day, a month or a year, and answers "
                                      "no request", title="Invalid validity")
        expires = now + FILE_VALIDITY[valid_for]
        signed_expires = format_datetime(expires)
    vp = create_presentation(list(credentials), holder=key.controller)
    signed = sign_presentation(vp, key=key, canon=canon, created=format_datetime(now), challenge=challenge,
                               domain=domain, expires=signed_expires)  # QR: `created` + the verifier's maximum age
    return Presentation(signed, payload_texts(signed), expires=format_datetime(expires))
