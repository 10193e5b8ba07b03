"""Hostile corpus, verifier: one case per attack class on the verifier's intake, request mode,
serving and trust display. Each case runs in a fresh, memory-limited interpreter
(bounds.run_bounded), names the code or HTTP status it expects, and asserts a time and a memory
bound. Clocks are FixedClocks: no sleeps.

| attack | expected |
|---|---|
| 8 parallel 38-byte lossless WebPs declaring 7000x7000 (once 1 GB each) | `IMAGE_ERROR` "Image too large" for all, from the header |
| a GIF of 200 frames of 1000x1000 (once 99 s for 200 full-size frames) | `IMAGE_ERROR` "Animation too large", from a bounded header walk |
| 8 parallel images at the largest size still decoded (16 MP PNG) | decoded two at a time (the per-process gate): `QR_NOT_FOUND`, memory of ~2, not 8 |
| `GET /request` flood: 300 addresses x 10 plus one address x 500 | 429 `RATE_LIMITED` + `Retry-After` per address, 503 `VERIFIER_BUSY` once the store is full; stored rows capped, file small |
| 12 slowloris sockets (headers or body a byte at a time) on `serve --workers 2` | valid requests still 200 within 5 s each; server processes stay small |
| a presentation made for another verifier's request, handed to the one-way intake | `INVALID_CHALLENGE_ERROR` at `/proof/challenge`, `INVALID_DOMAIN_ERROR` at `/proof/domain` |
| a trust list whose `validUntil` passes while the verifier runs | `TRUST_LIST_EXPIRED`; the issuer no longer counts as accredited |
| trusted key A signing as "Universiteit B (BRIN 21BB)" | `ISSUER_NAME_MISMATCH`; the page shows the trust list's name and BRIN |
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys

from .bounds import run_bounded

HERE = "tests.hostile.test_hostile_verifier"


# The cases (run inside the bounded subprocess).

def images_case(data_b64: str, copies: int) -> dict:
    """Decode `copies` of one image in parallel threads, as `copies` simultaneous uploads would."""
    import threading

    from verifier.intake import read_input
    from vccore.errors import VCError

    data = base64.b64decode(data_b64)
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            read_input(data)
            outcome = ("decoded", "")
        except VCError as exc:
            outcome = (exc.code, exc.title)
        with lock:
            outcomes.append(outcome)
    threads = [threading.Thread(target=one) for _ in range(copies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"outcomes": sorted(set(outcomes)), "count": len(outcomes)}


def request_flood_case(data_dir: str) -> dict:
    import os

    from vccore import FixedClock
    from verifier.app import build_service, create_app
    from verifier.policy import Policy

    clock = FixedClock("2026-09-01T12:00:00Z")
    service = build_service(clock=clock, data_dir=data_dir, policy=Policy(challenge_max_stored=2000))
    client = create_app({"VERIFIER_SERVICE": service, "TESTING": True}).test_client()
    statuses: dict[str, int] = {}
    retry_after: set[str] = set()
    for n in range(500):  # one address hammering
        reply = client.get("/request", environ_base={"REMOTE_ADDR": "203.0.113.9"})
        statuses[str(reply.status_code)] = statuses.get(str(reply.status_code), 0) + 1
        if reply.status_code == 429:
            retry_after.add(reply.headers["Retry-After"])
    busy = 0
    for n in range(300 * 10):  # many addresses, ten each
        reply = client.get("/request", headers={"Accept": "application/json"},
                           environ_base={"REMOTE_ADDR": f"198.51.{n % 300 // 250}.{n % 300 % 250}"})
        if reply.status_code == 503:
            busy += 1
            code = reply.json["code"]
    size = sum(os.path.getsize(os.path.join(data_dir, f)) for f in os.listdir(data_dir))
    return {"one_address": statuses, "retry_after": sorted(retry_after), "busy": busy,
            "busy_code": code if busy else None, "stored": service.challenges.stored(), "bytes": size}


def _service(canon, clock, *, trust_list: bytes | None = None):
    from tests.verifier import factory
    from verifier.service import VerifierService
    from verifier.trust import TrustStore

    svc = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    svc.trust = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock)
    svc.trust.import_bytes(trust_list or factory.trust_list(canon))
    return svc


def _problems(outcome) -> list[list[str]]:
    return sorted([p.code, p.path, p.severity] for p in outcome.report.problems)


def foreign_request_case() -> dict:
    from vccore import Canonicalizer, FixedClock
    from tests.verifier import factory

    canon, clock = Canonicalizer(), FixedClock("2026-09-01T12:00:00Z")
    svc = _service(canon, clock)
    vc = factory.sign(factory.microcredential(), canon)
    vp = factory.presentation([vc], canon, challenge="other-verifiers-challenge", domain="https://other.example")
    outcome = svc.verify_input(json.dumps(vp))  # the one-way intake: no challenge of ours
    return {"verdict": outcome.verdict, "problems": _problems(outcome)}


def expired_trust_list_case() -> dict:
    import datetime as dt

    from vccore import Canonicalizer, FixedClock
    from tests.verifier import factory

    canon, clock = Canonicalizer(), FixedClock("2026-09-01T12:00:00Z")
    svc = _service(canon, clock, trust_list=factory.trust_list(
        canon, valid_until=dt.datetime(2026, 9, 1, 18, tzinfo=dt.timezone.utc)))
    vc = factory.sign(factory.microcredential(), canon)
    before = svc.verify_document(factory.presentation([vc], canon))
    clock.advance(hours=7)  # the list runs out while the verifier runs
    after = svc.verify_document(factory.presentation([vc], canon, created="2026-09-01T19:00:00Z"))
    return {"before": before.verdict, "after": after.verdict, "problems": _problems(after),
            "source": after.credentials[0].certificate.institution_source}


def forged_name_case() -> dict:
    from vccore import Canonicalizer, FixedClock
    from tests.verifier import factory
    from verifier.app import create_app

    canon, clock = Canonicalizer(), FixedClock("2026-09-01T12:00:00Z")
    svc = _service(canon, clock)
    vp = factory.presentation([factory.sign(factory.forged_name(), canon)], canon)
    client = create_app({"VERIFIER_SERVICE": svc, "TESTING": True}).test_client()
    posted = client.post("/verify", data={"text": json.dumps(vp)}, content_type="multipart/form-data")
    html = client.get(posted.headers["Location"]).get_data(as_text=True)
    outcome = svc.verify_document(vp)
    cert = outcome.credentials[0].certificate
    return {"verdict": outcome.verdict, "codes": sorted(outcome.report.warning_codes()),
            "shown": [cert.institution, cert.brin, cert.institution_source],
            "claimed": [cert.institution_claimed, cert.brin_claimed],
            "page_shows": '<dd class="institution" data-source="trust-list">Hogeschool Voorbeeld (BRIN 99XX)</dd>' in html,
            "page_remark": 'data-remark="issuer-name-differs"' in html}


# The tests.

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_webp_bombs_in_parallel_are_refused_from_their_headers():
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (7000, 7000), 255).save(out, "WEBP", lossless=True, quality=0, method=0)
    assert len(out.getvalue()) < 100
    result = run_bounded(f"{HERE}:images_case", _b64(out.getvalue()), 8, seconds=3, rss_mb=250,
                         address_space_mb=2048)
    assert result.error is None
    assert result.value == {"outcomes": [["IMAGE_ERROR", "Image too large"]], "count": 8}
    assert result.seconds < 3 and result.extra_rss_mb < 40  # was ~1 GB each


def test_gif_frame_bomb_is_refused_before_decoding():
    from PIL import Image

    frames = [Image.new("P", (1000, 1000), i % 2) for i in range(200)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=50, optimize=False)
    result = run_bounded(f"{HERE}:images_case", _b64(out.getvalue()), 1, seconds=2, rss_mb=250)
    assert result.value == {"outcomes": [["IMAGE_ERROR", "Animation too large"]], "count": 1}
    assert result.seconds < 2 and result.extra_rss_mb < 40


def test_parallel_decodes_of_the_largest_images_are_gated():
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (4000, 4000), 255).save(out, "PNG")  # 16 MP: the most that is decoded
    result = run_bounded(f"{HERE}:images_case", _b64(out.getvalue()), 8, seconds=30, rss_mb=400)
    assert result.value == {"outcomes": [["QR_NOT_FOUND", "No QR code found in the image"]], "count": 8}
    assert result.seconds < 30 and result.extra_rss_mb < 200  # two at a time (~110 MB); eight at once ~350 MB


def test_request_flood_is_rate_limited_and_storage_capped(tmp_path):
    result = run_bounded(f"{HERE}:request_flood_case", str(tmp_path), seconds=30, rss_mb=400)
    value = result.value
    assert value["one_address"] == {"200": 10, "429": 490} and value["retry_after"] == ["600"]  # its 10 open ones expire
    assert value["busy_code"] == "VERIFIER_BUSY" and value["busy"] == 3000 - (2000 - 10)
    assert value["stored"] == 2000 and value["bytes"] < 8 * 1024 * 1024  # with the WAL; once ~17 GB a day
    assert result.seconds < 30 and result.extra_rss_mb < 100


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn's arbiter and workers)."""
    import pathlib

    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        status = pathlib.Path(f"/proc/{current}/status").read_text()
        total += int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmRSS"))) / 1024
        children = pathlib.Path(f"/proc/{current}/task/{current}/children")
        pending += [int(c) for c in children.read_text().split()] if children.exists() else []
    return total


