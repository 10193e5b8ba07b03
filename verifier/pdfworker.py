"""Reads one PDF in a process of its own (verifier.pdfintake starts it, docs/pdf-certificate.md): the
files attached to it that may be a credential, and the texts of the QR codes in its page images.

Why a process: qpdf (under pikepdf) inflates cross-reference and object streams without a bound
and builds every element of an array it parses, so a 1 MB PDF can ask for gigabytes before any
check of ours runs. Here the operating system bounds memory and CPU time, qpdf's own parser limits
are set, and a crash takes only this process. The steps below are bounded as well, so ordinary
hostile files are refused quickly and by name: at most MAX_ENTRIES name-tree entries and
MAX_NODES nodes are walked (loops and depth bounded), an attachment inflates to at most
MAX_ATTACHMENT bytes (only no filter or FlateDecode; a raw stream larger than that is refused
unread), images are checked for their declared size and filters before they are decoded.

Nothing here verifies or interprets a credential: the parent parses what comes back like any
other input. Standalone on purpose (standard library, pikepdf, Pillow, zxing-cpp): it is started
as a file, imports little, and reads the PDF from stdin; it answers one JSON object on stdout.
"""

from __future__ import annotations

import base64
import io
import json
import sys
import zlib
from typing import Any

MAX_ATTACHMENT = 1024 * 1024       # vccore.jsondoc.MAX_BYTES: no credential document is larger
MAX_TOTAL = 4 * MAX_ATTACHMENT     # all attachments together
MAX_ENTRIES, MAX_CANDIDATES, MAX_NODES, MAX_DEPTH = 64, 16, 256, 16
MAX_PAGES, MAX_IMAGES = 4, 16
MAX_IMAGE_PIXELS = 16_000_000      # as verifier.imagecheck decodes at most
SCAN_SIDE = 2048                   # larger images are scaled down before the QR scan
NAMES = (".json", ".jsonld", ".txt", ".jwt")
MEDIA = ("application/vc+ld+json", "application/vp+ld+json", "application/json", "application/ld+json",
         "text/plain", "application/jwt", "application/vc+jwt", "application/dc+sd-jwt", "application/vc+sd-jwt",
         "application/vc", "application/vp")
# qpdf 12's parser limits (process-wide, which is why they are set only here)
QPDF_LIMITS = {"parserMaxContainerSize": "100000", "parserMaxNesting": "64", "parserMaxErrors": "15",
               "maxStreamFilters": "4"}


class Refusal(Exception):
    """The PDF is refused: `kind` names why (the parent turns it into a problem title)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind, self.detail = kind, detail


def _inflate(raw: bytes, cap: int, what: str) -> bytes:
    engine = zlib.decompressobj()
    try:
        out = engine.decompress(raw, cap + 1)
    except zlib.error as exc:
        raise Refusal("damaged", f"{what}: damaged compressed data") from exc
    if len(out) > cap or engine.unconsumed_tail:
        raise Refusal("too-large", f"{what} inflates to more than {cap} bytes")
    return out


def _filters(stream: Any) -> list[str]:
    import pikepdf
    found = stream.get("/Filter")
    found = list(found) if isinstance(found, pikepdf.Array) else [] if found is None else [found]
    return [str(f) for f in found]


def _stream_bytes(stream: Any, cap: int, what: str) -> bytes:
    """A stream's data, decoded here with a cap: no filter, or FlateDecode without predictors."""
    filters = _filters(stream)
    if filters not in ([], ["/FlateDecode"]) or (filters and stream.get("/DecodeParms") is not None):
        raise Refusal("unsupported", f"{what} uses filters {filters[:4]}; only FlateDecode is read")
    length = stream.get("/Length")
    if isinstance(length, int) and length > cap + 1024:  # deflate cannot shrink what it stores raw
        raise Refusal("too-large", f"{what} is {length} bytes, more than {cap}")
    raw = stream.read_raw_bytes()
    if not filters:
        if len(raw) > cap:
            raise Refusal("too-large", f"{what} is {len(raw)} bytes, more than {cap}")
        return raw
    return _inflate(raw, cap, what)


