"""OpenID4VP against eduWallet's veramo-verifier, replayed offline from what it sent in the live run
(tests/vectors/veramo-verifier, made by scripts/interop_veramo_vp.py; docs/interop.md "OpenID4VP").

Our wallet reads the peer's signed Request Objects (ES256, did:jwk, `decentralized_identifier:`, no
Content-Type on the request_uri answer) at the capture time, honours the ES256-only
`vp_formats_supported` of the peer as configured by the recipe, and answers the instance whose
metadata also lists EdDSA with the JWT VP the peer checked live. The peer's own checks of a jwt_vc_json
presentation (its src/verifier/validations/vcdm1.ts and DCQLSubmission.ts, restated in `peer_messages`)
give the messages it gave live: only its `aud` comparison with the bare DID refuses our answer.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from vccore import FixedClock, KeyPair, format_datetime
from vccore.jose import parse_compact, sign_compact, verify_signature
from vccore.josekeys import ec_key_from_seed
from vccore.jwtvp import sign_jwt_vp, verify_jwt_vp
from vccore.oid4vp import DID_PREFIX, Oid4vpError, parse_invocation
from vccore.oid4vp_match import formats_fit
from vccore.report import VerificationReport
from vccore.transport import Response
from wallet.defaults import build_verifier
from wallet.holder import Wallet
from wallet.holderkeys import holder_keys
from wallet.oid4vp import answer, fetch_request, matches, options

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "veramo-verifier"
HOLDER_SEED = bytes.fromhex("48" * 32)   # the published test key the agent's credential is bound to
REQUESTS = ["peer-OBC", "peer-dcql", "peereddsa-OBC", "peereddsa-dcql"]


def text(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8").strip()


def claims_of(token: str) -> dict[str, Any]:
    return parse_compact(token).claims()


def captured_at(name: str) -> dt.datetime:
    instance, kind = name.split("-")
    runs = json.loads(text("run.json"))
    run = next(r for r in runs if (r["instance"], r["request"], r["by"]) == (instance, kind, "library"))
    return dt.datetime.fromtimestamp(run["fetched_at"], dt.timezone.utc)


class Peer:
    """The peer as it answered live: the Request Object with no Content-Type header, and HTTP 200 with
    an empty body (no Content-Type either) for the response, whatever it makes of it."""

    def __init__(self, request_object: str) -> None:
        self.request_object = request_object.encode("ascii")
        self.fetched: list[tuple[str, dict[str, str]]] = []
        self.posted: list[tuple[str, dict[str, list[str]]]] = []

    def request(self, method: str, url: str, *, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        if method == "GET":
            self.fetched.append((url, dict(headers or {})))
            return Response(200, self.request_object, {"content-length": str(len(self.request_object))})
        self.posted.append((url, urllib.parse.parse_qs((data or b"").decode("utf-8"))))
        return Response(200, b"", {})


def open_wallet(home: Path, canon, at: dt.datetime) -> Wallet:
    clock = FixedClock(at)
    verifier = build_verifier(canon=canon, clock=clock)

    def first(draft: Wallet) -> None:
        draft.store.add_profile("interop", KeyPair.generate(HOLDER_SEED), format_datetime(at))
    wallet = Wallet.create(home, "a passphrase for the test", verifier=verifier, clock=clock, canon=canon,
                           kdf_n=2 ** 12, first_profile=False, prepare=first)
    result = wallet.import_bytes(text("credential.jwt").encode("ascii"))
    assert result.stored and result.intake.verified, result.intake.report.problems
    return wallet


@pytest.fixture
def wallet_at(tmp_path, canon):
    opened: list[Wallet] = []

    def make(name: str) -> Wallet:
        opened.append(open_wallet(tmp_path / f"home-{len(opened)}", canon, captured_at(name)))
        return opened[-1]
    yield make
    for w in opened:
        w.close()


@pytest.mark.parametrize("name", REQUESTS)
def test_the_peers_request_is_read_as_it_was_sent(name, wallet_at):
    """§5.10: by reference; §5.9.3: signed by the key of the did:jwk in the client_id (kid #0); the
    request_uri answer had no Content-Type (§5.10.1 wants application/oauth-authz-req+jwt): the
    wallet asks for that type and reads the signed object all the same."""
    wallet, token, link = wallet_at(name), text(f"{name}.request.jwt"), text(f"{name}.uri.txt")
    peer = Peer(token)
    request = fetch_request(link, client=peer, wallet=wallet, allow_http=True)
    sent = claims_of(token)
    header = parse_compact(token).header
    assert header["typ"] == "oauth-authz-req+jwt" and header["alg"] == "ES256"
    assert request.client_id == sent["client_id"] == parse_invocation(link).client_id
    assert request.client_id.startswith(DID_PREFIX + "did:jwk:") and request.signed_by == request.did + "#0"
    assert (request.response_uri, request.nonce, request.state) == (sent["response_uri"], sent["nonce"], sent["state"])
    dcql = json.loads(text(f"{name}.dcql.json"))
    assert sent["dcql_query"] == dcql and [q.id for q in request.query.credentials] == [c["id"] for c in dcql["credentials"]]
    assert peer.fetched == [(parse_invocation(link).request_uri, {"Accept": "application/oauth-authz-req+jwt"})]
    assert request.expires is None and not {"iss", "iat", "exp"} & set(sent)  # the peer sends none (iss: §5, MAY)


def _resigned(token: str, changes: dict[str, Any]) -> str:
    """The peer's claims with `changes`, signed by another P-256 key under the peer's kid."""
    jws = parse_compact(token)
    return sign_compact(jws.header, {**jws.claims(), **changes}, ec_key_from_seed(b"\x01" * 32, info=b"not the peer"))


def _spliced(token: str, changes: dict[str, Any]) -> str:
    """The peer's signature over changed claims."""
    head, _payload, signature = token.split(".")
    payload = base64.urlsafe_b64encode(json.dumps({**claims_of(token), **changes}).encode()).rstrip(b"=").decode()
    return f"{head}.{payload}.{signature}"


def _retyped(token: str) -> str:
    """The peer's signature under a header whose typ is plain JWT."""
    _head, payload, signature = token.split(".")
    head = base64.urlsafe_b64encode(json.dumps({**parse_compact(token).header, "typ": "JWT"}).encode()).rstrip(b"=")
    return f"{head.decode()}.{payload}.{signature}"


@pytest.mark.parametrize(("forge", "said"), [
    (lambda t: _spliced(t, {"response_uri": "http://127.0.0.1:9/steal"}), "signature does not verify"),
    (lambda t: _spliced(t, {"nonce": "another"}), "signature does not verify"),
    (lambda t: _resigned(t, {}), "signature does not verify"),
    (_retyped, "typ is not oauth-authz-req+jwt"),
])
def test_a_changed_request_object_is_refused(forge, said, wallet_at):
    wallet = wallet_at("peer-OBC")
    with pytest.raises(Oid4vpError) as refused:
        fetch_request(text("peer-OBC.uri.txt"), client=Peer(forge(text("peer-OBC.request.jwt"))), wallet=wallet,
                      allow_http=True)
    assert refused.value.code == "OID4VP_REQUEST_ERROR" and said in refused.value.detail


def test_a_link_naming_another_client_is_refused(wallet_at):
    """§5.10.1: the link's client_id and the object's must be identical; the kid must be of that DID."""
    wallet, link = wallet_at("peer-OBC"), text("peer-OBC.uri.txt")
    other = DID_PREFIX + "did:jwk:" + base64.urlsafe_b64encode(b'{"kty":"EC","crv":"P-256"}').decode().rstrip("=")
    forged = link.split("&client_id=")[0] + "&client_id=" + urllib.parse.quote(other)
    with pytest.raises(Oid4vpError) as refused:
        fetch_request(forged, client=Peer(text("peer-OBC.request.jwt")), wallet=wallet, allow_http=True)
    assert refused.value.path == "/request/header/kid"


def test_the_peers_es256_only_metadata_leaves_the_eddsa_credential_out(wallet_at):
    """§B.1.3.1.3: the `alg` of the presented VC and VP MUST be one of `alg_values`. The recipe's
    verifier lists ES256 only; the agent signs with EdDSA (its only working key type, see the recipe)
    and our wallet's holder key of that credential is Ed25519: nothing to offer."""
    wallet = wallet_at("peer-OBC")
    request = fetch_request(text("peer-OBC.uri.txt"), client=Peer(text("peer-OBC.request.jwt")), wallet=wallet,
                            allow_http=True)
    assert request.client_metadata["vp_formats_supported"]["jwt_vc_json"] == {"alg_values": ["ES256"]}
    assert matches(wallet, request) == {"OBC": []} and options(request, matches(wallet, request)) == []
    assert parse_compact(text("credential.jwt")).header["alg"] == "EdDSA"
    formats = request.client_metadata["vp_formats_supported"]
    assert not formats_fit(formats, "jwt_vc_json", credential_alg="EdDSA", presentation_alg="EdDSA")
    assert formats_fit(formats, "jwt_vc_json", credential_alg="ES256", presentation_alg="ES256")


def peer_messages(token: str, *, client_id: str, nonce: str) -> list[str]:
    """The peer's checks of one jwt_vc_json presentation (vcdm1.ts, then extractVCDMCredentials), by
    code, in its order; `client_id` is what its Verifier.clientId() returns: the DID without prefix.
    (It verifies the VP's signature, but neither the credential's nor that the VP signer is its subject.)"""
    jws = parse_compact(token)
    claims, out = jws.claims(), []
    if claims.get("aud") != client_id:
        out.append("INVALID_PRESENTATION: aud")
    if claims.get("nonce") != nonce:
        out.append("INVALID_PRESENTATION: nonce")
    vp = claims.get("vp") or {}
    if "VerifiablePresentation" not in (vp.get("type") or []) or not vp.get("verifiableCredential"):
        return out + ["VC_ERROR"]
    for credential in vp["verifiableCredential"]:
        inner = claims_of(credential)
        if not inner.get("issuer"):   # the top-level `issuer` only: a VC 1.1 JWT has it in `iss`
            out.append("VC_ERROR: issuer")
        elif "https://www.w3.org/2018/credentials/v1" in (inner.get("vc") or {}).get("@context", []):
            out.append("VCDM1.1")
        else:
            out.append("VCDM1.1: misses vc claim")
    return out


def _live(name: str) -> dict[str, Any]:
    return json.loads(text(f"{name}.response.json"))


@pytest.mark.parametrize("name", ["peereddsa-OBC", "peereddsa-dcql"])
def test_our_answer_is_the_presentation_the_peer_checked_live(name, wallet_at):
    """§8.2 direct_post: form fields vp_token and state; §8.1: {credential query id: [JWT VP]};
    §B.1.3.1.5: nonce = the request's, aud = the full Client Identifier (§5.9.1), signed by the key
    the credential is bound to. The peer's answer (HTTP 200, empty body) means no redirect."""
    wallet, live = wallet_at(name), _live(name)
    peer = Peer(text(f"{name}.request.jwt"))
    request = fetch_request(text(f"{name}.uri.txt"), client=peer, wallet=wallet, allow_http=True)
    found = matches(wallet, request)
    assert len(found["OBC"]) == 1
    assert answer(wallet, request, found["OBC"], client=peer) == {}
    ((url, form),) = peer.posted
    assert url == request.response_uri and sorted(form) == live["form_fields"] == ["state", "vp_token"]
    assert form["state"] == [request.state]
    token = json.loads(form["vp_token"][0])
    assert list(token) == ["OBC"] and len(token["OBC"]) == 1
    vp = parse_compact(token["OBC"][0])
    sent, seen = vp.claims(), live["presentation"]
    assert vp.header == seen["header"] and sorted(sent) == sorted(seen["claims"])
    assert (sent["aud"], sent["nonce"]) == (request.client_id, request.nonce)
    holder = KeyPair.generate(HOLDER_SEED)
    assert sent["iss"] == sent["vp"]["holder"] == holder.controller == claims_of(text("credential.jwt"))["sub"]
    assert sent["vp"]["verifiableCredential"] == [text("credential.jwt")]
    assert sent["iat"] <= int(wallet.clock.now().timestamp()) < sent["exp"]
    ed = next(h for h in holder_keys(holder) if h.did == holder.controller)
    verify_signature(vp, ed.signing)
    report = VerificationReport()
    assert verify_jwt_vp(token["OBC"][0], keys=wallet.verifier.jose, now=wallet.clock.now(), report=report,
                         nonce=request.nonce, audience=request.client_id) and report.verified, report.problems


@pytest.mark.parametrize("name", ["peereddsa-OBC", "peereddsa-dcql"])
def test_the_peers_checks_refuse_only_the_full_client_identifier(name):
    """What the peer said live, from the presentation it received: aud refused, the credential read
    as VC 1.1. The same presentation with aud = the bare DID (the run's diagnosis, not what a wallet
    may send) passes all its checks."""
    live = _live(name)
    request = claims_of(text(f"{name}.request.jwt"))
    bare = request["client_id"][len(DID_PREFIX):]
    vp = json.loads(live["vp_token"])["OBC"][0]
    assert peer_messages(vp, client_id=bare, nonce=request["nonce"]) == ["INVALID_PRESENTATION: aud", "VCDM1.1"]
    assert [m.split(": ", 1)[0] for m in live["peer"]["messages"]] == ["INVALID_PRESENTATION", "VCDM1.1"]
    assert "aud claim does not match client id" in live["peer"]["messages"][0] and not live["peer"]["accepted"]
    holder = KeyPair.generate(HOLDER_SEED)
    ed = next(h for h in holder_keys(holder) if h.did == holder.controller)
    claims = claims_of(vp)
    diagnosis = sign_jwt_vp(claims["vp"]["verifiableCredential"], key=ed.signing, alg="EdDSA", kid=ed.kid,
                            holder=ed.did, audience=bare, nonce=request["nonce"],
                            now=dt.datetime.fromtimestamp(claims["iat"], dt.timezone.utc))
    assert peer_messages(diagnosis, client_id=bare, nonce=request["nonce"]) == ["VCDM1.1"]
    diagnosed = [r for r in json.loads(text("run.json")) if r["by"].startswith("diagnosis")]
    assert diagnosed and all(r["peer"]["accepted"] and r["peer"]["messages"] == [
        "VCDM1.1: OBC: credential is formatted according to VCDM1.1"] for r in diagnosed)