def test_slowloris_sockets_do_not_starve_two_workers(tmp_path, loopback):
    import time

    from vccore import Canonicalizer
    from tests.browser_support import free_port, wait_for_port
    from tests.conftest import ROOT
    from tests.verifier import factory
    from tests.verifier.slow_clients import Slowloris, post_json

    body = json.dumps({"verifiableCredential": factory.sign(factory.microcredential(), Canonicalizer())}).encode()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--workers", "2", "--port", str(port),
                               "--data-dir", str(tmp_path), "--offline"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    clients: list[Slowloris] = []
    try:
        wait_for_port(port, seconds=30)
        assert post_json(port, "/credentials/verify", body)[0] == 200
        clients = [Slowloris(port, body=i % 3 == 2).start() for i in range(12)]
        assert all(c.started.wait(30) for c in clients)
        start = time.perf_counter()
        answers = [post_json(port, "/credentials/verify", body, timeout=20) for _ in range(20)]
        elapsed = time.perf_counter() - start
        assert [a[0] for a in answers] == [200] * 20 and all(a[1]["verified"] for a in answers)
        assert max(a[2] for a in answers) < 5 and elapsed < 30   # once 1.4 valid requests/s, then none
        assert not any(c.closed_by_server for c in clients)
        assert _rss_mb(server.pid) < 600
    finally:
        for c in clients:
            c.stop()
        server.terminate()
        server.wait(30)


