"""OpenID4VP 1.0 between our wallet and our verifier (docs/oid4vp-profile.md), in process: the request
(signed Request Object, DCQL, direct_post), the answer in each format family, and the refusals
(replayed, late, another nonce, not what the query asks), each with its code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import urllib.parse

import pytest

from vccore.jose import parse_compact
from vccore.oid4vp import DID_PREFIX, Oid4vpError, parse_invocation
from wallet.oid4vp import AnswerRefusedError, Match, answer, decline, fetch_request, matches, options

from .oid4vp_support import BASE, AppClient, ask, links, status, store_jwt_vc, store_ldp, store_sd_jwt, verifier_app, wallet_in
from .verifier import factory


@pytest.fixture
def app(canon, clock):
    return verifier_app(canon, clock)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def http(app):
    return AppClient({BASE: app})


@pytest.fixture
def wallet(tmp_path, canon, clock):
    w = wallet_in(tmp_path / "home", canon, clock)
    yield w
    w.close()


def test_the_request_is_a_signed_request_object(client, http, wallet):
    """§5 and §5.9.3: client_id and request_uri in the link; the Request Object is typ
    oauth-authz-req+jwt, signed by a key of the client's DID, direct_post, with a DCQL query."""
    page = ask(client)
    cross, same = links(client, page)
    invocation = parse_invocation(cross)
    assert cross.startswith("openid4vp://?") and invocation.client_id.startswith(DID_PREFIX + "did:jwk:")
    reply = client.get(urllib.parse.urlsplit(invocation.request_uri).path, base_url=BASE)
    assert reply.status_code == 200 and reply.mimetype == "application/oauth-authz-req+jwt"
    jws = parse_compact(reply.get_data(as_text=True))
    assert jws.header["typ"] == "oauth-authz-req+jwt" and jws.header["kid"] == invocation.client_id[len(DID_PREFIX):] + "#0"
    claims = jws.claims()
    assert claims["response_mode"] == "direct_post" and claims["response_type"] == "vp_token"
    assert claims["response_uri"].startswith(BASE + "/oid4vp/response/") and claims["state"]
    assert [c["format"] for c in claims["dcql_query"]["credentials"]] == ["ldp_vc", "jwt_vc_json", "dc+sd-jwt", "vc+sd-jwt"]
    assert set(claims["client_metadata"]["vp_formats_supported"]) == {"ldp_vc", "jwt_vc_json", "dc+sd-jwt", "vc+sd-jwt"}
    request = fetch_request(cross, client=http, wallet=wallet)
    assert request.client_name == "Werkgever BV" and request.verified_identity
    assert status(client, page)["state"] == "retrieved"
    assert parse_invocation(same).request_uri.endswith("?device=same")


@pytest.mark.parametrize("store", ["ldp", "sd_jwt", "jwt_vc"])
def test_the_wallet_answers_in_each_format(store, client, http, wallet, canon, clock):
    cred = {"ldp": lambda: store_ldp(wallet, canon), "sd_jwt": lambda: store_sd_jwt(wallet, canon, clock),
            "jwt_vc": lambda: store_jwt_vc(wallet, clock)}[store]()
    page = ask(client)
    request = fetch_request(links(client, page)[0], client=http, wallet=wallet)
    found = matches(wallet, request)
    (option,) = options(request, found)
    chosen = found[option[0]]
    assert [m.cred_id for m in chosen] == [cred]
    assert answer(wallet, request, chosen, client=http) == {}
    state = status(client, page)
    assert state["state"] == "answered"
    html = client.get(state["result"], base_url=BASE).get_data(as_text=True)
    assert 'data-state="valid"' in html or 'data-state="remarks"' in html


def test_the_sd_jwt_answer_discloses_only_what_is_chosen(client, http, wallet, canon, clock):
    """§6.4: the grade is left out when the learner hides it (a claim set without it exists)."""
    store_sd_jwt(wallet, canon, clock)
    page = ask(client)
    request = fetch_request(links(client, page)[0], client=http, wallet=wallet)
    chosen = matches(wallet, request)["microcredential_sd_jwt"]
    answer(wallet, request, chosen, client=http, hide=("result",))
    token = json.loads(urllib.parse.parse_qs(http.posted[-1][1].decode())["vp_token"][0])
    from vccore.sdjwt import decode_disclosure, parse_sd_jwt
    sd = parse_sd_jwt(token["microcredential_sd_jwt"][0])
    names = {decode_disclosure(d, path="").name for d in sd.disclosures}
    assert "achievement" in names and "result" not in names and sd.kb is not None
    assert status(client, page)["state"] == "answered"


