"""`make demo`: the whole system on this machine, three web apps to click through.

On first start it creates, under one folder (`demo-data/`, kept for the next start; `make
demo-reset` starts over):
- a quality framework authority and its signed trust list of two accredited institutions,
  Hogeschool Voorbeeld (BRIN 99XX) and Universiteit Voorbeeld (BRIN 21VB);
- for each institution an issuer (key, profile, one microcredential definition, a staff login) and a
  CSV of a small cohort for a batch;
- a learner's wallet.
Then it starts, with the production WSGI server each part uses (`python -m ... serve`):
the two issuers' staff consoles, the wallet and the verifier, on 127.0.0.1, configured to work
together on one machine: status lists and offers over plain http on loopback
(VC_ALLOW_PRIVATE_NETWORK=1), the wallet and the verifier online (status lists are fetched), the
verifier holding the authority's trust list. It prints the URLs and the demo logins and stops
cleanly on Ctrl-C.

`python scripts/demo.py --data DIR --base-port N` chooses the folder and the ports (N, N+1, ...);
the browser journey test (tests/test_demo_journey.py) starts the apps this way.
The terminal journey of the same steps, through each part's command line: `make demo-script`.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "demo-data"
AUTHORITY_NAME = "Stichting Kwaliteitskader Microcredentials (demo)"
STAFF_PASSWORD = "demo-staf-2026"
WALLET_PASSPHRASE = "demo wallet passphrase"
INSTITUTIONS = [
    {"key": "hv", "name": "Hogeschool Voorbeeld", "brin": "99XX", "kind": "hbo",
     "url": "https://www.hogeschool-voorbeeld.nl"},
    {"key": "uv", "name": "Universiteit Voorbeeld", "brin": "21VB", "kind": "wo",
     "url": "https://www.universiteit-voorbeeld.nl"},
]
COHORT = ("name,result,award_date\nSanne de Vries,8,2026-06-30\nNoah Bakker,7,2026-06-30\n"
          "Emma Jansen,9,2026-06-30\nDaan Visser,6,2026-06-30\n")


def definition(institution: dict) -> dict:
    """The microcredential each demo institution offers."""
    if institution["key"] == "hv":
        title, code, level, ects = "Data-gedreven besluitvorming in de zorg", "HV-DBZ-2026", "6", 5
        outcomes = [("Zorgdata verzamelen", "De deelnemer verzamelt relevante zorgdata en beoordeelt de kwaliteit ervan."),
                    ("Analyseren", "De deelnemer analyseert zorgdata met passende statistische methoden."),
                    ("Verantwoord beslissen", "De deelnemer onderbouwt beslissingen met data en weegt ethische aspecten af.")]
    else:
        title, code, level, ects = "Duurzame energiesystemen", "UV-DES-2026", "7", 7.5
        outcomes = [("Systemen modelleren", "De deelnemer modelleert een regionaal energiesysteem."),
                    ("Scenario's vergelijken", "De deelnemer vergelijkt transitiescenario's op kosten en uitstoot.")]
    return {"title": title, "course_code": code, "description": f"{title}: een microcredential van {institution['name']}.",
            "criteria": "Eindopdracht en mondeling examen met goed gevolg afgelegd.", "nlqf_level": level,
            "ects": ects, "learning_outcomes": [{"name": n, "description": d} for n, d in outcomes],
            "result_scale": {"kind": "grade", "name": "Eindcijfer", "minimum": "1", "maximum": "10", "pass_mark": "6"},
            "language": "nl", "assessment_type": "Eindopdracht en mondeling examen",
            "participation_form": "Blended (online en op locatie)",
            "identity_check": "Toetsing onder toezicht met identiteitscontrole",
            "info_url": f"{institution['url']}/microcredentials/{code.lower()}"}


@dataclass(frozen=True)
class Ports:
    base: int

    def issuer(self, index: int) -> int:
        return self.base + (0 if index == 0 else 3)

    @property
    def wallet(self) -> int:
        return self.base + 1

    @property
    def verifier(self) -> int:
        return self.base + 2


def environment() -> dict[str, str]:
    return {**os.environ, "VC_ALLOW_PRIVATE_NETWORK": "1", "WALLET_ONLINE": "1", "VERIFIER_ONLINE": "1",
            "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def run(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env or environment(), timeout=300)
    if done.returncode != 0:
        sys.exit(f"demo set-up failed: python -m {' '.join(args)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(data: pathlib.Path, ports: Ports) -> dict:
    """Create the demo's authority, institutions, trust list and wallet (once); returns the state."""
    state_file = data / "demo.json"
    if state_file.exists():
        return json.loads(state_file.read_text(encoding="utf-8"))
    from werkzeug.security import generate_password_hash

    data.mkdir(parents=True, exist_ok=True)
    (data / "authority-key.json").write_text(run("issuer", "keygen"), encoding="utf-8")
    os.chmod(data / "authority-key.json", 0o600)
    authority = json.loads((data / "authority-key.json").read_text())["controller"]
    institutions = []
    for index, institution in enumerate(INSTITUTIONS):
        home = data / f"issuer-{institution['key']}"
        base_url = f"http://127.0.0.1:{ports.issuer(index)}"
        did = json.loads(run("issuer", "init", "--data", str(home), "--name", institution["name"], "--brin",
                             institution["brin"], "--url", institution["url"], "--kind", institution["kind"],
                             "--public-base-url", base_url, "--suspension"))["did"]
        (home / "definition.json").write_text(json.dumps(definition(institution), ensure_ascii=False), encoding="utf-8")
        run("issuer", "define", "--data", str(home), str(home / "definition.json"))
        staff = home / "staff-users.json"
        staff.write_text(json.dumps({"staf": generate_password_hash(STAFF_PASSWORD)}), encoding="utf-8")
        os.chmod(staff, 0o600)
        (home / "cohort.csv").write_text(COHORT, encoding="utf-8")
        institutions.append({**institution, "did": did, "data": str(home), "port": ports.issuer(index)})
    members = [{"did": i["did"], "name": i["name"], "brin": i["brin"], "accreditedFrom": "2025-01-01T00:00:00Z",
                "accreditedUntil": "2030-12-31T23:59:59Z"} for i in institutions]
    (data / "institutions.json").write_text(json.dumps(members, ensure_ascii=False), encoding="utf-8")
    (data / "trust-list.json").write_text(run("issuer", "authority", "sign-trust-list", "--key",
                                              str(data / "authority-key.json"), "--name", AUTHORITY_NAME,
                                              str(data / "institutions.json")), encoding="utf-8")
    run("wallet", "--home", str(data / "wallet"), "init",
        env={**environment(), "WALLET_PASSPHRASE": WALLET_PASSPHRASE})
    state = {"authority": authority, "institutions": institutions, "base_port": ports.base}
    state_file.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
    return state


