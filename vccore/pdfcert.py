"""The PDF certificate (docs/pdf-certificate.md): an A4 page in Dutch or English for people who read
rather than scan, with a QR code to verify and the signed credential attached as a file (PDF 1.7
§7.11.4 embedded file streams, `application/vc+ld+json`), which any PDF tool can extract.

Written with fpdf2 (pure Python, maintained, Unicode TrueType fonts with subsetting, files embedded in
the document's EmbeddedFiles name tree that `pdfdetach` and viewers list, the document language, alt
text; docs/pdf-certificate.md says why not weasyprint or reportlab). The wallet and the issuer's staff
console both make it, so it lives here; the QR image comes in as PNG bytes (vccore draws no QR codes),
the texts from vccore's catalogue.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import VCError
from .l10n import Localizer

__all__ = ["ATTACHMENT_NAME", "ATTACHMENT_TYPE", "Attachment", "FontSet", "PdfCertificate", "PdfFontError",
           "credential_file", "fields_of", "find_fonts", "presentation_file", "render_certificate", "signed_fields"]

ATTACHMENT_NAME = "microcredential.json"
ATTACHMENT_TYPE = "application/vc+ld+json"
PRESENTATION_NAME = "presentation.json"
PRESENTATION_TYPE = "application/vp+ld+json"
JOSE_TYPES = {"jwt_vc_json": "application/jwt", "vc+jwt": "application/vc+jwt", "dc+sd-jwt": "application/dc+sd-jwt",
              "vc+sd-jwt": "application/vc+sd-jwt"}
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
              "/usr/share/fonts/dejavu-sans-fonts", "/usr/local/share/fonts", "/Library/Fonts")


class PdfFontError(VCError):
    code = "PDF_FONT_MISSING"
    title = "No font for the PDF certificate"


@dataclass(frozen=True)
class FontSet:
    regular: Path
    bold: Path


def find_fonts(directory: str | os.PathLike[str] | None = None) -> FontSet:
    """DejaVu Sans (covers Dutch and most of the world's Latin, Greek and Cyrillic names): from
    `directory`, VC_PDF_FONT_DIR, fontconfig, or the usual system places (Debian: fonts-dejavu-core)."""
    places = [Path(p) for p in (directory, os.environ.get("VC_PDF_FONT_DIR")) if p]
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True,
                                   timeout=5, check=False).stdout.strip()
            if found.endswith("DejaVuSans.ttf"):
                places.append(Path(found).parent)
        except (OSError, subprocess.SubprocessError):
            pass
    places += [Path(p) for p in _FONT_DIRS]
    for place in places:
        regular, bold = place / "DejaVuSans.ttf", place / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return FontSet(regular, bold)
    raise PdfFontError("DejaVu Sans was not found: install it (Debian: apt-get install fonts-dejavu-core) or "
                       "set VC_PDF_FONT_DIR to a folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf")


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (its EmbeddedFiles name tree): name, bytes, media type, description."""

    name: str
    data: bytes
    media_type: str
    description: str


def credential_file(body: bytes, fmt: str, l10n: Localizer) -> Attachment:
    """The credential exactly as signed: `microcredential.json` (application/vc+ld+json), or a JOSE
    credential as `microcredential.jwt` with its media type."""
    name, media = (ATTACHMENT_NAME, ATTACHMENT_TYPE) if fmt == "ldp_vc" else \
        ("microcredential.jwt", JOSE_TYPES.get(fmt, "application/jwt"))
    return Attachment(name, body, media, l10n.gettext("The signed microcredential (verify this file, not the printed text)"))


def presentation_file(document: dict[str, Any], expires: str, l10n: Localizer) -> Attachment:
    """The holder's signed presentation that the QR code also holds (`presentation.json`)."""
    body = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
    return Attachment(PRESENTATION_NAME, body, PRESENTATION_TYPE,
                      l10n.gettext("The holder's signed presentation of it, valid until %(date)s (what the QR code "
                                   "holds)", date=l10n.date(expires)))


@dataclass(frozen=True)
class PdfCertificate:
    """What the page prints, as plain strings taken from the credential (hostile text: printed only)."""

    participant: str | None = None
    institution: str | None = None
    brin: str | None = None
    unit: str | None = None
    code: str | None = None
    nlqf: str | None = None
    eqf: str | None = None
    ects: str | None = None
    outcomes: tuple[tuple[str, str], ...] = ()
    result: str | None = None
    quality_mark: str | None = None
    awarded: str | None = None
    credential_id: str | None = None


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, str):
        return value[:600]
    if isinstance(value, dict):
        for key in ("nl", "en", "@value", "name"):
            if isinstance(value.get(key), str):
                return value[key][:600]
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _result(results: list[dict[str, Any]], achievement: dict[str, Any]) -> str | None:
    """'Eindcijfer: 8 (1–10)': the first result with its description's name and range."""
    for result in results:
        value = _text(result.get("value")) or _text(result.get("status"))
        if not value:
            continue
        described = next((d for d in _list(achievement.get("resultDescription")) if isinstance(d, dict)
                          and d.get("id") == result.get("resultDescription")), {})
        name, low, high = (_text(described.get(k)) for k in ("name", "valueMin", "valueMax"))
        return (f"{name}: " if name else "") + value + (f" ({low}–{high})" if low and high else "")
    return None


