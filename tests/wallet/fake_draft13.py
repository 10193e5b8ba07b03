"""A fake issuer with the shapes eduWallet's veramo-agent shows on loopback (docs/interop.md):
OpenID4VCI draft 13, pre-authorized code with an optional tx_code, offer by reference (the URI not
percent-encoded), c_nonce in the token response, no nonce endpoint, `proof` with a required `iss`,
`{"credential": JWT}` answers; jwt_vc_json with a VC 1.1 body, EdDSA, no kid (key from iss)."""

from __future__ import annotations

import copy
import secrets
import urllib.parse

from flask import Flask, jsonify, request

from vccore.errors import VCError
from vccore.jose import parse_compact, sign_compact, verify_signature
from vccore.josekeys import JoseKeys, okp_key
from vccore.transport import Response

BASE = "https://agent.eduwallet.example/peer"
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


def create_draft13_issuer(issuer_key, clock, *, tx_code: bool = False) -> tuple[Flask, str]:
    app = Flask(__name__)
    code, pin = secrets.token_urlsafe(12), "1234"
    state = {"tokens": {}, "offer": {"credential_issuer": BASE, "credential_configuration_ids": ["OpenBadgeCredential"],
                                     "grants": {PRE_AUTHORIZED: {"pre-authorized_code": code}}}}
    if tx_code:
        state["offer"]["grants"][PRE_AUTHORIZED]["tx_code"] = {"input_mode": "numeric", "length": 4,
                                                               "description": "PIN"}
    app.extensions["fake"] = state

    @app.get("/peer/.well-known/openid-credential-issuer")
    def metadata():
        return {"credential_issuer": BASE, "credential_endpoint": BASE + "/credentials",
                "credential_configurations_supported": {"OpenBadgeCredential": {
                    "format": "jwt_vc_json", "cryptographic_binding_methods_supported": ["did:jwk", "did:key"],
                    "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256", "EdDSA"]}},
                    "credential_definition": {"type": ["VerifiableCredential", "OpenBadgeCredential"]}}}}

    @app.get("/peer/.well-known/oauth-authorization-server")
    def auth():
        return {"issuer": BASE, "token_endpoint": BASE + "/token"}

    @app.get("/peer/get-credential-offer/<offer_id>")
    def offer(offer_id):
        return state["offer"] if offer_id == code else ({"error": "not_found"}, 404)

    @app.post("/peer/token")
    def token():
        if request.form.get("pre-authorized_code") != code or (tx_code and request.form.get("tx_code") != pin):
            return {"error": "invalid_grant"}, 400
        access, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(8)
        state["tokens"][access] = nonce
        return {"access_token": access, "token_type": "bearer", "expires_in": 300, "c_nonce": nonce,
                "c_nonce_expires_in": 300}

    @app.post("/peer/credentials")
    def credentials():
        nonce = state["tokens"].pop(request.headers.get("Authorization", "")[7:], None)
        body = request.get_json()
        if nonce is None:
            return {"error": "invalid_token"}, 401
        if body.get("format") != "jwt_vc_json" or "proof" not in body:
            return {"error": "invalid_credential_request"}, 400
        try:
            proof = parse_compact(body["proof"]["jwt"])
            claims = proof.claims()
            holder = JoseKeys().did_key(proof.header["kid"], purpose="authentication")
            verify_signature(proof, holder.key)
        except (VCError, KeyError):
            return {"error": "invalid_proof"}, 400
        if "iss" not in claims:  # what did-jwt 6 answers (docs/interop.md)
            return {"error": "invalid_jwt: JWT iss or client_id are required"}, 500
        if claims.get("nonce") != nonce or claims.get("aud") != BASE:
            return {"error": "invalid_proof"}, 400
        vc = {"@context": ["https://www.w3.org/2018/credentials/v1",
                           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"],
              "type": ["VerifiableCredential", "OpenBadgeCredential"],
              "credentialSubject": {"type": ["AchievementSubject"], "id": holder.controller,
                                    "achievement": {"id": "https://example.org/achievements/1", "type": ["Achievement"],
                                                    "name": "Interop badge", "criteria": {"narrative": "Redeem"}}}}
        now = int(clock.now().timestamp())
        jwt = sign_compact({"alg": "EdDSA", "typ": "JWT"},
                           {"vc": copy.deepcopy(vc), "sub": holder.controller, "nbf": now - 60,
                            "iss": issuer_key.controller}, okp_key(issuer_key.private_key))
        return jsonify({"credential": jwt, "c_nonce": "n", "c_nonce_expires_in": 300})

    return app, f"openid-credential-offer://?credential_offer_uri={BASE}/get-credential-offer/{code}"


class InProcessClient:
    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()

    def request(self, method, url, *, data=None, headers=None) -> Response:
        parts = urllib.parse.urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == "https://agent.eduwallet.example"
        reply = self.client.open(parts.path, method=method, data=data, headers=headers or {})
        return Response(reply.status_code, reply.get_data(), dict(reply.headers))
