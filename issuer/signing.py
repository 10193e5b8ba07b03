"""Signing: credentials handed in by a caller (CLI `sign`, VC API), and batches on all cores."""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Sequence

from vccore import Canonicalizer, Clock, KeyPair, SUITES, add_proof
from vccore.errors import MalformedValueError, VCError
from vccore.jsondoc import check_depth
from vccore.report import VerificationReport
from vccore.vcdm import check_credential

__all__ = ["CredentialSigner", "IssueRefused", "dump", "sign_many"]


class IssueRefused(VCError):
    """The credential cannot be issued; carries every problem found."""

    code = "MALFORMED_VALUE_ERROR"
    title = "The credential cannot be issued"

    def __init__(self, report: VerificationReport) -> None:
        first = report.errors[0]
        super().__init__(first.detail, path=first.path, title=first.title)
        self.code = first.code
        self.report = report


class CredentialSigner:
    """Checks a credential against the data model and signs it with the institution's key."""

    def __init__(self, *, key: KeyPair, canon: Canonicalizer, clock: Clock) -> None:
        self.key = key
        self.canon = canon
        self.clock = clock

    def sign(self, credential: Any, *, suite: str = "eddsa-rdfc-2022", created: str | None = None) -> dict[str, Any]:
        """Validate, then add a Data Integrity proof. Raises IssueRefused / VCError with codes."""
        if suite not in SUITES or not SUITES[suite].can_sign:
            raise MalformedValueError(f"unsupported cryptosuite {suite!r}", path="/options/cryptosuite",
                                      title="Unsupported cryptosuite")
        check_depth(credential)
        report = VerificationReport()
        check_credential(credential, report, loader=self.canon.loader)
        if report.errors:
            raise IssueRefused(report)
        issuer = credential.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer_id != self.key.controller:
            raise MalformedValueError(f"this service issues as {self.key.controller}, not {issuer_id}",
                                      path="/issuer", title="Issuer not served here")
        return add_proof(credential, key=self.key, canon=self.canon, suite=SUITES[suite],
                         created=created or self.clock.now())


def dump(document: dict[str, Any]) -> bytes:
    """The bytes a signed document is stored and served as (compact UTF-8 JSON)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_worker: dict[str, Any] = {}


def _init_worker(multikey: dict[str, str], created: str) -> None:
    _worker["key"] = KeyPair.from_multikey(multikey)
    _worker["canon"] = Canonicalizer()
    _worker["created"] = created


def _sign_chunk(documents: list[dict[str, Any]]) -> list[bytes]:
    key, canon, created = _worker["key"], _worker["canon"], _worker["created"]
    return [dump(add_proof(d, key=key, canon=canon, created=created)) for d in documents]


def sign_many(documents: Sequence[dict[str, Any]], *, key: KeyPair, canon: Canonicalizer, created: str,
              workers: int | None = None, chunk: int = 200,
              progress: Callable[[int, int], None] | None = None) -> list[bytes]:
    """Sign (eddsa-rdfc-2022) many documents, in worker processes when it pays; returns their bytes.

    Workers start from a fork server (not a fork of a possibly threaded web process) and receive
    the key through the process pipe only.
    """
    total = len(documents)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    out: list[bytes] = []
    if workers <= 1 or total < 4 * chunk:
        for i, d in enumerate(documents, 1):
            out.append(dump(add_proof(d, key=key, canon=canon, created=created)))
            if progress and (i % chunk == 0 or i == total):
                progress(i, total)
        return out
    context = multiprocessing.get_context("forkserver")
    chunks = [list(documents[i:i + chunk]) for i in range(0, total, chunk)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(key.to_multikey(), created)) as pool:
        for signed in pool.map(_sign_chunk, chunks):
            out += signed
            if progress:
                progress(len(out), total)
    return out
