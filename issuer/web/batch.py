"""Staff UI: issue to a group from a CSV file — checked first, then offers made in a background
job whose progress the page polls (a <progress> bar; without JavaScript the page refreshes)."""

from __future__ import annotations

import csv
import io
import secrets
import threading
from dataclasses import dataclass, field

from flask import (Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request,
                   url_for)

from vccore.errors import VCError

from .. import oid4vci
from ..errors import DefinitionNotFound
from .auth import login_required

__all__ = ["BatchJob", "BatchJobs", "register"]

UPLOAD_LIMIT = 11 * 1024 * 1024  # issuer.batch reads at most 10 MB of CSV


@dataclass
class BatchJob:
    id: str
    definition_id: str
    done: int = 0
    total: int = 0
    state: str = "running"  # running | done | failed
    error: str = ""
    mode: str = "offers"  # offers (wallets collect) | direct (signed now, to the CSV's DIDs)
    offers: list[tuple[str, str, str]] = field(default_factory=list)  # (pending id, name, link)
    records: list[tuple[str, str]] = field(default_factory=list)  # (record id, name)

    def to_json(self) -> dict:
        return {"id": self.id, "done": self.done, "total": self.total, "state": self.state,
                "error": self.error}


class BatchJobs:
    """Batch jobs of this process, each run in its own thread over IssuerService.offer_batch."""

    def __init__(self) -> None:
        self._jobs: dict[str, BatchJob] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> BatchJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, app, definition_id: str, csv_bytes: bytes, *, credential_issuer: str, total: int,
              mode: str = "offers") -> BatchJob:
        job = BatchJob(secrets.token_urlsafe(12), definition_id, total=total, mode=mode)
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
                                             progress=progress)
                job.records = [(r.id, r.participant_name) for r in issued]
            else:
                pendings = service.offer_batch(job.definition_id, csv_bytes, progress=progress)
                offers = oid4vci.create_offers(app.extensions["oid4vci_store"], pendings,
                                               credential_issuer=credential_issuer,
                                               now=app.extensions["issuer_clock"].now(),
                                               ttl=int(app.config["OFFER_TTL"]))
                job.offers = [(p.id, p.participant_name, o.link) for p, o in zip(pendings, offers)]
            job.done = job.total = len(job.records or job.offers)
            job.state = "done"
        except VCError as exc:
            job.state, job.error = "failed", f"{exc.code}: {exc.detail}"
        except Exception as exc:  # noqa: BLE001  the page must say it failed, not spin forever
            app.logger.exception("batch %s failed", job.id)
            job.state, job.error = "failed", type(exc).__name__
        app.logger.info("batch %s %s: %d of %d", job.id, job.state, job.done, job.total)


def _jobs() -> BatchJobs:
    return current_app.extensions.setdefault("issuer_batch_jobs", BatchJobs())


@login_required
def upload(definition_id: str):
    service = current_app.extensions["issuer_service"]
    try:
        stored = service.definition(definition_id)
    except DefinitionNotFound:
        abort(404)
    if request.method == "GET":
        return render_template("batch.html", stored=stored)
    upload_file = request.files.get("csv")
    data = upload_file.read() if upload_file else b""
    check = service.validate_batch(definition_id, data)
    if check.errors:
        return render_template("batch.html", stored=stored, row_errors=check.errors), 422
    mode = "direct" if request.form.get("mode") == "direct" else "offers"
    job = _jobs().start(current_app._get_current_object(), definition_id, data, total=len(check.rows),
                        credential_issuer=oid4vci.issuer_url(), mode=mode)
    return redirect(url_for("web.batch_job", job_id=job.id))


def _job_or_404(job_id: str) -> BatchJob:
    job = _jobs().get(job_id)
    if job is None:
        abort(404)
    return job


@login_required
def batch_job(job_id: str):
    return render_template("batch_job.html", job=_job_or_404(job_id))


@login_required
def batch_progress(job_id: str):
    return jsonify(_job_or_404(job_id).to_json())


def _cell(value: str) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas; quote them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def batch_offers_csv(job_id: str):
    job = _job_or_404(job_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["name", "offer_link", "offer_page"])
    for pending_id, name, link in job.offers:
        writer.writerow([_cell(name), link, url_for("web.offer", pending_id=pending_id, _external=True)])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="offers-{job.id}.csv"'})


def upload_limit() -> None:
    """Before the CSRF check reads the form: a CSV of a large cohort is bigger than API bodies."""
    if request.endpoint == "web.batch":
        request.max_content_length = UPLOAD_LIMIT


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/definitions/<definition_id>/batch", "batch", upload, methods=["GET", "POST"])
    bp.add_url_rule("/batches/<job_id>", "batch_job", batch_job)
    bp.add_url_rule("/batches/<job_id>/progress", "batch_progress", batch_progress)
    bp.add_url_rule("/batches/<job_id>/offers.csv", "batch_offers_csv", batch_offers_csv)
