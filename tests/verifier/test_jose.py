"""The verifier on JOSE-secured credentials (docs/jose-formats.md): the same intake (text, QR,
presentation), the same report, and the certificate of a microcredential in SURF edubadges' shape
(ECTS as number or string, ext:EQF, assessment/participation/supervision types, identityChecked,
inLanguage like en_EN, language maps) in Dutch and English."""

from __future__ import annotations

import copy
import json
import re

import pytest

from vccore.jose import sign_compact
from vccore.josekeys import okp_key, public_jwk
from vccore.joseverify import envelope
from vccore.qrcodec import encode_payload
from vccore.sdjwt import conceal, issue, select
from verifier.app import create_app

from ..conftest import ROOT
from . import factory
from .test_web import submit

SURF = ROOT / "tests" / "vectors" / "edubadges"
NOW_TS = int(factory.clock().now().timestamp())


def surf_body(name: str = "example-uvh_at_microcredential_full_1.json") -> dict:
    vc = json.loads((SURF / name).read_text(encoding="utf-8"))
    vc["issuer"]["id"] = factory.issuer_key.controller
    vc["credentialSubject"]["id"] = factory.holder_key.controller
    return vc


def jwt_vc_json(vc: dict) -> str:
    claims = {"iss": factory.issuer_key.controller, "sub": factory.holder_key.controller, "nbf": NOW_TS - 3600, "vc": vc}
    return sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": factory.issuer_key.id}, claims,
                        okp_key(factory.issuer_key.private_key))


def sd_jwt_vc(vc: dict, hide=()) -> str:
    subject, disclosures = conceal(vc["credentialSubject"], [k for k in vc["credentialSubject"] if k not in ("id", "type")])
    payload = {**vc, "credentialSubject": subject, "iss": factory.issuer_key.controller, "vct": "OpenbadgeCredential",
               "iat": NOW_TS - 60, "cnf": {"jwk": public_jwk(okp_key(factory.holder_key.private_key))}}
    text = issue({"alg": "EdDSA", "typ": "vc+sd-jwt", "kid": factory.issuer_key.id}, payload, disclosures,
                 okp_key(factory.issuer_key.private_key))
    return select(text, lambda d: d.name not in hide)


@pytest.fixture
def client(service):
    return create_app({"VERIFIER_SERVICE": service, "TESTING": True}).test_client()


def test_edubadges_microcredential_page_in_dutch_and_english(client):
    page, location = submit(client, text=jwt_vc_json(surf_body()))
    html = page.get_data(as_text=True)
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Microcredential Basisomzetting Kat naar Koffiezetapparaat" in shown
    assert "3 EC" in shown and "EQF 4" in shown and "testing" in shown
    assert "W Practische toepassing van animale transmutatie" in shown  # quality assurance
    assert "onsite with identity verification" in shown and "identiteit gecontroleerd" in shown
    assert "Nederlands" in shown and "Hogeschool Voorbeeld" in shown  # institution from the trust list
    english = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(location.split("?")[0] + "?lang=en")
                                          .get_data(as_text=True)))
    assert "3 ECTS" in english and "identity checked" in english and "Dutch" in english and "Size" in english


def test_edubadges_certificate_and_completeness_read_surf_shape(service):
    vc = surf_body("example-theed_microcredential_minimal_ho.json")
    vc["credentialSubject"]["achievement"]["ECTS"] = "3,5"
    vc["credentialSubject"]["achievement"]["name"] = {"en": "Jedi Mind Control", "nl": "Jedi-gedachtecontrole"}
    outcome = service.verify_input(jwt_vc_json(vc))
    cert = outcome.credentials[0].certificate
    assert (cert.ects, cert.eqf, cert.language, cert.assessment) == ("3.5", "4", "en", "testing")
    assert cert.unit == "Jedi-gedachtecontrole" and cert.participation == "onsite or blended"
    assert cert.identity_checked is True and cert.quality_mark == "M Psychological Assessment"
    completeness = outcome.credentials[0].completeness
    assert "achievement_type" not in completeness.issues and "ects" not in completeness.missing
    assert "assessment" not in completeness.missing and "identity_check" not in completeness.missing
    assert outcome.report.verified and outcome.credentials[0].summary["format"] == "jwt_vc_json"


