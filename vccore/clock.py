"""Clocks: time comes in as a parameter so that tests and verifiers can fix it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol

from .errors import MalformedValueError

__all__ = ["Clock", "FixedClock", "SystemClock", "format_datetime", "parse_datetime"]


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real clock, UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)


class FixedClock:
    """A clock that stays where it is put (tests, `--now`)."""

    def __init__(self, at: dt.datetime | str) -> None:
        self._at = parse_datetime(at) if isinstance(at, str) else at

    def now(self) -> dt.datetime:
        return self._at

    def advance(self, **delta: float) -> None:
        self._at = self._at + dt.timedelta(**delta)


# XML Schema dateTimeStamp (VC DM 2.0 §4.9 requires a time zone offset); we also accept a
# missing offset (dateTime, as VC 1.1 documents often have) and read it as UTC.
_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"
)


def parse_datetime(value: object, *, path: str = "", require_offset: bool = False) -> dt.datetime:
    """Parse an XML Schema dateTime(Stamp); raise MALFORMED_VALUE_ERROR with the path if invalid."""
    if not isinstance(value, str) or not _DATETIME.match(value):
        raise MalformedValueError(f"{value!r} is not an XML Schema dateTime", path=path,
                                  title="Invalid date-time")
    text = value
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    has_offset = text[-6] in "+-" and text[-3] == ":"
    if require_offset and not has_offset:
        raise MalformedValueError(f"{value!r} has no time zone offset", path=path,
                                  title="Invalid date-time")
    # Python's fromisoformat handles up to 6 fractional digits; trim longer fractions.
    main, _, frac_and_tz = text.partition(".")
    if frac_and_tz:
        digits = re.match(r"\d+", frac_and_tz).group(0)
        text = f"{main}.{digits[:6].ljust(6, '0')}{frac_and_tz[len(digits):]}"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise MalformedValueError(f"{value!r} is not a valid date-time", path=path,
                                  title="Invalid date-time") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed


def format_datetime(value: dt.datetime) -> str:
    """Format as an XML Schema dateTimeStamp in UTC with seconds precision ('...Z')."""
    return value.astimezone(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
