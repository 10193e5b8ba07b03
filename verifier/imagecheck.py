"""Image budgets: what an upload declares (size, frames) is checked before any pixel is decoded.

A 38-byte lossless WebP can declare 7000x7000 pixels and a few MB of GIF hundreds of full-size
frames; decoding them costs gigabytes and minutes. So the header is read first. Pillow's
`Image.open` reads headers only, with two exceptions handled here: the WebP decoder allocates its
canvas when the file is opened (so the size is read from the RIFF header before), and Pillow's
GIF `n_frames` walks the whole file (so frames are counted here, stopping at the limit).
JPEG is decoded at reduced size (DCT scaling, `Image.draft`), so it may declare more pixels than
the formats decoded at full size; what is actually decoded has one limit for all formats, all
frames of an animation together a pixel budget, and a per-process gate bounds how many decodes
run at once, so N parallel uploads cannot multiply the memory.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import Iterator

from vccore.errors import ParsingError

__all__ = ["DECODE_GATE", "DecodeGate", "Declared", "IMAGE_ERROR", "ImageError", "ImageLimits",
           "REDUCED_FORMATS", "check_declared", "check_decoded_size", "gif_frames", "webp_size"]

IMAGE_ERROR = "IMAGE_ERROR"
REDUCED_FORMATS = ("JPEG", "MPO")   # decoded at 1/2, 1/4 or 1/8 size by libjpeg
ANIMATED_FORMATS = ("GIF", "PNG", "WEBP")


class ImageError(ParsingError):
    code = IMAGE_ERROR
    title = "The image could not be read"


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 25 * 1024 * 1024
    max_declared_reduced: int = 50_000_000  # JPEG as declared: a 48 MP phone photo passes
    max_decoded: int = 16_000_000           # pixels decoded for one frame, any format (4000x4000)
    max_total: int = 40_000_000             # pixels decoded over all frames of an animation
    max_frames: int = 200
    max_jpeg_scans: int = 100               # progressive JPEGs have ~10; each scan is a decoding pass


@dataclass(frozen=True)
class Declared:
    format: str
    width: int
    height: int
    frames: int


def _le(data: bytes, start: int, length: int) -> int:
    return int.from_bytes(data[start:start + length], "little")


def webp_size(data: bytes) -> tuple[int, int] | None:
    """Canvas size from a WebP file's first chunk (RFC 9649 §2.5-2.7), or None if unreadable."""
    if len(data) < 30 or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":        # lossy key frame start code
        return _le(data, 26, 2) & 0x3FFF, _le(data, 28, 2) & 0x3FFF
    if chunk == b"VP8L" and data[20] == 0x2F:                      # lossless signature
        bits = _le(data, 21, 4)
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":                                           # extended: canvas size
        return _le(data, 24, 3) + 1, _le(data, 27, 3) + 1
    return None


MAX_GIF_BLOCKS = 1_000_000  # encoders write 255-byte sub-blocks: 25 MB is ~100,000 of them


def _skip_sub_blocks(data: bytes, pos: int, seen: list[int]) -> int:
    while pos < len(data):
        size = data[pos]
        pos += 1 + size
        seen[0] += 1
        if size == 0:
            break
        if seen[0] > MAX_GIF_BLOCKS:  # tiny blocks only make the walk (and the decoder) slow
            raise ImageError("the GIF's data comes in unusually small blocks", title="Image too complex")
    return pos


def gif_frames(data: bytes, limit: int) -> tuple[int, int, int]:
    """(frames, canvas width, canvas height) of a GIF (GIF89a §18-§27), stopping once more than
    `limit` frames are seen; the canvas grows to any frame drawn beyond the logical screen, as
    Pillow's does."""
    width, height = _le(data, 6, 2), _le(data, 8, 2)
    flags = data[10] if len(data) > 10 else 0
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    frames, seen = 0, [0]
    while pos < len(data) and frames <= limit:
        block = data[pos]
        if block == 0x21:      # extension: label, then data sub-blocks
            pos = _skip_sub_blocks(data, pos + 2, seen)
        elif block == 0x2C:    # image descriptor, optional local colour table, LZW code size, data
            frames += 1
            left, top, w, h = (_le(data, pos + i, 2) for i in (1, 3, 5, 7))
            width, height = max(width, left + w), max(height, top + h)
            local = data[pos + 9] if pos + 9 < len(data) else 0
            pos = _skip_sub_blocks(data, pos + 11 + (3 << ((local & 7) + 1) if local & 0x80 else 0), seen)
        else:                  # trailer (0x3B) or garbage: Pillow stops reading here too
            break
    return frames, width, height


def check_declared(image, data: bytes, limits: ImageLimits) -> Declared:
    """The opened (not decoded) image against the limits; raises IMAGE_ERROR."""
    fmt, (width, height) = image.format or "?", image.size
    declared_limit = limits.max_declared_reduced if fmt in REDUCED_FORMATS else limits.max_decoded
    if width * height > declared_limit:
        raise ImageError(f"the {fmt} image declares {width}x{height} pixels; at most "
                         f"{declared_limit / 1e6:g} million are decoded", title="Image too large")
    frames = 1
    if fmt == "GIF":
        frames, width, height = gif_frames(data, limits.max_frames)
    elif fmt in ANIMATED_FORMATS:
        frames = int(getattr(image, "n_frames", 1) or 1)   # PNG: acTL chunk; WebP: demuxer
    if fmt in REDUCED_FORMATS and data.count(b"\xff\xda") > limits.max_jpeg_scans:
        raise ImageError(f"the JPEG has more than {limits.max_jpeg_scans} scans", title="Image too complex")
    if frames > limits.max_frames:
        raise ImageError(f"the animation has more than {limits.max_frames} frames", title="Too many frames")
    if frames > 1 and frames * width * height > limits.max_total:
        raise ImageError(f"{frames} frames of {width}x{height} pixels are more than "
                         f"{limits.max_total / 1e6:g} million pixels in all", title="Animation too large")
    if fmt not in REDUCED_FORMATS and width * height > limits.max_decoded:
        raise ImageError(f"the {fmt} frames cover {width}x{height} pixels", title="Image too large")
    return Declared(fmt, width, height, frames)


def check_decoded_size(width: int, height: int, limits: ImageLimits) -> None:
    """After `draft`: what JPEG will actually decode (a long panorama cannot be reduced much)."""
    if width * height > limits.max_decoded:
        raise ImageError(f"the image would decode to {width}x{height} pixels; at most "
                         f"{limits.max_decoded / 1e6:g} million", title="Image too large")


class DecodeGate:
    """At most `slots` image decodes at once in this process; others wait up to `wait` seconds."""

    def __init__(self, slots: int = 2, *, wait: float = 30.0) -> None:
        self.slots, self.wait = slots, wait
        self._semaphore = threading.BoundedSemaphore(slots)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        if not self._semaphore.acquire(timeout=self.wait):
            raise ImageError("the verifier is busy decoding other images; try again in a moment",
                             title="Too many images at once")
        try:
            yield
        finally:
            self._semaphore.release()


DECODE_GATE = DecodeGate()  # one per process: worker threads share it
