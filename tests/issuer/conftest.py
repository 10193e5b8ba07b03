"""Fixtures of the issuer tests: an institution, a definition, a service on a temporary registry,
a Flask app with the issuer-core blueprints, and a status check that fetches through that app."""

from __future__ import annotations

import json
import random
import urllib.parse

import pytest
from flask import Flask

from vccore import DidResolver, Verifier
from vccore.report import Problem
from vccore.statuslist import Bitstring, parse_status_entry

from issuer import api, public
from issuer.model import InstitutionProfile
from issuer.service import IssuerService

from ..conftest import load_example

BASE = "https://www.hogeschool-voorbeeld.nl"
HOLDER = "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"


def definition_data() -> dict:
    """The definition the reference credential (docs/examples/microcredential.json) was made from."""
    example = load_example()
    a = example["credentialSubject"]["achievement"]
    outcomes = [al for al in a["alignment"] if al["targetType"] == "ext:LearningOutcome"]
    return {
        "title": a["name"], "course_code": a["humanCode"], "description": a["description"],
        "criteria": a["criteria"]["narrative"], "nlqf_level": "6", "ects": 5,
        "learning_outcomes": [{"name": o["targetName"], "description": o["targetDescription"]} for o in outcomes],
        "assessment_type": "Praktijkopdracht en mondeling examen",
        "participation_form": "Blended (online en op locatie)",
        "identity_check": "Toetsing onder toezicht met identiteitscontrole",
        "info_url": "https://www.hogeschool-voorbeeld.nl/mc/dbz",
    }


@pytest.fixture
def institution() -> InstitutionProfile:
    return InstitutionProfile(name="Hogeschool Voorbeeld", brin="99XX", url="https://www.hogeschool-voorbeeld.nl")


@pytest.fixture
def service(tmp_path, institution, clock, canon) -> IssuerService:
    svc = IssuerService.open(tmp_path / "issuer", institution=institution, clock=clock, canon=canon,
                             public_base_url=BASE, rng=random.Random(7), workers=1)
    yield svc
    svc.registry.close()


@pytest.fixture
def definition_id(service) -> str:
    return service.save_definition(definition_data())


def make_app(service: IssuerService, **config) -> Flask:
    app = Flask("issuer-core-test")
    app.config.update(config)
    app.extensions["issuer_service"] = service
    app.register_blueprint(public.bp)
    app.register_blueprint(api.bp)
    return app


@pytest.fixture
def client(service):
    return make_app(service, TESTING=True).test_client()


def status_check(client, canon, clock):
    """A vccore StatusCheck that fetches status lists through the Flask test client and verifies them."""
    list_verifier = Verifier(canon=canon, resolver=DidResolver(), clock=clock)

    def check(credential: dict, report, prefix: str) -> None:
        entries = credential["credentialStatus"]
        for i, entry in enumerate(entries if isinstance(entries, list) else [entries]):
            url, index, purpose = parse_status_entry(entry, path=f"{prefix}/credentialStatus/{i}")
            response = client.get(urllib.parse.urlsplit(url).path)
            if response.status_code != 200:
                report.add(Problem("STATUS_RETRIEVAL_ERROR", "status list not retrieved", url, prefix))
                continue
            status_list = json.loads(response.data)
            listed = list_verifier.verify_credential(status_list)
            issuer = credential["issuer"]
            if not listed.verified or status_list["issuer"] != (issuer["id"] if isinstance(issuer, dict) else issuer):
                report.add(Problem("STATUS_VERIFICATION_ERROR", "status list does not verify", url, prefix))
                continue
            bits = Bitstring.decode(status_list["credentialSubject"]["encodedList"])
            if bits.get(index):
                report.add(Problem(purpose.upper(), f"credential {purpose}", url, prefix))
        report.check("status", "passed", prefix)

    return check
