"""The second OpenID4VCI configuration: the same microcredential as an SD-JWT VC, received by our
wallet, verified by vccore, with the grade hideable; off when OID4VCI_SD_JWT_VC is false."""

from __future__ import annotations

import urllib.parse

import pytest

from vccore import Verifier
from vccore.sdjwt import decode_disclosure, parse_sd_jwt
from vccore.transport import Response
from wallet.oid4vci import parse_offer, redeem_offer

from .test_oid4vci import (ISSUER_URL, app, client, credential_request, definition_id, get_nonce,  # noqa: F401
                           get_token, make_app, new_offer, proof_jwt)


class AppClient:
    """The wallet's HttpClient answered by the issuer app in this process."""

    def __init__(self, app):
        self.client = app.test_client()

    def request(self, method, url, *, data=None, headers=None):
        parts = urllib.parse.urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == ISSUER_URL
        reply = self.client.open(parts.path, method=method, data=data, headers=headers or {})
        return Response(reply.status_code, reply.get_data(), dict(reply.headers))


def test_metadata_offers_the_sd_jwt_configuration(client):
    config = client.get("/.well-known/openid-credential-issuer").get_json()[
        "credential_configurations_supported"]["MicroCredentialSdJwt"]
    assert config["format"] == "dc+sd-jwt" and config["vct"].startswith("urn:")
    assert config["proof_types_supported"] == {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}}


def test_our_wallet_receives_the_sd_jwt_vc(app, definition_id, clock, holder_key, canon):
    offer = new_offer(app, definition_id, clock)
    body = redeem_offer(parse_offer(offer.link), key=holder_key, client=AppClient(app), clock=clock,
                        configuration="MicroCredentialSdJwt")
    sd = parse_sd_jwt(body.decode("ascii"))
    assert sd.jws.header == {"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": app.extensions["issuer_service"].key.id}
    names = {decode_disclosure(d, path="").name for d in sd.disclosures}
    assert {"result", "achievement", "identifier", "creditsEarned"} <= names
    claims = sd.jws.claims()
    assert claims["credentialSubject"]["id"] == holder_key.controller and "achievement" not in claims["credentialSubject"]
    report = Verifier(canon=canon, clock=clock).verify(body.decode("ascii"))
    assert report.verified, report.to_json()
    assert report.bodies[""]["credentialSubject"]["achievement"]["name"] == "Data-gedreven besluitvorming in de zorg"
    assert report.bodies[""]["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_an_sd_jwt_request_when_the_configuration_is_off(tmp_path, issuer_key, clock, canon, holder_key, definition_id):
    app = make_app(tmp_path / "off", issuer_key, clock, canon, OID4VCI_SD_JWT_VC=False)
    service = app.extensions["issuer_service"]
    from .test_oid4vci import DEFINITION
    from issuer.model import MicrocredentialDefinition
    definition = service.save_definition(MicrocredentialDefinition.model_validate(DEFINITION))
    client = app.test_client()
    assert "MicroCredentialSdJwt" not in client.get("/.well-known/openid-credential-issuer").get_json()[
        "credential_configurations_supported"]
    offer = new_offer(app, definition, clock)
    token = get_token(client, offer.code).get_json()["access_token"]
    reply = credential_request(client, token, proof_jwt(holder_key, get_nonce(client), clock),
                               configuration="MicroCredentialSdJwt")
    assert reply.status_code == 400 and reply.get_json()["error"] == "unknown_credential_configuration"
