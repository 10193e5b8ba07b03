"""Hostile PDFs, written byte by byte (PDF 1.7 §7.5: header, numbered objects, a cross-reference
table, trailer), so that each case holds exactly the structure it attacks."""

from __future__ import annotations

import zlib

__all__ = ["bomb", "build", "certificate_pages", "embedded", "jpeg_page", "stream", "with_files"]

PAGES = {2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"}


def build(objects: dict[int, bytes], *, root: int = 1) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    start = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n" % size
    for number in range(size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, start)
    return bytes(out)


def stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), dictionary) + data + b"\nendstream"


def bomb(size: int) -> bytes:
    """`size` zero bytes, deflated (about 1,000 to 1)."""
    engine = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    return b"".join(engine.compress(chunk) for _ in range(size >> 20)) + engine.flush()


def embedded(data: bytes, *, flate: bool = False, subtype: bytes = b"/application#2Fvc+ld+json") -> bytes:
    return stream(data, b"/Type /EmbeddedFile /Subtype " + subtype + (b" /Filter /FlateDecode" if flate else b""))


def with_files(tree: bytes, extra: dict[int, bytes] | None = None) -> bytes:
    """A one-page PDF whose EmbeddedFiles name tree is object 4 (`tree`), plus `extra` objects."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>", **PAGES, 4: tree}
    objects.update(extra or {})
    return build(objects)


def certificate_pages(image: bytes) -> bytes:
    """One page whose only content is the image XObject `image` (object 5)."""
    return build({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: PAGES[2],
                  3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /I1 5 0 R >> >>"
                     b" /Contents 4 0 R >>",
                  4: stream(b"q 200 0 0 200 40 40 cm /I1 Do Q"), 5: image})


def jpeg_page(jpeg: bytes, width: int, height: int) -> bytes:
    """A scan: one page with a JPEG (DCTDecode) image."""
    return certificate_pages(stream(jpeg, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
                                          b"/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode" % (width, height)))
