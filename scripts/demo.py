"""`make demo`: an institution key, a signed sample microcredential, and its verification report."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "demo-out"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, cwd=ROOT)


def main() -> int:
    OUT.mkdir(exist_ok=True)
    print("1. The institution creates its signing key (an Ed25519 did:key):")
    key = run("-m", "issuer", "keygen")
    (OUT / "institution-key.json").write_bytes(key.stdout)
    (OUT / "institution-key.json").chmod(0o600)
    did = json.loads(key.stdout)["controller"]
    print(f"   {did}\n   key file: demo-out/institution-key.json (mode 0600)\n")

    credential = json.loads((ROOT / "docs/examples/microcredential.json").read_text(encoding="utf-8"))
    credential["issuer"]["id"] = did
    (OUT / "microcredential.json").write_text(json.dumps(credential, indent=2, ensure_ascii=False), encoding="utf-8")
    print("2. It signs a microcredential (Open Badges 3.0, eddsa-rdfc-2022):")
    signed = run("-m", "issuer", "sign", "--key", str(OUT / "institution-key.json"), str(OUT / "microcredential.json"))
    if signed.returncode:
        print(signed.stderr.decode(), file=sys.stderr)
        return 1
    (OUT / "signed.json").write_bytes(signed.stdout)
    proof = json.loads(signed.stdout)["proof"]
    print(f"   {credential['name']} for {credential['credentialSubject']['identifier'][0]['identityHash']}")
    print(f"   proofValue {proof['proofValue'][:32]}...  -> demo-out/signed.json\n")

    print("3. An employer verifies it (python -m verifier verify demo-out/signed.json):")
    report = run("-m", "verifier", "verify", str(OUT / "signed.json"))
    print(report.stdout.decode())
    print(f"   exit code {report.returncode} ({'verified' if report.returncode == 0 else 'NOT verified'})\n")

    print("4. Someone changes the ECTS from 5 to 15 and tries again:")
    tampered = json.loads(signed.stdout)
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] = 15
    (OUT / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    bad = run("-m", "verifier", "verify", str(OUT / "tampered.json"))
    problems = json.loads(bad.stdout)["problems"]
    for p in problems:
        print(f"   {p['code']}: {p['title']} at {p['path']}")
    print(f"   exit code {bad.returncode} ({'verified' if bad.returncode == 0 else 'NOT verified'})")
    return 0 if report.returncode == 0 and bad.returncode == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
