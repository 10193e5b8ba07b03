"""Receiving via OpenID4VCI (pre-authorized code, jwt key proof) from a fake issuer."""

from __future__ import annotations

import pytest

from wallet.errors import OfferError
from wallet.oid4vci import parse_offer, redeem_offer
from wallet.qrimage import read_codes, render_png

from .fake_issuer import InProcessClient, create_fake_issuer, offer_link


@pytest.fixture
def fake(issuer_key, canon, clock):
    return create_fake_issuer(issuer_key, canon, clock)


def test_offer_is_redeemed_with_proof_of_the_holder_key(wallet, fake, clock):
    profile = wallet.profile()
    body = redeem_offer(parse_offer(offer_link(fake)), key=profile.key, client=InProcessClient(fake), clock=clock)
    result = wallet.import_bytes(body)
    assert result.stored and result.intake.verified
    assert fake.extensions["fake"]["issued"] == [profile.did]
    assert wallet.record(result.stored_id).summary["holder"] == profile.did


def test_offer_from_a_qr_image(wallet, fake, clock):
    link = read_codes(render_png(offer_link(fake), alphanumeric=False))[0]
    body = redeem_offer(parse_offer(link), key=wallet.profile().key, client=InProcessClient(fake), clock=clock)
    assert wallet.import_bytes(body).stored


def test_a_used_code_is_refused(wallet, fake, clock):
    link = offer_link(fake)
    redeem_offer(parse_offer(link), key=wallet.profile().key, client=InProcessClient(fake), clock=clock)
    with pytest.raises(OfferError) as exc:
        redeem_offer(parse_offer(link), key=wallet.profile().key, client=InProcessClient(fake), clock=clock)
    assert exc.value.code == "CREDENTIAL_OFFER_ERROR" and "invalid_grant" in exc.value.detail
    assert exc.value.oauth_error == "invalid_grant"  # a field, not read back from the detail's prose


def test_only_a_known_oauth_code_is_kept_and_never_parsed_from_prose():
    assert OfferError("token: invalid_grant").oauth_error is None
    assert OfferError("token: HTTP 500", oauth_error="<script>").oauth_error is None
    assert OfferError("token: invalid_nonce", oauth_error="invalid_nonce").oauth_error == "invalid_nonce"


@pytest.mark.parametrize("link", ["https://example.nl", "openid-credential-offer://?x=1",
                                  "openid-credential-offer://?credential_offer=%7Bnot%20json",
                                  'openid-credential-offer://?credential_offer={"credential_issuer":"x"}'])
def test_malformed_offers(link):
    with pytest.raises(OfferError) as exc:
        parse_offer(link)
    assert exc.value.code == "CREDENTIAL_OFFER_ERROR"


def test_credential_bytes_are_kept_exactly_as_sent():
    from wallet.oid4vci import exact_credential_bytes
    stored = b'{\n  "id": "urn:x",   "name": "caf\\u00e9",\n  "n": 1.50\n}'
    body = b'{"credentials": [{"credential": ' + stored + b'}], "note": {"credential": 1}}'
    import json
    assert exact_credential_bytes(body, json.loads(stored)) == stored
    # an answer formatted some other way still yields a faithful (re-serialised) credential
    assert json.loads(exact_credential_bytes(b'{"credentials": []}', {"a": 1})) == {"a": 1}