def test_same_device_answer_returns_to_the_verdict(client, http, wallet, canon):
    store_ldp(wallet, canon)
    page = ask(client)
    request = fetch_request(links(client, page)[1], client=http, wallet=wallet)
    reply = answer(wallet, request, matches(wallet, request)["microcredential"], client=http)
    assert reply["redirect_uri"].startswith(BASE + "/result/")


def _answered(client, http, wallet, canon):
    store_ldp(wallet, canon)
    page = ask(client)
    request = fetch_request(links(client, page)[0], client=http, wallet=wallet)
    answer(wallet, request, matches(wallet, request)["microcredential"], client=http)
    return page, request


def test_a_replayed_response_is_refused(client, http, wallet, canon):
    page, _request = _answered(client, http, wallet, canon)
    url, body = http.posted[-1]
    reply = client.post(urllib.parse.urlsplit(url).path, data=body, base_url=BASE,
                        content_type="application/x-www-form-urlencoded")
    assert reply.status_code == 400 and reply.get_json()["code"] == "OID4VP_REQUEST_USED"
    assert status(client, page)["state"] == "answered"


def test_a_late_response_is_refused(client, http, wallet, canon, clock):
    store_ldp(wallet, canon)
    page = ask(client)
    request = fetch_request(links(client, page)[0], client=http, wallet=wallet)
    found = matches(wallet, request)["microcredential"]
    clock.advance(seconds=601)
    with pytest.raises(AnswerRefusedError) as refused:
        answer(wallet, request, found, client=http)
    assert refused.value.verifier_code == "OID4VP_REQUEST_EXPIRED"
    assert status(client, page)["state"] == "expired"
    with pytest.raises(Oid4vpError):  # the Request URI is gone too (§5.10.2: the wallet stops)
        fetch_request(links(client, page)[0], client=http, wallet=wallet)


def test_a_response_for_another_nonce_is_refused(client, http, wallet, canon):
    """A presentation made for request A, posted to request B: refused, and B stays open."""
    store_ldp(wallet, canon)
    first = fetch_request(links(client, ask(client))[0], client=http, wallet=wallet)
    second_page = ask(client)
    second = fetch_request(links(client, second_page)[0], client=http, wallet=wallet)
    found = matches(wallet, first)["microcredential"]
    import dataclasses
    crossed = dataclasses.replace(first, response_uri=second.response_uri, state=second.state)
    with pytest.raises(AnswerRefusedError) as refused:
        answer(wallet, crossed, found, client=http)
    assert refused.value.verifier_code == "INVALID_CHALLENGE_ERROR"
    state = status(client, second_page)
    assert state["state"] == "refused" and state["code"] == "INVALID_CHALLENGE_ERROR"
    answer(wallet, second, matches(wallet, second)["microcredential"], client=http)  # the holder can still answer
    assert status(client, second_page)["state"] == "answered"


def test_a_credential_that_does_not_meet_the_query_is_refused(client, http, wallet, canon):
    """The wallet offers nothing for a minimum it does not meet; a wallet that sends it anyway is
    refused by the verifier's own check (§14.9)."""
    cred = store_ldp(wallet, canon)
    page = ask(client, min_ects="30", nlqf="8")
    request = fetch_request(links(client, page)[0], client=http, wallet=wallet)
    assert matches(wallet, request)["microcredential"] == [] and options(request, matches(wallet, request)) == []
    forced = Match(request.query.by_id("microcredential"), cred, "ldp_vc", ())
    with pytest.raises(AnswerRefusedError) as refused:
        answer(wallet, request, [forced], client=http)
    assert refused.value.verifier_code == "OID4VP_QUERY_NOT_MET"
    assert status(client, page)["code"] == "OID4VP_QUERY_NOT_MET"


