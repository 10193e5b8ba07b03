"""A small issuer implementing the project's OpenID4VCI profile, to test the wallet against
(the wallet never imports the issuer package), and a client that routes to it in-process."""

from __future__ import annotations

import copy
import json
import secrets
import urllib.parse

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import Flask, jsonify, request

from vccore import add_proof
from vccore.multibase import decode_public_multikey
from vccore.transport import Response
from wallet.oid4vci import PRE_AUTHORIZED

from ..conftest import load_example

ISSUER_URL = "https://issuer.example.nl"


def create_fake_issuer(issuer_key, canon, clock) -> Flask:
    app = Flask(__name__)
    state = app.extensions["fake"] = {"codes": set(), "tokens": set(), "nonces": set(), "issued": []}

    @app.get("/.well-known/openid-credential-issuer")
    def metadata():
        return {"credential_issuer": ISSUER_URL, "credential_endpoint": ISSUER_URL + "/oid4vci/credential",
                "nonce_endpoint": ISSUER_URL + "/oid4vci/nonce",
                "credential_configurations_supported": {"MicroCredential": {
                    "format": "ldp_vc", "cryptographic_binding_methods_supported": ["did:key"],
                    "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}}}}}

    @app.get("/.well-known/oauth-authorization-server")
    def auth_metadata():
        return {"issuer": ISSUER_URL, "token_endpoint": ISSUER_URL + "/oid4vci/token",
                "pre-authorized_grant_anonymous_access_supported": True}

    @app.post("/oid4vci/token")
    def token():
        code = request.form.get("pre-authorized_code")
        if request.form.get("grant_type") != PRE_AUTHORIZED or code not in state["codes"]:
            return {"error": "invalid_grant"}, 400
        state["codes"].discard(code)
        access = secrets.token_urlsafe(16)
        state["tokens"].add(access)
        return {"access_token": access, "token_type": "Bearer", "expires_in": 300}

    @app.post("/oid4vci/nonce")
    def nonce():
        value = secrets.token_urlsafe(16)
        state["nonces"].add(value)
        return {"c_nonce": value}

    @app.post("/oid4vci/credential")
    def credential():
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if bearer not in state["tokens"]:
            return {"error": "invalid_token"}, 401
        state["tokens"].discard(bearer)
        proof = request.get_json()["proofs"]["jwt"][0]
        header = jwt.get_unverified_header(proof)
        did = header["kid"].split("#")[0]
        public = Ed25519PublicKey.from_public_bytes(decode_public_multikey(did[len("did:key:"):]))
        try:
            claims = jwt.decode(proof, public, algorithms=["EdDSA"], audience=ISSUER_URL)
        except jwt.PyJWTError:
            return {"error": "invalid_proof"}, 400
        if header.get("typ") != "openid4vci-proof+jwt" or claims.get("nonce") not in state["nonces"]:
            return {"error": "invalid_nonce" if header.get("typ") == "openid4vci-proof+jwt" else "invalid_proof"}, 400
        state["nonces"].discard(claims["nonce"])
        vc = copy.deepcopy(load_example())
        vc.pop("credentialStatus")
        vc["issuer"]["id"], vc["credentialSubject"]["id"] = issuer_key.controller, did
        signed = add_proof(vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z")
        state["issued"].append(did)
        return jsonify({"credentials": [{"credential": signed}]})

    return app


def offer_link(app: Flask) -> str:
    code = secrets.token_urlsafe(12)
    app.extensions["fake"]["codes"].add(code)
    offer = {"credential_issuer": ISSUER_URL, "credential_configuration_ids": ["MicroCredential"],
             "grants": {PRE_AUTHORIZED: {"pre-authorized_code": code}}}
    return "openid-credential-offer://?credential_offer=" + urllib.parse.quote(json.dumps(offer))


class InProcessClient:
    """The wallet's HttpClient, answered by a WSGI app in the same process (no sockets)."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()

    def request(self, method, url, *, data=None, headers=None) -> Response:
        parts = urllib.parse.urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == ISSUER_URL
        reply = self.client.open(parts.path, method=method, data=data, headers=headers or {})
        return Response(reply.status_code, reply.get_data())