def fields_of(vc: dict[str, Any]) -> PdfCertificate:
    """The printed fields of a microcredential (docs/architecture.md, "The microcredential"; SURF's
    `ECTS` and `ext:EQF` too). `vc` is the JSON its proof covers."""
    issuer = vc.get("issuer") if isinstance(vc.get("issuer"), dict) else {}
    subject = next((s for s in _list(vc.get("credentialSubject")) if isinstance(s, dict)), {})
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    aligned = [a for a in _list(achievement.get("alignment")) if isinstance(a, dict)]

    def align(*kinds: str) -> list[dict[str, Any]]:
        return [a for a in aligned if a.get("targetType") in kinds]
    names = [_text(i.get("identityHash")) for i in _list(subject.get("identifier"))
             if isinstance(i, dict) and i.get("identityType") == "name" and not i.get("hashed")]
    brin = [_text(o.get("identifier")) for o in _list(issuer.get("otherIdentifier")) if isinstance(o, dict)]
    results = [r for r in _list(subject.get("result")) if isinstance(r, dict)]
    ects = achievement.get("creditsAvailable", achievement.get("ECTS"))
    return PdfCertificate(
        participant=next((n for n in names if n), None), institution=_text(issuer.get("name")),
        brin=next((b for b in brin if b), None), unit=_text(achievement.get("name")) or _text(vc.get("name")),
        code=_text(achievement.get("humanCode")),
        nlqf=next((_text(a.get("targetCode")) for a in align("ext:NLQFLevel")), None),
        eqf=next((_text(a.get("targetCode")) for a in align("ext:EQFLevel", "ext:EQF")), None),
        ects=_text(ects).replace(",", ".") if _text(ects) else None,
        outcomes=tuple((_text(a.get("targetName")) or "", _text(a.get("targetDescription")) or "")
                       for a in align("ext:LearningOutcome"))[:12],
        result=_result(results, achievement),
        quality_mark=next((_text(a.get("targetName")) for a in align("ext:QualityAssurance")), None),
        awarded=_text(subject.get("awardedDate")) or _text(vc.get("validFrom")) or _text(vc.get("issuanceDate")),
        credential_id=_text(vc.get("id")))


def signed_fields(document: dict[str, Any], *, fmt: str, canon: Any) -> PdfCertificate:
    """The printed fields, read only as signed: a Data Integrity credential after vccore.compacted's
    check (reading equals signing), a JOSE credential's JSON being what its signature covers."""
    if fmt == "ldp_vc":
        canon.compacted.check(document)
    return fields_of(document)


