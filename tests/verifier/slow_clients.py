"""Slow and valid HTTP clients over real sockets, for the slow-client tests and bench/bench_mixed.py.

A slowloris client sends a request one byte at a time (headers that never end, or a body that
never completes) and keeps its socket open; a server that gives each connection a thread while it
reads the request runs out of threads after a few of them.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from typing import Any

__all__ = ["Slowloris", "post_json"]


class Slowloris:
    """One socket sending a request that never ends (header lines, or a body) a byte per `interval`."""

    def __init__(self, port: int, *, interval: float = 0.05, body: bool = False, host: str = "127.0.0.1") -> None:
        self.port, self.interval, self.body, self.host = port, interval, body, host
        self.sent = 0
        self.closed_by_server = False
        self.started = threading.Event()   # the first 16 bytes are out
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "Slowloris":
        self._thread.start()
        return self

    def _stream(self):
        """(bytes, send at once?) pieces: a slow body comes after headers sent at once."""
        if self.body:
            yield (f"POST /credentials/verify HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: 1000000\r\n\r\n").encode(), True
            while True:
                yield b" ", False
        yield f"POST /credentials/verify HTTP/1.1\r\nHost: {self.host}\r\n".encode(), False
        n = 0
        while True:
            n += 1
            yield f"X-Slow-{n}: {'a' * 20}\r\n".encode(), False

    def _run(self) -> None:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=10)
        except OSError:
            self.closed_by_server = True
            self.started.set()
            return
        with sock:
            for chunk, at_once in self._stream():
                pieces = [chunk] if at_once else [chunk[i:i + 1] for i in range(len(chunk))]
                for piece in pieces:
                    if self._stop.is_set():
                        return
                    try:
                        sock.sendall(piece)
                    except OSError:
                        self.closed_by_server = True
                        self.started.set()
                        return
                    self.sent += len(piece)
                    if self.sent >= 16:
                        self.started.set()  # the request is under way
                    self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)


def post_json(port: int, path: str, body: bytes, *, timeout: float = 30) -> tuple[int, dict[str, Any], float]:
    """One POST on a fresh connection: (status, JSON body, seconds)."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body, {"Content-Type": "application/json"})
        reply = conn.getresponse()
        data = reply.read()
    finally:
        conn.close()
    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = {}
    return reply.status, parsed, time.perf_counter() - start
