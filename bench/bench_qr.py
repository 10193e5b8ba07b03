"""QR size of microcredential presentations per encoding (characters, QR version at error correction
M), for our reference presentation, presentations signed by Digital Bazaar's libraries (the JS peer,
tests/interop/interop.mjs) and by ACA-Py (tests/vectors/acapy), each as signed and in 20 random
key orders; decode and encode cost; and the proof that MC2 is lossless on their signatures (the
decoded presentations verify here and in the JS peer). Run: .venv/bin/python bench/bench_qr.py [-v]"""

from __future__ import annotations

import base64
import json
import os
import pathlib
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
import zlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from tests.strategies import shuffled  # noqa: E402
from vccore import (Canonicalizer, DidResolver, FixedClock, KeyPair, Verifier, add_proof,  # noqa: E402
                    create_presentation)
from vccore.qrcodec import decode_payload, encode_frames, encode_payload  # noqa: E402
from wallet.present import FRAME_MAX_CHARS, make_presentation  # noqa: E402
from wallet.qrimage import qr_version as _qr_version  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
INTEROP = ROOT / "tests" / "interop"
ISSUER_SEED, HOLDER_SEED = b"\x9b" * 32, b"\xa1" * 32
CHALLENGE, DOMAIN = "q3UeZ2H9Kk1mW0bXc8yTfA", "https://werkgever.example.nl"
NOW = "2026-09-01T12:00:00Z"
ORDERS = 20


def qr_version(text: str, **kw) -> str | int:
    try:
        return _qr_version(text, **kw)
    except ValueError:
        return "> 40 (does not fit)"


def unsigned_credential() -> dict:
    vc = json.loads((ROOT / "docs/examples/microcredential.json").read_text(encoding="utf-8"))
    vc["issuer"]["id"] = KeyPair.generate(ISSUER_SEED).controller
    vc["credentialSubject"]["id"] = KeyPair.generate(HOLDER_SEED).controller
    return vc


def reference_presentation(canon: Canonicalizer, **request: str) -> dict:
    """The wallet's presentation of the reference credential: one-way, or with challenge and domain."""
    issuer, holder = KeyPair.generate(ISSUER_SEED), KeyPair.generate(HOLDER_SEED)
    signed = add_proof(unsigned_credential(), key=issuer, canon=canon, created="2026-06-30T09:00:00Z")
    return make_presentation([signed], key=holder, canon=canon, clock=FixedClock(NOW), **request).document


def node(request: dict) -> dict | None:
    """One request to the JS peer; None when Node.js or its pinned libraries are not installed."""
    if shutil.which("node") is None or not (INTEROP / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        return None
    done = subprocess.run(["node", str(INTEROP / "interop.mjs")], input=json.dumps(request), capture_output=True,
                          text=True, timeout=120, cwd=INTEROP)
    return json.loads(done.stdout) if done.returncode == 0 else None


def digitalbazaar_presentation(suite: str) -> dict | None:
    signed = node({"op": "sign-credential", "credential": unsigned_credential(), "seed_hex": ISSUER_SEED.hex(),
                   "created": "2026-06-30T09:00:00Z", "cryptosuite": suite, "now": NOW})
    if not signed or "credential" not in signed:
        return None
    vp = create_presentation([signed["credential"]], holder=KeyPair.generate(HOLDER_SEED).controller)
    signed = node({"op": "sign-presentation", "presentation": vp, "seed_hex": HOLDER_SEED.hex(),
                   "created": "2026-09-01T11:59:00Z", "challenge": CHALLENGE, "domain": DOMAIN, "cryptosuite": suite})
    return signed.get("presentation") if signed else None


def sources(canon: Canonicalizer) -> list[tuple[str, dict, str | None, str | None]]:
    """(label, presentation, challenge, domain) of every source that can be built on this machine."""
    out = [("ours (eddsa-rdfc-2022, one-way)", reference_presentation(canon), None, None),
           ("ours (eddsa-rdfc-2022, request)", reference_presentation(canon, challenge=CHALLENGE, domain=DOMAIN),
            CHALLENGE, DOMAIN)]
    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        vp = digitalbazaar_presentation(suite)
        if vp is None:
            print(f"note: the JS peer is not installed (sh scripts/ensure-interop-node.sh): no Digital Bazaar {suite}")
        else:
            out.append((f"Digital Bazaar ({suite}, request)", vp, CHALLENGE, DOMAIN))
    acapy = json.loads((ROOT / "tests/vectors/acapy/presentation.json").read_text(encoding="utf-8"))
    out.append(("ACA-Py (eddsa-jcs-2022, request)", acapy, "acapy-challenge-1", "https://verifier.example.nl"))
    return out


def sizes(vp: dict) -> tuple[int, int | str, int, int | str]:
    mc1, mc2 = encode_payload(vp), encode_payload(vp, codebook=1)
    assert mc2.startswith("MC2C1:"), "fell back to MC1D1"
    return len(mc1), qr_version(mc1), len(mc2), qr_version(mc2)


def timing(fn, rounds: int = 1000) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95)] * 1000


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if os.path.exists("/proc/cpuinfo") else ""
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.machine()}"


