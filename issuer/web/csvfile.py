"""CSV downloads of the staff UI: `;`-separated UTF-8 with a byte order mark (as Excel reads it),
and cells that a spreadsheet would run as formulas quoted as text (CSV injection)."""

from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from flask import Response

__all__ = ["csv_cell", "csv_download"]


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
