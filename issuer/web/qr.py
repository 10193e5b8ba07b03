"""QR codes for credential offers, as PNG data URIs (no extra request, allowed by our CSP)."""

from __future__ import annotations

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

__all__ = ["qr_data_uri"]


def qr_data_uri(text: str, *, box_size: int = 6) -> str:
    """The offer link in byte mode at error correction M, as data:image/png;base64."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
