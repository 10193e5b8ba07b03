"""The microcredential model: shapes, national quality framework rules, bilingual messages."""

from __future__ import annotations

import datetime as dt

import pytest

from issuer.errors import InvalidInput
from issuer.model import (InstitutionProfile, MicrocredentialDefinition, Participant, ResultScale, eqf_level,
                          parse, quality_findings, result_value)

from .conftest import definition_data


def test_reference_definition_is_valid():
    definition = parse(MicrocredentialDefinition, definition_data())
    assert definition.nlqf_level == "6" and len(definition.learning_outcomes) == 4


@pytest.mark.parametrize("nlqf, eqf", [("Entry", None), ("1", "1"), ("4", "4"), ("8", "8")])
def test_nlqf_to_eqf(nlqf, eqf):
    assert eqf_level(nlqf) == eqf


@pytest.mark.parametrize("level", ["0", "9", "level 6", ""])
def test_nlqf_level_outside_entry_1_8_is_refused_in_both_languages(level):
    with pytest.raises(InvalidInput) as caught:
        parse(MicrocredentialDefinition, {**definition_data(), "nlqf_level": level})
    assert caught.value.code == "INVALID_INPUT"
    (error,) = caught.value.errors
    assert error.field == "nlqf_level"
    assert "NLQF-niveau" in error.message_nl and "NLQF level" in error.message_en


def test_instap_is_read_as_entry():
    assert parse(MicrocredentialDefinition, {**definition_data(), "nlqf_level": "instap"}).nlqf_level == "Entry"


def test_missing_fields_and_empty_outcomes_give_one_message_per_field():
    data = definition_data()
    del data["title"]
    data["learning_outcomes"] = []
    with pytest.raises(InvalidInput) as caught:
        parse(MicrocredentialDefinition, data)
    by_field = {e.field: e for e in caught.value.errors}
    assert by_field["title"].message_nl == "is verplicht" and by_field["title"].message_en == "is required"
    assert "learning_outcomes" in by_field


def test_bad_url_and_unknown_field():
    with pytest.raises(InvalidInput) as caught:
        parse(MicrocredentialDefinition, {**definition_data(), "info_url": "javascript:alert(1)", "colour": "red"})
    fields = {e.field for e in caught.value.errors}
    assert fields == {"info_url", "colour"}


def _findings(ects: float, kind: str, on: str):
    definition = parse(MicrocredentialDefinition, {**definition_data(), "ects": ects})
    institution = InstitutionProfile(name="U", brin="21PX", url="https://u.example", kind=kind)
    return quality_findings(definition, institution, dt.date.fromisoformat(on))


def test_3_to_30_ects_is_fine():
    assert _findings(3, "hbo", "2026-06-30") == ([], [])
    assert _findings(30, "hbo", "2026-06-30") == ([], [])


def test_more_than_30_ects_is_an_error():
    errors, _ = _findings(31, "wo", "2026-06-30")
    assert [e.field for e in errors] == ["ects"] and "30" in errors[0].message_en


def test_university_from_1_ects_inside_the_window_is_a_warning():
    errors, warnings = _findings(1, "wo", "2026-06-30")
    assert errors == [] and [w.field for w in warnings] == ["ects"]
    assert "2027" in warnings[0].message_nl and "2027" in warnings[0].message_en


@pytest.mark.parametrize("kind, on", [("hbo", "2026-06-30"), ("wo", "2027-05-01"), ("wo", "2025-04-30")])
def test_fewer_than_3_ects_outside_the_university_window_is_an_error(kind, on):
    errors, warnings = _findings(2, kind, on)
    assert [e.field for e in errors] == ["ects"] and warnings == []


def test_grade_results():
    scale = ResultScale()
    assert result_value(scale, "7,5") == "7.5"
    for value, words in (("5", "pass mark"), ("11", "between"), ("goed", "number")):
        with pytest.raises(InvalidInput) as caught:
            result_value(scale, value)
        assert caught.value.errors[0].field == "result" and words in caught.value.errors[0].message_en


def test_pass_fail_results():
    scale = ResultScale(kind="passfail", name="Beoordeling", pass_value="Voldaan")
    assert result_value(scale, "voldaan") == "Voldaan"
    with pytest.raises(InvalidInput):
        result_value(scale, "Niet voldaan")


def test_pass_mark_outside_the_scale_is_refused():
    with pytest.raises(InvalidInput) as caught:
        parse(ResultScale, {"minimum": "1", "maximum": "10", "pass_mark": "12"})
    assert "cesuur" in caught.value.errors[0].message_nl


def test_participant_dates_and_did():
    p = parse(Participant, {"name": "Sanne", "result": "8", "award_date": "2026-06-30", "valid_until": "",
                            "holder_did": ""})
    assert p.valid_until is None and p.holder_did is None
    with pytest.raises(InvalidInput) as caught:
        parse(Participant, {"name": "Sanne", "result": "8", "award_date": "2026-06-30", "holder_did": "not-a-did"})
    assert [e.field for e in caught.value.errors] == ["holder_did"]
    with pytest.raises(InvalidInput) as caught:
        parse(Participant, {"name": "Sanne", "result": "8", "award_date": "2026-06-30", "valid_until": "2026-01-01"})
    assert "valid until" in caught.value.errors[0].message_en
    with pytest.raises(InvalidInput) as caught:
        parse(Participant, {"name": "Sanne", "result": "8", "award_date": "30 juni"})
    assert caught.value.errors[0].message_en == "must be a date (YYYY-MM-DD)"


def test_institution_profile_brin_and_did():
    with pytest.raises(InvalidInput) as caught:
        parse(InstitutionProfile, {"name": "X", "brin": "toolong", "url": "https://x.example", "did": "x"})
    assert {e.field for e in caught.value.errors} == {"brin", "did"}
