"""Mixed load: valid clients beside heavy-hostile clients and slowloris sockets, on loopback.

One `python -m verifier serve --workers 2` (the real command, offline) in a child process. Phase
1: VALID client threads post the reference credential to `POST /credentials/verify`, each on its
own kept-alive connection, for SECONDS. Phase 2: the same, plus HOSTILE clients posting costly
JSON-LD documents in turn (a ~780 KB one whose @context repeats one URL 20,000 times, and a
~15 KB one with an inline context of nested scoped contexts) and SLOW slowloris sockets (headers
one byte at a time). Reported: valid p50/p95/p99 and throughput per phase, what the hostile
requests got, and the ratio of the valid p95s (target: under 3x).

Run: .venv/bin/python bench/bench_mixed.py [--seconds 30] [--valid 18] [--hostile 2] [--slow 2]
The load generator is Python threads in this process: on a 2-core machine it takes CPU from the
server, in both phases alike.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from vccore import Canonicalizer  # noqa: E402

from tests.browser_support import free_port, wait_for_port  # noqa: E402
from tests.verifier import factory  # noqa: E402
from tests.verifier.slow_clients import Slowloris  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
PATH = "/credentials/verify"


def repeated_context(vc: dict, repeats: int = 20_000) -> dict:
    """The signed credential with its first @context URL repeated: the same RDF, the same signature."""
    doc = copy.deepcopy(vc)
    doc["@context"] = [vc["@context"][0]] * repeats + vc["@context"][1:]
    return doc


def nested_scoped(vc: dict, depth: int = 6, width: int = 2) -> dict:
    """An inline context whose terms carry scoped contexts nested `depth` deep (each level holding
    the whole level below `width` times), used along one path down to the deepest term."""
    context: dict = {"@version": 1.1, "leaf": "https://example.org/leaf"}
    for level in range(depth):
        context = {"@version": 1.1, **{f"t{level}_{i}": {"@id": f"https://ex.org/t{level}/{i}",
                                                         "@context": context} for i in range(width)}}
    doc = copy.deepcopy(vc)
    doc["@context"] = vc["@context"] + [context]
    node: dict = {"leaf": "x"}
    for level in range(depth - 1):
        node = {f"t{level}_0": node}
    doc["credentialSubject"][f"t{depth - 1}_0"] = node
    return doc


def body_of(document: dict) -> bytes:
    return json.dumps({"verifiableCredential": document}, separators=(",", ":")).encode()


class Results:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.lock = threading.Lock()

    def add(self, seconds: float | None, outcome: str) -> None:
        with self.lock:
            if seconds is not None:
                self.latencies.append(seconds * 1000)
            self.statuses[outcome] += 1


def client(port: int, bodies: list[bytes], stop: threading.Event, results: Results, *, keep_alive: bool) -> None:
    """Post the bodies in turn until told to stop; a connection error is counted, then reconnect."""
    conn = None
    i = 0
    while not stop.is_set():
        body = bodies[i % len(bodies)]
        i += 1
        start = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("POST", PATH, body, {"Content-Type": "application/json"})
            reply = conn.getresponse()
            data = reply.read()
            codes = sorted({e.get("code") for e in json.loads(data).get("errors", [])} - {None}) if reply.status != 200 \
                else []
            results.add(time.perf_counter() - start, f"{reply.status} {','.join(codes)}".strip())
            if not keep_alive or reply.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            results.add(None, type(exc).__name__)
            if conn is not None:
                conn.close()
            conn = None
    if conn is not None:
        conn.close()


def phase(port: int, seconds: float, valid_body: bytes, hostile_bodies: list[bytes], *, valid: int,
          hostile: int, slow: int) -> tuple[Results, Results, float, list[Slowloris]]:
    stop = threading.Event()
    good, bad = Results(), Results()
    slowloris = [Slowloris(port, interval=0.2).start() for _ in range(slow)]
    for s in slowloris:
        s.started.wait(30)
    threads = [threading.Thread(target=client, args=(port, [valid_body], stop, good), kwargs={"keep_alive": True})
               for _ in range(valid)]
    threads += [threading.Thread(target=client, args=(port, hostile_bodies[i % len(hostile_bodies):] +
                                                      hostile_bodies[:i % len(hostile_bodies)], stop, bad),
                                 kwargs={"keep_alive": False}) for i in range(hostile)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    stop.wait(seconds)
    stop.set()
    for t in threads:
        t.join(180)
    wall = time.perf_counter() - start
    for s in slowloris:
        s.stop()
    return good, bad, wall, slowloris


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1)))] if ordered else float("nan")


def line(name: str, results: Results, wall: float) -> str:
    lat = results.latencies
    return (f"{name}: {len(lat)} requests in {wall:.1f} s, {len(lat) / wall:.0f} req/s, median "
            f"{statistics.median(lat) if lat else float('nan'):.0f} ms, p95 {percentile(lat, 0.95):.0f} ms, "
            f"p99 {percentile(lat, 0.99):.0f} ms, max {max(lat, default=float('nan')):.0f} ms; "
            f"outcomes {dict(results.statuses)}")


def machine() -> str:
    model = next((ln.split(":", 1)[1].strip() for ln in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
                  if ln.startswith("model name")), platform.processor() or "?")
    commit = subprocess.run(["git", "log", "-1", "--format=%h %cs", "--", "vccore"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, vccore at {commit or '?'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--valid", type=int, default=18)
    parser.add_argument("--hostile", type=int, default=2)
    parser.add_argument("--slow", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    canon = Canonicalizer()
    vc = factory.sign(factory.microcredential(), canon)
    valid_body = body_of(vc)
    hostile_bodies = [body_of(repeated_context(vc)), body_of(nested_scoped(vc))]
    print(f"# {machine()}")
    print(f"# bodies: valid {len(valid_body):,} B; hostile {', '.join(f'{len(b):,} B' for b in hostile_bodies)}")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-mixed-") as data:
        server = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--workers", str(args.workers),
                                   "--port", str(port), "--data-dir", data, "--offline"], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port, seconds=60)
            warm = Results()
            for body in [valid_body] * 8 + hostile_bodies:  # every worker has seen the shapes
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                conn.request("POST", PATH, body, {"Content-Type": "application/json"})
                warm.add(None, str(conn.getresponse().status))
                conn.close()
            print(f"# warm-up outcomes {dict(warm.statuses)}")
            base, _, wall_a, _ = phase(port, args.seconds, valid_body, hostile_bodies, valid=args.valid, hostile=0, slow=0)
            print(line(f"valid only ({args.valid} clients)", base, wall_a), flush=True)
            mixed, bad, wall_b, slow = phase(port, args.seconds, valid_body, hostile_bodies, valid=args.valid,
                                             hostile=args.hostile, slow=args.slow)
            print(line(f"valid beside {args.hostile} hostile + {args.slow} slowloris", mixed, wall_b))
            print(line("hostile", bad, wall_b))
            print(f"slowloris sockets: {sum(not s.closed_by_server for s in slow)} of {len(slow)} held open to the "
                  f"end, {sum(s.sent for s in slow):,} bytes trickled")
        finally:
            server.terminate()
            server.wait(60)
    ratio = percentile(mixed.latencies, 0.95) / percentile(base.latencies, 0.95)
    met = ratio < 3 and not any(k != "200" for k in mixed.statuses)
    print(f"valid p95 with hostile / without: {ratio:.2f}x (target < 3x, all valid answered 200): "
          f"{'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
