"""Batch input: one CSV row per participant of one microcredential definition (format in docs/issuer.md).

UTF-8 (a byte order mark is allowed), `;` or `,` as separator (taken from the header line), a
header naming the columns in Dutch or English. Every row is checked before anything is issued;
the caller refuses the whole batch when any row has an error. A problem is a RowError: an English
message marked with N_ (Dutch in issuer/translations) and the values of its placeholders.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from vccore.l10n import N_

from .errors import FieldError, InvalidInput, Translatable
from .model import (InstitutionProfile, MicrocredentialDefinition, Participant, parse, quality_findings,
                    result_value)

__all__ = ["BatchCheck", "COLUMNS", "MAX_BYTES", "MAX_ROWS", "RowError", "check_batch"]

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# column -> Participant field; Dutch and English header names
COLUMNS = {
    "naam": "name", "name": "name",
    "resultaat": "result", "result": "result", "cijfer": "result", "grade": "result",
    "datum": "award_date", "award_date": "award_date", "uitreikdatum": "award_date",
    "geldig_tot": "valid_until", "valid_until": "valid_until",
    "did": "holder_did", "holder_did": "holder_did",
}
REQUIRED = ("name", "result", "award_date")
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


@dataclass(frozen=True)
class RowError(Translatable):
    """A problem in one row (its line number in the file; the header is row 1) and field."""

    row: int
    field: str
    message: str
    values: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message_nl": self.message_nl,
                "message_en": self.message_en}


@dataclass
class BatchCheck:
    rows: list[Participant] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _date(value: str) -> str:
    """Accept ISO dates and the Dutch DD-MM-YYYY that spreadsheets export."""
    m = _DUTCH_DATE.match(value.strip())
    if m:
        day, month, year = (int(x) for x in m.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return value
    return value.strip()


def _decode(data: bytes, check: BatchCheck) -> str | None:
    if len(data) > MAX_BYTES:
        check.errors.append(RowError(0, "", N_("the file is larger than %(megabytes)s MB"),
                                     {"megabytes": MAX_BYTES // 1024 // 1024}))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        check.errors.append(RowError(line, "", N_("the file is not UTF-8 (save it as 'CSV UTF-8')")))
        return None


def _header(text: str, check: BatchCheck) -> tuple[csv.reader, list[str | None]] | None:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        check.errors.append(RowError(1, "", N_("the file is empty or has no header row")))
        return None
    columns: list[str | None] = []
    for name in header:
        key = COLUMNS.get(name.strip().lower())
        if key is None and name.strip():
            check.errors.append(RowError(1, name.strip(), N_("unknown column")))
        columns.append(key)
    for needed in REQUIRED:
        if needed not in columns:
            check.errors.append(RowError(1, needed, N_("this column is missing")))
    return (reader, columns) if not check.errors else None


def check_batch(data: bytes, definition: MicrocredentialDefinition,
                institution: InstitutionProfile) -> BatchCheck:
    """Validate every row; rows become Participants, problems become RowErrors (nothing raises)."""
    check = BatchCheck()
    text = _decode(data, check)
    parsed = _header(text, check) if text is not None else None
    if parsed is None:
        return check
    reader, columns = parsed
    try:
        for cells in reader:
            row = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(check.rows) + len(check.errors) >= MAX_ROWS:
                check.errors.append(RowError(row, "", N_("more than %(rows)s rows"), {"rows": MAX_ROWS}))
                break
            _check_row(row, cells, columns, definition, institution, check)
    except csv.Error as exc:
        check.errors.append(RowError(reader.line_num, "", N_("unreadable CSV: %(error)s"), {"error": str(exc)}))
    if not check.rows and not check.errors:
        check.errors.append(RowError(2, "", N_("the file has no participants")))
    return check


def _check_row(row: int, cells: list[str], columns: list[str | None], definition: MicrocredentialDefinition,
               institution: InstitutionProfile, check: BatchCheck) -> None:
    if len(cells) != len(columns):
        check.errors.append(RowError(row, "", N_("%(found)s columns instead of %(expected)s"),
                                     {"found": len(cells), "expected": len(columns)}))
        return
    values = {key: cell.strip() for key, cell in zip(columns, cells) if key is not None}
    for key in ("award_date", "valid_until"):
        if values.get(key):
            values[key] = _date(values[key])
    try:
        participant = parse(Participant, values)
        result_value(definition.result_scale, participant.result)
    except InvalidInput as exc:
        check.errors += [_row_error(row, e) for e in exc.errors]
        return
    errors, warnings = quality_findings(definition, institution, participant.award_date)
    check.errors += [_row_error(row, e) for e in errors]
    check.warnings += [_row_error(row, e) for e in warnings]
    if not errors:
        check.rows.append(participant)


def _row_error(row: int, error: FieldError) -> RowError:
    return RowError(row, error.field, error.message, error.values)
