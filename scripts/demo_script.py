"""`make demo-script`: the whole journey in the terminal, through each part's command line.

(`make demo` starts the three web apps instead: scripts/demo.py.)

1. The quality framework's authority makes its key; an institution (Hogeschool Voorbeeld) sets
   up its issuer and is put on the authority's signed trust list.
2. The institution defines a microcredential, runs its issuer (`serve`, on loopback) and makes
   an OpenID4VCI offer for a participant.
3. The participant's wallet redeems the offer (proving possession of its key), verifies and
   stores the credential encrypted, and presents it as a QR code.
4. An employer's verifier reads the QR image, checks signatures, holder, status (fetched from the
   issuer), trust list and completeness, and prints the certificate.
5. The institution revokes the credential; a fresh verification says so. A tampered copy fails.
Everything lands in demo-out/. The wallet and the verifier fetch status lists only when told to
(WALLET_ONLINE=1, `verify --online`), and over plain http on loopback only with
VC_ALLOW_PRIVATE_NETWORK=1: all three are set here, for the demo.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "demo-out"
ENV = {**os.environ, "VC_ALLOW_PRIVATE_NETWORK": "1", "WALLET_PASSPHRASE": "demo: correct horse battery staple",
       "WALLET_ONLINE": "1",
       "PYTHONPATH": str(ROOT)}
DEFINITION = {
    "title": "Data-gedreven besluitvorming in de zorg", "course_code": "HV-DBZ-2026",
    "description": "Zorgdata verzamelen, analyseren, visualiseren en er verantwoorde beslissingen mee onderbouwen.",
    "criteria": "Praktijkopdracht en mondeling examen met goed gevolg afgelegd.",
    "nlqf_level": "6", "ects": 5,
    "learning_outcomes": [
        {"name": "Zorgdata verzamelen", "description": "De deelnemer verzamelt relevante zorgdata uit verschillende bronnen en beoordeelt de kwaliteit en volledigheid ervan kritisch."},
        {"name": "Analyseren", "description": "De deelnemer analyseert zorgdata met passende statistische methoden en interpreteert de uitkomsten in de context van de zorgpraktijk."},
        {"name": "Visualiseren", "description": "De deelnemer visualiseert analyseresultaten helder en doelgroepgericht voor zorgprofessionals, managers en patienten."},
        {"name": "Verantwoord beslissen", "description": "De deelnemer onderbouwt beslissingen met data en weegt daarbij ethische, juridische en privacyaspecten zorgvuldig af."},
    ],
    "result_scale": {"kind": "grade", "name": "Eindcijfer", "minimum": "1", "maximum": "10", "pass_mark": "6"},
    "language": "nl", "assessment_type": "Praktijkopdracht en mondeling examen",
    "participation_form": "Blended (online en op locatie)",
    "identity_check": "Toetsing onder toezicht met identiteitscontrole",
    "info_url": "https://www.hogeschool-voorbeeld.nl/mc/dbz",
}


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT, env=ENV,
                         timeout=300)
    if check and out.returncode != 0:
        sys.exit(f"demo step failed: python -m {' '.join(args)}\n{out.stdout}\n{out.stderr}")
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, seconds: float = 120) -> None:
    """Until the issuer listens (on a busy machine its start can take a while)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"the issuer did not start within {seconds:.0f} s")


def show_verdict(report: dict, exit_code: int) -> None:
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    warnings = [p for p in report["problems"] if p["severity"] == "warning"]
    print(f"   verdict: {'VALID' if exit_code == 0 else 'NOT VALID'} (exit {exit_code}), "
          f"{len(errors)} error(s), {len(warnings)} warning(s)")
    for p in errors + warnings:
        print(f"     {p['severity']:7s} {p['code']}: {p['title']} ({p['path'] or '/'})")
    for check in report["checks"]:
        if check["check"] == "status":
            print(f"     status  {check['status']}: {check['detail']}")


def show_certificate(c: dict, completeness: dict) -> None:
    print(f"   certificate: {c['participant']} — {c['unit']} ({c['code']})")
    print(f"     {c['institution']} (BRIN {c['brin']}), NLQF {c['nlqf']} / EQF {c['eqf']}, {c['ects']} ECTS")
    for name, _ in c["learning_outcomes"]:
        print(f"     learning outcome: {name}")
    print(f"     result: {', '.join(f'{n} {v}' for n, v in c['results'])}; quality mark: {c['quality_mark']}")
    print(f"     completeness: {completeness.get('verdict')}, missing: {completeness.get('missing') or 'nothing'}")


