"""Staff UI: issue to a group from a CSV file — checked first (errors; then people who already have
or were offered this unit, which staff may confirm), then offers made (or credentials signed) in a
background job whose progress the page polls (a <progress> bar; without JavaScript the page
refreshes). The result is shown page by page and downloads as CSV."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import (Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for)

from vccore.errors import VCError

from .. import oid4vci
from ..duplicates import repeated_rows
from .auth import login_required
from .csvfile import csv_download
from .i18n import current
from .issuing import refused_definition
from .learner import learner_url
from .paging import page_number

__all__ = ["BatchJob", "BatchJobs", "register"]

UPLOAD_LIMIT = 11 * 1024 * 1024  # issuer.batch reads at most 10 MB of CSV
PER_PAGE = 50
MAX_STAGED = 8  # uploads waiting for "issue anyway" (in memory, per process)
SHOWN_WARNINGS = 100


@dataclass
class BatchJob:
    id: str
    definition_id: str
    done: int = 0
    total: int = 0
    state: str = "running"  # running | done | failed
    error: str = ""  # the error's code
    mode: str = "offers"  # offers (wallets collect) | direct (signed now, to the CSV's DIDs)
    actor: str = ""
    offers: list[tuple[str, str, str, str]] = field(default_factory=list)  # (pending id, name, code, expires)
    records: list[tuple[str, str, str]] = field(default_factory=list)  # (record id, name, credential id)

    def to_json(self) -> dict:
        return {"id": self.id, "done": self.done, "total": self.total, "state": self.state,
                "error": self.error}

    @property
    def results(self) -> list:
        return self.records if self.mode == "direct" else self.offers


class BatchJobs:
    """Batch jobs of this process, each run in its own thread over IssuerService.offer_batch; and
    uploads staged until staff confirm them despite the duplicate warning."""

    def __init__(self) -> None:
        self._jobs: dict[str, BatchJob] = {}
        self._staged: OrderedDict[str, tuple[str, bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, job_id: str) -> BatchJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def stage(self, definition_id: str, data: bytes, user: str) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._staged[token] = (definition_id, data, user)
            while len(self._staged) > MAX_STAGED:
                self._staged.popitem(last=False)
        return token

    def take(self, token: str, definition_id: str, user: str) -> bytes | None:
        """A staged upload, once, for the same definition and staff member."""
        with self._lock:
            staged = self._staged.get(token)
            if staged is None or staged[0] != definition_id or staged[2] != user:
                return None
            del self._staged[token]
            return staged[1]

    def start(self, app, definition_id: str, csv_bytes: bytes, *, credential_issuer: str, total: int,
              mode: str = "offers", actor: str = "") -> BatchJob:
        job = BatchJob(secrets.token_urlsafe(12), definition_id, total=total, mode=mode, actor=actor)
        with self._lock:
            self._jobs[job.id] = job
        thread = threading.Thread(target=self._run, args=(app, job, csv_bytes, credential_issuer),
                                  name=f"batch-{job.id}", daemon=True)
        thread.start()
        return job

    @staticmethod
    def _run(app, job: BatchJob, csv_bytes: bytes, credential_issuer: str) -> None:
        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total

        service = app.extensions["issuer_service"]
        try:
            if job.mode == "direct":
                issued = service.issue_batch(job.definition_id, csv_bytes, base_url=credential_issuer,
                                             progress=progress, actor=job.actor)
                job.records = [(r.id, r.participant_name, r.credential_id) for r in issued]
            else:
                pendings = service.offer_batch(job.definition_id, csv_bytes, progress=progress, actor=job.actor)
                offers = oid4vci.create_offers(app.extensions["oid4vci_store"], pendings,
                                               credential_issuer=credential_issuer,
                                               now=app.extensions["issuer_clock"].now(),
                                               ttl=int(app.config["OFFER_TTL"]))
                job.offers = [(p.id, p.participant_name, o.code, o.expires.isoformat())
                              for p, o in zip(pendings, offers)]
            job.done = job.total = len(job.results)
            job.state = "done"
        except VCError as exc:
            job.state, job.error = "failed", exc.code
        except Exception as exc:  # noqa: BLE001  the page must say it failed, not spin forever
            app.logger.exception("batch %s failed", job.id)
            job.state, job.error = "failed", type(exc).__name__
        app.logger.info("batch %s %s: %d of %d", job.id, job.state, job.done, job.total)


def _jobs() -> BatchJobs:
    return current_app.extensions.setdefault("issuer_batch_jobs", BatchJobs())


def _warnings(service, definition_id: str, rows) -> list[tuple[str, object]]:
    """(name, earlier award or the index of an earlier row of the same file) per warning."""
    found: list[tuple[str, object]] = [(rows[a.index].name, a) for a in service.earlier_awards(definition_id, rows)]
    found += [(rows[i].name, first) for i, first in repeated_rows(rows).items()]
    return found


@login_required
def upload(definition_id: str):
    stored, refused = refused_definition(definition_id)
    if refused:
        return refused
    if request.method == "GET":
        return render_template("batch.html", stored=stored)
    service = current_app.extensions["issuer_service"]
    user, mode = session.get("user", ""), "direct" if request.form.get("mode") == "direct" else "offers"
    staged = request.form.get("staged")
    if staged:
        data = _jobs().take(staged[:64], definition_id, user)
        if data is None:  # expired from memory, or not this staff member's: upload again
            return render_template("batch.html", stored=stored, staged_lost=True), 410
    else:
        upload_file = request.files.get("csv")
        data = upload_file.read() if upload_file else b""
    check = service.validate_batch(definition_id, data)
    if check.errors:
        return render_template("batch.html", stored=stored, row_errors=check.errors), 422
    warnings = [] if staged else _warnings(service, definition_id, check.rows)
    if warnings:
        return render_template("batch.html", stored=stored, warnings=warnings[:SHOWN_WARNINGS],
                               more=max(0, len(warnings) - SHOWN_WARNINGS), n_warnings=len(warnings),
                               rows=check.rows, mode=mode, staged=_jobs().stage(definition_id, data, user)), 409
    job = _jobs().start(current_app._get_current_object(), definition_id, data, total=len(check.rows),
                        credential_issuer=oid4vci.issuer_url(), mode=mode, actor=user)
    return redirect(url_for("web.batch_job", job_id=job.id))


def _job_or_404(job_id: str) -> BatchJob:
    job = _jobs().get(job_id)
    if job is None:
        abort(404)
    return job


@login_required
def batch_job(job_id: str):
    job = _job_or_404(job_id)
    state = job.state  # read first: the job thread sets it after the results, so "done" means they are all there
    results = job.results if state == "done" else []
    page, pages = page_number(len(results), PER_PAGE)
    return render_template("batch_job.html", job=job, state=state, shown=results[(page - 1) * PER_PAGE:page * PER_PAGE],
                           page=page, pages=pages)


@login_required
def batch_progress(job_id: str):
    return jsonify(_job_or_404(job_id).to_json())


@login_required
def batch_offers_csv(job_id: str):
    """Offers: the learner's links (wallet link and https offer page); credentials: their ids."""
    job = _job_or_404(job_id)
    if job.mode == "direct":
        return csv_download(f"credentials-{job.id}.csv", ["name", "record_id", "credential_id"],
                            [(name, rid, cid) for rid, name, cid in job.records])
    base = oid4vci.issuer_url()
    rows = [(name, oid4vci.offer_link(base, code), learner_url(code), current().datetime(expires))
            for _, name, code, expires in job.offers]
    return csv_download(f"offers-{job.id}.csv", ["name", "offer_link", "offer_page", "valid_until"], rows)


def upload_limit() -> None:
    """Before the CSRF check reads the form: a CSV of a large cohort is bigger than API bodies."""
    if request.endpoint == "web.batch":
        request.max_content_length = UPLOAD_LIMIT


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/definitions/<definition_id>/batch", "batch", upload, methods=["GET", "POST"])
    bp.add_url_rule("/batches/<job_id>", "batch_job", batch_job)
    bp.add_url_rule("/batches/<job_id>/progress", "batch_progress", batch_progress)
    bp.add_url_rule("/batches/<job_id>/results.csv", "batch_offers_csv", batch_offers_csv)
