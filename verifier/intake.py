"""Intake: what an employer hands the verifier, turned into one JSON document (or, for a JOSE-secured
credential, its compact text).

Accepts JSON (credential or presentation), a JWT or SD-JWT credential as text, QR payload text (`MC1:`/`MC1D1:`/`MC2C1:`, or animated frames
one per line, any order), or an image (photo or screenshot) holding such QR codes. Images are
decoded with zxing-cpp after scaling large photos down (JPEG decodes at reduced size directly).
What an image declares (size, frames) is checked before any pixel is decoded, and decodes are
gated per process (`verifier.imagecheck`), so an image bomb is refused, not decoded.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from PIL import Image, ImageSequence, UnidentifiedImageError

from vccore.errors import ParsingError
from vccore.joseverify import is_jose_text
from vccore.jsondoc import parse_json
from vccore.qrcodec import FrameAssembler, decode_payload

from .imagecheck import (DECODE_GATE, IMAGE_ERROR, REDUCED_FORMATS, DecodeGate, Declared, ImageError,
                         ImageLimits, check_declared, check_decoded_size, webp_size)

__all__ = ["IMAGE_ERROR", "NO_QR_CODE", "ImageError", "NoQrCodeError", "decode_image", "is_pdf", "read_input",
           "texts_to_document"]

NO_QR_CODE = "QR_NOT_FOUND"
LIMITS = ImageLimits()
SCAN_SIDES = (1600, 2600)        # long side tried first, then a larger one for small codes
FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")  # the only decoders Pillow may pick (JPEG covers MPO)
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"BM", b"II*\x00", b"MM\x00*")
# EXIF orientation (tag 0x0112) -> the transpose that undoes it, as ImageOps.exif_transpose does;
# applied after scaling down, so the full-size image is never copied.
_ORIENT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
           5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_90}


class NoQrCodeError(ParsingError):
    code = NO_QR_CODE
    title = "No QR code found in the image"


def looks_like_image(data: bytes) -> bool:
    return data.startswith(_IMAGE_MAGIC)


def _open(data: bytes, limits: ImageLimits) -> tuple[Image.Image, Declared]:
    """Open lazily (headers only) and check what the image declares; raises IMAGE_ERROR."""
    if len(data) > limits.max_bytes:
        raise ImageError(f"the image is larger than {limits.max_bytes // (1024 * 1024)} MB")
    if data.startswith(b"RIFF"):  # the WebP decoder allocates its canvas on open: check first
        size = webp_size(data)
        if size is None:
            raise ImageError("not a WebP image")
        if size[0] * size[1] > limits.max_decoded:
            raise ImageError(f"the WEBP image declares {size[0]}x{size[1]} pixels; at most "
                             f"{limits.max_decoded / 1e6:g} million are decoded", title="Image too large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            return image, check_declared(image, data, limits)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, ValueError, SyntaxError, IndexError, EOFError) as exc:
        if isinstance(exc, ImageError):
            raise
        raise ImageError(f"{type(exc).__name__}") from exc


def _scaled(data: bytes, side: int, limits: ImageLimits) -> Image.Image:
    """Grayscale, long side at most `side`; JPEG is decoded at reduced size (DCT scaling)."""
    image, declared = _open(data, limits)
    try:
        orientation = image.getexif().get(0x0112)
        if declared.format in REDUCED_FORMATS:
            image.draft("L", (side, side))
        check_decoded_size(image.width, image.height, limits)
        image = image.convert("L")
        if max(image.size) > side:
            factor = max(image.size) / side
            image = image.resize((round(image.width / factor), round(image.height / factor)),
                                 Image.Resampling.BILINEAR, reducing_gap=2.0)
        if orientation in _ORIENT:
            image = image.transpose(_ORIENT[orientation])
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise ImageError(f"{type(exc).__name__}") from exc
    return image


def decode_image(data: bytes, *, limits: ImageLimits = LIMITS, gate: DecodeGate = DECODE_GATE) -> list[str]:
    """The texts of the QR codes in an image (several when it shows frames of a sequence)."""
    import zxingcpp  # heavy native module: only the paths that decode images load it

    _image, declared = _open(data, limits)  # refused here, before any pixel is decoded
    with gate.slot():
        if declared.frames > 1:
            return _decode_animation(data, limits)
        for side in SCAN_SIDES:
            image = _scaled(data, side, limits)
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True,
                                           try_downscale=True, try_invert=False)
            texts = [b.text for b in found if b.valid and b.text]
            ours = [t for t in texts if t.startswith(("MC1", "MC2"))]
            if texts:
                return ours or texts
            if max(image.size) < side:  # already at full resolution: a larger pass cannot help
                break
    raise NoQrCodeError("no readable QR code in the image")


def _decode_animation(data: bytes, limits: ImageLimits) -> list[str]:
    """Every frame of an animated PNG/GIF/WebP (the wallet's animated sequence), each decoded."""
    import zxingcpp

    image, _declared = _open(data, limits)
    texts: list[str] = []
    try:
        for frame in ImageSequence.Iterator(image):
            gray = frame.convert("L")
            if max(gray.size) > SCAN_SIDES[-1]:
                gray.thumbnail((SCAN_SIDES[-1], SCAN_SIDES[-1]))
            for barcode in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode):
                if barcode.valid and barcode.text and barcode.text not in texts:
                    texts.append(barcode.text)
    except (OSError, ValueError, EOFError, SyntaxError) as exc:
        raise ImageError(type(exc).__name__) from exc
    if not texts:
        raise NoQrCodeError("no readable QR code in the animation")
    return texts


def texts_to_document(texts: list[str]) -> dict[str, Any]:
    """One payload, or the frames of an animated sequence (assembled and checked)."""
    texts = [t.strip() for t in texts if t.strip()]
    if not texts:
        raise ParsingError("no QR payload", title="Empty input")
    if len(texts) == 1 and is_jose_text(texts[0]):  # a JWT or SD-JWT credential in a QR code
        return texts[0]
    if FrameAssembler.is_frame(texts[0]):
        assembler = FrameAssembler()
        for text in texts:
            assembler.add(text)
        return assembler.document()
    if len(set(texts)) > 1:
        raise ParsingError("several different QR payloads; present one at a time", title="Several QR codes")
    return decode_payload(texts[0])


def is_pdf(raw: bytes) -> bool:
    """Read as a PDF by read_input: not an image or JSON, and the header `%PDF-` (PDF 1.7 §7.5.2:
    readers accept it within the first 1024 bytes)."""
    return not looks_like_image(raw) and raw.lstrip()[:1] not in (b"{", b"[") and b"%PDF-" in raw[:1024]


def read_input(data: bytes | str) -> Any:
    """JSON, QR text, an image or a PDF -> the parsed document; raises ParsingError (or a subclass)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if looks_like_image(raw):
        return texts_to_document(decode_image(raw))
    head = raw.lstrip()[:1]
    if head in (b"{", b"["):
        return parse_json(raw)
    if is_pdf(raw):  # a PDF certificate (verifier.pdfintake): what it carries
        from .pdfintake import read_pdf
        return read_pdf(raw).document
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParsingError("neither JSON, QR text nor a supported image", title="Unrecognised input") from exc
    if text.lstrip().startswith(("MC1", "MC2")):
        return texts_to_document(text.splitlines())
    if is_jose_text(text.strip()):  # jwt_vc_json, vc+jwt or SD-JWT VC (vccore.joseverify), as text
        return text.strip()
    raise ParsingError("neither JSON, QR text nor a supported image", title="Unrecognised input")
