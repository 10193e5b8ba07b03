"""Batch issuance from CSV: every row checked first; one bad row refuses the whole batch."""

from __future__ import annotations

import pytest

from issuer.errors import BatchRejected

from .conftest import HOLDER

GOOD = "naam;resultaat;datum\nSanne de Vries;8;2026-06-30\nPiet Jansen;7,5;30-06-2026\n"


def _counts(service) -> tuple[int, int, int]:
    q = service.registry.query
    return (q("SELECT COUNT(*) FROM offers")[0][0], q("SELECT COUNT(*) FROM records")[0][0],
            q("SELECT COUNT(*) FROM status_entries")[0][0])


def test_good_batch_gives_one_offer_per_row(service, definition_id):
    progress = []
    offers = service.offer_batch(definition_id, GOOD.encode(), progress=lambda d, t: progress.append((d, t)))
    assert [o.participant_name for o in offers] == ["Sanne de Vries", "Piet Jansen"]
    assert progress[-1] == (2, 2)
    assert offers[1].participant.award_date.isoformat() == "2026-06-30"
    assert _counts(service) == (2, 0, 0)


def test_a_bad_row_refuses_the_batch_and_names_the_row(service, definition_id):
    csv = GOOD + "Kees;4;2026-06-30\nAnna;8;gisteren\n"
    with pytest.raises(BatchRejected) as caught:
        service.offer_batch(definition_id, csv.encode())
    assert caught.value.code == "BATCH_REJECTED"
    errors = [(e.row, e.field) for e in caught.value.errors]
    assert errors == [(4, "result"), (5, "award_date")]
    assert "cesuur" in caught.value.errors[0].message_nl and "pass mark" in caught.value.errors[0].message_en
    assert _counts(service) == (0, 0, 0)


def test_a_bad_row_refuses_a_signing_batch_too(service, definition_id):
    with pytest.raises(BatchRejected):
        service.issue_batch(definition_id, (GOOD + "Kees;;2026-06-30\n").encode())
    assert _counts(service) == (0, 0, 0)


def test_signing_batch_with_dids_issues_everything(service, definition_id):
    csv = f"name,result,award_date,did\nSanne,8,2026-06-30,{HOLDER}\nPiet,9,2026-06-30,\n"
    records = service.issue_batch(definition_id, csv.encode())
    assert [r.holder_did for r in records] == [HOLDER, None]
    assert "id" not in records[1].credential["credentialSubject"]
    assert _counts(service) == (0, 2, 2)  # one (revocation) entry each


@pytest.mark.suspension
def test_signing_batch_with_suspension_gives_two_entries_each(service, definition_id):
    records = service.issue_batch(definition_id, "name,result,award_date\nSanne,8,2026-06-30\n".encode())
    assert [e["statusPurpose"] for e in records[0].credential["credentialStatus"]] == ["revocation", "suspension"]
    assert _counts(service) == (0, 1, 2)


def test_comma_separated_with_bom_and_english_header(service, definition_id):
    check = service.validate_batch(definition_id, "\ufeffName,Result,Award_date\nSanne,8,2026-06-30\n".encode())
    assert check.ok and check.rows[0].name == "Sanne"


@pytest.mark.parametrize("data, row, field", [
    (b"naam;resultaat\nSanne;8\n", 1, "award_date"),
    (b"naam;resultaat;datum;kleur\nSanne;8;2026-06-30;rood\n", 1, "kleur"),
    ("naam;resultaat;datum\nS\xe9;8;2026-06-30\n".encode("latin-1"), 2, ""),
    (b"naam;resultaat;datum\nSanne;8\n", 2, ""),
    (b"", 1, ""),
    (b"naam;resultaat;datum\n", 2, ""),
])
def test_unusable_files_are_explained(service, definition_id, data, row, field):
    check = service.validate_batch(definition_id, data)
    assert not check.ok
    assert (check.errors[0].row, check.errors[0].field) == (row, field)
    assert check.errors[0].message_nl and check.errors[0].message_en


def test_ects_window_warning_is_reported_per_row(tmp_path, clock, canon):
    from issuer.model import InstitutionProfile
    from issuer.service import IssuerService

    from .conftest import definition_data

    uni = InstitutionProfile(name="Universiteit", brin="21PX", url="https://uni.example", kind="wo")
    service = IssuerService.open(tmp_path / "u", institution=uni, clock=clock, canon=canon,
                                 public_base_url="https://uni.example")
    definition_id = service.save_definition({**definition_data(), "ects": 1})
    check = service.validate_batch(definition_id, b"naam;resultaat;datum\nA;8;2026-06-30\nB;8;2027-06-30\n")
    assert [(w.row, w.field) for w in check.warnings] == [(2, "ects")]
    assert [(e.row, e.field) for e in check.errors] == [(3, "ects")]
