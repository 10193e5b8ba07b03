"""Localisation with Babel: gettext catalogues, the choice of language, and dates, times and
numbers as people read them ('7,5 EC', '1 december 2026 om 10:41').

Source strings are English, marked `_("...")` in code and templates; each part keeps its Dutch
catalogue in `<part>/translations/nl/LC_MESSAGES/messages.po` (docs/i18n.md). The .po files are the
source of truth and ship as package data: each is compiled in memory the first time it is used
(babel's read_po + write_mo), so there are no .mo files and no compile step. Times are shown in the
viewer's zone (Europe/Amsterdam unless configured), never as bare UTC.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import gettext
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .clock import parse_datetime
from .errors import VCError

__all__ = ["DEFAULT_LOCALE", "DEFAULT_ZONE", "LOCALES", "Localizer", "N_", "TRANSLATIONS", "catalogue_path",
           "environment_localizer", "install_jinja", "localizer", "negotiate", "zone"]

LOCALES = ("nl", "en")
DEFAULT_LOCALE = "nl"
DEFAULT_ZONE = "Europe/Amsterdam"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# English pages follow British conventions (1 December 2026, 24-hour clock), as Dutch readers expect.
_BABEL_LOCALE = {"nl": "nl_NL", "en": "en_GB"}


def N_(message: str) -> str:
    """Marks a source string for extraction where it is translated later (tables of texts)."""
    return message


def catalogue_path(translations: Path, locale: str) -> Path:
    return Path(translations) / locale / "LC_MESSAGES" / "messages.po"


def _compile(translations: str, locale: str) -> gettext.NullTranslations:
    """One catalogue, compiled in memory; fuzzy entries are left out (a translator has not confirmed
    them). No catalogue for the locale: the English source strings."""
    po = catalogue_path(Path(translations), locale)
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@functools.lru_cache(maxsize=64)
def _chain(directories: tuple[str, ...], locale: str) -> gettext.NullTranslations:
    """The part's catalogues first, then vccore's (problem-code texts and shared phrases)."""
    chain = [_compile(d, locale) for d in (*directories, str(TRANSLATIONS))]
    for later in chain[1:]:
        chain[0].add_fallback(later)
    return chain[0]


def zone(name: str | None = None) -> ZoneInfo:
    """The viewer's time zone by IANA name; Europe/Amsterdam when none (or an unknown one) is given."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def negotiate(asked: str | None = None, cookie: str | None = None, accept: Iterable[str] = ()) -> str:
    """?lang= wins, then the cookie, then the first supported Accept-Language tag, else Dutch."""
    for candidate in (asked, cookie):
        if candidate in LOCALES:
            return candidate
    for tag in accept:
        base = str(tag).replace("_", "-").split("-")[0].lower()
        if base in LOCALES:
            return base
    return DEFAULT_LOCALE


