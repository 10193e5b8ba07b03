"""Registry export for national registration: one row per issued credential, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable

from vccore.errors import MalformedValueError

from .model import InstitutionProfile
from .registry import IssuedRecord, StoredDefinition

__all__ = ["FIELDS", "export"]

FIELDS = ("record_id", "credential_id", "brin", "institution", "course_code", "title", "ects", "nlqf_level",
          "participant_name", "holder_did", "issued_at", "status", "reason")


def _row(record: IssuedRecord, definition: StoredDefinition | None, institution: InstitutionProfile) -> dict[str, Any]:
    d = definition.definition if definition else None
    return {"record_id": record.id, "credential_id": record.credential_id, "brin": institution.brin,
            "institution": institution.name, "course_code": d.course_code if d else "",
            "title": d.title if d else "", "ects": _ects(d.ects) if d else "", "nlqf_level": d.nlqf_level if d else "",
            "participant_name": record.participant_name, "holder_did": record.holder_did or "",
            "issued_at": record.issued_at, "status": record.status, "reason": record.reason}


def _ects(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _csv_cell(value: Any) -> Any:
    """Spreadsheets run cells starting with = + - @ as formulas (CSV injection): quote them as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export(records: Iterable[IssuedRecord], definitions: dict[str, StoredDefinition],
           institution: InstitutionProfile, fmt: str) -> str:
    rows = [_row(r, definitions.get(r.definition_id or ""), institution) for r in records]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: _csv_cell(v) for k, v in row.items()} for row in rows)
        return out.getvalue()
    raise MalformedValueError(f"unknown export format {fmt!r} (csv or json)", path="/format",
                              title="Unknown export format")
