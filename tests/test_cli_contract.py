"""The command-line contract of docs/architecture.md: keygen, sign, verify — options, output, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vccore import KeyPair, create_presentation, sign_presentation

from .conftest import ROOT, load_example


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    out = run("issuer", "keygen", "--seed", "11" * 32)
    assert out.returncode == 0, out.stderr
    path = tmp_path_factory.mktemp("keys") / "key.json"
    path.write_bytes(out.stdout)
    return path


@pytest.fixture(scope="module")
def signed_file(key_file, tmp_path_factory):
    key = json.loads(key_file.read_text())
    vc = load_example()
    vc["issuer"]["id"] = key["controller"]
    src = tmp_path_factory.mktemp("vc") / "vc.json"
    src.write_text(json.dumps(vc))
    out = run("issuer", "sign", "--key", str(key_file), "--created", "2026-06-30T09:00:00Z", str(src))
    assert out.returncode == 0, out.stderr
    dst = src.with_name("signed.json")
    dst.write_bytes(out.stdout)
    return dst


def test_keygen_prints_a_multikey_file(key_file):
    key = json.loads(key_file.read_text())
    expected = KeyPair.generate(bytes.fromhex("11" * 32))
    assert key == expected.to_multikey()
    assert set(key) == {"type", "id", "controller", "publicKeyMultibase", "secretKeyMultibase"}
    assert key["type"] == "Multikey" and key["id"] == f"{key['controller']}#{key['publicKeyMultibase']}"
    assert key["secretKeyMultibase"].startswith("z3u2")


def test_keygen_rejects_a_bad_seed():
    assert run("issuer", "keygen", "--seed", "xyz").returncode == 2


def test_sign_then_verify_exit_0(signed_file):
    signed = json.loads(signed_file.read_text())
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022" and signed["proof"]["created"] == "2026-06-30T09:00:00Z"
    out = run("verifier", "verify", "--now", "2026-09-01T00:00:00Z", str(signed_file))
    report = json.loads(out.stdout)
    assert out.returncode == 0 and report["verified"] is True
    assert set(report) >= {"verified", "checks", "problems", "credentials"}


def test_sign_with_jcs_from_stdin(key_file):
    key = json.loads(key_file.read_text())
    vc = load_example()
    vc["issuer"]["id"] = key["controller"]
    out = run("issuer", "sign", "--key", str(key_file), "--suite", "eddsa-jcs-2022", "-", stdin=json.dumps(vc).encode())
    assert out.returncode == 0, out.stderr
    signed = json.loads(out.stdout)
    assert signed["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    verify = run("verifier", "verify", "-", stdin=out.stdout)
    assert verify.returncode == 0, verify.stdout


def test_sign_refuses_an_undefined_term(key_file, tmp_path):
    key = json.loads(key_file.read_text())
    vc = load_example()
    vc["issuer"]["id"] = key["controller"]
    vc["credentialSubject"]["achievement"]["bonus"] = 1
    src = tmp_path / "vc.json"
    src.write_text(json.dumps(vc))
    out = run("issuer", "sign", "--key", str(key_file), str(src))
    assert out.returncode == 1
    assert json.loads(out.stderr)["problems"][0]["code"] == "UNDEFINED_TERM_ERROR"


def test_verify_tampered_exit_1(signed_file, tmp_path):
    doc = json.loads(signed_file.read_text())
    doc["credentialSubject"]["creditsEarned"] = 30
    path = tmp_path / "t.json"
    path.write_text(json.dumps(doc))
    out = run("verifier", "verify", str(path))
    assert out.returncode == 1
    errors = [p["code"] for p in json.loads(out.stdout)["problems"] if p["severity"] == "error"]
    assert errors == ["PROOF_VERIFICATION_ERROR"]


def test_verify_garbage_exit_2_with_report(tmp_path):
    path = tmp_path / "g.json"
    path.write_bytes(b'{"@context": [')
    out = run("verifier", "verify", str(path))
    assert out.returncode == 2
    assert json.loads(out.stdout)["problems"][0]["code"] == "PARSING_ERROR"


def test_verify_is_offline_unless_asked(signed_file):
    # no --online: the status lists are not fetched, and the report says so (never "OK")
    report = json.loads(run("verifier", "verify", str(signed_file)).stdout)
    status = [p for p in report["problems"] if p["code"] == "STATUS_RETRIEVAL_ERROR"]
    assert status and all(p["severity"] == "warning" for p in status)
    assert "network access is not configured" in status[0]["detail"]


def test_verify_missing_file_exit_2(tmp_path):
    assert run("verifier", "verify", str(tmp_path / "nope.json")).returncode == 2


def test_verify_presentation_with_challenge_and_domain(signed_file, tmp_path, canon):
    holder = KeyPair.generate(bytes.fromhex("22" * 32))
    vc = json.loads(signed_file.read_text())
    vp = sign_presentation(create_presentation([vc], holder=holder.controller), key=holder, canon=canon,
                           created="2026-09-01T00:00:00Z", challenge="abc", domain="hr.example")
    path = tmp_path / "vp.json"
    path.write_text(json.dumps(vp))
    ok = run("verifier", "verify", "--challenge", "abc", "--domain", "hr.example", str(path))
    report = json.loads(ok.stdout)
    # the credential's subject is the reference learner, not this holder: holder binding fails
    assert ok.returncode == 1
    assert {p["code"] for p in report["problems"] if p["severity"] == "error"} == {"HOLDER_BINDING_ERROR"}
    wrong = run("verifier", "verify", "--challenge", "xyz", "--domain", "hr.example", str(path))
    assert "INVALID_CHALLENGE_ERROR" in {p["code"] for p in json.loads(wrong.stdout)["problems"]}