def test_sbu_counts_as_size(service):
    vc = surf_body()
    del vc["credentialSubject"]["achievement"]["ECTS"]
    vc["credentialSubject"]["achievement"]["SBU"] = 84
    outcome = service.verify_input(jwt_vc_json(vc))
    assert outcome.credentials[0].certificate.study_hours == "84"
    assert "ects" not in outcome.credentials[0].completeness.missing


def test_sd_jwt_vc_in_a_qr_presentation_with_the_grade_hidden(client, service, canon):
    token = sd_jwt_vc(surf_body(), hide=("result",))
    vp = factory.presentation([envelope(token, "vc+sd-jwt")], canon)
    outcome = service.verify_input(encode_payload(vp))
    assert outcome.kind == "presentation" and not outcome.report.errors, outcome.report.to_json()
    cert = outcome.credentials[0].certificate
    assert cert.unit and cert.results == [] and cert.ects == "3"
    page, _ = submit(client, text=encode_payload(vp))
    assert "Kat naar Koffiezetapparaat" in page.get_data(as_text=True)


def test_a_forged_jose_credential_shows_no_certificate(service):
    token = jwt_vc_json(surf_body())
    header, payload, signature = token.split(".")
    forged = ".".join([header, payload[:-4] + ("AAAA" if not payload.endswith("AAAA") else "BBBB"), signature])
    outcome = service.verify_input(forged)
    assert outcome.verdict == "invalid" and outcome.credentials == []


def test_status_of_a_jose_credential_is_checked(service):
    vc = factory.microcredential(index=factory.REVOKED_INDEX)
    outcome = service.verify_input(jwt_vc_json(vc))
    assert outcome.credentials[0].status_state == "revoked"
    assert "STATUS_REVOKED" in outcome.report.codes()
    assert all(r.path.startswith("/payload/vc/credentialStatus") for r in outcome.report.statuses)


def test_json_report_names_the_format(client):
    reply = client.post("/credentials/verify", json={"verifiableCredential": envelope(jwt_vc_json(surf_body()),
                                                                                        "jwt_vc_json")})
    assert reply.status_code == 200, reply.get_json()


def test_the_service_checks_token_status_lists(canon, clock):
    """VerifierService wires the IETF Token Status List hook to its transport (revoked: 0x01)."""
    from vccore.jose import sign_compact as sign
    from vccore.tokenstatus import StatusBits
    from vccore.transport import StaticTransport
    from verifier.service import VerifierService
    uri = "https://status.hogeschool-voorbeeld.nl/token/1"
    bits = StatusBits.empty(2, 64)
    bits.set(3, 1)
    listed = sign({"alg": "EdDSA", "typ": "statuslist+jwt", "kid": factory.issuer_key.id},
                  {"sub": uri, "iat": NOW_TS - 10, "iss": factory.issuer_key.controller, "status_list": bits.to_claim()},
                  okp_key(factory.issuer_key.private_key))
    service = VerifierService(canon=canon, clock=clock, transport=StaticTransport({uri: listed.encode()}))
    vc = surf_body()
    token = issue({"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": factory.issuer_key.id},
                  {**vc, "iss": factory.issuer_key.controller, "vct": "x", "iat": NOW_TS - 60,
                   "status": {"status_list": {"idx": 3, "uri": uri}}}, [], okp_key(factory.issuer_key.private_key))
    outcome = service.verify_input(token)
    assert outcome.credentials[0].status_state == "revoked" and "STATUS_REVOKED" in outcome.report.codes()
