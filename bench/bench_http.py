"""The verify endpoint under 20 concurrent clients: the production server (`verifier.serving`:
waitress for one worker, gunicorn for several) in a child process on loopback, and a threaded
load generator in this process posting the reference presentation to POST /presentations/verify.
Bounded: at most REQUESTS requests or SECONDS seconds.

Run: .venv/bin/python bench/bench_http.py [clients] [requests] [workers]
With `wrk` installed (Debian package `wrk`), it is used as the load generator instead of Python
threads: a C load generator takes far less of the two cores away from the server.
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

import multiprocessing  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

from vccore import Canonicalizer  # noqa: E402
from verifier.app import create_app  # noqa: E402
from verifier.serving import serve  # noqa: E402

from bench.bench_verify import service  # noqa: E402
from tests.browser_support import free_port, wait_for_port  # noqa: E402
from tests.verifier import factory  # noqa: E402

SECONDS = 60
THREADS = int(os.environ.get("BENCH_THREADS", "1"))  # per worker; 1 = sync workers (FIFO)
logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" is expected here


def _app(data_dir: str):
    return create_app({"VERIFIER_SERVICE": service(Canonicalizer()), "VERIFIER_DATA_DIR": data_dir})


def _serve(port: int, workers: int, data_dir: str) -> None:
    serve(lambda: _app(data_dir), host="127.0.0.1", port=port, threads=THREADS, workers=workers)


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open(os.getenv("BENCH_BODY"), "rb"):read()
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.1f %.1f %.1f %.1f\\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def _wrk(port: int, body: bytes, clients: int, workers: int, seconds: int = 15) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        script, payload = pathlib.Path(tmp, "post.lua"), pathlib.Path(tmp, "body.json")
        script.write_text(WRK_SCRIPT)
        payload.write_bytes(body)
        out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "-s", str(script),
                              f"http://127.0.0.1:{port}/presentations/verify"], capture_output=True, text=True,
                             env={**os.environ, "BENCH_BODY": str(payload)}, timeout=seconds + 30)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT"))
    n, duration_us, errors, p50, p95, p99, worst = line.split()[1:]
    wall = int(duration_us) / 1e6
    print(f"{workers} worker process(es), {clients} connections (wrk), {n} requests in {wall:.1f} s: "
          f"{int(n) / wall:.0f} req/s, median {p50} ms, p95 {p95} ms, p99 {p99} ms, max {worst} ms, errors {errors}")


def main(clients: int = 20, requests: int = 2000, workers: int = 2) -> None:
    canon = Canonicalizer()
    vp = factory.presentation([factory.sign(factory.microcredential(), canon)], canon)
    body = json.dumps({"verifiablePresentation": vp, "options": {}}).encode()
    port, data_dir = free_port(), tempfile.mkdtemp(prefix="bench-http-")
    server = multiprocessing.get_context("fork").Process(target=_serve, args=(port, workers, data_dir), daemon=True)
    server.start()
    wait_for_port(port)
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

    for _ in range(4 * max(workers, 1)):  # every worker sees the shape once (and fetches status lists)
        warm = http.client.HTTPConnection("127.0.0.1", port)
        warm.request("POST", "/presentations/verify", body, {"Content-Type": "application/json"})
        assert warm.getresponse().status == 200
        warm.close()
    if shutil.which("wrk"):
        _wrk(port, body, clients, workers)
        server.terminate()
        server.join(5)
        return
    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    server.terminate()
    server.join(5)
    latencies.sort()
    n = len(latencies)
    print(f"{workers} worker process(es), {clients} clients, {n} requests in {wall:.1f} s: {n / wall:.0f} req/s, median "
          f"{statistics.median(latencies):.0f} ms, p95 {latencies[int(0.95 * (n - 1))]:.0f} ms, "
          f"max {latencies[-1]:.0f} ms, non-200: {failures[0]} {sorted(codes)}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