def main() -> int:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    port = free_port()
    issuer_url = f"http://127.0.0.1:{port}"
    data = str(OUT / "issuer")

    print("1. The quality framework authority and the institution")
    (OUT / "authority-key.json").write_text(run("issuer", "keygen").stdout)
    authority = json.loads((OUT / "authority-key.json").read_text())["controller"]
    init = run("issuer", "init", "--data", data, "--name", "Hogeschool Voorbeeld", "--brin", "99XX",
               "--url", "https://www.hogeschool-voorbeeld.nl", "--kind", "hbo", "--public-base-url", issuer_url)
    institution = json.loads(init.stdout)["did"]
    print(f"   authority   {authority}\n   institution {institution}")
    (OUT / "institutions.json").write_text(json.dumps([{
        "did": institution, "name": "Hogeschool Voorbeeld", "brin": "99XX",
        "accreditedFrom": "2025-01-01T00:00:00Z", "accreditedUntil": "2030-12-31T23:59:59Z"}]))
    trust = run("issuer", "authority", "sign-trust-list", "--key", str(OUT / "authority-key.json"),
                "--name", "Stichting Kwaliteitskader Microcredentials", str(OUT / "institutions.json"))
    (OUT / "trust-list.json").write_text(trust.stdout)
    print("   the authority signed the trust list -> demo-out/trust-list.json\n")

    print("2. The institution defines the microcredential, starts its issuer, makes an offer")
    (OUT / "definition.json").write_text(json.dumps(DEFINITION, ensure_ascii=False))
    definition = json.loads(run("issuer", "define", "--data", data, str(OUT / "definition.json")).stdout)["definition_id"]
    server = subprocess.Popen([sys.executable, "-m", "issuer", "serve", "--data", data, "--port", str(port)],
                              cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        offer = json.loads(run("issuer", "issue", "--data", data, "--definition", definition,
                               "--name", "Sanne de Vries", "--result", "8", "--date", "2026-06-30",
                               "--offer", "--issuer-url", issuer_url).stdout)
        print(f"   issuer on {issuer_url}; offer for {offer['participant_name']}:\n   {offer['offer_link'][:96]}...\n")

        print("3. The learner's wallet redeems the offer and presents the credential as a QR code")
        wallet = str(OUT / "wallet")
        holder = run("wallet", "--home", wallet, "init").stdout.strip()
        print(f"   wallet holder {holder}")
        imported = json.loads(run("wallet", "--home", wallet, "import", "--offer", offer["offer_link"]).stdout)
        print(f"   received and verified before storing: verified={imported['verified']}, "
              f"status={imported['status']}, stored encrypted as {imported['id']}")
        run("wallet", "--home", wallet, "present", "--qr", str(OUT / "presentation.png"),
            "--text", str(OUT / "presentation.txt"))
        text = (OUT / "presentation.txt").read_text().strip()
        print(f"   presentation QR -> demo-out/presentation.png ({len(text)} characters, "
              f"{len(text.splitlines())} code(s))\n")

        print("4. An employer verifies the QR image (signatures, holder, status, trust list, completeness)")
        verify_args = ("verifier", "verify", "--online", "--trust-list", str(OUT / "trust-list.json"),
                       "--authority", authority)
        first = run(*verify_args, str(OUT / "presentation.png"), check=False)
        report = json.loads(first.stdout)
        (OUT / "report.json").write_text(first.stdout)
        show_verdict(report, first.returncode)
        for cert in report.get("certificates", []):
            show_certificate(cert["certificate"], cert.get("completeness", {}))
        print()

        print("5. The institution revokes the credential; the employer verifies again")
        record = json.loads(run("issuer", "records", "--data", data).stdout)[0]["record_id"]
        run("issuer", "revoke", "--data", data, record, "--reason", "demo: fraude bij de toets")
        again = run(*verify_args, str(OUT / "presentation.png"), check=False)
        show_verdict(json.loads(again.stdout), again.returncode)
    finally:
        server.terminate()
        server.wait(10)

    print("\n6. Someone changes the ECTS in the signed credential and presents it as a file")
    credential_id = json.loads(run("wallet", "--home", wallet, "list").stdout)["credentials"][0]["id"]
    document = json.loads(run("wallet", "--home", wallet, "show", "--raw", credential_id).stdout)
    document["credentialSubject"]["achievement"]["creditsAvailable"] = 15
    (OUT / "tampered.json").write_text(json.dumps(document))
    bad = run("verifier", "verify", str(OUT / "tampered.json"), check=False)
    show_verdict(json.loads(bad.stdout), bad.returncode)
    ok = first.returncode == 0 and again.returncode == 1 and bad.returncode == 1
    print(f"\nDemo {'completed' if ok else 'FAILED'}: everything is in demo-out/")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
