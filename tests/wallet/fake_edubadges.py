"""A fake edubadges issuer built from the metadata shapes SURF publishes for its OB3 agent
(educredentials/ec-issuer @ a28910c0: dependencies/prism/ssi-agent-mock.yaml and oidc-auth-mock.yaml,
tests/e2e/support/wallet.py): the credential issuer and its authorization server on two hosts,
offer by reference with an `authorization_code` grant and `issuer_state`, PAR (201) + PKCE S256,
nonce endpoint, `vc+sd-jwt` with did:jwk/did:key holders, EdDSA or ES256 proofs. It issues an SD-JWT
VC whose body is SURF's example microcredential, signed by a did:web issuer with an ES256 key."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import secrets
import urllib.parse

from flask import Flask, jsonify, redirect, request

from vccore.errors import VCError
from vccore.jose import parse_compact, verify_signature
from vccore.josekeys import JoseKeys, ec_key_from_seed, public_jwk
from vccore.sdjwt import conceal, issue
from vccore.transport import Response

from ..conftest import ROOT

AGENT = "https://agent.edubadges.example"
AUTH = "https://auth.edubadges.example"
ISSUER_DID = "did:web:agent.edubadges.example"
ISSUER_KEY = ec_key_from_seed(bytes.fromhex("e5" * 32), info=b"fake edubadges issuer")
EXAMPLE = ROOT / "tests" / "vectors" / "edubadges" / "example-uvh_at_microcredential_full_1.json"


def did_document() -> dict:
    vm = ISSUER_DID + "#0"
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
            "id": ISSUER_DID, "verificationMethod": [{"id": vm, "type": "JsonWebKey2020", "controller": ISSUER_DID,
                                                      "publicKeyJwk": {**public_jwk(ISSUER_KEY), "alg": "ES256"}}],
            "authentication": [vm], "assertionMethod": [vm]}


def issuer_metadata() -> dict:
    return {"credential_issuer": AGENT + "/", "credential_endpoint": AGENT + "/openid4vci/credential",
            "nonce_endpoint": AGENT + "/openid4vci/nonce", "authorization_servers": [AUTH],
            "display": [{"name": "EduBadges", "locale": "en"}],
            "credential_configurations_supported": {"OpenbadgeCredential": {
                "format": "vc+sd-jwt", "credential_definition": {"type": ["VerifiableCredential", "OpenbadgeCredential"]},
                "cryptographic_binding_methods_supported": ["did:jwk", "did:key", "did:web"],
                "credential_signing_alg_values_supported": ["ES256", "EdDSA"],
                "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256", "EdDSA"]}},
                "credential_metadata": {"display": [{"name": "Open Badge Credential", "locale": "en"},
                                                    {"name": "Open Badge Referentie", "locale": "nl"}]}}}}


def create_fake_edubadges(clock, *, proof_algs=("ES256", "EdDSA")) -> Flask:
    app = Flask(__name__)
    state = app.extensions["fake"] = {"offers": {}, "par": {}, "codes": {}, "tokens": {}, "nonces": set(),
                                      "issued": [], "proof_headers": []}
    keys = JoseKeys()
    meta = issuer_metadata()
    meta["credential_configurations_supported"]["OpenbadgeCredential"]["proof_types_supported"]["jwt"][
        "proof_signing_alg_values_supported"] = list(proof_algs)

    @app.get("/agent/.well-known/openid-credential-issuer")
    def metadata():
        return meta

    @app.get("/agent/.well-known/did.json")
    def did():
        return did_document()

    @app.get("/agent/openid4vci/offers/<offer_id>")
    def offer(offer_id):
        if offer_id not in state["offers"]:
            return {"error": "not_found"}, 404
        return {"credential_issuer": AGENT, "credential_configuration_ids": ["OpenbadgeCredential"],
                "grants": {"authorization_code": {"issuer_state": offer_id}}}

    @app.get("/auth/.well-known/oauth-authorization-server")
    def auth_metadata():
        return {"authorization_endpoint": AUTH + "/auth/authorize", "issuer": AUTH,
                "pushed_authorization_request_endpoint": AUTH + "/auth/par",
                "require_pushed_authorization_requests": True, "token_endpoint": AUTH + "/auth/token"}

    @app.post("/auth/auth/par")
    def par():
        form = request.form.to_dict()
        details = json.loads(form.get("authorization_details", "[]"))
        if form.get("code_challenge_method") != "S256" or not form.get("code_challenge") \
                or form.get("issuer_state") not in state["offers"] or form.get("response_type") != "code" \
                or details[0].get("credential_configuration_id") != "OpenbadgeCredential":
            return {"error": "invalid_request"}, 400
        uri = "urn:ietf:params:oauth:request_uri:" + secrets.token_urlsafe(12)
        state["par"][uri] = form
        return jsonify({"request_uri": uri, "expires_in": 60}), 201

    @app.get("/auth/auth/authorize")
    def authorize():  # the student signs in (SURFconext in reality) and is sent back at once
        form = state["par"].pop(request.args.get("request_uri"), None)
        if form is None or request.args.get("client_id") != form["client_id"]:
            return {"error": "invalid_request_uri"}, 400
        code = secrets.token_urlsafe(12)
        state["codes"][code] = form
        return redirect(form["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": form["state"]}))

    @app.post("/auth/auth/token")
    def token():
        form = state["codes"].pop(request.form.get("code"), None)
        verifier = request.form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if form is None or request.form.get("grant_type") != "authorization_code" or challenge != form["code_challenge"] \
                or request.form.get("redirect_uri") != form["redirect_uri"]:
            return {"error": "invalid_grant"}, 400
        access = secrets.token_urlsafe(16)
        state["tokens"][access] = form["issuer_state"]
        return {"access_token": access, "token_type": "Bearer", "expires_in": 300}

    @app.post("/agent/openid4vci/nonce")
    def nonce():
        value = secrets.token_urlsafe(16)
        state["nonces"].add(value)
        return {"c_nonce": value}

    @app.post("/agent/openid4vci/credential")
    def credential():
        offer_id = state["tokens"].pop(request.headers.get("Authorization", "").removeprefix("Bearer "), None)
        if offer_id is None:
            return {"error": "invalid_token"}, 401
        proofs = (request.get_json().get("proofs") or {}).get("jwt") or []
        try:
            proof = parse_compact(proofs[0])
            holder = keys.did_key(proof.header["kid"], purpose="authentication")
            verify_signature(proof, holder.key)
            claims = proof.claims()
        except (VCError, IndexError, KeyError):
            return {"error": "invalid_proof"}, 400
        if proof.header.get("alg") not in proof_algs or claims.get("aud") not in (AGENT, AGENT + "/") \
                or claims.get("nonce") not in state["nonces"]:
            return {"error": "invalid_proof"}, 400
        state["nonces"].discard(claims["nonce"])
        state["proof_headers"].append(proof.header)
        state["issued"].append(holder.controller)
        return jsonify({"credentials": [{"credential": _sd_jwt_vc(holder.controller, public_jwk(holder.key), clock)}]})

    return app


def _sd_jwt_vc(holder_did: str, holder_jwk: dict, clock) -> str:
    vc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    vc["issuer"] = {**vc["issuer"], "id": ISSUER_DID}
    subject = {**copy.deepcopy(vc["credentialSubject"]), "id": holder_did}
    hidden = [k for k in subject if k not in ("id", "type")]
    subject, disclosures = conceal(subject, hidden)
    payload = {**vc, "credentialSubject": subject, "iss": ISSUER_DID, "vct": "OpenbadgeCredential",
               "iat": int(clock.now().timestamp()), "cnf": {"jwk": holder_jwk}}
    return issue({"alg": "ES256", "typ": "vc+sd-jwt", "kid": ISSUER_DID + "#0"}, payload, disclosures, ISSUER_KEY)


def offer_link(app: Flask) -> str:
    offer_id = "offer-" + secrets.token_hex(4)
    app.extensions["fake"]["offers"][offer_id] = True
    return "openid-credential-offer://?credential_offer_uri=" + urllib.parse.quote(f"{AGENT}/openid4vci/offers/{offer_id}")


class TwoHostClient:
    """The wallet's HttpClient: both hosts answered by one WSGI app (no sockets); /agent and /auth."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()

    def request(self, method, url, *, data=None, headers=None) -> Response:
        parts = urllib.parse.urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        prefix = {AGENT: "/agent", AUTH: "/auth"}[base]
        reply = self.client.open(prefix + parts.path + ("?" + parts.query if parts.query else ""), method=method,
                                 data=data, headers=headers or {})
        return Response(reply.status_code, reply.get_data(), dict(reply.headers))

    def get(self, url) -> Response:
        return self.request("GET", url)

    def authorize(self, url: str) -> str:
        """The browser step: follow the authorization endpoint to its redirect."""
        reply = self.request("GET", url)
        assert reply.status == 302, reply.body
        return reply.headers["Location"]
