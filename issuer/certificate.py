"""The institution's copy of a PDF certificate (docs/pdf-certificate.md): an issued microcredential on
an A4 page in Dutch or English (vccore.pdfcert), for staff who print or send one. The QR code holds
the credential itself (there is no holder here to sign a presentation), and the page says so; the
credential is attached as `microcredential.json`, exactly as the registry stored it."""

from __future__ import annotations

import io
import json

import qrcode
import qrcode.util

from vccore.l10n import Localizer
from vccore.pdfcert import FontSet, credential_file, find_fonts, render_certificate, signed_fields
from vccore.qrcodec import encode_payload

from .registry import IssuedRecord
from .service import IssuerService

__all__ = ["PRINT_MAX_CHARS", "QR_CODEBOOK", "staff_certificate"]

QR_CODEBOOK = 1         # MC2C1 (docs/qr-format.md): every verifier of this project decodes it
PRINT_MAX_CHARS = 3391  # alphanumeric capacity of QR version 40 at error correction M: fine on paper


def qr_png(text: str) -> bytes:
    """A QR payload (alphanumeric mode, error correction M, as the wallet draws them) as PNG."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4)
    code.add_data(qrcode.util.QRData(text.encode("ascii"), mode=qrcode.util.MODE_ALPHA_NUM))
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").get_image().convert("L").save(out, format="PNG")
    return out.getvalue()


def staff_certificate(service: IssuerService, record: IssuedRecord, *, l10n: Localizer,
                      fonts: FontSet | None = None) -> bytes:
    """The PDF of `record`; its printed fields only as the credential signs them."""
    body = record.credential_json
    document = json.loads(body)
    cert = signed_fields(document, fmt="ldp_vc", canon=service.canon)
    text = encode_payload(document, codebook=QR_CODEBOOK)
    qr = qr_png(text) if len(text) <= PRINT_MAX_CHARS else None
    note = None if qr else l10n.gettext("This microcredential is too large for one QR code: verify the attached file.")
    return render_certificate(cert, l10n=l10n, attachments=[credential_file(body, "ldp_vc", l10n)], qr_png=qr,
                              fonts=fonts or find_fonts(), qr_note=note, created=service.clock.now(), staff_copy=True)