@dataclass(frozen=True)
class Localizer:
    """Texts, dates, times and numbers for one viewer: a language and a time zone."""

    locale: str
    tz: ZoneInfo
    translations: gettext.NullTranslations

    @property
    def babel_locale(self) -> str:
        return _BABEL_LOCALE.get(self.locale, self.locale)

    def gettext(self, message: str, **values: Any) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        return self.translations.ngettext(singular, plural, n) % {"num": n, **values}

    _ = gettext

    def local(self, value: dt.datetime) -> dt.datetime:
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)
        return aware.astimezone(self.tz)

    def date(self, value: dt.datetime | dt.date | str | None) -> str:
        """'1 december 2026' / '1 December 2026'; credential text that is no date is shown as it is."""
        when = _when(value)
        if when is None:
            return "" if value is None else str(value)
        day = self.local(when).date() if isinstance(when, dt.datetime) else when
        return dates.format_date(day, "long", locale=self.babel_locale)

    def time(self, value: dt.datetime | str | None) -> str:
        """'10:41' in the viewer's zone."""
        when = _when(value)
        if not isinstance(when, dt.datetime):
            return "" if value is None else str(value)
        return dates.format_time(self.local(when), "HH:mm", locale=self.babel_locale)

    def datetime(self, value: dt.datetime | str | None, *, with_zone: bool = False) -> str:
        """'1 december 2026 om 10:41' (with the zone's abbreviation, 'CET', when asked)."""
        when = _when(value)
        if not isinstance(when, dt.datetime):
            return self.date(value)
        text = self.gettext("%(date)s at %(time)s", date=self.date(when), time=self.time(when))
        if with_zone:
            text += " (" + dates.format_datetime(self.local(when), "zzz", locale=self.babel_locale) + ")"
        return text

    def number(self, value: Any) -> str:
        """7.5 -> '7,5' in Dutch; 5.0 -> '5'; text that is no number is shown as it is."""
        parsed = _number(value)
        if parsed is None:
            return "" if value is None else str(value)
        return numbers.format_decimal(parsed, locale=self.babel_locale)

    def language(self, code: Any) -> str:
        """A language code as its name: 'nl' -> 'Nederlands' / 'Dutch'; anything else as it is."""
        if not isinstance(code, str) or not code.strip() or len(code) > 35:
            return "" if code is None else str(code)
        try:
            name = Locale.parse(code.strip().replace("-", "_")).get_display_name(self.babel_locale)
        except (ValueError, TypeError, UnknownLocaleError):
            return code
        return name or code

    def ects(self, value: Any) -> str:
        """'7,5 EC' in Dutch, '7.5 ECTS' in English."""
        if _number(value) is None:
            return "" if value is None else str(value)
        return self.gettext("%(credits)s ECTS", credits=self.number(value))


def _when(value: Any) -> dt.datetime | dt.date | None:
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    if isinstance(value, str):
        try:
            return parse_datetime(value)
        except VCError:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None
    return None


def _number(value: Any) -> decimal.Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        parsed = decimal.Decimal(str(value).strip()) if isinstance(value, (int, float, str)) else None
    except decimal.InvalidOperation:
        return None
    return parsed if parsed is not None and parsed.is_finite() else None


def localizer(locale: str, *, translations: Iterable[Path] = (), tz: ZoneInfo | str | None = None) -> Localizer:
    """A viewer's Localizer: the part's catalogue directories (vccore's is always added) and zone."""
    locale = locale if locale in LOCALES else DEFAULT_LOCALE
    chain = _chain(tuple(str(Path(d)) for d in translations), locale)
    return Localizer(locale, tz if isinstance(tz, ZoneInfo) else zone(tz), chain)


def environment_localizer(translations: Iterable[Path], environ: Mapping[str, str] | None = None) -> Localizer:
    """A command line's Localizer: the language from LANGUAGE / LC_ALL / LC_MESSAGES / LANG (Dutch
    unless English is asked), the time zone from VC_TIMEZONE."""
    env = os.environ if environ is None else environ
    tags = [t for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG") for t in env.get(key, "").split(":") if t]
    return localizer(negotiate(None, None, tags), translations=translations, tz=env.get("VC_TIMEZONE"))


def install_jinja(environment: Any, current: Callable[[], Localizer]) -> None:
    """Jinja's i18n extension (newstyle gettext: `_('Hello %(name)s', name=x)`, autoescaped) over
    the request's Localizer, plus filters for dates, times and numbers. `environment` is a
    jinja2.Environment; passed in so that vccore imports no web framework."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(
        gettext=lambda message: current().translations.gettext(message),
        ngettext=lambda singular, plural, n: current().translations.ngettext(singular, plural, n),
        newstyle=True)
    environment.filters.update(
        date=lambda v: current().date(v), time=lambda v: current().time(v),
        datetime=lambda v, with_zone=False: current().datetime(v, with_zone=with_zone),
        number=lambda v: current().number(v), ects=lambda v: current().ects(v),
        language=lambda v: current().language(v))
