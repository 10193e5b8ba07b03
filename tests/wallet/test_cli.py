"""The CLI contract, as real subprocesses: init, import, present -> `python -m verifier verify`
on the QR image; a process SIGKILLed during imports leaves the wallet intact."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from ..conftest import ROOT

ENV = {**os.environ, "WALLET_PASSPHRASE": "cli passphrase"}


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=ENV, capture_output=True, text=True,
                          timeout=60)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} -> {done.returncode}: {done.stderr}")
    return done


def _no_status(body: bytes) -> bytes:
    """Subprocesses have no fake transport: credentials without status lists keep them offline."""
    doc = json.loads(body)
    doc.pop("credentialStatus")
    return json.dumps(doc).encode()


@pytest.fixture(scope="module")
def unsigned_without_status():
    from ..conftest import load_example
    vc = load_example()
    vc.pop("credentialStatus")
    return vc


def _sign_for(holder: str, issuer_key, canon, unsigned, name="Data-gedreven besluitvorming in de zorg"):
    from vccore import add_proof
    vc = json.loads(json.dumps(unsigned))
    vc["issuer"]["id"], vc["credentialSubject"]["id"], vc["name"] = issuer_key.controller, holder, name
    return json.dumps(add_proof(vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z"), indent=1).encode()


def test_round_trip_import_present_verify_qr_image(tmp_path, issuer_key, canon, unsigned_without_status):
    home = str(tmp_path / "w")
    did = run("wallet", "--home", home, "init").stdout.strip()
    assert did.startswith("did:key:z6Mk")
    (tmp_path / "vc.json").write_bytes(_sign_for(did, issuer_key, canon, unsigned_without_status))
    imported = json.loads(run("wallet", "--home", home, "import", str(tmp_path / "vc.json")).stdout)
    assert imported["stored"] and imported["verified"]
    out = json.loads(run("wallet", "--home", home, "present", "--challenge", "c-123456789abcdef0",
                         "--domain", "https://werkgever.example.nl", "--qr", str(tmp_path / "vp.png"),
                         "--text", str(tmp_path / "vp.txt")).stdout)
    assert out["frames"] == 1 and (tmp_path / "vp.png").is_file()
    assert len((tmp_path / "vp.txt").read_text().splitlines()) == 1
    verdict = run("verifier", "verify", "--challenge", "c-123456789abcdef0", "--domain",
                  "https://werkgever.example.nl", str(tmp_path / "vp.png"), check=False)
    report = json.loads(verdict.stdout)
    assert verdict.returncode == 0 and report["verified"], report["problems"]
    wrong = run("verifier", "verify", "--challenge", "another-challenge-000", "--domain",
                "https://werkgever.example.nl", str(tmp_path / "vp.png"), check=False)
    assert wrong.returncode == 1
    assert "INVALID_CHALLENGE_ERROR" in {p["code"] for p in json.loads(wrong.stdout)["problems"]}


def test_cli_refuses_tampered_file_and_wrong_passphrase(tmp_path, issuer_key, canon, unsigned_without_status):
    home = str(tmp_path / "w")
    did = run("wallet", "--home", home, "init").stdout.strip()
    doc = json.loads(_sign_for(did, issuer_key, canon, unsigned_without_status))
    doc["credentialSubject"]["identifier"][0]["identityHash"] = "Iemand Anders"
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    refused = run("wallet", "--home", home, "import", str(tmp_path / "bad.json"), check=False)
    assert refused.returncode == 1
    result = json.loads(refused.stdout)
    assert not result["stored"] and {p["code"] for p in result["problems"]} == {"PROOF_VERIFICATION_ERROR"}
    wrong = subprocess.run([sys.executable, "-m", "wallet", "--home", home, "list"], cwd=ROOT, capture_output=True,
                           text=True, env={**ENV, "WALLET_PASSPHRASE": "nope"}, timeout=60)
    assert wrong.returncode == 2 and json.loads(wrong.stderr)["error"]["code"] == "WRONG_PASSPHRASE"


IMPORT_LOOP = """
import sys
from vccore import Canonicalizer, SystemClock
from wallet.defaults import build_verifier
from wallet.holder import Wallet
canon = Canonicalizer()
w = Wallet.open(sys.argv[1], "cli passphrase", verifier=build_verifier(canon=canon), clock=SystemClock(), canon=canon)
for path in sys.argv[2:]:
    r = w.import_bytes(open(path, "rb").read())
    print(r.stored_id, flush=True)
"""


@pytest.mark.slow
def test_sigkill_during_imports_loses_nothing(tmp_path, issuer_key, canon, unsigned_without_status):
    home = tmp_path / "w"
    did = run("wallet", "--home", str(home), "init").stdout.strip()
    files = []
    for i in range(12):
        path = tmp_path / f"vc{i}.json"
        path.write_bytes(_sign_for(did, issuer_key, canon, unsigned_without_status, name=f"Eenheid {i}"))
        files.append(path)
    sources = {p.read_bytes() for p in files}
    committed: list[str] = []
    for delay in (0.0, 0.013, 0.029, 0.047):
        proc = subprocess.Popen([sys.executable, "-c", IMPORT_LOOP, str(home), *map(str, files)], cwd=ROOT,
                                env=ENV, stdout=subprocess.PIPE, text=True)
        committed.append(proc.stdout.readline().strip())  # at least one import has committed
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(home / "wallet.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        listed = json.loads(run("wallet", "--home", str(home), "list").stdout)["credentials"]
        ids = {c["id"] for c in listed}
        assert set(committed) <= ids  # everything reported as stored is there
        for cred_id in ids:  # and every stored credential is whole, byte for byte
            raw = subprocess.run([sys.executable, "-m", "wallet", "--home", str(home), "show", "--raw", cred_id],
                                 cwd=ROOT, env=ENV, capture_output=True, timeout=60).stdout
            assert raw in sources
        assert len(ids) <= len(files)  # duplicates were never stored twice


def test_no_passphrase_and_no_terminal_is_a_clear_error(tmp_path):
    import os
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if k != "WALLET_PASSPHRASE"}
    out = subprocess.run([sys.executable, "-m", "wallet", "--home", str(tmp_path / "w"), "init"], env=env,
                         stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert '"PASSPHRASE_MISSING"' in out.stderr and "Traceback" not in out.stderr
