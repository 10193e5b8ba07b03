"""Fixtures of the issuer tests: an institution, a definition, a service on a temporary registry,
a Flask app with the issuer-core blueprints, and a status check that fetches through that app."""

from __future__ import annotations

import datetime as dt
import random
import urllib.parse

import pytest
from flask import Flask

from vccore import DidResolver, Verifier
from vccore.errors import TransportError
from vccore.statuscheck import StatusChecker
from vccore.transport import Response

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


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "suspension: the institution opts in to suspension (two status entries)")


@pytest.fixture
def institution(request) -> InstitutionProfile:
    """Without suspension (one credentialStatus object, OB 3.0's schema) unless the test is marked
    `@pytest.mark.suspension`."""
    return InstitutionProfile(name="Hogeschool Voorbeeld", brin="99XX", url="https://www.hogeschool-voorbeeld.nl",
                              suspension=request.node.get_closest_marker("suspension") is not None)


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


class ClientTransport:
    """A vccore Transport that fetches the issuer's served URLs through the Flask test client."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, url: str) -> Response:
        reply = self.client.get(urllib.parse.urlsplit(url).path)
        if reply.status_code != 200:
            raise TransportError(f"{url} answered {reply.status_code}")
        return Response(200, reply.data)


def status_check(client, canon, clock):
    """vccore's status checker, fetching every time (no cache) through the Flask test client."""
    list_verifier = Verifier(canon=canon, resolver=DidResolver(), clock=clock)
    return StatusChecker(list_verifier=list_verifier, transport=ClientTransport(client), clock=clock,
                         ttl=dt.timedelta(0), max_stale=dt.timedelta(0))
