"""Production serving: waitress threads in one process, or gunicorn with one process per core.

Verification is CPU-bound Python, so one process uses one core; `--workers N` runs N gunicorn
worker processes (each builds its own app; sync workers unless `--threads` asks for more).
Their shared state — issued challenges and the
result pages — then lives in SQLite files in the data directory.
"""

from __future__ import annotations

from typing import Any, Callable

from flask import Flask

__all__ = ["serve"]


def serve(factory: Callable[[], Flask], *, host: str, port: int, threads: int | None, workers: int) -> None:
    """`threads` per process: waitress defaults to 8; gunicorn to 1 (sync workers: requests queue
    first-come first-served, which keeps the latency tail short for CPU-bound work)."""
    if workers <= 1:
        from waitress import serve as waitress_serve

        waitress_serve(factory(), host=host, port=port, threads=threads or 8)
        return
    threads = threads or 1
    from gunicorn.app.base import BaseApplication

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            settings: dict[str, Any] = {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                                        "worker_class": "gthread" if threads > 1 else "sync", "accesslog": None, "timeout": 60}
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return factory()

    _Gunicorn().run()
