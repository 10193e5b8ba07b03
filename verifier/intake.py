"""Intake: what an employer hands the verifier, turned into one JSON document.

Accepts JSON (credential or presentation), QR payload text (`MC1:`/`MC1D1:`, or animated frames
one per line, any order), or an image (photo or screenshot) holding such QR codes. Images are
decoded with zxing-cpp after scaling large photos down (JPEG decodes at reduced size directly);
pixel counts are capped so an image bomb is refused, not decoded.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from vccore.errors import ParsingError
from vccore.jsondoc import parse_json
from vccore.qrcodec import FrameAssembler, decode_payload

__all__ = ["IMAGE_ERROR", "NO_QR_CODE", "ImageError", "NoQrCodeError", "decode_image", "read_input",
           "texts_to_document"]

IMAGE_ERROR = "IMAGE_ERROR"
NO_QR_CODE = "QR_NOT_FOUND"
MAX_PIXELS = 50_000_000          # a 48 MP phone photo still passes; a pixel bomb does not
MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_FRAMES = 200
SCAN_SIDES = (1600, 2600)        # long side tried first, then a larger one for small codes
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"BM", b"II*\x00", b"MM\x00*")


class ImageError(ParsingError):
    code = IMAGE_ERROR
    title = "The image could not be read"


class NoQrCodeError(ParsingError):
    code = NO_QR_CODE
    title = "No QR code found in the image"


def looks_like_image(data: bytes) -> bool:
    return data.startswith(_IMAGE_MAGIC)


def _open(data: bytes) -> Image.Image:
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(f"the image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise ImageError(f"the image has {image.width}x{image.height} pixels, too many")
            return image
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, ValueError) as exc:
        raise ImageError(f"{type(exc).__name__}") from exc


def _scaled(data: bytes, side: int) -> Image.Image:
    """Grayscale, long side at most `side`; JPEG is decoded at reduced size (DCT scaling)."""
    image = _open(data)
    try:
        if image.format == "JPEG":
            image.draft("L", (side, side))
        image = ImageOps.exif_transpose(image)
        image = image.convert("L")
        if max(image.size) > side:
            factor = max(image.size) / side
            image = image.resize((round(image.width / factor), round(image.height / factor)),
                                 Image.Resampling.BILINEAR, reducing_gap=2.0)
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageError(f"{type(exc).__name__}") from exc
    return image


def decode_image(data: bytes) -> list[str]:
    """The texts of the QR codes in an image (several when it shows frames of a sequence)."""
    import zxingcpp  # heavy native module: only the paths that decode images load it

    frames = getattr(_open(data), "n_frames", 1)
    if frames > 1:
        return _decode_animation(data, frames)
    for side in SCAN_SIDES:
        image = _scaled(data, side)
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True,
                                       try_downscale=True, try_invert=False)
        texts = [b.text for b in found if b.valid and b.text]
        ours = [t for t in texts if t.startswith("MC1")]
        if texts:
            return ours or texts
        if max(image.size) < side:  # already at full resolution: a larger pass cannot help
            break
    raise NoQrCodeError("no readable QR code in the image")


def _decode_animation(data: bytes, frames: int) -> list[str]:
    """Every frame of an animated PNG/GIF (the wallet's animated sequence), each decoded."""
    import zxingcpp

    if frames > MAX_FRAMES:
        raise ImageError(f"the animation has {frames} frames, more than {MAX_FRAMES}")
    image = _open(data)
    texts: list[str] = []
    try:
        for frame in ImageSequence.Iterator(image):
            gray = frame.convert("L")
            if max(gray.size) > SCAN_SIDES[-1]:
                gray.thumbnail((SCAN_SIDES[-1], SCAN_SIDES[-1]))
            for barcode in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode):
                if barcode.valid and barcode.text and barcode.text not in texts:
                    texts.append(barcode.text)
    except (OSError, ValueError, EOFError) as exc:
        raise ImageError(type(exc).__name__) from exc
    if not texts:
        raise NoQrCodeError("no readable QR code in the animation")
    return texts


def texts_to_document(texts: list[str]) -> dict[str, Any]:
    """One payload, or the frames of an animated sequence (assembled and checked)."""
    texts = [t.strip() for t in texts if t.strip()]
    if not texts:
        raise ParsingError("no QR payload", title="Empty input")
    if FrameAssembler.is_frame(texts[0]):
        assembler = FrameAssembler()
        for text in texts:
            assembler.add(text)
        return assembler.document()
    if len(set(texts)) > 1:
        raise ParsingError("several different QR payloads; present one at a time", title="Several QR codes")
    return decode_payload(texts[0])


def read_input(data: bytes | str) -> Any:
    """JSON, QR text or an image -> the parsed document; raises ParsingError (or a subclass)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if looks_like_image(raw):
        return texts_to_document(decode_image(raw))
    head = raw.lstrip()[:1]
    if head in (b"{", b"["):
        return parse_json(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParsingError("neither JSON, QR text nor a supported image", title="Unrecognised input") from exc
    if text.lstrip().startswith("MC1"):
        return texts_to_document(text.splitlines())
    raise ParsingError("neither JSON, QR text nor a supported image", title="Unrecognised input")
