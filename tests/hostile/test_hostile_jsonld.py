"""Hostile corpus, JSON-LD: one case per attack class of issue 8's red-team run, signed by vccore and
by an independent implementation (Digital Bazaar's libraries, tests/interop), each refused with a
named code within a time and memory bound.

Reading equals signing (vccore/compacted.py): hidden members, forged display, IRI types, keyword
aliases, nodes described twice, unsigned contexts. Costs bounded: repeated contexts, scoped-context
blow-ups, and one slow document beside a normal one.
"""

from __future__ import annotations

import copy
import json
import pathlib

import pytest

from vccore import EDDSA_JCS_2022, create_presentation

from ..conftest import HOLDER_SEED, ISSUER_SEED, NOW, load_example
from ..interop.test_digitalbazaar import batch
from .bounds import run_bounded

VC = "https://www.w3.org/2018/credentials#"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
XSD = "http://www.w3.org/2001/XMLSchema#"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SECONDS, RSS_MB = 10, 400  # each case: well under what the attacks cost before (52-104 s, GBs)
CASES = "tests.hostile.cases_jsonld"


@pytest.fixture(scope="module")
def originals(issuer_key_module, holder_key_module) -> dict[str, dict]:
    """The same microcredential, expired and not, signed by Digital Bazaar (rdfc and jcs)."""
    credential = load_example()
    credential["issuer"]["id"] = issuer_key_module.controller
    credential["credentialSubject"]["id"] = holder_key_module.controller
    expired = {**credential, "validUntil": "2026-07-31T00:00:00Z"}
    future = {**credential, "validFrom": "2027-01-01T00:00:00Z"}
    requests = [{"op": "sign-credential", "credential": doc, "seed_hex": ISSUER_SEED.hex(),
                 "created": "2026-06-30T09:00:00Z", "cryptosuite": suite}
                for doc in (credential, expired, future) for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022")]
    signed = [r["credential"] for r in batch(*requests)]
    names = ["rdfc", "jcs", "expired", "expired-jcs", "future", "future-jcs"]
    return dict(zip(names, signed))


@pytest.fixture(scope="module")
def issuer_key_module():
    from vccore import KeyPair
    return KeyPair.generate(ISSUER_SEED)


@pytest.fixture(scope="module")
def holder_key_module():
    from vccore import KeyPair
    return KeyPair.generate(HOLDER_SEED)


def _file(tmp_path: pathlib.Path, name: str, document: dict) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def ours(tmp_path, name: str, document: dict, **kwargs) -> dict:
    result = run_bounded(f"{CASES}:verify_file", _file(tmp_path, name, document), kwargs.get("challenge"),
                         kwargs.get("revoked", False), seconds=SECONDS, rss_mb=RSS_MB)
    assert result.error is None and result.seconds < SECONDS and result.rss_mb < RSS_MB, result
    return result.value


def theirs(document: dict, **kwargs) -> dict:
    op = "verify-presentation" if "VerifiablePresentation" in document.get("type", []) else "verify-credential"
    key = "presentation" if op == "verify-presentation" else "credential"
    return batch({"op": op, key: document, "now": NOW, **kwargs})[0]


def hide(document: dict, member: str, datatype: str | None = None) -> dict:
    """Rename a member to the absolute IRI it expands to: the signed graph stays the same."""
    doc = copy.deepcopy(document)
    value = doc.pop(member)
    doc[VC + member] = {"@value": value, "@type": datatype} if datatype else value
    return doc


# -- 1. hidden members -------------------------------------------------------------------------

@pytest.mark.parametrize("original,member", [("expired", "validUntil"), ("future", "validFrom")])
def test_hidden_validity_dates(tmp_path, originals, original, member):
    signed = originals[original]
    assert ours(tmp_path, "plain", signed)["codes"] == [
        "EXPIRED_ERROR" if member == "validUntil" else "NOT_YET_VALID_ERROR"]
    forged = hide(signed, member, XSD + "dateTime")
    assert theirs(forged)["verified"] is True  # the signature holds: a loose verifier says valid
    result = ours(tmp_path, "forged", forged)
    assert result["errors"] == [["UNDEFINED_TERM_ERROR", "/" + (VC + member).replace("/", "~1")]]


def test_hidden_revocation_entry(tmp_path, originals):
    signed = copy.deepcopy(originals["rdfc"])
    assert ours(tmp_path, "plain", signed, revoked=True)["codes"] == ["STATUS_REVOKED"]
    forged = hide(signed, "credentialStatus")
    for entry in forged[VC + "credentialStatus"]:  # the entries' own members under their IRIs too
        entry["@type"] = "https://www.w3.org/ns/credentials/status#BitstringStatusListEntry"
        del entry["type"]
    result = ours(tmp_path, "forged", forged, revoked=True)
    assert not result["verified"] and "STATUS_REVOKED" not in result["codes"]
    assert result["codes"] == ["UNDEFINED_TERM_ERROR"]


# -- 2. forged display -------------------------------------------------------------------------

def forged_display(signed: dict) -> dict:
    """Issue 8's forged display: types as IRIs (so the protected type-scoped terms stop applying),
    the real subject under its IRI, and an inline context that makes the displayed members
    keywords whose values make no triple."""
    doc = copy.deepcopy(signed)
    doc["@context"] = [*doc["@context"], {"@version": 1.1, "credentialSubject": "@included",
                                          "name": "@index", "creditsAvailable": "@index"}]
    doc["type"] = [VC + "VerifiableCredential", OB + "OpenBadgeCredential"]
    doc[VC + "credentialSubject"] = doc.pop("credentialSubject")
    doc["credentialSubject"] = {"name": "Iemand Anders", "creditsAvailable": "30"}
    return doc


def test_forged_display_is_refused_before_anything_is_read(tmp_path, originals):
    forged = forged_display(originals["rdfc"])
    result = ours(tmp_path, "forged", forged)
    assert ["UNKNOWN_CONTEXT_ERROR", "/@context/2"] in result["errors"]
    assert result["read"] == []  # no credential summary: nothing of it reaches a screen


def test_types_as_iris_are_refused(tmp_path, originals):
    forged = copy.deepcopy(originals["rdfc"])
    forged["credentialSubject"]["achievement"]["type"] = [OB + "Achievement"]
    assert ours(tmp_path, "forged", forged)["errors"] == [
        ["UNDEFINED_TERM_ERROR", "/credentialSubject/achievement/type/0"]]


@pytest.mark.parametrize("keyword,value", [("@included", [{"id": "urn:uuid:1"}]), ("@index", "Iemand Anders")])
def test_keyword_members_are_refused(tmp_path, originals, keyword, value):
    forged = copy.deepcopy(originals["rdfc"])
    forged["credentialSubject"][keyword] = value
    assert ours(tmp_path, "forged", forged)["errors"] == [
        ["COMPACTED_FORM_ERROR", f"/credentialSubject/{keyword}"]]


def test_a_node_described_twice_is_refused(tmp_path, issuer_key_module, holder_key_module):
    credential = load_example()
    credential["issuer"]["id"] = issuer_key_module.controller
    credential["credentialSubject"]["id"] = holder_key_module.controller
    credential["relatedResource"] = [{"id": issuer_key_module.controller}]
    signed = batch({"op": "sign-credential", "credential": credential, "seed_hex": ISSUER_SEED.hex(),
                    "created": "2026-06-30T09:00:00Z", "cryptosuite": "eddsa-rdfc-2022"})[0]["credential"]
    forged = copy.deepcopy(signed)
    forged["relatedResource"][0]["name"] = forged["issuer"].pop("name")  # the same graph
    assert theirs(forged)["verified"] is True
    assert ["COMPACTED_FORM_ERROR", "/relatedResource/0/id"] in ours(tmp_path, "forged", forged)["errors"]


# -- 3. JCS: a hostile issuer signs the JSON bytes ----------------------------------------------

def test_jcs_signed_hidden_members_are_refused(tmp_path, originals):
    unsigned = {k: v for k, v in originals["expired-jcs"].items() if k != "proof"}
    forged = batch({"op": "sign-credential", "credential": hide(unsigned, "validUntil", XSD + "dateTime"),
                    "seed_hex": ISSUER_SEED.hex(), "created": "2026-06-30T09:00:00Z",
                    "cryptosuite": "eddsa-jcs-2022"})[0]["credential"]
    assert theirs(forged)["verified"] is True
    assert ours(tmp_path, "forged", forged)["codes"] == ["UNDEFINED_TERM_ERROR"]


def test_jcs_context_appended_after_signing_is_refused(tmp_path, originals):
    forged = copy.deepcopy(originals["jcs"])
    forged["@context"] = [*forged["@context"], "https://w3id.org/security/data-integrity/v2"]
    assert ["PROOF_VERIFICATION_ERROR", "/proof/@context"] in ours(tmp_path, "forged", forged)["errors"]


# -- 4. presentations: hidden proof options ------------------------------------------------------

@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_presentation_with_hidden_expiry_is_refused(tmp_path, originals, holder_key_module, suite):
    vp = create_presentation([originals["rdfc"]], holder=holder_key_module.controller)
    signed = batch({"op": "sign-presentation", "presentation": vp, "seed_hex": HOLDER_SEED.hex(),
                    "created": "2026-09-01T11:00:00Z", "challenge": "c-1", "domain": "https://werkgever.example",
                    "cryptosuite": suite})[0]["presentation"]
    forged = copy.deepcopy(signed)
    proof = forged["proof"]
    proof["https://w3id.org/security#challenge"] = proof.pop("challenge")
    result = ours(tmp_path, "forged", forged, challenge="c-1")
    assert result["errors"] == [["UNDEFINED_TERM_ERROR", "/proof/https:~1~1w3id.org~1security#challenge"]]


# -- 5. costs ------------------------------------------------------------------------------------

def test_a_context_repeated_twenty_thousand_times(tmp_path, originals):
    doc = copy.deepcopy(originals["rdfc"])
    doc["@context"] = [VC2] * 20_000 + [OB303]  # ~720 KB; took 104 s and verified before
    assert len(json.dumps(doc)) > 700_000
    assert ours(tmp_path, "repeated", doc)["errors"] == [["JSONLD_BUDGET_ERROR", "/@context"]]
    signing = run_bounded(f"{CASES}:canonicalize_file", _file(tmp_path, "repeated", doc),
                          seconds=SECONDS, rss_mb=RSS_MB)
    assert signing.value == {"code": "JSONLD_BUDGET_ERROR", "path": "/@context"} and signing.seconds < SECONDS


def scoped_blow_up(depth: int = 8, width: int = 12) -> dict:
    """A ~14 KB inline context whose terms carry scoped contexts that redefine each other, nested,
    and a document that walks them: every level makes pyld process the contexts again."""
    def level(n: int) -> dict:
        ctx: dict = {f"t{i}": {"@id": f"https://ex.example/t{i}"} for i in range(width)}
        if n:
            for i in range(width):
                ctx[f"t{i}"]["@context"] = level(n - 1) if i == 0 else {"@propagate": True}
        return ctx
    node: dict = {"t1": "x"}
    for _ in range(depth):
        node = {f"t{i}": copy.deepcopy(node) if i == 0 else "x" for i in range(width)}
    return {"@context": [VC2, level(depth)], "type": ["VerifiableCredential"], "issuer": "did:example:1",
            "credentialSubject": node}


def test_a_scoped_context_blow_up(tmp_path):
    doc = scoped_blow_up()
    assert len(json.dumps(doc["@context"])) > 5_000
    assert ours(tmp_path, "blowup", doc)["errors"] == [["UNKNOWN_CONTEXT_ERROR", "/@context/1"]]
    signing = run_bounded(f"{CASES}:canonicalize_file", _file(tmp_path, "blowup", doc),
                          seconds=SECONDS, rss_mb=RSS_MB)
    assert signing.value["code"] == "JSONLD_BUDGET_ERROR" and signing.seconds < SECONDS, signing


def test_one_slow_document_does_not_block_another(tmp_path, originals):
    slow = load_example()
    outcomes = slow["credentialSubject"]["achievement"]["alignment"]
    slow["credentialSubject"]["achievement"]["alignment"] = [
        {**outcomes[2], "targetName": f"Leeruitkomst {i}", "targetUrl": f"https://x.example/lo{i}"}
        for i in range(2500)]
    fast = originals["rdfc"]  # a shape the subprocess has not seen: it needs pyld too
    result = run_bounded(f"{CASES}:slow_beside_fast", _file(tmp_path, "slow", slow), _file(tmp_path, "fast", fast),
                         seconds=120, rss_mb=1500)
    assert result.value["slow_error"] is None, result.value
    assert result.value["slow_still_running"] is True, result.value  # no lock made the fast one wait
    assert result.value["fast_verified"] is True and result.value["fast_seconds"] < 5, result.value
