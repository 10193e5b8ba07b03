"""The learner's PDF certificate (docs/pdf-certificate.md): one stored microcredential on an A4 page in
Dutch or English (vccore.pdfcert). It carries a presentation file signed for it, valid as long as the
learner chose (a printed QR code must outlive the ten minutes of a live one), as the QR code and as
the attachment `presentation.json`, and the credential itself as `microcredential.json`, exactly as
stored. An SD-JWT VC whose grade the learner leaves out is attached and printed without it."""

from __future__ import annotations

import re
from typing import Any

from vccore.l10n import Localizer
from vccore.pdfcert import FontSet, credential_file, find_fonts, presentation_file, render_certificate, signed_fields
from vccore.qrcodec import encode_payload
from vccore.sdjwt import select

from .formats import is_jose, signed_body
from .holder import Wallet
from .present import QR_CODEBOOK
from .qrimage import render_png

__all__ = ["PRINT_MAX_CHARS", "certificate_pdf", "pdf_name"]

PRINT_MAX_CHARS = 3391  # alphanumeric capacity of QR version 40 at error correction M: fine on paper


def _kept(body: bytes, hide: tuple[str, ...]) -> bytes:
    """The stored credential, or an SD-JWT VC without the disclosures of the `hide` members."""
    if not hide or not is_jose(body) or b"~" not in body:
        return body
    return select(body.decode("ascii").strip(), lambda d: d.name not in hide).encode("ascii")


def certificate_pdf(wallet: Wallet, cred_id: str, *, l10n: Localizer, valid_for: str = "year",
                    fonts: FontSet | None = None, hide: tuple[str, ...] = ()) -> bytes:
    body = _kept(wallet.body(cred_id), hide)
    fmt, document = signed_body(body, wallet.verifier)  # a JOSE credential's signature is checked again here
    cert = signed_fields(document, fmt=fmt, canon=wallet.verifier.canon)
    shown = wallet.present([cred_id], valid_for=valid_for, hide=hide)
    text = encode_payload(shown.document, codebook=QR_CODEBOOK)
    qr = render_png(text) if len(text) <= PRINT_MAX_CHARS else None
    note = l10n.gettext("The QR code is valid until %(date)s.", date=l10n.date(shown.expires)) if qr else \
        l10n.gettext("This microcredential is too large for one QR code: verify the attached file.")
    files = [credential_file(body, fmt, l10n), presentation_file(shown.document, shown.expires, l10n)]
    return render_certificate(cert, l10n=l10n, attachments=files, qr_png=qr, fonts=fonts or find_fonts(),
                              qr_note=note, created=wallet.clock.now())


def pdf_name(summary: dict[str, Any]) -> str:
    """A file name from the unit's name (ASCII letters, digits, - and _)."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", str(summary.get("name") or "microcredential")).strip("-")[:60]
    return f"{stem or 'microcredential'}.pdf"
