"""Sign and verify throughput of the reference Open Badges 3.0 microcredential, per cryptosuite,
single process (one core). Run: `.venv/bin/python -m bench.bench_core [--seconds S]`.

Figures: "warm" (a long-running issuer or verifier; the contexts it uses are compiled once per
process, and there is no per-shape learning: any document takes the fast path) and "cold" (a new
Canonicalizer for every document, so its contexts are compiled again: the price of the very
first document in a process). bench/bench_diverse.py measures documents of many shapes.
"""

from __future__ import annotations

import argparse
import copy
import json
import pathlib
import platform
import time
import uuid

from vccore import Canonicalizer, DidResolver, FixedClock, KeyPair, Verifier, add_proof
from vccore.suites import EDDSA_JCS_2022, EDDSA_RDFC_2022

ROOT = pathlib.Path(__file__).resolve().parent.parent


def reference_credential(issuer: KeyPair, holder: KeyPair) -> dict:
    vc = json.loads((ROOT / "docs/examples/microcredential.json").read_text(encoding="utf-8"))
    vc["issuer"]["id"] = issuer.controller
    vc["credentialSubject"]["id"] = holder.controller
    return vc


def rate(fn, seconds: float) -> float:
    fn(0)  # warm-up
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(count)
        count += 1
    return count / (time.perf_counter() - start)


def run(seconds: float) -> dict[str, float]:
    issuer, holder = KeyPair.generate(b"\x01" * 32), KeyPair.generate(b"\x02" * 32)
    base = reference_credential(issuer, holder)
    results: dict[str, float] = {}
    for suite in (EDDSA_RDFC_2022, EDDSA_JCS_2022):
        canon = Canonicalizer()
        verifier = Verifier(canon=canon, resolver=DidResolver(), clock=FixedClock("2026-09-01T00:00:00Z"))

        def sign(i: int) -> None:
            doc = copy.copy(base)
            doc["id"] = f"urn:uuid:{uuid.UUID(int=i)}"
            add_proof(doc, key=issuer, canon=canon, created="2026-06-30T09:00:00Z", suite=suite)

        signed = [add_proof({**base, "id": f"urn:uuid:{uuid.UUID(int=i)}"}, key=issuer, canon=canon,
                            created="2026-06-30T09:00:00Z", suite=suite) for i in range(50)]

        def verify(i: int) -> None:
            report = verifier.verify_credential(signed[i % len(signed)])
            assert report.verified, report.to_json()

        results[f"{suite.name} sign (warm)"] = rate(sign, seconds)
        results[f"{suite.name} verify (warm)"] = rate(verify, seconds)
        if suite.rdf:
            def cold_sign(i: int) -> None:
                # a new canonicalizer: the contexts are compiled again (a process's first document)
                add_proof(base, key=issuer, canon=Canonicalizer(canon.loader), created="2026-06-30T09:00:00Z", suite=suite)
            results[f"{suite.name} sign (cold: a new process's first document)"] = rate(cold_sign, seconds)
            pyld_only = Canonicalizer(canon.loader, fast=False)

            def pyld_sign(i: int) -> None:
                add_proof(base, key=issuer, canon=pyld_only, created="2026-06-30T09:00:00Z", suite=suite)
            results[f"{suite.name} sign (pyld only, for comparison)"] = rate(pyld_sign, seconds)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"# {platform.node()} {platform.machine()} Python {platform.python_version()}, one process")
    for name, value in run(args.seconds).items():
        print(f"{name:55s} {value:8.0f} /s")


if __name__ == "__main__":
    main()
