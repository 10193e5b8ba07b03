"""Decoding a 12 MP photo (4000x3000 JPEG) of a presentation QR code, as verifier intake does it.

Run: .venv/bin/python bench/bench_decode.py   (target: under 100 ms per photo)
"""

from __future__ import annotations

import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from vccore import Canonicalizer  # noqa: E402
from vccore.qrcodec import encode_payload  # noqa: E402
from verifier.intake import decode_image, read_input  # noqa: E402

from tests.verifier import factory  # noqa: E402


def main(rounds: int = 20) -> None:
    canon = Canonicalizer()
    vp = factory.presentation([factory.sign(factory.microcredential(), canon)], canon)
    photo = factory.photo_12mp(encode_payload(vp))
    assert read_input(photo) == vp
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        decode_image(photo)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"12 MP JPEG ({len(photo) // 1024} KB), {rounds} rounds: median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * (rounds - 1))]:.1f} ms, max {times[-1]:.1f} ms")


if __name__ == "__main__":
    main()