def _entries(tree: Any) -> list[tuple[str, Any]]:
    """(name, file specification) of a name tree (PDF 1.7 §7.9.6), walked by hand: pikepdf's own
    walk reads every entry (300,000 entries: 20 s) and stops silently at a loop."""
    import pikepdf
    found: list[tuple[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    todo: list[tuple[Any, int]] = [(tree, 0)]
    nodes = 0
    while todo and len(found) < MAX_ENTRIES:
        node, depth = todo.pop()
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise Refusal("structure", f"the attachment list has more than {MAX_NODES} nodes or {MAX_DEPTH} levels")
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                raise Refusal("structure", "the attachment list refers to itself (a loop)")
            seen.add(node.objgen)
        names = node.get("/Names")
        if isinstance(names, pikepdf.Array):
            for i in range(0, min(len(names), 2 * MAX_ENTRIES) - 1, 2):
                found.append((str(names[i]) if isinstance(names[i], pikepdf.String) else "", names[i + 1]))
        kids = node.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            todo.extend((kid, depth + 1) for kid in reversed(list(kids)[:MAX_NODES]))
    return found[:MAX_ENTRIES]


def attachments(pdf: Any) -> list[dict[str, str]]:
    """The embedded files (EmbeddedFiles name tree) whose name or media type may hold a credential."""
    import pikepdf
    names = pdf.Root.get("/Names")
    tree = names.get("/EmbeddedFiles") if isinstance(names, pikepdf.Dictionary) else None
    out: list[dict[str, str]] = []
    total = 0
    for key, spec in _entries(tree) if tree is not None else []:
        if not isinstance(spec, pikepdf.Dictionary) or len(out) >= MAX_CANDIDATES:
            continue
        name = str(spec.get("/UF") or spec.get("/F") or key)[:200]
        ef = spec.get("/EF")
        stream = (ef.get("/UF") or ef.get("/F")) if isinstance(ef, pikepdf.Dictionary) else None
        if not isinstance(stream, pikepdf.Stream):
            continue
        mime = str(stream.get("/Subtype") or "").lstrip("/").lower()
        if not (name.lower().endswith(NAMES) or mime in MEDIA):
            continue
        data = _stream_bytes(stream, min(MAX_ATTACHMENT, MAX_TOTAL - total), f"the attached file {name[:80]!r}")
        total += len(data)
        out.append({"name": name, "mime": mime, "data": base64.b64encode(data).decode("ascii")})
    return out


def _picture(image: Any) -> Any:
    """The image as a Pillow image, or None when it is not one we decode (too large, other filters)."""
    import pikepdf
    from PIL import Image
    width, height, bits = image.get("/Width"), image.get("/Height"), image.get("/BitsPerComponent", 8)
    if not all(isinstance(v, int) for v in (width, height, bits)) or not 0 < width * height <= MAX_IMAGE_PIXELS:
        return None
    filters = _filters(image)
    if filters == ["/DCTDecode"]:  # a JPEG file as it is: Pillow reads its header size first
        picture = Image.open(io.BytesIO(image.read_raw_bytes()))
        return picture if picture.width * picture.height <= MAX_IMAGE_PIXELS else None
    if filters not in ([], ["/FlateDecode"]) or bits not in (1, 8):
        return None
    channels = 3 if str(image.get("/ColorSpace", "")) == "/DeviceRGB" else 4 \
        if str(image.get("/ColorSpace", "")) == "/DeviceCMYK" else 1
    row = (width * channels * bits + 7) // 8 + 1  # +1: the PNG predictor's filter byte per row
    raw = image.read_raw_bytes()
    if filters:
        _inflate(raw, row * height, "an image")  # bounded first; pikepdf then decodes the same bytes
    elif len(raw) > row * height:
        return None
    return pikepdf.PdfImage(image).as_pil_image()


def qr_texts(pdf: Any) -> tuple[list[str], int]:
    """Texts of the QR codes in the images of the first pages; and how many images were skipped."""
    import pikepdf
    import zxingcpp
    texts: list[str] = []
    seen = skipped = 0
    for number in range(min(len(pdf.pages), MAX_PAGES)):
        xobjects = pdf.pages[number].obj.get("/Resources", pikepdf.Dictionary()).get("/XObject")
        for _name, image in (xobjects.items() if isinstance(xobjects, pikepdf.Dictionary) else []):
            if not isinstance(image, pikepdf.Stream) or image.get("/Subtype") != "/Image":
                continue  # forms nested in forms: not a certificate's QR code
            seen += 1
            if seen > MAX_IMAGES:
                return texts, skipped + 1
            try:
                picture = _picture(image)
            except Refusal:
                picture = None
            except Exception:  # noqa: BLE001 - an image pikepdf or Pillow cannot decode holds no code we read
                picture = None
            if picture is None:
                skipped += 1
                continue
            gray = picture.convert("L")
            if max(gray.size) > SCAN_SIDE:
                gray.thumbnail((SCAN_SIDE, SCAN_SIDE))
            for code in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode):
                if code.valid and code.text and code.text not in texts:
                    texts.append(code.text)
    return texts, skipped


def extract(data: bytes) -> dict[str, Any]:
    """What the PDF carries, or {"refused": kind, "detail": ...}."""
    import pikepdf
    unreadable = (pikepdf.PikepdfError, RuntimeError, ValueError, KeyError, TypeError, IndexError, AttributeError,
                  OverflowError, RecursionError, NotImplementedError)
    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            found = attachments(pdf)
            try:  # also when a file is attached: the parent may not accept it
                texts, skipped = qr_texts(pdf)
            except unreadable:
                if not found:
                    raise
                texts, skipped = [], 0  # a broken page tree does not hide the attachment
            limited = [w for w in pdf.get_warnings() if "limits error" in w]
    except Refusal as refusal:
        return {"refused": refusal.kind, "detail": refusal.detail}
    except pikepdf.PasswordError:
        return {"refused": "encrypted", "detail": "the PDF is protected with a password"}
    except unreadable as exc:
        return {"refused": "damaged", "detail": f"not a readable PDF ({type(exc).__name__})"}
    if limited and not found and not texts:
        return {"refused": "structure", "detail": "the PDF's structure exceeds the reader's limits"}
    return {"attachments": found, "qr": texts, "skipped_images": skipped}


def _limit(memory_mb: int, seconds: int) -> None:
    """Address space: what the interpreter already maps plus `memory_mb`; CPU: `seconds`."""
    try:
        import resource
    except ImportError:  # not on this platform: the parent's timeout still applies
        return
    mapped = 0
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            mapped = next((int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:")), 0)
    except OSError:
        pass
    limit = mapped + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def main(argv: list[str]) -> int:
    import os

    import pikepdf
    import PIL.Image  # noqa: F401 - imported before the limit, as is zxing-cpp
    import zxingcpp  # noqa: F401
    try:
        pikepdf.Job({"empty": "", "outputFile": os.devnull, "global": QPDF_LIMITS}).run()
    except pikepdf.JobUsageError:  # a qpdf without these options: the process limits below still hold
        pass
    _limit(int(argv[1]), int(argv[2]))
    data = sys.stdin.buffer.read()
    try:
        answer = extract(data)
    except MemoryError:
        answer = {"refused": "memory", "detail": "reading the PDF needs more memory than allowed"}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
