"""`make bench`: every benchmark in turn, each as its own process (results go to docs/performance.md
by hand, with the date and the machine). Run one alone with `.venv/bin/python bench/<name>.py`."""

from __future__ import annotations

import pathlib
import platform
import subprocess
import sys

BENCH = pathlib.Path(__file__).resolve().parent
SCRIPTS = [
    ("core: sign/verify per cryptosuite", ["bench_core.py", "--seconds", "5"]),
    ("core: 500 diverse credentials (100 shapes, random member order) here, in the JS peer, over HTTP",
     ["bench_diverse.py"]),
    ("issuer: 10,000 credentials from one CSV", ["bench_issue_batch.py"]),
    ("issuer: OpenID4VCI deliveries", ["bench_oid4vci.py", "8", "400"]),
    ("wallet: QR sizes per encoding (MC1D1, MC2C1), 5 sources x 20 key orders, decode cost", ["bench_qr.py"]),
    ("wallet: open and search 1,000 credentials", ["bench_wallet.py"]),
    ("verifier: 12 MP photo decode", ["bench_decode.py"]),
    ("verifier: reference presentation from QR text", ["bench_verify.py"]),
    ("verifier: HTTP verify endpoint, 20 clients, 2 workers", ["bench_http.py", "20", "3000", "2"]),
    ("verifier: mixed load, 18 valid + 2 hostile clients + 2 slowloris, 2 workers", ["bench_mixed.py"]),
]


def main() -> int:
    print(f"# {platform.machine()}, Python {platform.python_version()}, {platform.node()}")
    failed = 0
    for title, (script, *args) in SCRIPTS:
        print(f"\n## {title}", flush=True)
        code = subprocess.call([sys.executable, str(BENCH / script), *args], cwd=BENCH.parent)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
