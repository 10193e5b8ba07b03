"""A PDF certificate handed to the verifier (docs/pdf-certificate.md): a file attached to it (an
embedded file, PDF 1.7 §7.11.4: the holder's presentation first, else the credential), or else the
QR code printed on it, is what gets verified. The printed text is never read: it is not what is signed.

The PDF itself is read in a separate process under a memory and CPU limit (verifier.pdfworker says
why); this side gets back the attached files and QR texts and parses them as it parses any input,
except that an attachment may not be another PDF or an image (no nesting).

Read with pikepdf, that is qpdf: a maintained C++ parser, fuzzed continuously, that reads damaged
and hostile files without falling over and gives a stream's raw bytes, so that attachments and
images are inflated here with a cap. One reading library only: pypdf (pure Python) is slower and
needs as many guards; poppler's pdfdetach is the independent extractor the tests check against.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from vccore.errors import ParsingError, VCError
from vccore.joseverify import is_jose_text
from vccore.jsondoc import parse_json

from .imagecheck import DecodeGate, ImageError
from .intake import texts_to_document

__all__ = ["MAX_PDF", "PDF_ERROR", "PDF_NO_CREDENTIAL", "PdfError", "PdfFound", "PdfLimits", "PdfNoCredentialError",
           "read_pdf", "run_worker"]

PDF_ERROR = "PDF_ERROR"
PDF_NO_CREDENTIAL = "PDF_NO_CREDENTIAL"
MAX_PDF = 25 * 1024 * 1024   # the web page takes uploads of 26 MB
WORKER = Path(__file__).resolve().with_name("pdfworker.py")
PDF_GATE = DecodeGate(2)     # PDFs read at once by this process; others wait
TITLES = {"too-large": "The PDF holds too much data", "unsupported": "Unsupported PDF compression",
          "encrypted": "The PDF is protected with a password", "structure": "The PDF's structure is too large",
          "memory": "The PDF is too complex to read", "damaged": "The PDF is damaged"}


class PdfError(ParsingError):
    code = PDF_ERROR
    title = "The PDF cannot be read"


class PdfNoCredentialError(ParsingError):
    code = PDF_NO_CREDENTIAL
    title = "The PDF holds no credential"


@dataclass(frozen=True)
class PdfLimits:
    memory_mb: int = 512   # address space the reader may add to what its interpreter maps
    seconds: int = 10      # CPU time of the reader; its wall time is this plus five seconds


@dataclass(frozen=True)
class PdfFound:
    """What a PDF carried: the document to verify, from an attachment (its file name) or the QR code."""

    document: Any
    part: str                # "attachment" | "qr"
    name: str | None = None


def run_worker(data: bytes, limits: PdfLimits) -> dict[str, Any]:
    """verifier.pdfworker in a fresh interpreter (-P: its folder is not put on sys.path)."""
    command = [sys.executable, "-P", str(WORKER), str(limits.memory_mb), str(limits.seconds)]
    try:
        with PDF_GATE.slot():
            done = subprocess.run(command, input=data, capture_output=True, timeout=limits.seconds + 5, check=False)
    except ImageError as exc:
        raise PdfError(exc.detail, title="Too many PDFs at once") from exc
    except subprocess.TimeoutExpired as exc:
        raise PdfError(f"reading the PDF took longer than {limits.seconds + 5} s",
                       title=TITLES["memory"]) from exc
    except OSError as exc:
        raise PdfError(f"the PDF reader could not be started ({type(exc).__name__})") from exc
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):  # killed at its memory or CPU limit, or crashed
        raise PdfError(f"the PDF reader stopped (exit {done.returncode}) before it finished", title=TITLES["memory"])
    return answer


def _attached(body: bytes) -> Any:
    """An attached file: JSON, QR payload text or a JOSE credential (never a PDF or an image in it)."""
    if body.lstrip()[:1] in (b"{", b"["):
        return parse_json(body)
    try:
        text = body.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise ParsingError("neither JSON nor text", title="Unrecognised input") from exc
    if text.startswith(("MC1", "MC2")):
        return texts_to_document(text.splitlines())
    if is_jose_text(text):
        return text
    raise ParsingError("neither JSON, QR text nor a JOSE credential", title="Unrecognised input")


def _rank(document: Any) -> int:
    """The holder's presentation before a bare credential (it says who hands it over)."""
    types = document.get("type") if isinstance(document, dict) else None
    return 0 if "VerifiablePresentation" in (types if isinstance(types, list) else [types]) else 1


def read_pdf(data: bytes, *, limits: PdfLimits = PdfLimits(),
             run: Callable[[bytes, PdfLimits], dict[str, Any]] = run_worker) -> PdfFound:
    """The document a PDF carries: an attached presentation or credential, else the one in its QR code."""
    if len(data) > MAX_PDF:
        raise PdfError(f"the PDF is larger than {MAX_PDF // (1024 * 1024)} MB", title="The PDF is too large")
    answer = run(data, limits)
    if "refused" in answer:
        raise PdfError(str(answer.get("detail", ""))[:300], title=TITLES.get(str(answer["refused"]), PdfError.title))
    found: list[PdfFound] = []
    refused: list[str] = []
    for item in answer.get("attachments") or []:
        name = str(item.get("name", ""))[:200]
        try:
            found.append(PdfFound(_attached(base64.b64decode(item["data"])), "attachment", name))
        except (VCError, KeyError, TypeError, ValueError) as exc:
            refused.append(f"{name!r}: {getattr(exc, 'detail', type(exc).__name__)}"[:200])
    if found:
        return min(found, key=lambda f: _rank(f.document))
    texts = [t for t in answer.get("qr") or [] if isinstance(t, str)]
    ours = [t for t in texts if t.startswith(("MC1", "MC2")) or is_jose_text(t.strip())]
    if ours:
        return PdfFound(texts_to_document(ours), "qr")
    skipped = answer.get("skipped_images") or 0
    raise PdfNoCredentialError("the PDF has no attached credential and no readable QR code"
                               + (f"; attached files not read: {'; '.join(refused)}" if refused else "")
                               + (f"; {len(texts)} QR code(s) of something else" if texts else "")
                               + (f"; {skipped} image(s) not scanned (too large or not decodable)" if skipped else ""))
