"""Real headless Chromium with a fake camera whose video shows a wallet's presentation QR code(s):
the page decodes them with zxing-wasm (served by the app) and shows the verdict and the fields."""

from __future__ import annotations

import pathlib

import pytest
from PIL import Image

from vccore.qrcodec import encode_frames
from verifier.app import create_app

from ..browser_support import launch_chromium, live_server  # noqa: F401
from . import factory

pytestmark = [pytest.mark.browser, pytest.mark.slow]
VENDOR = pathlib.Path(__file__).resolve().parents[2] / "verifier" / "static" / "vendor" / "zxing-wasm"
W, H = 640, 480


def write_y4m(path: pathlib.Path, images: list[Image.Image], repeat: int) -> None:
    """YUV4MPEG2 4:2:0: each image centred on white, scaled to fit, shown `repeat` frames."""
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n".encode())
        for image in images:
            canvas = Image.new("RGB", (W, H), "white")
            code = image.convert("RGB")
            side = min(H - 20, code.height)
            code = code.resize((side, side), Image.Resampling.NEAREST)
            canvas.paste(code, ((W - side) // 2, (H - side) // 2))
            y, u, v = canvas.convert("YCbCr").split()
            planes = y.tobytes() + u.resize((W // 2, H // 2)).tobytes() + v.resize((W // 2, H // 2)).tobytes()
            for _ in range(repeat):
                out.write(b"FRAME\n" + planes)


@pytest.fixture
def app(canon, clock):
    from verifier.service import VerifierService
    from verifier.trust import TrustStore

    svc = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    svc.trust = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock)
    svc.trust.import_bytes(factory.trust_list(canon))
    return create_app({"VERIFIER_SERVICE": svc, "TESTING": True})


def scan(live_server, app, video: pathlib.Path, *, expect_progress: bool):  # noqa: F811
    from playwright.sync_api import sync_playwright

    if not (VENDOR / "zxing_reader.wasm").is_file():
        pytest.fail("zxing-wasm is not installed: run scripts/fetch-zxing-wasm.sh (make install does)")
    base = live_server(app)
    with sync_playwright() as p:
        browser = launch_chromium(p, ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                                      f"--use-file-for-fake-video-capture={video}"])
        try:
            context = browser.new_context()
            context.grant_permissions(["camera"], origin=base)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(base + "/?lang=en")
            page.click("#camera-start")
            # Waits are on the page's state; their limits only bound a hang (a busy machine decodes
            # slowly, and the fake camera loops the video until every frame was seen).
            if expect_progress:  # the progress line, read in the page at the moment it shows
                shown = page.wait_for_function(
                    "() => { const p = document.querySelector('#scan-progress');"
                    " return p && !p.hidden && document.querySelector('#scan-status').textContent; }",
                    timeout=180_000)
                assert shown.json_value().startswith(("Codes received", "Found")), shown.json_value()
            page.wait_for_url("**/result/**", timeout=180_000)
            verdict = page.get_attribute("#verdict-h", "data-verdict")
            fields = {k: page.inner_text(f".certificate .{k}") for k in ("participant", "institution", "level", "ects")}
            status = page.get_attribute(".certificate .status", "data-status")
            assert not errors, errors
            assert all(u.startswith(base) for u in requests), [u for u in requests if not u.startswith(base)]
            return verdict, fields, status
        finally:
            browser.close()


def test_camera_single_code(live_server, app, canon, tmp_path):  # noqa: F811
    vp = factory.presentation([factory.sign(factory.microcredential(), canon)], canon)
    (text,) = encode_frames(vp, max_chars=1637)
    video = tmp_path / "single.y4m"
    write_y4m(video, [factory.qr_image(text, box=3)], repeat=10)
    verdict, fields, status = scan(live_server, app, video, expect_progress=False)
    assert verdict == "valid"
    assert fields["participant"] == "Sanne de Vries" and "Hogeschool Voorbeeld" in fields["institution"]
    assert fields["level"] == "NLQF 6 · EQF 6" and fields["ects"].startswith("5")
    assert status == "ok"


def test_camera_animated_sequence(live_server, app, canon, tmp_path):  # noqa: F811
    vp = factory.presentation([factory.sign(factory.microcredential(), canon)], canon)
    frames = encode_frames(vp, max_chars=970)
    assert len(frames) >= 2
    video = tmp_path / "animated.y4m"
    write_y4m(video, [factory.qr_image(t, box=4) for t in frames], repeat=4)
    verdict, fields, status = scan(live_server, app, video, expect_progress=True)
    assert verdict == "valid" and fields["participant"] == "Sanne de Vries" and status == "ok"


def test_camera_mc2_code_from_the_wallet(live_server, app, canon, tmp_path):  # noqa: F811
    """The wallet's default payload (MC2C1, docs/qr-format.md 1.2) scanned by the page's camera."""
    from wallet.present import payload_texts
    from wallet.qrimage import qr_version

    vp = factory.presentation([factory.sign(factory.microcredential(), canon)], canon)
    (text,) = payload_texts(vp)
    assert text.startswith("MC2C1:") and qr_version(text) <= 24
    video = tmp_path / "mc2.y4m"
    write_y4m(video, [factory.qr_image(text, box=3)], repeat=10)
    verdict, fields, status = scan(live_server, app, video, expect_progress=False)
    assert verdict == "valid" and fields["participant"] == "Sanne de Vries" and status == "ok"


def test_institution_from_the_trust_list_in_the_browser(live_server, app, canon):  # noqa: F811
    """Trusted key A signing as "Universiteit B (BRIN 21BB)": the page, pasted into in a real
    browser, shows the trust list's name and a remark, in Dutch and in English."""
    import json

    from playwright.sync_api import sync_playwright

    vp = factory.presentation([factory.sign(factory.forged_name(), canon)], canon)
    base = live_server(app)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page()
            page.goto(base + "/?lang=nl")
            page.fill("#text", json.dumps(vp))
            page.click("#text ~ button[type=submit]")
            page.wait_for_url("**/result/**")
            for lang, source, remark in (("nl", "volgens de vertrouwenslijst", "het bewijs noemt de instelling anders"),
                                         ("en", "from the trust list", "the credential names the institution differently")):
                if lang == "en":
                    page.click("a[hreflang=en]")
                    page.wait_for_selector("html[lang=en]")
                assert page.inner_text(".certificate .institution") == "Hogeschool Voorbeeld (BRIN 99XX)"
                assert source in page.inner_text(".certificate .institution-source")
                note = page.inner_text(".certificate .institution-remark")
                assert remark in note.lower() and "Universiteit B (BRIN 21BB)" in note
                assert page.get_attribute("#verdict-h", "data-verdict") == "warnings"
        finally:
            browser.close()