def render_certificate(cert: PdfCertificate, *, l10n: Localizer, attachments: list[Attachment],
                       qr_png: bytes | None, fonts: FontSet, qr_note: str | None = None,
                       created: dt.datetime | None = None, staff_copy: bool = False) -> bytes:
    """The A4 PDF: the certificate's fields, the QR code (when given) and the `attachments` embedded,
    the credential first (credential_file, presentation_file)."""
    from fpdf import FPDF
    _ = l10n.gettext
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_lang("nl-NL" if l10n.locale == "nl" else "en-GB")
    pdf.set_title(_("Microcredential certificate") + (f": {cert.unit}" if cert.unit else ""))
    pdf.set_author(cert.institution or "")
    pdf.set_creation_date(created or dt.datetime.now(dt.timezone.utc))
    pdf.add_font("DejaVu", "", str(fonts.regular))
    pdf.add_font("DejaVu", "B", str(fonts.bold))
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_margins(20, 18, 20)
    pdf.set_font("DejaVu", "B", 11)
    pdf.set_text_color(18, 59, 92)
    pdf.cell(0, 6, _("Microcredential certificate").upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 6, cert.institution or "", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("DejaVu", "B", 22)
    pdf.multi_cell(0, 10, cert.participant or "–", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 6, _("has completed the unit"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 16)
    unit = (cert.unit or "–") + (f" ({cert.code})" if cert.code else "")
    pdf.multi_cell(0, 8, unit, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    rows = [(_("Institution"), (cert.institution or "–") + (f" (BRIN {cert.brin})" if cert.brin else "")),
            (_("Level"), f"NLQF {cert.nlqf or '–'} · EQF {cert.eqf or '–'}"),
            (_("Size"), l10n.ects(cert.ects) if cert.ects else "–"),
            (_("Result"), cert.result or "–"), (_("Quality mark"), cert.quality_mark or "–"),
            (_("Date"), l10n.date(cert.awarded) if cert.awarded else "–")]
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(48, 6, label)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 6, value, align="L", new_x="LMARGIN", new_y="NEXT")
    if cert.outcomes:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(0, 6, _("Learning outcomes"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9.5)
        for name, description in cert.outcomes:
            text = name if not description or description == name else f"{name}: {description}"
            pdf.multi_cell(0, 5, "• " + text, align="L", new_x="LMARGIN", new_y="NEXT")
    _qr_and_footer(pdf, l10n, qr_png, qr_note, staff_copy, attachments[0].name)
    for item in attachments:
        pdf.embed_file(bytes=item.data, basename=item.name, mime_type=item.media_type, desc=item.description,
                       modification_date=created, compress=True)
    quiet = _NoGlyphNames()
    logging.getLogger("fpdf.output").addFilter(quiet)
    try:
        return bytes(pdf.output())
    finally:
        logging.getLogger("fpdf.output").removeFilter(quiet)


class _NoGlyphNames(logging.Filter):
    """fpdf2 logs the characters a font lacks: they come from a credential's text, which is never logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "missing the following glyphs" not in str(record.msg)


def _qr_and_footer(pdf: Any, l10n: Localizer, qr_png: bytes | None, qr_note: str | None, staff_copy: bool,
                   name: str) -> None:
    _ = l10n.gettext
    if pdf.get_y() > 200:
        pdf.add_page()
    top = max(pdf.get_y() + 6, 200)
    if qr_png is not None:
        pdf.image(io.BytesIO(qr_png), x=20, y=top, w=62, h=62, alt_text=_("QR code to verify this microcredential"))
    left = 88 if qr_png is not None else 20
    pdf.set_xy(left, top)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 5, _("Check that this certificate is genuine"), align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    lines = [_("Scan the QR code with a verifier, or upload this PDF to one: it carries the signed "
               "microcredential as an attached file (%(name)s).", name=name)]
    if qr_note:
        lines.append(qr_note)
    if staff_copy:
        lines.append(_("Copy made by the institution: the QR code holds the credential itself, not a "
                       "presentation by its holder."))
    lines.append(_("Only the signed file counts: the printed text is a copy and is not itself signed."))
    for line in lines:
        pdf.set_x(left)
        pdf.multi_cell(0, 4.6, line, align="L", new_x="LEFT", new_y="NEXT")
        pdf.set_y(pdf.get_y() + 1.5)
