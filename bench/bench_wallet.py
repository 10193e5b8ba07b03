"""Opening a wallet of 1,000 credentials and searching it. Run: .venv/bin/python bench/bench_wallet.py
(setup signs 1,000 credentials once and stores them; open = scrypt + decrypting every summary)."""

from __future__ import annotations

import json
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from vccore import Canonicalizer, DidResolver, FixedClock, KeyPair, Verifier, add_proof  # noqa: E402
from wallet.browse import Filters  # noqa: E402
from wallet.holder import Wallet  # noqa: E402
from wallet.intake import check_incoming  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
N = 1000


def main() -> None:
    canon, clock = Canonicalizer(), FixedClock("2026-09-01T12:00:00Z")
    verifier = Verifier(canon=canon, resolver=DidResolver(), clock=clock)
    issuer, holder = KeyPair.generate(b"\x9b" * 32), KeyPair.generate(b"\xa1" * 32)
    base = json.loads((ROOT / "docs/examples/microcredential.json").read_text(encoding="utf-8"))
    base.pop("credentialStatus")
    with tempfile.TemporaryDirectory() as home:
        wallet = Wallet.create(home, "bench passphrase", verifier=verifier, clock=clock, canon=canon,
                               first_profile=False)
        wallet.store.add_profile("bench", holder, "2026-09-01T12:00:00Z")
        t0 = time.perf_counter()
        for i in range(N):
            vc = json.loads(json.dumps(base))
            vc["issuer"]["id"], vc["credentialSubject"]["id"] = issuer.controller, holder.controller
            vc["issuer"]["name"] = f"Instelling {i % 12}"
            vc["name"] = vc["credentialSubject"]["achievement"]["name"] = f"Eenheid {i} zorgdata"
            body = json.dumps(add_proof(vc, key=issuer, canon=canon, created="2026-06-30T09:00:00Z")).encode()
            intake = check_incoming(body, verifier=verifier) if i < 20 else None  # verify a sample
            wallet.import_bytes(body, intake=intake) if intake else \
                wallet.store.add_credential(1, body, {**check_incoming(body, verifier=_NoProof(verifier)).summary()})
        setup = time.perf_counter() - t0
        wallet.close()
        opens, searches = [], []
        for _ in range(5):
            t = time.perf_counter()
            w = Wallet.open(home, "bench passphrase", verifier=verifier, clock=clock, canon=canon)
            assert len(w.records()) == N
            opens.append(time.perf_counter() - t)
            for q in (Filters(q="eenheid 99"), Filters(institution="Instelling 3", nlqf="6"), Filters(q="zorg")):
                t = time.perf_counter()
                w.find(q)
                searches.append(time.perf_counter() - t)
            w.close()
        print(f"setup (sign + store {N}): {setup:.1f} s")
        print(f"open + decrypt {N} summaries: median {statistics.median(opens) * 1000:.0f} ms, "
              f"max {max(opens) * 1000:.0f} ms (scrypt n=2^15 included)")
        print(f"search: median {statistics.median(searches) * 1000:.2f} ms, max {max(searches) * 1000:.2f} ms")


class _NoProof:
    """For bulk setup only: the summary without re-verifying each signature (20 are verified)."""

    def __init__(self, verifier: Verifier) -> None:
        self.clock = verifier.clock

    def verify_credential(self, doc):  # noqa: ANN001, ANN201
        from vccore.report import VerificationReport
        report = VerificationReport()
        report.check("proof", "passed")
        return report


if __name__ == "__main__":
    main()
