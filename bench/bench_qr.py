"""QR size of the reference microcredential presentation per encoding option (bytes, characters,
QR version at error correction M). Run: .venv/bin/python bench/bench_qr.py"""

from __future__ import annotations

import base64
import json
import pathlib
import sys
import zlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from vccore import Canonicalizer, FixedClock, KeyPair, add_proof  # noqa: E402
from vccore.qrcodec import encode_frames, encode_payload  # noqa: E402
from wallet.present import FRAME_MAX_CHARS, make_presentation  # noqa: E402
from wallet.qrimage import qr_version as _qr_version  # noqa: E402


def qr_version(text: str, **kw) -> str | int:
    try:
        return _qr_version(text, **kw)
    except ValueError:
        return "> 40 (does not fit)"

ROOT = pathlib.Path(__file__).resolve().parent.parent


def reference_presentation() -> dict:
    canon, issuer, holder = Canonicalizer(), KeyPair.generate(b"\x9b" * 32), KeyPair.generate(b"\xa1" * 32)
    vc = json.loads((ROOT / "docs/examples/microcredential.json").read_text(encoding="utf-8"))
    vc["issuer"]["id"], vc["credentialSubject"]["id"] = issuer.controller, holder.controller
    signed = add_proof(vc, key=issuer, canon=canon, created="2026-06-30T09:00:00Z")
    return make_presentation([signed], key=holder, canon=canon, clock=FixedClock("2026-09-01T12:00:00Z")).document


def main() -> None:
    vp = reference_presentation()
    raw = json.dumps(vp, separators=(",", ":"), ensure_ascii=False).encode()
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = comp.compress(raw) + comp.flush()
    rows = [
        ("minified JSON, byte mode", len(raw), len(raw), qr_version(raw.decode(), alphanumeric=False)),
        ("deflate + base64, byte mode", len(deflated), len(base64.b64encode(deflated)),
         qr_version(base64.b64encode(deflated).decode(), alphanumeric=False)),
    ]
    for label, version in (("MC1: deflate + base45, alphanumeric", None), ("MC1D1: dictionary v1", 1)):
        text = encode_payload(vp, dictionary_version=version)
        rows.append((label, len(raw), len(text), qr_version(text)))
    print("| encoding | JSON bytes | QR characters | QR version (M) |\n|---|---|---|---|")
    for label, size, chars, version in rows:
        print(f"| {label} | {size:,} | {chars:,} | {version} |")
    frames = encode_frames(vp, max_chars=FRAME_MAX_CHARS)
    print(f"\nanimated alternative: {len(frames)} frames of max version "
          f"{max(qr_version(f) for f in frames)}")


if __name__ == "__main__":
    main()