def commands(data: pathlib.Path, state: dict, ports: Ports) -> list[tuple[str, list[str], int]]:
    """(title, command, port) of every app, as `make demo` starts them."""
    python = sys.executable
    apps = [(f"Issuer {i['name']}", [python, "-m", "issuer", "serve", "--data", i["data"], "--host", "127.0.0.1",
                                      "--port", str(i["port"])], i["port"]) for i in state["institutions"]]
    apps.append(("Wallet", [python, "-m", "wallet", "--home", str(data / "wallet"), "serve", "--host", "127.0.0.1",
                            "--port", str(ports.wallet)], ports.wallet))
    apps.append(("Verifier", [python, "-m", "verifier", "serve", "--host", "127.0.0.1", "--port", str(ports.verifier),
                              "--data-dir", str(data / "verifier"), "--domain", f"http://127.0.0.1:{ports.verifier}",
                              "--trust-list", str(data / "trust-list.json"), "--authority", state["authority"],
                              "--online"], ports.verifier))
    return apps


def wait_until_listening(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app on port {port} stopped (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds:.0f} s")


def start(data: pathlib.Path, ports: Ports, *, log_dir: pathlib.Path | None = None) -> list[subprocess.Popen]:
    """Prepare (once) and start every app; returns the running processes (stop them with `stop`)."""
    state = prepare(data, ports)
    if state["base_port"] != ports.base:
        raise SystemExit(f"{data} was made for ports from {state['base_port']}: use --base-port "
                         f"{state['base_port']} or `make demo-reset`")
    busy = [port for *_, port in commands(data, state, ports) if _in_use(port)]
    if busy:
        raise SystemExit(f"port(s) {busy} are in use; stop what uses them or choose --base-port")
    log_dir = log_dir or data / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    processes = []
    try:
        for title, command, port in commands(data, state, ports):
            log = open(log_dir / f"{port}.log", "ab")
            processes.append(subprocess.Popen(command, cwd=ROOT, env=environment(), stdout=log, stderr=log,
                                              start_new_session=True))
            wait_until_listening(port, processes[-1])
    except BaseException:
        stop(processes)
        raise
    return processes


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def banner(data: pathlib.Path, state: dict, ports: Ports) -> str:
    lines = ["", "The demo runs. Open in a browser:", ""]
    for institution in state["institutions"]:
        lines.append(f"  Issuer {institution['name']:24s} http://127.0.0.1:{institution['port']}/admin/"
                     f"   login: staf / {STAFF_PASSWORD}")
    lines += [f"  Wallet (learner)                   http://127.0.0.1:{ports.wallet}/"
              f"   passphrase: {WALLET_PASSPHRASE}",
              f"  Verifier (employer)                http://127.0.0.1:{ports.verifier}/", "",
              "A tour: issue a microcredential in an issuer (one participant, or the cohort in",
              f"{data}/issuer-hv/cohort.csv as a batch); open the offer link in the wallet; show its QR",
              "code; scan it with the verifier's camera (or upload a screenshot); revoke it in the issuer;",
              "verify again.", "", f"Data: {data} (kept; `make demo-reset` starts over). Logs: {data}/logs/",
              "Stop with Ctrl-C.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=pathlib.Path, default=DATA)
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("DEMO_BASE_PORT", "8001")))
    args = parser.parse_args()
    ports = Ports(args.base_port)
    processes = start(args.data, ports)
    state = prepare(args.data, ports)
    print(banner(args.data, state, ports), flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping:
            for process in processes:
                if process.poll() is not None:
                    print(f"an app stopped (exit {process.returncode}); see {args.data}/logs/", file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping the demo apps...", flush=True)
        stop(processes)
    print("Stopped. The data stay in", args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
