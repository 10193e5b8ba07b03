"""OpenID4VP test material: our verifier app (fixed did:jwk, trust list, status lists), a wallet in a
temporary home holding microcredentials in three formats, and an HttpClient that hands the wallet's
requests to the verifier's WSGI app in the same process (no sockets)."""

from __future__ import annotations

import copy
import json
import re
import urllib.parse
from typing import Any

from flask import Flask

from issuer.sdjwt_vc import sd_jwt_vc
from vccore.jose import sign_compact
from vccore.josekeys import okp_key, public_jwk
from vccore.transport import Response
from verifier.app import create_app
from verifier.oid4vp_identity import VerifierIdentity
from verifier.service import VerifierService
from verifier.trust import TrustStore
from wallet.defaults import build_verifier
from wallet.holder import Wallet

from .verifier import factory

BASE = "https://werkgever.example"
VERIFIER_SEED = bytes.fromhex("5e" * 32)


class AppClient:
    """The wallet's HttpClient, answered by WSGI apps by origin; records what was posted."""

    def __init__(self, apps: dict[str, Flask]) -> None:
        self.clients = {origin: app.test_client() for origin, app in apps.items()}
        self.posted: list[tuple[str, bytes]] = []

    def request(self, method: str, url: str, *, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        parts = urllib.parse.urlsplit(url)
        client = self.clients[f"{parts.scheme}://{parts.netloc}"]
        path = parts.path + ("?" + parts.query if parts.query else "")
        if method == "POST":
            self.posted.append((url, data or b""))
        reply = client.open(path, method=method, data=data, headers=headers or {},
                            base_url=f"{parts.scheme}://{parts.netloc}")
        return Response(reply.status_code, reply.get_data(), dict(reply.headers))


def verifier_app(canon, clock, *, name: str = "Werkgever BV") -> Flask:
    service = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    service.trust = TrustStore(authority=factory.authority_key.controller, verifier=service.plain, clock=clock)
    service.trust.import_bytes(factory.trust_list(canon))
    return create_app({"VERIFIER_SERVICE": service, "TESTING": True, "VERIFIER_DOMAIN": BASE, "VERIFIER_NAME": name,
                       "OID4VP_IDENTITY": VerifierIdentity.from_seed(VERIFIER_SEED)})


def ask(client, **conditions: str) -> str:
    """The page's "ask for a microcredential": the transaction's page path."""
    reply = client.post("/ask", data=conditions, headers={"Origin": BASE}, base_url=BASE)
    assert reply.status_code == 303, reply.get_data(as_text=True)
    return reply.headers["Location"].split("?")[0]


def links(client, page: str) -> tuple[str, str]:
    """(cross-device, same-device) links shown on the page."""
    html = client.get(page, base_url=BASE).get_data(as_text=True)
    cross = re.search(r'id="request-link">([^<]+)<', html).group(1).replace("&amp;", "&")
    same = re.search(r'id="same-device" href="([^"]+)"', html) or re.search(r'href="([^"]+)" id="same-device"', html)
    return cross, same.group(1).replace("&amp;", "&")


def status(client, page: str) -> dict[str, Any]:
    return client.get(page + "/status", base_url=BASE).get_json()


def wallet_in(home, canon, clock) -> Wallet:
    verifier = build_verifier(canon=canon, clock=clock, transport=factory.status_transport(canon))
    return Wallet.create(home, "a passphrase for the test", verifier=verifier, clock=clock, canon=canon, kdf_n=2 ** 12)


def store_ldp(wallet: Wallet, canon, **changes) -> str:
    vc = factory.microcredential(**changes)
    vc["credentialSubject"]["id"] = wallet.profile().did
    result = wallet.import_bytes(json.dumps(factory.sign(vc, canon)).encode())
    assert result.stored, result.intake.report.problems
    return result.stored_id


def store_sd_jwt(wallet: Wallet, canon, clock) -> str:
    vc = factory.sign(factory.microcredential(), canon)
    vc["credentialSubject"]["id"] = wallet.profile().did
    holder = public_jwk(okp_key(wallet.profile().key.private_key))
    text = sd_jwt_vc(vc, key=factory.issuer_key, holder_jwk=holder, now=clock.now())
    result = wallet.import_bytes(text.encode())
    assert result.stored, result.intake.report.problems
    return result.stored_id


def store_jwt_vc(wallet: Wallet, clock) -> str:
    vc = copy.deepcopy(factory.microcredential())
    vc.pop("credentialStatus")
    vc["credentialSubject"]["id"] = wallet.profile().did
    now = int(clock.now().timestamp())
    claims = {"iss": factory.issuer_key.controller, "sub": wallet.profile().did, "nbf": now - 3600, "vc": vc}
    token = sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": factory.issuer_key.id}, claims,
                         okp_key(factory.issuer_key.private_key))
    result = wallet.import_bytes(token.encode())
    assert result.stored, result.intake.report.problems
    return result.stored_id
