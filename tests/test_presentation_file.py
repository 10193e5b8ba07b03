"""A presentation file (docs/presentation-file.md): the wallet signs a presentation valid for a day, a
month or a year (the proof's `expires`); the verifier accepts it by upload, paste (its QR text), CLI and
VC API, says until when it remains acceptable, and refuses it once expired. QR presentations keep no
`expires` (DIDKit refuses one: docs/qr-format.md "Freshness")."""

from __future__ import annotations

import io
import json
import re

import pytest

from vccore import FixedClock
from verifier import cli as verifier_cli
from verifier.app import create_app
from verifier.service import VerifierService
from verifier.trust import TrustStore
from wallet.present import make_presentation

from .conftest import NOW
from .verifier import factory


@pytest.fixture
def service(canon, clock):
    service = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    service.trust = TrustStore(authority=factory.authority_key.controller, verifier=service.plain, clock=clock)
    service.trust.import_bytes(factory.trust_list(canon))
    return service


@pytest.fixture
def client(service):
    return create_app({"VERIFIER_SERVICE": service, "TESTING": True}).test_client()


def presentation_file(canon, valid_for: str):
    vc = factory.sign(factory.microcredential(), canon)
    return make_presentation([vc], key=factory.holder_key, canon=canon, clock=FixedClock(NOW), valid_for=valid_for)


def _page(client, **form) -> str:
    reply = client.post("/verify?lang=en", data=form, content_type="multipart/form-data")
    return client.get(reply.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("valid_for, until", [("day", "2 September 2026"), ("month", "1 October 2026"),
                                              ("year", "1 September 2027")])
def test_the_file_carries_the_chosen_validity(canon, valid_for, until, client):
    shown = presentation_file(canon, valid_for)
    assert shown.document["proof"]["expires"] == shown.expires
    page = _page(client, file=(io.BytesIO(json.dumps(shown.document).encode()), "presentation.json"))
    assert 'data-state="valid"' in page
    assert until in re.search(r'id="acceptable-until">(.*?)</p>', page, re.S).group(1)


def test_qr_presentations_still_carry_no_expires(canon):
    vc = factory.sign(factory.microcredential(), canon)
    assert "expires" not in make_presentation([vc], key=factory.holder_key, canon=canon, clock=FixedClock(NOW)).document["proof"]


def test_four_intakes_accept_the_file_a_week_later(canon, client, clock, tmp_path, capsys):
    shown = presentation_file(canon, "month")
    clock.advance(days=7)
    text = "\n".join(shown.texts)
    assert 'data-state="valid"' in _page(client, file=(io.BytesIO(json.dumps(shown.document).encode()), "p.json"))
    assert 'data-state="valid"' in _page(client, text=text)  # pasted QR text
    reply = client.post("/presentations/verify", json={"verifiablePresentation": shown.document})
    body = reply.get_json()
    assert reply.status_code == 200 and body["verified"]
    assert "freshness" in body["checks"]
    assert any(c["check"] == "freshness" and "acceptable until 2026-10-01" in c["detail"] for c in body["report"]["checks"])
    path = tmp_path / "presentation.json"
    path.write_text(json.dumps(shown.document), encoding="utf-8")
    trust = tmp_path / "trust.json"
    trust.write_bytes(factory.trust_list(canon))
    code = verifier_cli.main(["verify", "--now", "2026-09-08T12:00:00Z", "--trust-list", str(trust),
                              "--authority", factory.authority_key.controller, "--offline", str(path)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["acceptableUntil"].startswith("2026-10-01T12:00:00")


def test_an_expired_file_says_so(canon, client, clock):
    shown = presentation_file(canon, "day")
    clock.advance(days=2)
    page = _page(client, text=json.dumps(shown.document))
    assert 'data-state="presentation_expired"' in page and "PRESENTATION_EXPIRED" in page
    assert "Sanne de Vries" not in page  # no certificate of an expired presentation


def test_a_file_valid_longer_than_the_policy_allows_is_refused(canon, service, client):
    from vccore import create_presentation, sign_presentation
    vc = factory.sign(factory.microcredential(), canon)
    vp = sign_presentation(create_presentation([vc], holder=factory.holder_key.controller), key=factory.holder_key,
                           canon=canon, created=NOW, expires="2030-09-01T12:00:00Z")
    outcome = service.verify_document(vp)
    assert "FRESHNESS_ERROR" in outcome.report.codes() and outcome.judged.state == "qr_expired"


def test_a_tampered_file_is_not_genuine(canon, client):
    shown = presentation_file(canon, "year")
    doc = json.loads(json.dumps(shown.document))
    doc["proof"]["expires"] = "2027-12-01T12:00:00Z"  # a longer validity than the holder signed
    assert 'data-state="not_genuine"' in _page(client, text=json.dumps(doc))