def test_another_format_than_the_query_is_refused(client, http, wallet, canon, clock):
    cred = store_sd_jwt(wallet, canon, clock)
    page = ask(client)
    request = fetch_request(links(client, page)[0], client=http, wallet=wallet)
    forced = Match(request.query.by_id("microcredential"), cred, "ldp_vc", ())
    with pytest.raises(Exception):  # noqa: B017 - the wallet cannot even make an ldp_vc of an SD-JWT
        answer(wallet, request, [forced], client=http)
    reply = client.post(urllib.parse.urlsplit(request.response_uri).path, base_url=BASE,
                        data={"state": request.state, "vp_token": json.dumps({"microcredential": ["eyJ.x.y"]})})
    assert reply.status_code == 400 and reply.get_json()["code"] == "OID4VP_VP_TOKEN_ERROR"


@pytest.mark.parametrize("vp_token, code", [
    ("not json", "OID4VP_VP_TOKEN_ERROR"),
    ("[]", "OID4VP_VP_TOKEN_ERROR"),
    ('{"microcredential": []}', "OID4VP_VP_TOKEN_ERROR"),
    ('{"unknown_query": [{}]}', "OID4VP_VP_TOKEN_ERROR"),
    ('{"microcredential": [{"type": "VerifiablePresentation"}]}', "MALFORMED_VALUE_ERROR"),
])
def test_malformed_answers_are_refused(client, http, wallet, vp_token, code):
    page = ask(client)
    request = fetch_request(links(client, page)[0], client=http, wallet=wallet)
    reply = client.post(urllib.parse.urlsplit(request.response_uri).path, base_url=BASE,
                        data={"state": request.state, "vp_token": vp_token})
    assert reply.status_code == 400
    assert reply.get_json()["code"] == code, reply.get_json()
    assert status(client, page)["state"] == "refused"


def test_unknown_request_and_wrong_state(client):
    reply = client.post("/oid4vp/response/nothing", data={"vp_token": "{}"}, base_url=BASE)
    assert reply.status_code == 400 and reply.get_json()["code"] == "OID4VP_UNKNOWN_REQUEST"
    assert client.get("/oid4vp/request/nothing", base_url=BASE).status_code == 404


def test_the_learner_declines(client, http, wallet, canon):
    store_ldp(wallet, canon)
    page = ask(client)
    request = fetch_request(links(client, page)[0], client=http, wallet=wallet)
    decline(request, client=http)
    assert status(client, page)["state"] == "declined"


def test_a_tampered_request_object_is_refused(client, http, wallet, app):
    """§5.9.3: the Request Object must verify with the key of the client's DID."""
    page = ask(client)
    cross = links(client, page)[0]
    invocation = parse_invocation(cross)
    real = app.test_client().get(urllib.parse.urlsplit(invocation.request_uri).path, base_url=BASE).get_data(as_text=True)
    header, payload, signature = real.split(".")
    from vccore.jose import b64url_decode, b64url_encode
    claims = json.loads(b64url_decode(payload))
    claims["response_uri"] = "https://attacker.example/collect"
    forged = ".".join((header, b64url_encode(json.dumps(claims).encode()), signature))

    class Forging:
        def request(self, method, url, *, data=None, headers=None):
            from vccore.transport import Response
            return Response(200, forged.encode())
    with pytest.raises(Oid4vpError) as refused:
        fetch_request(cross, client=Forging(), wallet=wallet)
    assert refused.value.code == "OID4VP_REQUEST_ERROR" and "signature" in refused.value.detail


def test_an_expired_page_says_so(client, clock):
    page = ask(client)
    clock.advance(minutes=11)
    assert status(client, page)["state"] == "expired"


