"""Policy and checks, each named by the code it expects: signatures, holder binding, challenge,
freshness, status (tri-state), trust list, quality mark, microcredential completeness."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from vccore.errors import VCError
from vccore.transport import StaticTransport
from vccore.trustlist import TrustListError
from verifier.policy import Policy, load_policy
from verifier.service import VerifierService
from verifier.trust import TrustStore

from . import factory


def build(canon, clock, *, transport=None, policy=None, trusted=True):
    svc = VerifierService(canon=canon, clock=clock, policy=policy,
                          transport=transport if transport is not None else factory.status_transport(canon))
    svc.trust = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock)
    if trusted:
        svc.trust.import_bytes(factory.trust_list(canon))
    return svc


def test_reference_presentation_is_valid(service, clean_vp):
    outcome = service.verify_document(clean_vp)
    assert outcome.verdict == "valid", outcome.report.problems
    names = {c.name for c in outcome.report.checks}
    assert names >= {"proof", "holder-binding", "freshness", "validity", "status", "trusted-issuer",
                     "quality-mark", "completeness"}
    (cred,) = outcome.credentials
    assert cred.status_state == "ok" and [r.fetched_at for r in cred.statuses] == [service.clock.now()] * 2
    assert outcome.judged.state == "valid" and outcome.to_json()["state"] == "valid"
    assert cred.certificate.participant == "Sanne de Vries" and cred.completeness.verdict == "complete"


def test_tampered_presentation(service, clean_vp):
    vp = copy.deepcopy(clean_vp)
    vp["verifiableCredential"][0]["credentialSubject"]["achievement"]["creditsAvailable"] = 30
    outcome = service.verify_document(vp)
    assert outcome.verdict == "invalid"
    assert "PROOF_VERIFICATION_ERROR" in outcome.report.codes()


def test_presentation_signed_by_someone_else_than_the_subject(service, canon, clean_vc):
    vp = factory.presentation([clean_vc], canon, key=factory.stranger_key)
    assert service.verify_document(vp).report.codes() == {"HOLDER_BINDING_ERROR"}


def test_replayed_challenge(service, canon, clean_vc):
    req = service.challenges.issue(domain="https://werkgever.example.nl")
    vp = factory.presentation([clean_vc], canon, challenge=req.challenge, domain=req.domain)
    first = service.verify_document(vp, challenge=req.challenge, domain=req.domain, single_use=True)
    assert first.verdict == "valid", first.report.problems
    again = service.verify_document(vp, challenge=req.challenge, domain=req.domain, single_use=True)
    assert again.report.codes() == {"INVALID_CHALLENGE_ERROR"}
    assert any(p.title == "Challenge already used" for p in again.report.errors)


def test_expired_challenge(service, canon, clean_vc, clock):
    req = service.challenges.issue(domain="https://werkgever.example.nl")
    vp = factory.presentation([clean_vc], canon, challenge=req.challenge, domain=req.domain)
    clock.advance(seconds=service.policy.challenge_ttl + 1)
    outcome = service.verify_document(vp, challenge=req.challenge, domain=req.domain, single_use=True)
    assert outcome.report.codes() == {"INVALID_CHALLENGE_ERROR"}


def test_challenge_not_issued_here(service, canon, clean_vc):
    vp = factory.presentation([clean_vc], canon, challenge="made-up-challenge-123", domain="x")
    outcome = service.verify_document(vp, challenge="made-up-challenge-123", domain="x", single_use=True)
    assert outcome.report.codes() == {"INVALID_CHALLENGE_ERROR"}


def test_forged_answer_does_not_burn_the_challenge(service, canon, clean_vc):
    req = service.challenges.issue(domain="d")
    forged = factory.presentation([clean_vc], canon, challenge=req.challenge, domain=req.domain,
                                  key=factory.stranger_key)
    forged["holder"] = factory.holder_key.controller  # claims to be the holder; signature breaks
    assert not service.verify_document(forged, challenge=req.challenge, domain="d", single_use=True).report.verified
    honest = factory.presentation([clean_vc], canon, challenge=req.challenge, domain=req.domain)
    assert service.verify_document(honest, challenge=req.challenge, domain="d", single_use=True).report.verified


def test_wrong_domain(service, canon, clean_vc):
    req = service.challenges.issue(domain="https://werkgever.example.nl")
    vp = factory.presentation([clean_vc], canon, challenge=req.challenge, domain="https://evil.example")
    outcome = service.verify_document(vp, challenge=req.challenge, domain=req.domain, single_use=True)
    assert outcome.report.codes() == {"INVALID_DOMAIN_ERROR"}


def test_one_way_intake_refuses_a_presentation_made_for_another_verifier(service, canon, clean_vc):
    vp = factory.presentation([clean_vc], canon, challenge="their-challenge-123", domain="https://other.example")
    outcome = service.verify_document(vp)  # no challenge given: the one-way intake
    assert outcome.verdict == "invalid"
    assert outcome.report.codes() == {"INVALID_CHALLENGE_ERROR", "INVALID_DOMAIN_ERROR"}
    by_code = {p.code: p for p in outcome.report.errors}
    assert by_code["INVALID_CHALLENGE_ERROR"].path == "/proof/challenge"
    assert by_code["INVALID_DOMAIN_ERROR"].path == "/proof/domain"
    assert by_code["INVALID_CHALLENGE_ERROR"].title == "Made for another verifier's request"
    assert "their-challenge-123" in by_code["INVALID_CHALLENGE_ERROR"].detail


def test_one_way_intake_refuses_a_domain_alone(service, canon, clean_vc):
    vp = factory.presentation([clean_vc], canon, domain="https://other.example")
    assert service.verify_document(vp).report.codes() == {"INVALID_DOMAIN_ERROR"}


def test_one_way_intake_sees_a_challenge_written_as_an_iri(service, canon, clean_vc):
    vp = factory.presentation([clean_vc], canon, challenge="their-challenge-123")
    vp["proof"]["https://w3id.org/security#challenge"] = vp["proof"].pop("challenge")  # same RDF, same signature
    outcome = service.verify_document(vp)
    assert "INVALID_CHALLENGE_ERROR" in outcome.report.codes() and outcome.verdict == "invalid"
    assert any(p.path == "/proof/https:~1~1w3id.org~1security#challenge" for p in outcome.report.errors)


def test_one_way_intake_takes_an_answer_to_its_own_request_once(service, canon, clean_vc):
    req = service.challenges.issue(domain="https://werkgever.example.nl")
    vp = factory.presentation([clean_vc], canon, challenge=req.challenge, domain=req.domain)
    first = service.verify_document(vp)
    assert first.verdict == "valid", first.report.problems
    assert any(c.name == "challenge" and c.status == "passed" for c in first.report.checks)
    assert service.verify_document(vp).report.codes() == {"INVALID_CHALLENGE_ERROR"}  # replay


def test_own_request_answered_for_another_domain(service, canon, clean_vc):
    req = service.challenges.issue(domain="https://werkgever.example.nl")
    vp = factory.presentation([clean_vc], canon, challenge=req.challenge, domain="https://other.example")
    assert service.verify_document(vp).report.codes() == {"INVALID_DOMAIN_ERROR"}


def test_expired_one_way_presentation(service, canon, clean_vc):
    vp = factory.presentation([clean_vc], canon, created="2026-09-01T10:00:00Z")  # two hours old
    outcome = service.verify_document(vp)
    assert outcome.report.codes() == {"FRESHNESS_ERROR"}


def test_one_way_presentation_from_the_future(service, canon, clean_vc):
    vp = factory.presentation([clean_vc], canon, created="2026-09-01T13:00:00Z")
    assert service.verify_document(vp).report.codes() == {"FRESHNESS_ERROR"}


def test_max_presentation_age_is_a_policy(canon, clock, clean_vc):
    vp = factory.presentation([clean_vc], canon, created="2026-09-01T10:00:00Z")
    svc = build(canon, clock, policy=Policy(max_presentation_age=3 * 3600))
    assert svc.verify_document(vp).verdict == "valid"


def test_expired_credential(service, canon):
    vc = factory.sign(factory.microcredential(validUntil="2026-08-01T00:00:00Z"), canon)
    outcome = service.verify_document(factory.presentation([vc], canon))
    assert outcome.report.codes() == {"EXPIRED_ERROR"}


def test_revoked(service, canon):
    vc = factory.sign(factory.microcredential(index=factory.REVOKED_INDEX), canon)
    outcome = service.verify_document(factory.presentation([vc], canon))
    assert outcome.report.codes() == {"STATUS_REVOKED"}
    assert outcome.credentials[0].status_state == "revoked"


def test_suspended(service, canon):
    vc = factory.sign(factory.microcredential(index=factory.SUSPENDED_INDEX), canon)
    outcome = service.verify_document(factory.presentation([vc], canon))
    assert outcome.report.codes() == {"STATUS_SUSPENDED"}
    assert outcome.credentials[0].status_state == "suspended"


def test_status_list_unreachable_is_could_not_be_checked(canon, clock, clean_vp):
    svc = build(canon, clock, transport=StaticTransport({}))
    outcome = svc.verify_document(clean_vp)
    assert outcome.verdict == "warnings" and outcome.report.warning_codes() == {"STATUS_RETRIEVAL_ERROR"}
    assert outcome.credentials[0].status_state == "unchecked"
    assert not any(c.name == "status" and c.status == "passed" for c in outcome.report.checks)


def test_status_required_by_policy(canon, clock, clean_vp):
    svc = build(canon, clock, transport=StaticTransport({}), policy=Policy(require_status=True))
    assert svc.verify_document(clean_vp).report.codes() == {"STATUS_RETRIEVAL_ERROR"}


def test_status_list_signed_by_another_issuer(canon, clock, clean_vp):
    svc = build(canon, clock, transport=factory.status_transport(canon, key=factory.stranger_key))
    outcome = svc.verify_document(clean_vp)
    assert outcome.report.warning_codes() == {"STATUS_VERIFICATION_ERROR"}
    assert outcome.credentials[0].status_state == "unchecked"


def test_status_lists_are_revalidated_at_every_verification_and_the_last_copy_used_offline(canon, clock, clean_vp):
    transport = factory.status_transport(canon)  # no conditional requests: the whole list each time
    svc = build(canon, clock, transport=transport)
    svc.verify_document(clean_vp)
    svc.verify_document(clean_vp)
    assert len(transport.requests) == 4  # two lists, at each verification (no cache window)
    checked = clock.now()
    clock.advance(minutes=10)
    transport.responses.clear()  # offline now: the 10-minute-old lists are still used, and say so
    outcome = svc.verify_document(factory.presentation(clean_vp["verifiableCredential"], canon,
                                                       created="2026-09-01T12:10:00Z"))
    (cred,) = outcome.credentials
    assert cred.status_state == "ok" and [(r.source, r.fetched_at) for r in cred.statuses] == [("last-copy", checked)] * 2
    assert outcome.judged.state == "remarks" and outcome.report.warning_codes() == {"STATUS_NOT_REFRESHED"}
    clock.advance(hours=25)  # beyond max_stale the last copy no longer counts
    late = svc.verify_document(factory.presentation(clean_vp["verifiableCredential"], canon,
                                                    created="2026-09-02T12:10:00Z"))
    assert late.credentials[0].status_state == "unchecked"
    assert "STATUS_RETRIEVAL_ERROR" in late.report.warning_codes()


def test_issuer_not_on_the_trust_list_is_a_warning(canon, clock):
    svc = build(canon, clock, transport=factory.status_transport(canon, key=factory.stranger_key))
    vc = factory.sign(factory.microcredential(issuer=factory.stranger_key), canon, key=factory.stranger_key)
    outcome = svc.verify_document(factory.presentation([vc], canon))
    assert outcome.verdict == "warnings"
    assert outcome.report.warning_codes() == {"UNTRUSTED_ISSUER", "QUALITY_MARK_ERROR"}


def test_trusted_issuer_required_by_policy(canon, clock):
    svc = build(canon, clock, policy=Policy(require_trusted_issuer=True),
                transport=factory.status_transport(canon, key=factory.stranger_key))
    vc = factory.sign(factory.microcredential(issuer=factory.stranger_key), canon, key=factory.stranger_key)
    assert svc.verify_document(factory.presentation([vc], canon)).report.codes() == {"UNTRUSTED_ISSUER"}


def test_no_trust_list_loaded_is_a_warning(canon, clock, clean_vp):
    outcome = build(canon, clock, trusted=False).verify_document(clean_vp)
    assert outcome.verdict == "warnings" and "NO_TRUST_LIST" in outcome.report.warning_codes()


def test_trust_list_signed_by_someone_else(canon, clock):
    svc = build(canon, clock, trusted=False)
    with pytest.raises(TrustListError) as caught:
        svc.trust.import_bytes(factory.trust_list(canon, signer=factory.stranger_key))
    assert caught.value.code == "TRUST_LIST_ERROR" and caught.value.title == "Trust list signed by someone else"
    assert svc.trust.current is None


def test_tampered_trust_list(canon, clock):
    svc = build(canon, clock, trusted=False)
    data = factory.trust_list(canon).replace(b"99XX", b"66XX")
    with pytest.raises(TrustListError) as caught:
        svc.trust.import_bytes(data)
    assert caught.value.code == "TRUST_LIST_ERROR" and "PROOF_VERIFICATION_ERROR" in caught.value.detail


def test_trust_list_is_persisted_and_reloaded(canon, clock, tmp_path):
    svc = build(canon, clock, trusted=False)
    store = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock,
                       path=tmp_path / "tl.json")
    store.import_bytes(factory.trust_list(canon))
    again = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock,
                       path=tmp_path / "tl.json")
    assert again.current is not None and factory.issuer_key.controller in again.current.entries


def test_trust_list_refresh_from_url(canon, clock):
    svc = build(canon, clock, trusted=False)
    store = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock,
                       url="https://kwaliteitskader.example.nl/trust-list.json",
                       transport=StaticTransport({"https://kwaliteitskader.example.nl/trust-list.json":
                                                  factory.trust_list(canon)}))
    assert store.refresh().authority == factory.authority_key.controller
    store.url = "https://kwaliteitskader.example.nl/gone"
    with pytest.raises(TrustListError):
        store.refresh()


def test_trust_list_expires_in_a_running_verifier(canon, clock, clean_vp):
    svc = build(canon, clock, trusted=False)
    svc.trust.import_bytes(factory.trust_list(canon, valid_until=dt.datetime(2026, 9, 2, tzinfo=dt.timezone.utc)))
    assert svc.verify_document(clean_vp).verdict == "valid"
    clock.advance(days=2)  # no re-import: the running verifier checks the list at every verification
    vp = factory.presentation(clean_vp["verifiableCredential"], canon, created="2026-09-03T12:00:00Z")
    outcome = svc.verify_document(vp)
    assert outcome.verdict == "warnings"
    assert outcome.report.warning_codes() == {"TRUST_LIST_EXPIRED", "QUALITY_MARK_ERROR"}
    expired = next(p for p in outcome.report.warnings if p.code == "TRUST_LIST_EXPIRED")
    assert "2026-09-02T00:00:00Z" in expired.detail and expired.path == "/verifiableCredential/0/issuer"
    assert any(c.name == "trusted-issuer" and c.status == "warning" for c in outcome.report.checks)
    assert outcome.credentials[0].certificate.institution_source == "credential"


def test_expired_trust_list_is_an_error_when_the_policy_requires_a_trusted_issuer(canon, clock, clean_vc):
    svc = build(canon, clock, trusted=False, policy=Policy(require_trusted_issuer=True))
    svc.trust.import_bytes(factory.trust_list(canon, valid_until=dt.datetime(2026, 9, 2, tzinfo=dt.timezone.utc)))
    clock.advance(days=2)
    vp = factory.presentation([clean_vc], canon, created="2026-09-03T12:00:00Z")
    assert "TRUST_LIST_EXPIRED" in svc.verify_document(vp).report.codes()


def test_institution_name_and_brin_come_from_the_trust_list(service, canon):
    """Trusted key A signing as "Universiteit B (BRIN 21BB)" is shown as the trust list's
    "Hogeschool Voorbeeld (BRIN 99XX)", with the claim beside it, and not as valid."""
    vc = factory.sign(factory.forged_name(), canon)
    outcome = service.verify_document(factory.presentation([vc], canon))
    cert = outcome.credentials[0].certificate
    assert (cert.institution, cert.brin, cert.institution_source) == ("Hogeschool Voorbeeld", "99XX", "trust-list")
    assert (cert.institution_claimed, cert.brin_claimed) == ("Universiteit B", "21BB")
    assert cert.name_differs and cert.brin_differs
    assert outcome.verdict == "warnings" and outcome.report.warning_codes() == {"ISSUER_NAME_MISMATCH"}
    assert {p.path for p in outcome.report.warnings} == {"/verifiableCredential/0/issuer/name",
                                                        "/verifiableCredential/0/issuer/otherIdentifier"}


def test_institution_name_that_matches_the_trust_list(service, canon):
    vc = factory.sign(factory.forged_name(name="  hogeschool   VOORBEELD ", brin="99XX"), canon)
    outcome = service.verify_document(factory.presentation([vc], canon))
    cert = outcome.credentials[0].certificate
    assert outcome.verdict == "valid" and not cert.name_differs and not cert.brin_differs
    assert cert.institution == "Hogeschool Voorbeeld" and cert.institution_source == "trust-list"


def test_look_alike_institution_name_differs(service, canon):
    vc = factory.sign(factory.forged_name(name="Hogeschool Voorb\u0435eld", brin="99XX"), canon)  # Cyrillic e
    cert = service.verify_document(factory.presentation([vc], canon)).credentials[0].certificate
    assert cert.name_differs and cert.institution == "Hogeschool Voorbeeld"


def test_untrusted_issuer_shows_the_credentials_own_name_as_unconfirmed(canon, clock):
    svc = build(canon, clock, transport=factory.status_transport(canon, key=factory.stranger_key))
    vc = factory.forged_name()
    vc["issuer"]["id"] = factory.stranger_key.controller
    vc = factory.sign(vc, canon, key=factory.stranger_key)
    cert = svc.verify_document(factory.presentation([vc], canon)).credentials[0].certificate
    assert (cert.institution, cert.institution_source, cert.name_differs) == ("Universiteit B", "credential", False)


def test_name_mismatch_is_an_error_when_the_policy_requires_a_trusted_issuer(canon, clock):
    svc = build(canon, clock, policy=Policy(require_trusted_issuer=True))
    vc = factory.sign(factory.forged_name(), canon)
    assert svc.verify_document(factory.presentation([vc], canon)).report.codes() == {"ISSUER_NAME_MISMATCH"}


def test_incomplete_microcredential_names_the_missing_elements(service, canon):
    vc = factory.microcredential()
    ach = vc["credentialSubject"]["achievement"]
    ach["alignment"] = [a for a in ach["alignment"] if a["targetType"] not in ("ext:EQFLevel", "ext:IdentityCheck")]
    del ach["inLanguage"]
    outcome = service.verify_document(factory.presentation([factory.sign(vc, canon)], canon))
    assert outcome.verdict == "warnings" and outcome.report.warning_codes() == {"MICROCREDENTIAL_INCOMPLETE"}
    assert outcome.credentials[0].completeness.missing == ["eqf", "identity_check", "language"]


def test_completeness_required_by_policy(canon, clock):
    vc = factory.microcredential()
    vc["credentialSubject"]["achievement"]["creditsAvailable"] = 45
    svc = build(canon, clock, policy=Policy(require_complete=True))
    outcome = svc.verify_document(factory.presentation([factory.sign(vc, canon)], canon))
    assert outcome.report.codes() == {"MICROCREDENTIAL_NONCONFORMING"}
    assert outcome.credentials[0].completeness.issues == ["ects"]


def test_one_ects_is_a_warning_in_the_university_window(service, canon):
    vc = factory.microcredential()
    vc["credentialSubject"]["achievement"]["creditsAvailable"] = 1
    outcome = service.verify_document(factory.presentation([factory.sign(vc, canon)], canon))
    assert outcome.report.codes() == set() and outcome.report.warning_codes() == {"MICROCREDENTIAL_NONCONFORMING"}


def test_bare_credential_is_a_warning(service, clean_vc):
    outcome = service.verify_document(clean_vc)
    assert outcome.kind == "credential" and outcome.report.warning_codes() == {"HOLDER_BINDING_ERROR"}


def test_policy_file_refuses_unknown_members():
    assert load_policy(b'{"require_trusted_issuer": true}').require_trusted_issuer
    with pytest.raises(VCError) as caught:
        load_policy(b'{"require_trusted_isuer": true}')
    assert caught.value.code == "MALFORMED_VALUE_ERROR"


def test_hostile_input_never_raises(service):
    for data in (b"", b"{", b"[]", b'{"type": "VerifiablePresentation", "verifiableCredential": [1, {}]}',
                 b"MC1D1:%%%", b"\x89PNG\r\n\x1a\n"):
        outcome = service.verify_input(data)
        assert outcome.verdict == "invalid" and outcome.report.codes()


def test_a_document_not_in_compacted_form_shows_no_certificate(service, canon):
    """Reading equals signing: the forged display of issue 8 (an inline context that turns the
    displayed members into keywords, the real subject under its IRI) is refused and shows nothing."""
    signed = factory.sign(factory.microcredential(), canon)
    forged = copy.deepcopy(signed)
    forged["@context"] = [*forged["@context"], {"credentialSubject": "@included", "name": "@index"}]
    forged["https://www.w3.org/2018/credentials#credentialSubject"] = forged.pop("credentialSubject")
    forged["credentialSubject"] = {"name": "Iemand Anders"}
    outcome = service.verify_document(forged)
    assert outcome.verdict == "invalid" and outcome.credentials == []
    assert "UNKNOWN_CONTEXT_ERROR" in outcome.report.codes()
    assert "Iemand Anders" not in json.dumps(outcome.to_json())
