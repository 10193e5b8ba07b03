"""`python -m issuer`: keygen/sign as docs/architecture.md says, and the institution's commands."""

from __future__ import annotations

import json
import subprocess
import sys

from issuer.cli import main

from ..conftest import ROOT, load_example
from .conftest import HOLDER, definition_data


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_keygen_and_sign_contract(tmp_path, issuer_key):
    key = subprocess.run([sys.executable, "-m", "issuer", "keygen", "--seed", "9b" * 32], cwd=ROOT,
                         capture_output=True, check=True, timeout=60).stdout
    assert json.loads(key)["controller"] == issuer_key.controller
    (tmp_path / "key.json").write_bytes(key)
    vc = load_example()
    vc["issuer"]["id"] = issuer_key.controller
    done = subprocess.run([sys.executable, "-m", "issuer", "sign", "--key", str(tmp_path / "key.json"),
                           "--created", "2026-06-30T09:00:00Z", "-"], input=json.dumps(vc).encode(), cwd=ROOT,
                          capture_output=True, timeout=60)
    assert done.returncode == 0 and json.loads(done.stdout)["proof"]["created"] == "2026-06-30T09:00:00Z"
    refused = subprocess.run([sys.executable, "-m", "issuer", "sign", "--key", str(tmp_path / "key.json"), "-"],
                             input=b'{"type": 1}', cwd=ROOT, capture_output=True, timeout=60)
    assert refused.returncode == 1 and json.loads(refused.stderr)["problems"][0]["code"] == "MALFORMED_VALUE_ERROR"


def test_institution_workflow(tmp_path, capsys):
    data = str(tmp_path / "d")
    code, out, _ = _run(capsys, "init", "--data", data, "--name", "Hogeschool Voorbeeld", "--brin", "99XX",
                        "--url", "https://www.hogeschool-voorbeeld.nl", "--public-base-url", "https://hv.example/")
    assert code == 0 and json.loads(out)["did"].startswith("did:key:")
    (tmp_path / "def.json").write_text(json.dumps(definition_data()))
    code, out, _ = _run(capsys, "define", "--data", data, str(tmp_path / "def.json"))
    definition_id = json.loads(out)["definition_id"]
    code, out, err = _run(capsys, "issue", "--data", data, "--definition", definition_id, "--name", "Sanne",
                          "--result", "8", "--date", "2026-06-30", "--did", HOLDER)
    status = json.loads(out)["credentialStatus"]  # one object by default (OB 3.0's schema)
    assert code == 0 and status["statusListCredential"] == "https://hv.example/status/1"
    assert status["statusPurpose"] == "revocation"
    record_id = err.split()[-1]
    code, _, err = _run(capsys, "suspend", "--data", data, record_id, "--reason", "onderzoek")
    assert code == 1 and json.loads(err)["problems"][0]["code"] == "STATUS_CHANGE_REFUSED"
    assert "issuer init --suspension" in json.loads(err)["problems"][0]["detail"]
    (tmp_path / "batch.csv").write_text("naam;resultaat;datum\nPiet;7;2026-06-30\nKees;3;2026-06-30\n")
    code, out, err = _run(capsys, "batch", "--data", data, "--definition", definition_id, str(tmp_path / "batch.csv"))
    problem = json.loads(err)["problems"][0]
    assert code == 1 and problem["code"] == "BATCH_REJECTED" and problem["errors"][0]["row"] == 3
    (tmp_path / "batch.csv").write_text("naam;resultaat;datum\nPiet;7;2026-06-30\n")
    code, out, err = _run(capsys, "batch", "--data", data, "--definition", definition_id, str(tmp_path / "batch.csv"))
    assert code == 0 and json.loads(out)[0]["participant_name"] == "Piet" and "1/1" in err
    init = ("init", "--data", data, "--name", "Hogeschool Voorbeeld", "--brin", "99XX",
            "--url", "https://www.hogeschool-voorbeeld.nl")
    assert json.loads(_run(capsys, *init, "--suspension")[1])["suspension"] is True
    assert json.loads(_run(capsys, *init)[1])["suspension"] is True  # kept when not given again
    code, out, err = _run(capsys, "issue", "--data", data, "--definition", definition_id, "--name", "Jan",
                          "--result", "8", "--date", "2026-06-30", "--did", HOLDER)
    assert [e["statusPurpose"] for e in json.loads(out)["credentialStatus"]] == ["revocation", "suspension"]
    suspendable = err.split()[-1]
    assert _run(capsys, "suspend", "--data", data, suspendable, "--reason", "onderzoek")[0] == 0
    code, out, _ = _run(capsys, "unsuspend", "--data", data, suspendable)
    assert json.loads(out)["status"] == "active"
    code, out, _ = _run(capsys, "revoke", "--data", data, record_id, "--reason", "fraude")
    assert json.loads(out)["status"] == "revoked"
    code, out, err = _run(capsys, "revoke", "--data", data, record_id, "--reason", "nogmaals")
    assert code == 1 and json.loads(err)["problems"][0]["code"] == "STATUS_CHANGE_REFUSED"
    code, out, _ = _run(capsys, "export", "--data", data, "--format", "csv")
    assert out.splitlines()[1].endswith(";revoked;fraude")
    code, out, _ = _run(capsys, "status-list", "--data", data, "1")
    assert json.loads(out)["type"][1] == "BitstringStatusListCredential"
    code, out, _ = _run(capsys, "records", "--data", data, "--query", "Sanne")
    assert [r["status"] for r in json.loads(out)] == ["revoked"]


def test_authority_commands(tmp_path, capsys, issuer_key):
    key = tmp_path / "authority.json"
    key.write_text(json.dumps({**__import__("vccore").KeyPair.generate(bytes(32)).to_multikey()}))
    (tmp_path / "list.json").write_text(json.dumps([{"did": issuer_key.controller, "name": "Hogeschool Voorbeeld",
                                                     "brin": "99XX"}]))
    code, out, _ = _run(capsys, "authority", "sign-trust-list", "--key", str(key), "--name", "Authority",
                        str(tmp_path / "list.json"))
    assert code == 0 and json.loads(out)["credentialSubject"]["institution"][0]["brin"] == "99XX"
    code, out, _ = _run(capsys, "authority", "endorse", "--key", str(key), "--name", "Authority",
                        "--subject", issuer_key.controller, "--comment", "Erkend")
    assert code == 0 and json.loads(out)["type"][1] == "EndorsementCredential"
    code, _, err = _run(capsys, "authority", "endorse", "--key", str(tmp_path / "missing.json"), "--name", "A",
                        "--subject", "urn:x", "--comment", "c")
    assert code == 2
