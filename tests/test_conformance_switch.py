"""The conformance switch (issue 9, 2c): off by default, the W3C examples context
https://www.w3.org/ns/credentials/examples/v2 is refused by the issuer's and the verifier's apps
(UNKNOWN_CONTEXT_ERROR); with `CONFORMANCE_EXAMPLES_CONTEXT` (config), `VC_CONFORMANCE_EXAMPLES_CONTEXT=1`
(environment) or `serve --conformance-examples-context` (both CLIs) the apps read it, so the W3C
suites' example credentials are signed and verified. No other test-only context comes with it."""

from __future__ import annotations

import pytest

EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
V2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture(autouse=True)
def _no_switch_in_the_environment(monkeypatch):
    monkeypatch.delenv("VC_CONFORMANCE_EXAMPLES_CONTEXT", raising=False)


def _issuer(tmp_path, issuer_key, clock, **config):
    from issuer.app import create_app
    return create_app({"KEY": issuer_key, "DATA_DIR": str(tmp_path / "issuer"), "TESTING": True, "CLOCK": clock,
                       "PUBLIC_BASE_URL": "https://issuer.example", **config}).test_client()


def _verifier(**config):
    from verifier.app import create_app
    return create_app(config).test_client()


def _example(issuer: str) -> dict:
    """The shape of the W3C VC 2.0 suite's credentials: a term only the examples context's @vocab defines."""
    return {"@context": [V2, EXAMPLES], "type": ["VerifiableCredential", "ExampleAlumniCredential"],
            "issuer": issuer, "credentialSubject": {"id": "did:example:learner", "alumniOf": "Example University"}}


def _issue(client, issuer_key):
    return client.post("/credentials/issue", json={"credential": _example(issuer_key.controller)})


def test_off_by_default_both_apps_refuse_the_examples_context(tmp_path, issuer_key, clock):
    response = _issue(_issuer(tmp_path, issuer_key, clock), issuer_key)
    assert response.status_code == 422  # issuer.api: well-formed JSON, a context it does not load
    assert response.get_json()["code"] == "UNKNOWN_CONTEXT_ERROR"
    signed = _issue(_issuer(tmp_path / "on", issuer_key, clock, CONFORMANCE_EXAMPLES_CONTEXT=True),
                    issuer_key).get_json()["verifiableCredential"]
    reply = _verifier().post("/credentials/verify", json={"verifiableCredential": signed})
    assert reply.status_code == 400
    assert "UNKNOWN_CONTEXT_ERROR" in {e["code"] for e in reply.get_json()["errors"]}


def test_with_the_switch_the_examples_credential_is_signed_and_verified(tmp_path, issuer_key, clock):
    response = _issue(_issuer(tmp_path, issuer_key, clock, CONFORMANCE_EXAMPLES_CONTEXT=True), issuer_key)
    assert response.status_code == 201, response.get_json()
    signed = response.get_json()["verifiableCredential"]
    assert signed["credentialSubject"]["alumniOf"] == "Example University"
    reply = _verifier(CONFORMANCE_EXAMPLES_CONTEXT=True).post("/credentials/verify",
                                                              json={"verifiableCredential": signed})
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["verified"] is True


def test_the_environment_variable_turns_it_on_and_only_1_does(tmp_path, issuer_key, clock, monkeypatch):
    monkeypatch.setenv("VC_CONFORMANCE_EXAMPLES_CONTEXT", "true")
    assert _issue(_issuer(tmp_path / "a", issuer_key, clock), issuer_key).status_code == 422
    monkeypatch.setenv("VC_CONFORMANCE_EXAMPLES_CONTEXT", "1")
    assert _issue(_issuer(tmp_path / "b", issuer_key, clock), issuer_key).status_code == 201
    # an explicit False in the configuration wins over the environment
    assert _issue(_issuer(tmp_path / "c", issuer_key, clock, CONFORMANCE_EXAMPLES_CONTEXT=False),
                  issuer_key).status_code == 422


def test_the_switch_loads_only_the_examples_context():
    from vccore import ContextLoader

    from verifier.app import conformance_canonicalizer

    assert conformance_canonicalizer({}) is None
    loader = conformance_canonicalizer({"CONFORMANCE_EXAMPLES_CONTEXT": True}).loader
    added = set(loader.urls()) - set(ContextLoader().urls())
    assert added == {EXAMPLES}


@pytest.mark.parametrize("part", ["issuer", "verifier"])
def test_serve_has_the_flag_off_by_default(part):
    import importlib

    parser = importlib.import_module(f"{part}.cli").build_parser()
    assert parser.parse_args(["serve"]).conformance_examples_context is False
    assert parser.parse_args(["serve", "--conformance-examples-context"]).conformance_examples_context is True
