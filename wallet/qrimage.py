"""QR images: render payload texts (alphanumeric mode, error correction M) as PNG / animated
PNG, and read QR codes from image files (zxing-cpp) for credential offers."""

from __future__ import annotations

import io
from typing import Iterable

import qrcode
import qrcode.util
from PIL import Image, ImageSequence

from vccore.errors import ParsingError

__all__ = ["FRAME_MS", "SINGLE_MAX_VERSION", "FRAME_MAX_VERSION", "qr_version", "read_codes", "render_apng",
           "render_png"]

SINGLE_MAX_VERSION = 27
FRAME_MAX_VERSION = 20
FRAME_MS = 200  # ~5 frames per second
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000


def _code(text: str, *, alphanumeric: bool = True) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4)
    data = text.encode("ascii") if alphanumeric else text.encode("utf-8")
    mode = qrcode.util.MODE_ALPHA_NUM if alphanumeric else qrcode.util.MODE_8BIT_BYTE
    qr.add_data(qrcode.util.QRData(data, mode=mode))
    qr.make(fit=True)
    return qr


def qr_version(text: str, *, alphanumeric: bool = True) -> int:
    """The smallest QR version holding `text` at error correction M."""
    return _code(text, alphanumeric=alphanumeric).version


def _image(text: str, *, alphanumeric: bool = True) -> Image.Image:
    return _code(text, alphanumeric=alphanumeric).make_image(fill_color="black", back_color="white") \
        .get_image().convert("L")


def render_png(text: str, *, alphanumeric: bool = True) -> bytes:
    out = io.BytesIO()
    _image(text, alphanumeric=alphanumeric).save(out, format="PNG")
    return out.getvalue()


def render_apng(texts: Iterable[str]) -> bytes:
    """An animated PNG cycling through the frames (same size, looping, FRAME_MS each)."""
    images = [_image(t) for t in texts]
    size = max(i.width for i in images)
    frames = []
    for img in images:
        canvas = Image.new("L", (size, size), 255)
        canvas.paste(img, ((size - img.width) // 2, (size - img.height) // 2))
        frames.append(canvas)
    out = io.BytesIO()
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:], duration=FRAME_MS, loop=0)
    return out.getvalue()


def read_codes(data: bytes) -> list[str]:
    """Texts of all QR codes in an image file (every frame of an animation), in frame order."""
    import zxingcpp

    if len(data) > MAX_IMAGE_BYTES:
        raise ParsingError("the image file is too large", title="Image too large")
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only: the size is checked before decoding
        if image.width * image.height > MAX_PIXELS:  # not Image.MAX_IMAGE_PIXELS: that is process-wide
            raise ParsingError(f"the image has {image.width}x{image.height} pixels", title="Image too large")
        texts: list[str] = []
        for frame in ImageSequence.Iterator(image):
            for result in zxingcpp.read_barcodes(frame.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode):
                if result.text and result.text not in texts:
                    texts.append(result.text)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ParsingError(f"not a readable image: {type(exc).__name__}", title="Unreadable image") from exc
    if not texts:
        raise ParsingError("no QR code found in the image", title="No QR code found")
    return texts
