"""Case functions of the hostile JSON-LD corpus, run in a bounded subprocess (tests/hostile/bounds.py).

Each takes JSON-serialisable arguments and returns what the test asserts on: the error codes and
paths of the report, or of the refusal.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from vccore import Canonicalizer, DidResolver, FixedClock, Verifier
from vccore.errors import VCError

NOW = "2026-09-01T12:00:00Z"


class _Revoked:
    """A status hook that finds every credential revoked (the issuer revoked it)."""

    def __call__(self, credential: dict[str, Any], report: Any, prefix: str) -> None:
        from vccore.report import Problem
        report.add(Problem("STATUS_REVOKED", "The credential has been revoked", "", prefix + "/credentialStatus"))


def verify_file(path: str, challenge: str | None = None, revoked: bool = False) -> dict[str, Any]:
    """Verify a document from a file the way the verifier does; returns codes and paths."""
    with open(path, "rb") as fh:
        data = fh.read()
    verifier = Verifier(canon=Canonicalizer(), resolver=DidResolver(), clock=FixedClock(NOW),
                        status=_Revoked() if revoked else None)
    report = verifier.verify(data, challenge=challenge)
    return {"verified": report.verified, "codes": sorted(report.codes()),
            "errors": [[p.code, p.path] for p in report.errors], "read": report.credentials}


def canonicalize_file(path: str) -> dict[str, Any]:
    """Canonicalize (the signing path, which accepts inline contexts) and return the refusal."""
    with open(path, "rb") as fh:
        document = json.load(fh)
    try:
        Canonicalizer().canonicalize(document)
    except VCError as exc:
        return {"code": exc.code, "path": exc.path}
    return {"code": None, "path": None}


def slow_beside_fast(slow_path: str, fast_path: str) -> dict[str, Any]:
    """One thread canonicalizes a slow (large, valid) document with pyld while another verifies a
    credential with one shared Verifier. Returns whether the fast one finished while the slow one
    was still running: one slow request must not block the others."""
    with open(slow_path, encoding="utf-8") as fh:
        slow = json.load(fh)
    with open(fast_path, encoding="utf-8") as fh:
        fast = json.load(fh)
    canon = Canonicalizer()
    verifier = Verifier(canon=canon, resolver=DidResolver(), clock=FixedClock(NOW))
    started, done = threading.Event(), threading.Event()
    loader = canon.loader

    class _Signal:  # the slow thread announces that pyld is at work (it loads a context)
        def __call__(self, url: str, options: Any = None) -> Any:
            started.set()
            return loader(url, options)

        def __getattr__(self, name: str) -> Any:
            return getattr(loader, name)

    slow_canon = Canonicalizer(_Signal(), fast=False)  # type: ignore[arg-type]

    outcome: dict[str, Any] = {}

    def run_slow() -> None:
        begin = time.perf_counter()
        try:
            slow_canon.reference(slow)
            outcome["slow_error"] = None
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcome["slow_error"] = repr(exc)
        outcome["slow_seconds"] = time.perf_counter() - begin
        done.set()

    thread = threading.Thread(target=run_slow, daemon=True)
    thread.start()
    started.wait(60)
    begin = time.perf_counter()
    report = verifier.verify_credential(fast)
    fast_seconds = time.perf_counter() - begin
    slow_still_running = not done.is_set()
    thread.join(600)
    return {"fast_verified": report.verified, "fast_seconds": fast_seconds,
            "slow_still_running": slow_still_running, **outcome}
