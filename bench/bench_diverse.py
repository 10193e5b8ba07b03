"""A verifier is only fast if it is fast on the first document it sees: 500 microcredentials in 100
distinct shapes (1-12 learning outcomes, optional members, zero to two status entries, grade or
pass/fail), ECTS from 1 to 30 in steps of 0.5, every object's members in a random order, each
verified once by a fresh verifier; and, in the same run, the same corpus verified once by Digital
Bazaar's libraries (the JS peer, tests/interop/interop.mjs) in one Node.js process.

Then the same corpus over HTTP: `POST /credentials/verify` to `python -m verifier serve` (one
process), one request after another, every request's members in a fresh random order.

Run: .venv/bin/python bench/bench_diverse.py [--count 500] [--shapes 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import http.client

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from issuer.builder import build_credential, status_entry  # noqa: E402
from issuer.model import (InstitutionProfile, LearningOutcome, MicrocredentialDefinition,  # noqa: E402
                          Participant, ResultScale)
from vccore import Canonicalizer, DidResolver, FixedClock, KeyPair, Verifier, add_proof  # noqa: E402

NOW = "2026-09-01T12:00:00Z"
WORDS = ["zorgdata", "analyse", "beslissen", "ethiek", "verpleegkunde", "één", "ß-straße", "ontwerp",
         "Wärme", "café", "programmeren", "statistiek", "communicatie", "leiderschap", "duurzaamheid"]


def shape(rng: random.Random, number: int) -> dict:
    """One of the corpus's shapes: which members a credential has and how many outcomes."""
    return {"outcomes": 1 + number % 12, "until": rng.random() < .5, "status": rng.choice([0, 1, 2]),
            "passfail": rng.random() < .3, "lang": rng.choice(["nl", "en"]), "holder": rng.random() < .9}


def credential(rng: random.Random, form: dict, issuer: KeyPair, holder: KeyPair) -> dict:
    def text(n: int = 4) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()
    definition = MicrocredentialDefinition(
        title=text(3), course_code=f"HV-{rng.randrange(10_000):04d}", description=text(12), criteria=text(8),
        nlqf_level=rng.choice(["4", "5", "6", "7"]), ects=rng.randrange(2, 61) / 2,
        learning_outcomes=[LearningOutcome(name=text(3), description=text(10)) for _ in range(form["outcomes"])],
        result_scale=ResultScale(kind="passfail") if form["passfail"] else ResultScale(),
        language=form["lang"], assessment_type=text(2), participation_form=text(2), identity_check=text(2),
        info_url="https://www.hogeschool-voorbeeld.nl/mc/info")
    awarded = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(200))
    participant = Participant(name=text(2), result="Voldaan" if form["passfail"] else str(rng.randint(6, 10)),
                              award_date=awarded, valid_until=awarded + dt.timedelta(days=1000) if form["until"] else None)
    institution = InstitutionProfile(name="Hogeschool Voorbeeld", brin="99XX", url="https://www.hogeschool-voorbeeld.nl")
    purposes = ["revocation", "suspension"][:form["status"]]
    status = [status_entry("https://badges.example.nl", p[:3], rng.randrange(131_072), p) for p in purposes]
    ids = [f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}" for _ in range(3)]
    doc = build_credential(definition, participant, institution, issuer_did=issuer.controller,
                           credential_id=ids[0], achievement_id=ids[1], result_description_id=ids[2],
                           holder_did=holder.controller if form["holder"] else None, status=status)
    return doc


def shuffled(value, rng: random.Random):
    if isinstance(value, dict):
        items = [(k, v if k == "@context" else shuffled(v, rng)) for k, v in value.items()]
        rng.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


def corpus(count: int, shapes: int, seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    issuer, holder = KeyPair.generate(b"\x01" * 32), KeyPair.generate(b"\x02" * 32)
    forms = [shape(rng, i) for i in range(shapes)]
    signer = Canonicalizer()
    signed = [add_proof(credential(rng, forms[i % shapes], issuer, holder), key=issuer, canon=signer,
                        created="2026-06-30T09:00:00Z") for i in range(count)]
    return [shuffled(doc, rng) for doc in signed]


def ours(documents: list[dict]) -> tuple[float, int]:
    """A fresh verifier (nothing cached but the contexts' compilation on the first document)."""
    verifier = Verifier(canon=Canonicalizer(), resolver=DidResolver(), clock=FixedClock(NOW))
    start = time.perf_counter()
    verified = sum(verifier.verify_credential(doc).verified for doc in documents)
    return time.perf_counter() - start, verified


def theirs(documents: list[dict]) -> tuple[float, int] | None:
    node = shutil.which("node")
    script = ROOT / "tests" / "interop" / "interop.mjs"
    if node is None or not (ROOT / "tests/interop/node_modules/@digitalbazaar/vc").is_dir():
        return None
    request = json.dumps({"op": "time-verify-credentials", "credentials": documents, "now": NOW})
    done = subprocess.run([node, str(script)], input=request, capture_output=True, text=True,
                          cwd=script.parent, timeout=1800)
    result = json.loads(done.stdout)
    return result["seconds"], result["verified"]


def over_http(documents: list[dict], rng: random.Random) -> tuple[float, int]:
    """The corpus posted one request at a time to a running `python -m verifier serve`."""
    from tests.browser_support import free_port, wait_for_port
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--host", "127.0.0.1",
                                   "--port", str(port), "--data-dir", data], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port, seconds=60)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            bodies = [json.dumps({"verifiableCredential": shuffled(doc, rng)}).encode() for doc in documents]
            connection.request("POST", "/credentials/verify", body=bodies[0],
                               headers={"Content-Type": "application/json"})
            connection.getresponse().read()  # the server's first request: imports, contexts
            verified = 0
            start = time.perf_counter()
            for body in bodies:
                connection.request("POST", "/credentials/verify", body=body,
                                   headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                verified += json.loads(response.read()).get("verified") is True
            return time.perf_counter() - start, verified
        finally:
            server.terminate()
            server.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--shapes", type=int, default=100)
    args = parser.parse_args()
    documents = corpus(args.count, args.shapes)
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    print(f"# {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")
    print(f"# {len(documents)} credentials, {args.shapes} shapes, random member order, each verified once")
    seconds, verified = ours(documents)
    assert verified == len(documents), f"only {verified} of {len(documents)} verified here"
    rate = len(documents) / seconds
    print(f"vccore (fresh Verifier)          {rate:8.0f} /s   ({seconds:.2f} s)")
    peer = theirs(documents)
    if peer is None:
        print("JS peer: not installed (run `make interop-deps`)")
        return 0
    js_seconds, js_verified = peer
    js_rate = len(documents) / js_seconds
    print(f"Digital Bazaar (one Node process) {js_rate:8.0f} /s   ({js_seconds:.2f} s, {js_verified} verified)")
    print(f"ratio                             {rate / js_rate:8.2f}x   (target >= 3x)")
    http_seconds, http_verified = over_http(documents, random.Random(7))
    http_rate = len(documents) / http_seconds
    print(f"HTTP POST /credentials/verify     {http_rate:8.0f} /s   ({http_seconds:.2f} s, {http_verified} verified,"
          " one process, sequential, new member order per request)")
    print(f"ratio to the JS peer in-process   {http_rate / js_rate:8.2f}x   (target >= 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
