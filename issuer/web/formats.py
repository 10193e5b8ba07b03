"""Times, dates and numbers as people read them (Babel, CLDR data): local time, Dutch decimals.

The registry keeps UTC timestamps ('2026-09-01T12:00:00Z'); pages show them in the staff's time
zone (app config TIMEZONE, default Europe/Amsterdam) in the page's language: "1 sep 2026, 14:00".
Sizes are "5 EC" and "7,5 EC" (Dutch) or "7.5 EC" (English), never "5.0 EC".
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask import current_app

from vccore.clock import parse_datetime

from .i18n import current_language

__all__ = ["DEFAULT_TIMEZONE", "ec", "local_date", "local_time", "number", "timezone"]

DEFAULT_TIMEZONE = "Europe/Amsterdam"
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}  # a Dutch institution's English: 24-hour clock, day first


def _locale() -> str:
    return _LOCALES.get(current_language(), "nl_NL")


def timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(current_app.config.get("TIMEZONE") or DEFAULT_TIMEZONE)


def _moment(value: str | dt.datetime) -> dt.datetime:
    return parse_datetime(value) if isinstance(value, str) else value


def local_time(value: str | dt.datetime | None) -> str:
    """'1 sep 2026, 14:00' in the staff's time zone; '' for no time."""
    if not value:
        return ""
    return format_datetime(_moment(value), "d MMM y, HH:mm", tzinfo=timezone(), locale=_locale())


def local_date(value: str | dt.date | None) -> str:
    """'30 juni 2026' / '30 June 2026'."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, "long", locale=_locale())


def number(value: float | int | str) -> str:
    """7.5 -> '7,5' in Dutch; 5.0 -> '5'."""
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "."))
        except ValueError:
            return value
    return format_decimal(value, format="#,##0.###", locale=_locale())


def ec(value: float | int) -> str:
    """The size of a unit: '5 EC', '7,5 EC'."""
    return f"{number(value)} EC"
