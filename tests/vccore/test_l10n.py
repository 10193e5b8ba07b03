"""vccore.l10n: catalogues read from .po at run time, language choice, dates, times and numbers."""

from __future__ import annotations

import datetime as dt

from vccore.l10n import TRANSLATIONS, localizer, negotiate, zone
from vccore.problemtexts import PROBLEM_TEXTS, problem_text

WINTER = dt.datetime(2026, 12, 1, 9, 41, tzinfo=dt.timezone.utc)
SUMMER = dt.datetime(2026, 7, 1, 9, 41, tzinfo=dt.timezone.utc)


def test_credits_in_dutch_and_english():
    nl, en = localizer("nl"), localizer("en")
    assert (nl.ects(7.5), nl.ects("5.0"), nl.ects(30)) == ("7,5 EC", "5 EC", "30 EC")
    assert (en.ects(7.5), en.ects(5.0)) == ("7.5 ECTS", "5 ECTS")
    assert nl.ects("vijf") == "vijf" and nl.number(None) == ""  # credential text that is no number


def test_dates_and_times_in_the_viewers_zone_never_utc():
    nl, en = localizer("nl"), localizer("en")
    assert nl.datetime(WINTER) == "1 december 2026 om 10:41"
    assert en.datetime(WINTER) == "1 December 2026 at 10:41"
    assert nl.time(SUMMER) == "11:41" and nl.datetime(SUMMER, with_zone=True).endswith("(CEST)")
    assert nl.date("2026-06-30T23:30:00Z") == "1 juli 2026"  # midnight has passed in Amsterdam
    assert nl.date("2026-06-30") == "30 juni 2026" and nl.date("not a date") == "not a date"
    other = localizer("en", tz="America/New_York")
    assert other.time(WINTER) == "04:41"
    assert zone("No/Such_Zone").key == "Europe/Amsterdam"


def test_language_choice():
    assert negotiate() == "nl"
    assert negotiate("en") == "en" and negotiate("fr", "en") == "en"
    assert negotiate(None, None, ["fr-FR", "en-GB", "nl"]) == "en"
    assert negotiate(None, "xx", ["de"]) == "nl"


def test_catalogue_is_read_from_the_po_file_without_mo_files():
    assert (TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po").is_file()
    assert not list(TRANSLATIONS.rglob("*.mo"))
    assert localizer("nl").gettext("%(date)s at %(time)s", date="a", time="b") == "a om b"


def test_every_problem_code_reads_in_both_languages():
    nl, en = localizer("nl"), localizer("en")
    for code in PROBLEM_TEXTS:
        dutch, english = problem_text(code, nl), problem_text(code, en)
        assert dutch.title and dutch.advice and english.title and english.advice
        assert dutch.title != english.title, code
    assert problem_text("INVALID_GRANT", nl) == problem_text("invalid_grant", nl)
    assert problem_text("NO_SUCH_CODE", en).title == "Something went wrong"
