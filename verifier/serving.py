"""Production serving: waitress reads every request, gunicorn's arbiter runs the processes.

Slow clients must not starve the server. Gunicorn's sync workers read a request in the one
thread that would serve it, so two slowloris sockets (headers sent one byte at a time) held both
workers of `serve --workers 2` until its timeout killed and rebooted them: 1.4 valid requests per
second. Its gthread workers hand a connection to a pool thread as soon as the first byte arrives,
and that thread then waits, without a deadline, for the rest of the headers and for the body: N
slow sockets take N threads. Waitress instead reads headers and body asynchronously in its I/O
loop (buffered, bounded in size) and gives a request to a worker thread only once it is complete,
so a slow client costs a socket, not a thread (tests/verifier/test_slow_clients.py).

So: one process is plain waitress; `--workers N` is gunicorn's arbiter (forking, restarting,
signals) with `WaitressWorker`, which runs waitress's loop on the listening sockets gunicorn
inherited to it. Their shared state (issued challenges, result pages) lives in SQLite files in
the data directory. Verification is CPU-bound Python, so one process uses one core; the threads
of a process let short requests pass a long one instead of queueing behind it.
"""

from __future__ import annotations

import _thread
import os
import threading
from typing import Any, Callable

from flask import Flask
from gunicorn.workers.base import Worker

__all__ = ["WaitressWorker", "serve", "waitress_settings"]

SINGLE_THREADS = 8     # one process: threads share one core
WORKER_THREADS = 4     # per worker process of --workers N


def waitress_settings(threads: int) -> dict[str, Any]:
    """Bounds for each waitress server: a client may hold a connection open, but not unboundedly
    many, not idle for long, and not with more than the app would accept anyway."""
    return {
        "threads": threads,
        "connection_limit": 500,            # sockets per process; poll(), not select(), beyond fd 1024
        "asyncore_use_poll": True,
        "channel_timeout": 30,              # an idle connection (nothing sent or received) is closed
        "cleanup_interval": 5,
        "max_request_header_size": 64 * 1024,
        "max_request_body_size": 27 * 1024 * 1024,  # the app's 26 MB upload limit plus form overhead
        "backlog": 1024,
        "ident": "verifier",
        # waitress 3 strips X-Forwarded-* unless told otherwise; VC_TRUST_PROXY=1 hands them to the
        # app's ProxyFix, which trusts one proxy hop (verifier.app; tests/verifier/test_serve_proxy.py)
        "clear_untrusted_proxy_headers": os.environ.get("VC_TRUST_PROXY") != "1",
    }


class WaitressWorker(Worker):
    """A gunicorn worker whose HTTP server is waitress, on the sockets the arbiter opened."""

    def run(self) -> None:
        from waitress.server import create_server

        sockets = [getattr(s, "sock", s) for s in self.sockets]
        server = create_server(self.wsgi, sockets=sockets, **waitress_settings(self.cfg.threads))
        threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True).start()
        server.run()  # returns on SystemExit / KeyboardInterrupt, after stopping its threads

    def _heartbeat(self) -> None:
        """Tell the arbiter this process lives while waitress serves (a long request in a worker
        thread must not get the whole process killed); stop when told to or orphaned."""
        while self.alive and self.ppid == os.getppid():
            self.notify()
            threading.Event().wait(min(1.0, self.timeout / 4))
        _thread.interrupt_main()  # KeyboardInterrupt in waitress's loop: it shuts down

    def handle_exit(self, sig, frame) -> None:  # noqa: ANN001 (gunicorn's signal handler signature)
        self.alive = False
        raise SystemExit(0)  # signal handlers run in the main thread: out of waitress's loop


def serve(factory: Callable[[], Flask], *, host: str, port: int, threads: int | None, workers: int) -> None:
    """`threads` per process (default 8 for one process, 4 per worker of several)."""
    if workers <= 1:
        from waitress import serve as waitress_serve

        waitress_serve(factory(), host=host, port=port, **waitress_settings(threads or SINGLE_THREADS))
        return
    from gunicorn.app.base import BaseApplication

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            settings: dict[str, Any] = {"bind": f"{host}:{port}", "workers": workers,
                                        "threads": threads or WORKER_THREADS,
                                        "worker_class": "verifier.serving.WaitressWorker", "accesslog": None,
                                        "timeout": 60, "graceful_timeout": 10}
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return factory()

    _Gunicorn().run()
