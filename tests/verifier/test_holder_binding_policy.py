"""Holder binding (issue 9, 2b): a presentation signed by someone other than a credential's subject.

VC DM 2.0 leaves holder binding to the verifier's policy. The employer's page and the CLI require it
by default (`Policy.require_holder_binding`, HOLDER_BINDING_ERROR as an error); the VC API's
`POST /presentations/verify` reports it as a `holder-binding` check and a warning, as the W3C VC 2.0
suite expects, unless the policy file sets `require_holder_binding` itself."""

from __future__ import annotations

import json

import pytest

from vccore import KeyPair
from vccore.errors import MalformedValueError
from verifier.app import create_app
from verifier.cli import main
from verifier.policy import Policy, load_policy, vcapi_policy
from verifier.service import VerifierService
from verifier.trust import TrustStore

from . import factory

CHALLENGE, DOMAIN = "c-holder", "https://werkgever.example"
OTHER = KeyPair.generate(bytes.fromhex("e5" * 32))  # holds and presents a credential about someone else


@pytest.fixture(scope="module")
def foreign_vp(canon):
    """The holder signs; the credential's subject is factory.holder_key, not the holder."""
    return factory.presentation([factory.sign(factory.microcredential(), canon)], canon, key=OTHER,
                                challenge=CHALLENGE, domain=DOMAIN)


def _service(canon, clock, policy: Policy | None = None) -> VerifierService:
    svc = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon), policy=policy)
    svc.trust = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock)
    svc.trust.import_bytes(factory.trust_list(canon))
    return svc


def _api(service, vp):
    client = create_app({"VERIFIER_SERVICE": service, "TESTING": True}).test_client()
    return client.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                      "options": {"challenge": CHALLENGE, "domain": DOMAIN}})


def _binding(report_json: dict) -> tuple[list[str], list[str]]:
    """(severities of HOLDER_BINDING_ERROR problems, statuses of holder-binding checks)."""
    return ([p["severity"] for p in report_json["problems"] if p["code"] == "HOLDER_BINDING_ERROR"],
            [c["status"] for c in report_json["checks"] if c["check"] == "holder-binding"])


def test_vc_api_reports_a_foreign_holder_as_a_check_and_a_warning(canon, clock, foreign_vp):
    reply = _api(_service(canon, clock), foreign_vp)
    body = reply.get_json()
    assert reply.status_code == 200, body
    assert body["verified"] is True and body["errors"] == []
    assert [w["code"] for w in body["warnings"]] == ["HOLDER_BINDING_ERROR"]
    assert body["warnings"][0]["path"] == "/verifiableCredential/0/credentialSubject/id"
    assert _binding(body["report"]) == (["warning"], ["warning"])


def test_a_policy_file_can_require_holder_binding_on_the_api(canon, clock, foreign_vp):
    policy = load_policy('{"require_holder_binding": true}')
    reply = _api(_service(canon, clock, policy), foreign_vp)
    body = reply.get_json()
    assert reply.status_code == 400
    assert [e["code"] for e in body["errors"]] == ["HOLDER_BINDING_ERROR"]
    assert _binding(body["report"]) == (["error"], ["failed"])


def test_the_api_still_passes_holder_binding_when_the_holder_is_the_subject(canon, clock, clean_vc):
    vp = factory.presentation([clean_vc], canon, challenge=CHALLENGE, domain=DOMAIN)
    body = _api(_service(canon, clock), vp).get_json()
    assert body["verified"] is True
    assert _binding(body["report"]) == ([], ["passed"])


def test_the_page_requires_holder_binding(canon, clock, foreign_vp):
    from vccore.qrcodec import encode_payload

    service = _service(canon, clock)
    client = create_app({"VERIFIER_SERVICE": service, "TESTING": True}).test_client()
    challenge = service.challenges.issue(domain=DOMAIN, types=("OpenBadgeCredential",)).challenge
    vp = factory.presentation([factory.sign(factory.microcredential(), canon)], canon, key=OTHER,
                              challenge=challenge, domain=DOMAIN)
    reply = client.post("/verify", data={"text": encode_payload(vp), "challenge": challenge},
                        content_type="multipart/form-data")
    assert reply.status_code == 303
    outcome = client.get(reply.headers["Location"].split("?")[0] + ".json").get_json()
    assert outcome["verdict"] == "invalid"
    assert _binding(outcome) == (["error"], ["failed"])


def test_the_cli_requires_holder_binding(tmp_path, capsys, canon):
    vp = factory.presentation([factory.sign(factory.microcredential(), canon)], canon, key=OTHER,
                              challenge=CHALLENGE, domain=DOMAIN)
    (tmp_path / "vp.json").write_text(json.dumps(vp))
    code = main(["verify", "--offline", "--now", "2026-09-01T12:00:30Z", "--challenge", CHALLENGE,
                 "--domain", DOMAIN, str(tmp_path / "vp.json")])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert _binding(report) == (["error"], ["failed"])


def test_the_policy_member():
    assert Policy().require_holder_binding is True
    assert vcapi_policy(Policy()).require_holder_binding is False
    assert vcapi_policy(load_policy('{"require_holder_binding": true}')).require_holder_binding is True
    assert vcapi_policy(load_policy('{"require_holder_binding": false}')).require_holder_binding is False
    only = vcapi_policy(load_policy('{"require_status": true}'))
    assert only.require_status is True and only.require_holder_binding is False
    with pytest.raises(MalformedValueError):
        load_policy('{"require_holder_bindings": true}')  # a typo never silently weakens a policy