def _store_vc_sd_jwt(wallet, canon, clock) -> str:
    """An SD-JWT VC under its pre-1.0 typ `vc+sd-jwt`, the form SURF's edubadges issue."""
    from vccore.josekeys import okp_key, public_jwk
    from vccore.sdjwt import conceal, issue
    vc = factory.microcredential()
    vc["credentialSubject"]["id"] = wallet.profile().did
    subject, disclosures = conceal(vc["credentialSubject"], [k for k in vc["credentialSubject"] if k not in ("id", "type")])
    payload = {**vc, "credentialSubject": subject, "iss": factory.issuer_key.controller,
               "vct": "urn:nl:microcredentials:MicroCredential:1", "iat": int(clock.now().timestamp()) - 60,
               "cnf": {"jwk": public_jwk(okp_key(wallet.profile().key.private_key))}}
    text = issue({"alg": "EdDSA", "typ": "vc+sd-jwt", "kid": factory.issuer_key.id}, payload, disclosures,
                 okp_key(factory.issuer_key.private_key))
    result = wallet.import_bytes(text.encode())
    assert result.stored, result.intake.report.problems
    assert wallet.record(result.stored_id).summary["format"] == "vc+sd-jwt"
    return result.stored_id


def test_an_sd_jwt_vc_under_its_pre_1_0_name_is_asked_for_and_answered(client, http, wallet, canon, clock):
    """The query offers `vc+sd-jwt` beside `dc+sd-jwt` (one credential set): a wallet that matches
    formats exactly finds it; ours offers the credential under its own name only, and the answer is
    accepted."""
    cred = _store_vc_sd_jwt(wallet, canon, clock)
    page = ask(client)
    request = fetch_request(links(client, page)[0], client=http, wallet=wallet)
    (credential_set,) = request.query.credential_sets
    assert ("microcredential_vc_sd_jwt",) in credential_set.options
    found = matches(wallet, request)
    assert options(request, found) == [("microcredential_vc_sd_jwt",)] and found["microcredential_sd_jwt"] == []
    assert [m.cred_id for m in found["microcredential_vc_sd_jwt"]] == [cred]
    assert answer(wallet, request, found["microcredential_vc_sd_jwt"], client=http) == {}
    token = json.loads(urllib.parse.parse_qs(http.posted[-1][1].decode())["vp_token"][0])
    assert list(token) == ["microcredential_vc_sd_jwt"]
    state = status(client, page)
    assert state["state"] == "answered", state
    html = client.get(state["result"], base_url=BASE).get_data(as_text=True)
    assert 'data-state="valid"' in html or 'data-state="remarks"' in html


def _es256_only(request):
    """The request as a verifier that lists only ES256 for jwt_vc_json would send it (Appendix B)."""
    formats = {**request.client_metadata["vp_formats_supported"], "jwt_vc_json": {"alg_values": ["ES256"]}}
    return dataclasses.replace(request, client_metadata={**request.client_metadata, "vp_formats_supported": formats})


def test_a_credential_the_verifiers_formats_exclude_is_not_offered_and_the_wallet_says_why(client, http, tmp_path,
                                                                                           canon, clock):
    """Appendix B: an EdDSA jwt_vc_json meets the query but not an ES256-only vp_formats_supported:
    nothing is offered, and the page names the credential and the reason, in Dutch and English."""
    from wallet.oid4vp import unfit

    from .wallet.web_support import make_app, session_of, unlock
    app = make_app(tmp_path / "web", canon, clock, factory.status_transport(canon))
    learner = app.test_client()
    unlock(learner)
    session = session_of(app, learner)
    cred = store_jwt_vc(session.wallet, clock)
    request = fetch_request(links(client, ask(client))[0], client=http, wallet=session.wallet)
    assert matches(session.wallet, request)["microcredential_jwt"] and unfit(session.wallet, request) == []
    narrowed = _es256_only(request)
    assert options(narrowed, matches(session.wallet, narrowed)) == [] and unfit(session.wallet, narrowed) == [cred]
    token = session.ask(narrowed)
    texts = {"en": "the verifier does not accept how they are signed", "nl": "de verificateur accepteert niet hoe"}
    for lang, text in texts.items():
        html = learner.get(f"/respond/{token}?lang={lang}").get_data(as_text=True)
        assert 'id="no-match"' in html and 'id="not-accepted"' in html and text in html, html
        assert "Data-gedreven besluitvorming in de zorg" in html.split('id="not-accepted"')[1]
    ordinary = session.ask(fetch_request(links(client, ask(client, min_ects="30"))[0], client=http, wallet=session.wallet))
    html = learner.get(f"/respond/{ordinary}?lang=en").get_data(as_text=True)
    assert 'id="no-match"' in html and 'id="not-accepted"' not in html  # a minimum not met is another reason
