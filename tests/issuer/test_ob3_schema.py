"""1EdTech's official OB 3.0 AchievementCredential JSON Schema (tests/vectors/ob3-schema/): every
credential the issuer makes by default validates against it.

The schema types `proof` as an array; VC Data Integrity writes a single proof as a lone object, and
1EdTech's validator accepts that as a set of one. So a signed credential is validated with its lone
proof wrapped as a one-item array (`as_proof_set`), and a test shows that the unwrapped form fails on
`proof` alone, so the wrapping hides nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

import jsonschema
import pytest

from ..conftest import VECTORS, load_example
from .conftest import HOLDER

SCHEMA_FILE = VECTORS / "ob3-schema" / "ob_v3p0_achievementcredential_schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

# jsonschema checks `date-time` only with an optional extra; check RFC 3339 §5.6 here instead.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _rfc3339_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats apply to strings only
    if not _DATE_TIME.match(value):
        return False
    dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))  # ValueError for a 13th month
    return True


VALIDATOR = jsonschema.Draft201909Validator(SCHEMA, format_checker=FORMATS)


def as_proof_set(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a lone proof object written as a set of one, as 1EdTech's validator reads it."""
    if isinstance(document.get("proof"), dict):
        return {**document, "proof": [document["proof"]]}
    return document


def ob3_errors(document: dict[str, Any]) -> list[str]:
    """`path: message` for every violation of the official schema (lone proof read as a set of one)."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in VALIDATOR.iter_errors(as_proof_set(document))]


def test_the_schema_is_the_recorded_verbatim_copy():
    digest = hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest()
    assert digest in (SCHEMA_FILE.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert SCHEMA["$schema"].startswith("https://json-schema.org/draft/2019-09/")
    jsonschema.Draft201909Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["credentialStatus"] == {"$ref": "#/$defs/CredentialStatus"}


def _participant(**changes) -> dict:
    return {"name": "Sanne de Vries", "result": "8", "award_date": "2026-06-30", **changes}


def test_credentials_issued_by_default_validate(service, definition_id):
    direct = service.issue_direct(definition_id, _participant(), HOLDER)
    unbound = service.issue_direct(definition_id, _participant(valid_until="2031-06-30"), None)
    batch = service.issue_batch(definition_id, f"naam;resultaat;datum;did\nPiet;7,5;2026-06-30;{HOLDER}\n".encode())
    delivered = service.deliver(service.offer(definition_id, _participant(name="Kees")).id, HOLDER)
    for record in (direct, unbound, *batch, delivered):
        vc = record.credential
        assert isinstance(vc["credentialStatus"], dict) and isinstance(vc["proof"], dict)
        assert ob3_errors(vc) == [], record.participant_name


@pytest.mark.parametrize("changes", [
    {"nlqf_level": "Entry"},
    {"result_scale": {"kind": "passfail", "name": "Beoordeling", "pass_value": "Voldaan"}},
    {"ects": 30, "nlqf_level": "8", "language": "en"},
])
def test_other_definitions_validate_too(service, changes):
    from .conftest import definition_data

    definition_id = service.save_definition({**definition_data(), **changes})
    result = "Voldaan" if "result_scale" in changes else "9"
    assert ob3_errors(service.issue_direct(definition_id, _participant(result=result), HOLDER).credential) == []


def test_wrapping_the_lone_proof_hides_nothing_else(service, definition_id):
    vc = service.issue_direct(definition_id, _participant(), HOLDER).credential
    errors = list(VALIDATOR.iter_errors(vc))
    assert [list(e.absolute_path) for e in errors] == [["proof"]]
    assert errors[0].validator == "type"


@pytest.mark.suspension
def test_with_suspension_the_array_of_two_is_outside_ob3_schema(service, definition_id):
    """The documented deviation: VC DM 2.0 allows two entries; OB 3.0's schema allows one object."""
    vc = service.issue_direct(definition_id, _participant(), HOLDER).credential
    assert [e["statusPurpose"] for e in vc["credentialStatus"]] == ["revocation", "suspension"]
    assert [e.split(":")[0] for e in ob3_errors(vc)] == ["credentialStatus"]


def test_the_schema_catches_what_matters():
    vc = load_example()
    vc["credentialStatus"] = vc["credentialStatus"][0]
    assert ob3_errors(vc) == []
    broken = json.loads(json.dumps(vc))
    del broken["credentialSubject"]["achievement"]["criteria"]
    broken["credentialSubject"]["achievement"]["achievementType"] = "Microcredential"
    broken["credentialSubject"]["achievement"]["alignment"][0]["targetType"] = "NLQF"
    broken["validFrom"] = "2026-13-01T00:00:00Z"
    broken["credentialSubject"]["identifier"][0]["hashed"] = "no"
    errors = "\n".join(ob3_errors(broken))
    for member in ("criteria", "achievementType", "alignment/0/targetType", "validFrom", "identifier/0/hashed"):
        assert member in errors, member
    extended = json.loads(json.dumps(vc))
    extended["credentialSubject"]["achievement"]["achievementType"] = "ext:MicroCredentialNL"
    assert ob3_errors(extended) == []  # OB 3.0 enumerations are extensible with ext: names