def encodings_table(vp: dict) -> None:
    raw = json.dumps(vp, separators=(",", ":"), ensure_ascii=False).encode()
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = comp.compress(raw) + comp.flush()
    rows = [("minified JSON, byte mode", len(raw), qr_version(raw.decode(), alphanumeric=False)),
            ("deflate + base64, byte mode", len(base64.b64encode(deflated)),
             qr_version(base64.b64encode(deflated).decode(), alphanumeric=False))]
    for label, kw in (("MC1: deflate + base45", {"dictionary_version": None}), ("MC1D1: dictionary v1", {}),
                      ("MC2C1: structure + texts + bytes, codebook 1", {"codebook": 1})):
        text = encode_payload(vp, **kw)
        rows.append((label, len(text), qr_version(text)))
    print(f"reference presentation: {len(raw):,} bytes of JSON\n\n| encoding | QR characters | QR version (M) |\n|---|---:|---:|")
    for label, chars, version in rows:
        print(f"| {label} | {chars:,} | {version} |")
    for codebook in (None, 1):
        frames = encode_frames(vp, max_chars=FRAME_MAX_CHARS, codebook=codebook)
        print(f"animated alternative ({'MC2C1' if codebook else 'MC1D1'}): {len(frames)} frame(s) of max version "
              f"{max(qr_version(f) for f in frames)}")


def main() -> None:
    verbose = "-v" in sys.argv
    print(f"# {machine()}\n")
    canon = Canonicalizer()
    found = sources(canon)
    encodings_table(found[0][1])
    print(f"\n| source | key order | MC1D1 chars | MC1D1 version | MC2C1 chars | MC2C1 version |\n|---|---|---:|---:|---:|---:|")
    worst = 0
    checks = []
    for label, vp, challenge, domain in found:
        rows = [("as signed", *sizes(vp))]
        rows += [(f"random {seed}", *sizes(shuffled(vp, random.Random(seed)))) for seed in range(1, ORDERS + 1)]
        for order, c1, v1, c2, v2 in rows if verbose else rows[:1]:
            print(f"| {label} | {order} | {c1:,} | {v1} | {c2:,} | {v2} |")
        shuffled_rows = rows[1:]
        span = lambda i: f"{min(r[i] for r in shuffled_rows):,}–{max(r[i] for r in shuffled_rows):,}"  # noqa: E731
        print(f"| {label} | {ORDERS} random | {span(1)} | {span(2)} | {span(3)} | {span(4)} |")
        worst = max([worst] + [r[4] for r in rows])
        decoded = decode_payload(encode_payload(shuffled(vp, random.Random(99)), codebook=1))
        assert json.dumps(decoded, sort_keys=True) == json.dumps(vp, sort_keys=True), "not lossless"
        checks.append((label, vp, decoded, challenge, domain))
    print(f"\nlargest MC2C1 version over all sources and key orders: {worst} (target <= 24)")

    print("\n| source | decode MC1D1 median / p95 | decode MC2C1 median / p95 | encode MC2C1 median |\n|---|---:|---:|---:|")
    for label, vp, *_ in checks:
        mc1, mc2 = encode_payload(vp), encode_payload(vp, codebook=1)
        d1, d2 = timing(lambda: decode_payload(mc1)), timing(lambda: decode_payload(mc2))
        e2 = timing(lambda: encode_payload(vp, codebook=1), rounds=200)
        print(f"| {label} | {d1[0]:.3f} / {d1[1]:.3f} ms | {d2[0]:.3f} / {d2[1]:.3f} ms | {e2[0]:.2f} ms |")

    verifier = Verifier(canon=canon, resolver=DidResolver(), clock=FixedClock(NOW))
    bound = [c for c in checks if c[3]]  # the JS peer's vc.verify needs a challenge: request-bound ones
    peer = node({"op": "batch", "requests": [
        {"op": "verify-presentation", "presentation": decoded, "challenge": challenge, "domain": domain, "now": NOW}
        for _label, _vp, decoded, challenge, domain in bound]})
    print("\nlossless on the signatures (presentation decoded from MC2C1 in a random key order):")
    for label, _vp, decoded, challenge, domain in checks:
        here = verifier.verify(decoded, challenge=challenge, domain=domain).verified
        there = ("n/a (one-way: the JS peer's vc.verify needs a challenge)" if not challenge
                 else peer["results"][[c[0] for c in bound].index(label)]["verified"] if peer
                 else "JS peer not installed")
        print(f"- {label}: verifies here {here}, in the JS peer {there}")


if __name__ == "__main__":
    main()
