"""Open Badges 3.0 builder: exactly the reference shape, valid against 1EdTech's OB 3.0 schema
(tests/issuer/test_ob3_schema.py), verifiable by `python -m verifier verify`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from issuer.builder import build_credential, status_entry
from issuer.errors import InvalidInput
from issuer.model import MicrocredentialDefinition, Participant, parse

from ..conftest import ROOT, load_example
from .conftest import BASE, HOLDER, definition_data
from .test_ob3_schema import ob3_errors as schema_errors

REVOCATION = status_entry(BASE, "1", 48213, "revocation")
SUSPENSION = status_entry(BASE, "2", 91377, "suspension")


def _build(institution, status=(REVOCATION, SUSPENSION), **changes) -> dict:
    example = load_example()
    a = example["credentialSubject"]["achievement"]
    definition = parse(MicrocredentialDefinition, {**definition_data(), **changes.pop("definition", {})})
    participant = parse(Participant, {"name": "Sanne de Vries", "result": "8", "award_date": "2026-06-30",
                                      **changes.pop("participant", {})})
    return build_credential(definition, participant, institution, issuer_did=example["issuer"]["id"],
                            credential_id=example["id"], achievement_id=a["id"],
                            result_description_id=a["resultDescription"][0]["id"],
                            holder_did=changes.get("holder", example["credentialSubject"]["id"]),
                            status=list(status))


def test_builder_reproduces_the_reference_credential_byte_for_byte(institution):
    """The reference (docs/examples) shows an institution with suspension: two status entries."""
    built = _build(institution)
    assert json.dumps(built, indent=2, ensure_ascii=False) == json.dumps(load_example(), indent=2, ensure_ascii=False)


def test_one_status_entry_is_a_lone_object_several_an_array(institution):
    assert _build(institution, status=[REVOCATION])["credentialStatus"] == REVOCATION
    assert _build(institution, status=[REVOCATION, SUSPENSION])["credentialStatus"] == [REVOCATION, SUSPENSION]
    assert "credentialStatus" not in _build(institution, status=[])


def test_only_the_two_standard_contexts(institution):
    assert _build(institution)["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def test_entry_level_has_no_eqf_alignment(institution):
    alignment = _build(institution, definition={"nlqf_level": "Entry"})["credentialSubject"]["achievement"]["alignment"]
    types = [a["targetType"] for a in alignment]
    assert "ext:EQFLevel" not in types and alignment[0]["targetCode"] == "Entry"


def test_validity_end_and_pass_fail(institution):
    vc = _build(institution, participant={"valid_until": "2031-06-30", "result": "voldaan"}, status=[REVOCATION],
                definition={"result_scale": {"kind": "passfail", "name": "Beoordeling", "pass_value": "Voldaan"}})
    assert vc["validUntil"] == "2031-06-30T00:00:00Z"
    assert vc["credentialSubject"]["result"][0]["value"] == "Voldaan"
    assert vc["credentialSubject"]["achievement"]["resultDescription"][0]["resultType"] == "Status"
    assert schema_errors(vc) == []


def test_failing_grade_is_not_built(institution):
    with pytest.raises(InvalidInput) as caught:
        _build(institution, participant={"result": "4"})
    assert caught.value.code == "INVALID_INPUT"


def test_issued_credential_verifies_with_the_verifier_cli(service, definition_id, tmp_path):
    record = service.issue_direct(definition_id, {"name": "Sanne", "result": "8", "award_date": "2026-06-30"}, HOLDER)
    path = tmp_path / "vc.json"
    path.write_bytes(record.credential_json)
    done = subprocess.run([sys.executable, "-m", "verifier", "verify", "--now", "2026-09-01T12:00:00Z", str(path)],
                          cwd=ROOT, capture_output=True, timeout=120)
    report = json.loads(done.stdout)
    assert done.returncode == 0, report["problems"]
    assert report["verified"] is True


def test_tampered_credential_fails_the_verifier_cli(service, definition_id, tmp_path):
    record = service.issue_direct(definition_id, {"name": "Sanne", "result": "8", "award_date": "2026-06-30"}, HOLDER)
    tampered = record.credential
    tampered["credentialSubject"]["result"][0]["value"] = "10"
    path = tmp_path / "vc.json"
    path.write_text(json.dumps(tampered))
    done = subprocess.run([sys.executable, "-m", "verifier", "verify", "--now", "2026-09-01T12:00:00Z", str(path)],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == 1
    errors = {p["code"] for p in json.loads(done.stdout)["problems"] if p.get("severity", "error") == "error"}
    assert errors == {"PROOF_VERIFICATION_ERROR"}
