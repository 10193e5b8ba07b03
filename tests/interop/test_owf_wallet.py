"""A wallet we did not write answers our verifier over OpenID4VP 1.0 (issue 14: "a wallet that follows
the spec must work with our verifier"): the OpenWallet Foundation's `@openid4vc/openid4vp` with `dcql`
and `jose` (pinned in tests/interop/package.json, installed by scripts/ensure-interop-node.sh), driven
by owf_wallet.mjs under Node.js.

Our verifier app serves on loopback; the page's "ask for a microcredential" makes the request; the
library fetches the signed Request Object over HTTP, verifies it with the key of the client's did:jwk,
evaluates the DCQL query against a `jwt_vc_json` microcredential of an institution on the test trust
list, signs a JWT VP with `jose` and posts it (`direct_post`). What is asserted is what our verifier
made of it: the transaction's state and the verdict. Then the refusals the library can cause: the same
response posted twice, and a presentation signed by a key that is not the credential's subject. The
library's DCQL evaluator also finds the query's SD-JWT VC alternatives under both names (dc+sd-jwt and
the pre-1.0 vc+sd-jwt, verifier/oid4vp_query.py).

No waiting on time: the library's POST returns after our verifier has decided. The library reads
`Date` for the Request Object's `exp`, so the driver runs it at the test's clock (node:test mock timers).
"""

from __future__ import annotations

import copy
import json
import pathlib
import shutil
import subprocess
from typing import Any

import pytest

from vccore import KeyPair
from vccore.jose import sign_compact
from vccore.josekeys import okp_key

from ..browser_support import live_server  # noqa: F401  (pytest fixture)
from ..oid4vp_support import ask, links, status, verifier_app
from ..verifier import factory

HERE = pathlib.Path(__file__).resolve().parent
DRIVER = HERE / "owf_wallet.mjs"


def _holder(key: KeyPair) -> dict[str, Any]:
    return {"jwk": okp_key(key.private_key).as_dict(private=True), "did": key.controller, "kid": key.id, "alg": "EdDSA"}


def _credential(clock) -> str:
    """A microcredential of the trust list's institution as a jwt_vc_json, bound to the holder's did:key."""
    vc = copy.deepcopy(factory.microcredential())
    vc.pop("credentialStatus")
    vc["credentialSubject"]["id"] = factory.holder_key.controller
    now = int(clock.now().timestamp())
    claims = {"iss": factory.issuer_key.controller, "sub": factory.holder_key.controller, "nbf": now - 3600, "vc": vc}
    return sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": factory.issuer_key.id}, claims,
                        okp_key(factory.issuer_key.private_key))


def _sd_jwt_held(fmt: str) -> dict[str, Any]:
    """An SD-JWT VC microcredential as the dcql library describes a held one (claims all disclosed)."""
    claims = {**factory.microcredential(), "iss": factory.issuer_key.controller}
    return {"format": fmt, "vct": "urn:nl:microcredentials:MicroCredential:1", "claims": claims}


