"""Web pages and VC API: escaped credential text, languages, request mode, trust list management."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest

from vccore.qrcodec import encode_payload
from verifier.app import create_app

from . import factory


@pytest.fixture
def client(service):
    return create_app({"VERIFIER_SERVICE": service, "TESTING": True}).test_client()


def submit(client, **form):
    """Post the intake form; the result page and its address."""
    reply = client.post("/verify", data=form, content_type="multipart/form-data")
    assert reply.status_code == 303
    return client.get(reply.headers["Location"]), reply.headers["Location"]


def test_script_in_credential_text_is_shown_escaped(client, canon):
    vc = factory.microcredential()
    vc["credentialSubject"]["identifier"][0]["identityHash"] = "<script>alert('x')</script>"
    vc["credentialSubject"]["achievement"]["name"] = "<img src=x onerror=alert(1)>"
    page, _ = submit(client, text=encode_payload(factory.presentation([factory.sign(vc, canon)], canon)))
    html = page.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_result_page_in_dutch_and_english(client, clean_vp):
    page, location = submit(client, text=json.dumps(clean_vp))
    html = page.get_data(as_text=True)
    assert '<html lang="nl">' in html and "Geldig" in html and "Deelnemer" in html
    english = client.get(location.split("?")[0] + "?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and ">Valid<" not in html and "Participant" in english
    # local time (Europe/Amsterdam), when the list was published and when it was checked; never UTC
    assert ("Not revoked or suspended — status as published at 1 August 2026 at 02:00, checked at 14:00"
            in english)
    shown = re.sub(r"<[^>]+>", " ", english)  # what a person reads: no UTC, no ISO timestamps
    assert "UTC" not in shown and not re.search(r"\d{4}-\d\d-\d\dT\d\d", shown)
    assert "Niet ingetrokken of geschorst — status zoals gepubliceerd om 1 augustus 2026 om 02:00, " \
           "gecontroleerd om 14:00" in html
    assert "5 EC" in html and "5 ECTS" in english and "30 juni 2026" in html and "Nederlands" in html
    assert 'data-state="valid"' in html and "Alle controles zijn geslaagd" in html
    assert client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True).count('lang="en"') >= 1


def test_upload_a_screenshot_and_download_the_json_report(client, clean_vp):
    image = factory.qr_image(encode_payload(clean_vp))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    page, location = submit(client, file=(io.BytesIO(buf.getvalue()), "qr.png"))
    assert 'data-verdict="valid"' in page.get_data(as_text=True)
    report = client.get(location.split("?")[0] + ".json")
    assert report.headers["Content-Disposition"].startswith("attachment")
    assert report.json["verdict"] == "valid" and report.json["certificates"][0]["certificate"]["ects"] == "5"
    printable = client.get(location + "&print=1").get_data(as_text=True)
    assert 'class="result print"' in printable and "Gecontroleerd op" in printable
    assert report.json["state"] == "valid" and report.json["certificates"][0]["status"][0]["source"] == "fetched"


def test_garbage_upload_is_a_coded_problem_not_a_500(client):
    page, _ = submit(client, file=(io.BytesIO(b"\x89PNG\r\n\x1a\nnot really"), "x.png"))
    assert page.status_code == 200 and 'data-code="IMAGE_ERROR"' in page.get_data(as_text=True)


def test_revoked_is_shown(client, canon):
    vc = factory.sign(factory.microcredential(index=factory.REVOKED_INDEX), canon)
    page, _ = submit(client, text=encode_payload(factory.presentation([vc], canon)))
    html = page.get_data(as_text=True)
    assert 'data-verdict="invalid"' in html and 'data-state="revoked"' in html and 'data-status="revoked"' in html
    assert "Ingetrokken door de instelling" in html and "De instelling heeft dit certificaat ingetrokken" in html


def test_request_mode_challenge_is_single_use(client, canon, clean_vc):
    html = client.get("/request").get_data(as_text=True)
    challenge = re.search(r'name="challenge" value="([^"]+)"', html).group(1)
    text = re.search(r'id="request-text">(MCREQ1:[^<]+)<', html).group(1)
    assert client.get(f"/request/{challenge}.svg").mimetype == "image/svg+xml"
    import base45
    request = json.loads(base45.b45decode(text[len("MCREQ1:"):]))
    assert request["challenge"] == challenge and request["domain"] == "http://localhost"
    vp = factory.presentation([clean_vc], canon, challenge=challenge, domain=request["domain"])
    first, _ = submit(client, text=encode_payload(vp), challenge=challenge)
    assert 'data-verdict="valid"' in first.get_data(as_text=True)
    replay, _ = submit(client, text=encode_payload(vp), challenge=challenge)
    assert 'data-code="INVALID_CHALLENGE_ERROR"' in replay.get_data(as_text=True)


def test_page_refuses_a_presentation_made_for_another_verifier(client, canon, clean_vc):
    vp = factory.presentation([clean_vc], canon, challenge="their-challenge", domain="https://other.example")
    page, _ = submit(client, text=encode_payload(vp))
    html = page.get_data(as_text=True)
    assert 'data-verdict="invalid"' in html
    assert 'data-code="INVALID_CHALLENGE_ERROR"' in html and 'data-code="INVALID_DOMAIN_ERROR"' in html
    assert "/proof/challenge" in html


def test_institution_shown_from_the_trust_list_with_a_remark_in_dutch_and_english(client, canon):
    vc = factory.sign(factory.forged_name(), canon)  # trusted key A signing as "Universiteit B (BRIN 21BB)"
    page, location = submit(client, text=encode_payload(factory.presentation([vc], canon)))
    for lang, source, remark in (("nl", "naam en BRIN volgens de vertrouwenslijst", "het bewijs noemt de instelling anders"),
                                 ("en", "name and BRIN from the trust list", "the credential names the institution differently")):
        html = client.get(location.split("?")[0] + f"?lang={lang}").get_data(as_text=True)
        shown = re.search(r'<dd class="institution" data-source="([^"]+)">([^<]*)</dd>', html)
        assert shown.groups() == ("trust-list", "Hogeschool Voorbeeld (BRIN 99XX)")
        assert source in html and remark in html and 'data-verdict="warnings"' in html
        assert re.search(r'data-remark="issuer-name-differs">[^<]*<q>Universiteit B \(BRIN 21BB\)</q>', html)
        assert 'data-code="ISSUER_NAME_MISMATCH"' in html


def test_matching_institution_has_no_remark_and_an_untrusted_one_is_unconfirmed(client, canon, clean_vp):
    page, _ = submit(client, text=json.dumps(clean_vp))
    html = page.get_data(as_text=True)
    assert 'data-source="trust-list"' in html and "data-remark" not in html
    vc = factory.forged_name()
    vc["issuer"]["id"] = factory.stranger_key.controller
    vp = factory.presentation([factory.sign(vc, canon, key=factory.stranger_key)], canon)
    page, location = submit(client, text=json.dumps(vp))
    english = client.get(location.split("?")[0] + "?lang=en").get_data(as_text=True)
    assert '<dd class="institution" data-source="credential">Universiteit B (BRIN 21BB)</dd>' in english
    assert "name as the credential states it, not confirmed by the trust list" in english


def test_trust_page_says_when_the_list_has_expired(client, canon, clock):
    assert 'data-code="TRUST_LIST_EXPIRED"' not in client.get("/trust").get_data(as_text=True)
    clock.advance(days=3650)
    html = client.get("/trust?lang=en").get_data(as_text=True)
    assert 'data-code="TRUST_LIST_EXPIRED"' not in html  # the reference list has no validUntil
    service = client.application.extensions["verifier"]
    service.trust.current = None
    service.trust.import_bytes(factory.trust_list(canon, valid_from=clock.now() - dt.timedelta(days=2),
                                                  valid_until=clock.now() + dt.timedelta(days=1)))
    clock.advance(days=2)
    for lang, text in (("en", "This trust list has expired"), ("nl", "Deze vertrouwenslijst is verlopen")):
        html = client.get(f"/trust?lang={lang}").get_data(as_text=True)
        assert 'data-code="TRUST_LIST_EXPIRED"' in html and text in html


def test_trust_list_page_import_and_refusal(client, canon):
    page = client.get("/trust?lang=en").get_data(as_text=True)
    assert "Stichting Kwaliteitskader" in page and "99XX" in page and "0 days ago" in page
    bad = client.post("/trust/import", data={"file": (io.BytesIO(factory.trust_list(canon, signer=factory.stranger_key)),
                                                      "tl.json")}, content_type="multipart/form-data")
    assert bad.status_code == 400 and 'data-code="TRUST_LIST_ERROR"' in bad.get_data(as_text=True)
    good = client.post("/trust/import", data={"file": (io.BytesIO(factory.trust_list(canon)), "tl.json")},
                       content_type="multipart/form-data")
    assert good.status_code == 303


def test_trust_list_import_from_another_site_is_refused(client, canon):
    """A page elsewhere cannot make an employer's browser change the trust list (CSRF)."""
    form = {"file": (io.BytesIO(factory.trust_list(canon)), "tl.json")}
    forged = client.post("/trust/import", data=form, content_type="multipart/form-data",
                         headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    cross = client.post("/trust/import", data={"file": (io.BytesIO(factory.trust_list(canon)), "tl.json")},
                        content_type="multipart/form-data", headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    same = client.post("/trust/import", data={"file": (io.BytesIO(factory.trust_list(canon)), "tl.json")},
                       content_type="multipart/form-data", headers={"Origin": "http://localhost"})
    assert same.status_code == 303


def test_vc_api_presentations_verify(client, canon, clean_vc):
    vp = factory.presentation([clean_vc], canon, challenge="c-123", domain="example.nl")
    ok = client.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                    "options": {"challenge": "c-123", "domain": "example.nl"}})
    assert ok.status_code == 200 and ok.json["verified"] and "status" in ok.json["checks"]
    bad = client.post("/presentations/verify", json={"verifiablePresentation": vp, "options": {"challenge": "other"}})
    assert bad.status_code == 400 and {e["code"] for e in bad.json["errors"]} == {"INVALID_CHALLENGE_ERROR"}
    junk = client.post("/credentials/verify", data=b"{", content_type="application/json")
    assert junk.status_code == 400 and junk.json["code"] == "PARSING_ERROR"


def test_result_pages_survive_across_worker_processes(tmp_path):
    """With a data directory (as `serve --workers N` requires), result pages live in SQLite, so a
    worker other than the one that verified can show them."""
    from verifier.web import SqliteResultStore
    from verifier.service import Outcome
    from vccore.report import VerificationReport
    first, second = SqliteResultStore(tmp_path / "r.sqlite3"), SqliteResultStore(tmp_path / "r.sqlite3")
    report = VerificationReport()
    report.check("proof", "passed")
    key = first.put(Outcome(report=report, kind="credential"))
    again = second.get(key)
    assert again is not None and again.verdict == "valid" and again.kind == "credential"
    assert second.get("unknown") is None
