"""Verifying the reference presentation (one microcredential) end to end from QR text:
decode MC1D1 text -> parse -> signatures (VP + VC, RDFC-1.0) -> status (cached list) -> trust
list -> completeness. Run: .venv/bin/python bench/bench_verify.py
"""

from __future__ import annotations

import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from vccore import Canonicalizer  # noqa: E402
from vccore.qrcodec import encode_payload  # noqa: E402
from verifier.service import VerifierService  # noqa: E402
from verifier.trust import TrustStore  # noqa: E402

from tests.verifier import factory  # noqa: E402


def service(canon: Canonicalizer) -> VerifierService:
    clock = factory.clock()
    svc = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    svc.trust = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock)
    svc.trust.import_bytes(factory.trust_list(canon))
    return svc


def main(rounds: int = 200) -> None:
    canon = Canonicalizer()
    vp = factory.presentation([factory.sign(factory.microcredential(), canon)], canon)
    text = encode_payload(vp)
    svc = service(canon)
    start = time.perf_counter()
    first = svc.verify_input(text)
    cold = (time.perf_counter() - start) * 1000
    assert first.verdict == "valid", first.report.problems
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        svc.verify_input(text)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"reference presentation from QR text ({len(text)} chars): first {cold:.1f} ms (status lists fetched), "
          f"then median {statistics.median(times):.1f} ms, p95 {times[int(0.95 * (rounds - 1))]:.1f} ms "
          f"over {rounds} rounds")


if __name__ == "__main__":
    main()