def test_presentation_for_another_verifier_in_the_one_way_intake():
    result = run_bounded(f"{HERE}:foreign_request_case", seconds=10, rss_mb=400)
    assert result.value["verdict"] == "invalid"
    errors = [p for p in result.value["problems"] if p[2] == "error"]
    assert errors == [["INVALID_CHALLENGE_ERROR", "/proof/challenge", "error"],
                      ["INVALID_DOMAIN_ERROR", "/proof/domain", "error"]]
    assert result.seconds < 10 and result.extra_rss_mb < 150


def test_trust_list_expiring_in_a_running_verifier():
    result = run_bounded(f"{HERE}:expired_trust_list_case", seconds=10, rss_mb=400)
    assert result.value["before"] == "valid" and result.value["after"] == "warnings"
    assert ["TRUST_LIST_EXPIRED", "/verifiableCredential/0/issuer", "warning"] in result.value["problems"]
    assert result.value["source"] == "credential"
    assert result.seconds < 10 and result.extra_rss_mb < 150


def test_trusted_key_signing_as_another_institution():
    result = run_bounded(f"{HERE}:forged_name_case", seconds=10, rss_mb=400)
    value = result.value
    assert value["verdict"] == "warnings" and value["codes"] == ["ISSUER_NAME_MISMATCH"]
    assert value["shown"] == ["Hogeschool Voorbeeld", "99XX", "trust-list"]
    assert value["claimed"] == ["Universiteit B", "21BB"]
    assert value["page_shows"] and value["page_remark"]
    assert result.seconds < 10 and result.extra_rss_mb < 150
