"""Receiving JOSE formats through OpenID4VCI: an edubadges-shaped issuer (authorization code flow,
PAR + PKCE S256, issuer_state, offer by reference, nonce endpoint, SD-JWT VC, did:web issuer),
the pre-authorized code with a transaction code, proofs with EdDSA or ES256 for did:key or did:jwk
holders; stored exactly as received and presented in a QR presentation."""

from __future__ import annotations

import json

import pytest

from vccore import Verifier
from vccore.jose import parse_compact
from vccore.qrcodec import decode_payload
from vccore.sdjwt import parse_sd_jwt
from wallet.errors import OfferError
from wallet.holderkeys import choose_holder_key, holder_keys
from wallet.oid4vci import parse_offer, redeem_offer

from .fake_edubadges import TwoHostClient, create_fake_edubadges, did_document, offer_link


@pytest.fixture
def edubadges(clock, transport):
    transport.responses["https://agent.edubadges.example/.well-known/did.json"] = json.dumps(did_document()).encode()
    return create_fake_edubadges(clock)


def receive(wallet, app, clock, **kw):
    client = TwoHostClient(app)
    return redeem_offer(parse_offer(offer_link(app)), key=wallet.profile().key, client=client, clock=clock,
                        authorize=client.authorize, **kw)


def test_edubadges_authorization_code_flow_issues_an_sd_jwt_vc(wallet, edubadges, clock):
    body = receive(wallet, edubadges, clock)
    sd = parse_sd_jwt(body.decode("ascii"))
    assert sd.jws.header["typ"] == "vc+sd-jwt" and sd.kb is None
    result = wallet.import_bytes(body)
    assert result.stored and result.intake.verified, result.intake.report.to_json()
    assert wallet.body(result.stored_id) == body  # exactly as received
    record = wallet.record(result.stored_id)
    assert record.summary["format"] == "vc+sd-jwt"
    assert record.summary["name"] == "Microcredential Basisomzetting Kat naar Koffiezetapparaat"
    header = edubadges.extensions["fake"]["proof_headers"][0]
    assert header["alg"] == "EdDSA" and header["kid"] == wallet.profile().key.id
    assert wallet.details(result.stored_id)["institution"] == "Universiteit van Harderwijk"


def test_es256_only_issuer_gets_a_p256_proof(wallet, clock, transport):
    transport.responses["https://agent.edubadges.example/.well-known/did.json"] = json.dumps(did_document()).encode()
    app = create_fake_edubadges(clock, proof_algs=("ES256",))
    body = receive(wallet, app, clock)
    header = app.extensions["fake"]["proof_headers"][0]
    assert header["alg"] == "ES256" and header["kid"].startswith("did:key:zDn")
    assert wallet.import_bytes(body).intake.verified


def test_holder_key_choice_follows_the_metadata(wallet):
    key = wallet.profile().key
    assert choose_holder_key(key, algs=["EdDSA"], methods=["did:jwk"]).method == "did:jwk"
    assert choose_holder_key(key, algs=["ES256"], methods=["did:jwk"]).did.startswith("did:jwk:")
    assert choose_holder_key(key, algs=["RS256"], methods=["did:key"]) is None
    assert len({h.did for h in holder_keys(key)}) == 4


def test_sd_jwt_vc_presented_with_the_grade_hidden(wallet, edubadges, clock, canon):
    stored = wallet.import_bytes(receive(wallet, edubadges, clock)).stored_id
    assert wallet.hideable(stored) == ["result"]
    shown = wallet.present([stored], hide=["result"])
    document = decode_payload(shown.texts[0]) if not shown.animated else shown.document
    assert document == shown.document
    envelope = shown.document["verifiableCredential"][0]
    assert envelope["type"] == "EnvelopedVerifiableCredential" and envelope["id"].startswith("data:application/vc+sd-jwt,")
    report = wallet.verifier.verify(shown.document)
    assert report.verified, report.to_json()
    subject = report.bodies["/verifiableCredential/0"]["credentialSubject"]
    assert "result" not in subject and subject["achievement"]["name"]
    assert ("key-binding", "passed") in {(c.name, c.status) for c in report.checks}
    full = wallet.verifier.verify(wallet.present([stored]).document)
    assert "result" in full.bodies["/verifiableCredential/0"]["credentialSubject"]


def test_authorization_code_offer_needs_a_browser(wallet, edubadges, clock):
    with pytest.raises(OfferError) as exc:
        redeem_offer(parse_offer(offer_link(edubadges)), key=wallet.profile().key,
                     client=TwoHostClient(edubadges), clock=clock)
    assert exc.value.title == "Sign-in needed"


def test_sign_in_answer_for_another_request_is_refused(wallet, edubadges, clock):
    client = TwoHostClient(edubadges)
    with pytest.raises(OfferError) as exc:
        redeem_offer(parse_offer(offer_link(edubadges)), key=wallet.profile().key, client=client, clock=clock,
                     authorize=lambda url: client.authorize(url).replace("state=", "state=x"))
    assert exc.value.title == "Sign-in failed"


def test_pkce_verifier_is_checked_by_the_issuer(wallet, edubadges, clock):
    """A stolen code is useless without the wallet's code_verifier: the fake checks S256."""
    client = TwoHostClient(edubadges)
    calls = iter([b"\x01" * 32, b"\x02" * 16])  # verifier, state
    body = redeem_offer(parse_offer(offer_link(edubadges)), key=wallet.profile().key, client=client, clock=clock,
                        authorize=client.authorize, random=lambda n: next(calls))
    assert body.count(b"~") >= 2


# pre-authorized code with a transaction code, jwt_vc_json (the shape of eduWallet's agent)

def test_pre_authorized_code_with_tx_code(wallet, fake_jwt_issuer, clock):
    app, link = fake_jwt_issuer(tx_code=True)
    client = _InProcess(app)
    with pytest.raises(OfferError) as exc:
        redeem_offer(parse_offer(link), key=wallet.profile().key, client=client, clock=clock)
    assert exc.value.title == "Transaction code needed"
    with pytest.raises(OfferError) as wrong:
        redeem_offer(parse_offer(link), key=wallet.profile().key, client=client, clock=clock, tx_code="9999")
    assert "invalid_grant" in wrong.value.detail
    body = redeem_offer(parse_offer(link), key=wallet.profile().key, client=client, clock=clock, tx_code="1234")
    token = parse_compact(body.decode("ascii"))
    assert token.claims()["vc"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    result = wallet.import_bytes(body)
    assert result.intake.verified and wallet.body(result.stored_id) == body
    assert wallet.record(result.stored_id).summary["format"] == "jwt_vc_json"
    report = wallet.verifier.verify(wallet.present([result.stored_id]).document)
    assert report.verified, report.to_json()


@pytest.fixture
def fake_jwt_issuer(clock, issuer_key):
    from .fake_draft13 import create_draft13_issuer
    return lambda **kw: create_draft13_issuer(issuer_key, clock, **kw)


class _InProcess:
    def __init__(self, app):
        from .fake_draft13 import InProcessClient
        self.inner = InProcessClient(app)

    def request(self, *a, **kw):
        return self.inner.request(*a, **kw)