def run_wallet(link: str, token: str, *, holder: KeyPair, now: int, submissions: int = 1,
               held: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the OpenWallet Foundation wallet test needs Node.js >= 20.11")
    if not (HERE / "node_modules" / "@openid4vc" / "openid4vp").is_dir():
        pytest.fail("tests/interop/node_modules has no @openid4vc/openid4vp: run `sh scripts/ensure-interop-node.sh`")
    request = {"link": link, "credential": {"format": "jwt_vc_json", "token": token}, "holder": _holder(holder),
               "now": now, "submissions": submissions, "held": held or []}
    proc = subprocess.run([node, str(DRIVER)], input=json.dumps(request), capture_output=True, text=True,
                          timeout=60, cwd=HERE)
    assert proc.returncode == 0, f"owf_wallet.mjs exited {proc.returncode}: {proc.stderr}"
    out = json.loads(proc.stdout)
    assert "error" not in out, out
    return out


@pytest.fixture
def served(live_server, canon, clock):  # noqa: F811
    """Our verifier on a free loopback port; its links name that port (the wallet follows them)."""
    app = verifier_app(canon, clock, name="Werkgever BV (OWF)")
    app.config["VERIFIER_DOMAIN"] = live_server(app)
    return app


def _verdict(app, page: str) -> tuple[dict[str, Any], Any]:
    state = status(app.test_client(), page)
    key = (state.get("result") or "").split("/result/")[-1].split("?")[0]
    return state, (app.extensions["results"].get(key) if key else None)


def test_the_owf_wallet_answers_and_the_verdict_is_valid(served, clock):
    client = served.test_client()
    page = ask(client)
    out = run_wallet(links(client, page)[0], _credential(clock), holder=factory.holder_key,
                     now=int(clock.now().timestamp()), held=[_sd_jwt_held("dc+sd-jwt"), _sd_jwt_held("vc+sd-jwt")])
    # the library read our request as OpenID4VP 1.0 from a decentralized_identifier client it verified
    identity = served.extensions["oid4vp_identity"]
    assert out["version"] == 100 and out["client"]["prefix"] == "decentralized_identifier"
    assert out["client"]["effective"] == identity.client_id and out["client_name"] == "Werkgever BV (OWF)"
    assert out["matched"] == ["microcredential_jwt"] and out["can_be_satisfied"] is True
    claims = out["presentation"]["claims"]
    assert claims["aud"] == identity.client_id and claims["iss"] == factory.holder_key.controller
    assert out["submitted"] == [{"status": 200, "body": "{}"}]
    # an SD-JWT VC under either name finds the query of that name: `dcql` matches the format exactly
    assert out["held_matches"]["microcredential_sd_jwt"] == [0] and out["held_matches"]["microcredential_vc_sd_jwt"] == [1]
    state, outcome = _verdict(served, page)
    assert state["state"] == "answered", state
    assert outcome.verdict == "valid", sorted({p.code for p in outcome.report.problems})
    (credential,) = outcome.credentials
    assert credential.certificate.ects is not None and "trusted-issuer" in {c.get("check") for c in credential.checks}


def test_the_same_response_posted_again_is_refused(served, clock):
    client = served.test_client()
    page = ask(client)
    out = run_wallet(links(client, page)[0], _credential(clock), holder=factory.holder_key,
                     now=int(clock.now().timestamp()), submissions=2)
    first, second = out["submitted"]
    assert first["status"] == 200
    assert second["status"] == 400 and json.loads(second["body"])["code"] == "OID4VP_REQUEST_USED", second
    state, outcome = _verdict(served, page)
    assert state["state"] == "answered" and outcome.verdict == "valid"  # the first answer stands


def test_a_presentation_by_someone_other_than_the_subject_is_refused_and_the_request_stays_open(served, clock):
    """The library signs the VP with a key that is not the credential's subject: bound to this request
    (nonce, aud) but not by the credential's holder, so it is refused and the candidate can still answer."""
    client = served.test_client()
    page = ask(client)
    link = links(client, page)[0]
    out = run_wallet(link, _credential(clock), holder=factory.stranger_key, now=int(clock.now().timestamp()))
    assert out["presentation"]["claims"]["iss"] == factory.stranger_key.controller
    assert out["submitted"][0]["status"] == 400
    assert json.loads(out["submitted"][0]["body"])["code"] == "HOLDER_BINDING_ERROR", out
    state, _ = _verdict(served, page)
    assert state["state"] == "refused" and state["code"] == "HOLDER_BINDING_ERROR", state
    out = run_wallet(link, _credential(clock), holder=factory.holder_key, now=int(clock.now().timestamp()))
    state, outcome = _verdict(served, page)
    assert out["submitted"][0]["status"] == 200 and state["state"] == "answered" and outcome.verdict == "valid"
