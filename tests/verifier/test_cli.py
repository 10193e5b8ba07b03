"""`python -m verifier verify`: JSON, QR text and images; --trust-list, --policy; exit codes 0/1/2."""

from __future__ import annotations

import io
import json

from vccore.qrcodec import encode_payload
from verifier.cli import main

from . import factory

NOW = "2026-09-01T12:00:30Z"


def run(capsys, *args):
    code = main(["verify", "--offline", "--now", NOW, *args])
    return code, json.loads(capsys.readouterr().out)


def test_presentation_from_qr_text_with_trust_list(tmp_path, capsys, canon, clean_vp):
    (tmp_path / "vp.txt").write_text(encode_payload(clean_vp))
    (tmp_path / "tl.json").write_bytes(factory.trust_list(canon))
    code, report = run(capsys, "--trust-list", str(tmp_path / "tl.json"),
                       "--authority", factory.authority_key.controller, str(tmp_path / "vp.txt"))
    assert code == 0 and report["verdict"] == "warnings"  # offline: status could not be checked
    assert {p["code"] for p in report["problems"]} == {"STATUS_RETRIEVAL_ERROR"}
    assert report["certificates"][0]["statusState"] == "unchecked"


def test_image_file_and_untrusted_issuer(tmp_path, capsys, clean_vp):
    buf = io.BytesIO()
    factory.qr_image(encode_payload(clean_vp)).save(buf, "PNG")
    (tmp_path / "qr.png").write_bytes(buf.getvalue())
    code, report = run(capsys, str(tmp_path / "qr.png"))
    assert code == 0 and "NO_TRUST_LIST" in {p["code"] for p in report["problems"]}


def test_policy_makes_warnings_errors(tmp_path, capsys, clean_vp):
    (tmp_path / "vp.json").write_text(json.dumps(clean_vp))
    (tmp_path / "policy.json").write_text('{"require_status": true, "require_trusted_issuer": true}')
    code, report = run(capsys, "--policy", str(tmp_path / "policy.json"), str(tmp_path / "vp.json"))
    assert code == 1 and {p["code"] for p in report["problems"] if p["severity"] == "error"} == {
        "STATUS_RETRIEVAL_ERROR", "NO_TRUST_LIST"}


def test_trust_list_signed_by_someone_else_is_unusable(tmp_path, capsys, canon, clean_vp):
    (tmp_path / "tl.json").write_bytes(factory.trust_list(canon, signer=factory.stranger_key))
    (tmp_path / "vp.json").write_text(json.dumps(clean_vp))
    code, report = run(capsys, "--trust-list", str(tmp_path / "tl.json"),
                       "--authority", factory.authority_key.controller, str(tmp_path / "vp.json"))
    assert code == 2 and report["problems"][0]["code"] == "TRUST_LIST_ERROR"


def test_garbage_is_exit_2(tmp_path, capsys):
    (tmp_path / "x.jpg").write_bytes(b"\xff\xd8\xff\xe0garbage")
    code, report = run(capsys, str(tmp_path / "x.jpg"))
    assert code == 2 and report["problems"][0]["code"] == "IMAGE_ERROR"
