"""The verify endpoint under 20 concurrent clients: waitress (the production WSGI server) on
loopback, a threaded load generator in this process posting the reference presentation to
POST /presentations/verify. Bounded: at most REQUESTS requests or SECONDS seconds.

Run: .venv/bin/python bench/bench_http.py [clients] [requests]
"""

from __future__ import annotations

import http.client
import logging
import json
import pathlib
import statistics
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from waitress.server import create_server  # noqa: E402

from vccore import Canonicalizer  # noqa: E402
from verifier.app import create_app  # noqa: E402

from bench.bench_verify import service  # noqa: E402
from tests.verifier import factory  # noqa: E402

SECONDS = 60
logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" is expected here


def main(clients: int = 20, requests: int = 2000) -> None:
    canon = Canonicalizer()
    vp = factory.presentation([factory.sign(factory.microcredential(), canon)], canon)
    body = json.dumps({"verifiablePresentation": vp, "options": {}}).encode()
    app = create_app({"VERIFIER_SERVICE": service(canon)})
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    port = server.effective_port
    threading.Thread(target=server.run, daemon=True).start()
    latencies: list[float] = []
    failures = [0]
    codes: set[str] = set()
    lock = threading.Lock()
    left = [requests]
    deadline = time.monotonic() + SECONDS

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if left[0] <= 0:
                    break
                left[0] -= 1
            start = time.perf_counter()
            conn.request("POST", "/presentations/verify", body, {"Content-Type": "application/json"})
            reply = conn.getresponse()
            data = reply.read()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if reply.status != 200:
                    failures[0] += 1
                    codes.update(e["code"] for e in json.loads(data).get("errors", []))
        conn.close()

    warm = http.client.HTTPConnection("127.0.0.1", port)
    warm.request("POST", "/presentations/verify", body, {"Content-Type": "application/json"})
    assert warm.getresponse().status == 200
    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    server.close()
    latencies.sort()
    n = len(latencies)
    print(f"{clients} clients, {n} requests in {wall:.1f} s: {n / wall:.0f} req/s, median "
          f"{statistics.median(latencies):.0f} ms, p95 {latencies[int(0.95 * (n - 1))]:.0f} ms, "
          f"max {latencies[-1]:.0f} ms, non-200: {failures[0]} {sorted(codes)}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
