"""The newcomer's journey of `make demo`, clicked through in headless Chromium against the three web
apps started exactly as `make demo` starts them (scripts/demo.py's `start`, production servers, on
free loopback ports and a scratch folder):

1. staff log in to Hogeschool Voorbeeld's console and issue one microcredential (an offer) and a CSV
   batch (docs/examples/cohort.csv);
2. the participant's wallet redeems the offer (OpenID4VCI) and shows the microcredential;
3. the wallet shows the presentation QR code;
4. the verifier page scans it with the camera (Chromium's fake camera plays the wallet's QR image)
   and shows "valid" and the certificate;
5. staff revoke it, through the confirmation step;
6. scanned again, the verifier says "revoked" at once (its status lists are revalidated by ETag).

Every wait is on the pages' state. It saves the README's screenshots: into docs/screenshots/ with
SCREENSHOTS=1 (`make screenshots`), else into the test's scratch folder.
"""

from __future__ import annotations

import importlib.util
import io
import os
import random
import re
import socket
import sys
from types import SimpleNamespace

import pytest
from PIL import Image

from .browser_support import launch_chromium
from .conftest import ROOT
from .verifier.test_browser import VENDOR, write_y4m

pytestmark = [pytest.mark.browser, pytest.mark.slow]
UNIT = "Data-gedreven besluitvorming in de zorg"  # Hogeschool Voorbeeld's demo definition
PARTICIPANT = "Sanne de Vries"
COHORT = ROOT / "docs" / "examples" / "cohort.csv"
VIEWPORT = {"width": 1100, "height": 800}
SAVE = os.environ.get("SCREENSHOTS") == "1"  # `make screenshots`: into docs/screenshots/
WAIT = 60_000  # ms, every action's and navigation's limit: it bounds a hang only (a busy machine is
# slow); every wait ends on the page's state


def _demo():
    """scripts/demo.py as a module (scripts/ is no package); registered first, as dataclasses need."""
    spec = importlib.util.spec_from_file_location("scripts_demo", ROOT / "scripts" / "demo.py")
    module = sys.modules.setdefault("scripts_demo", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


demo = _demo()


def _free_base(preferred: int | None = None) -> int:
    """A base port with the demo's four ports free: `preferred` if it can be, else one below the
    kernel's ephemeral range (where the test run's own outgoing connections take ports)."""
    rng = random.SystemRandom()
    for attempt in range(50):
        base = preferred if attempt == 0 and preferred else rng.randrange(20000, 32000)
        try:
            for port in range(base, base + 4):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no four free loopback ports in a row")


@pytest.fixture
def apps(tmp_path, loopback):
    """The demo's apps, prepared and started by scripts/demo.py; stopped afterwards."""
    ports = demo.Ports(_free_base(8001 if SAVE else None))  # the README's addresses in its pictures
    data = tmp_path / "demo-data"
    processes = demo.start(data, ports, log_dir=tmp_path / "logs")
    try:
        yield SimpleNamespace(issuer=f"http://127.0.0.1:{ports.issuer(0)}",
                              wallet=f"http://127.0.0.1:{ports.wallet}",
                              verifier=f"http://127.0.0.1:{ports.verifier}")
    finally:
        demo.stop(processes)


@pytest.fixture
def screenshots(tmp_path):
    folder = ROOT / "docs" / "screenshots" if SAVE else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> None:
        """The page as far as it has content, in 256 colours (a UI screenshot stays sharp, and small)."""
        image = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
        image.quantize(colors=256).save(folder / name, optimize=True)
    return save


def _camera_image(png: bytes) -> Image.Image:
    """The wallet's QR image at exactly 3 pixels a module (it draws 4): the fake camera's 640x480
    frame holds it without an uneven rescale, which could merge or split modules."""
    image = Image.open(io.BytesIO(png)).convert("L")
    pixels = image.tobytes()
    rows = (pixels[y * image.width:(y + 1) * image.width] for y in range(image.height))
    row = next(r for r in rows if min(r) < 128)  # the first row through the top-left finder pattern
    x = next(i for i, v in enumerate(row) if v < 128)
    finder = next(i for i in range(x, len(row)) if row[i] >= 128) - x
    assert finder % 7 == 0, "the finder pattern is 7 modules wide"
    modules = image.width // (finder // 7)
    return image.resize((modules, modules), Image.Resampling.NEAREST).resize((3 * modules, 3 * modules),
                                                                              Image.Resampling.NEAREST)


def _watch(context, errors: list[str], requests: list[str]):
    """A page that records script errors and every URL it asks for."""
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    return page


def _issue(staff, issuer: str, shot) -> tuple[str, str]:
    """Step 1: log in, issue one (an offer) and a CSV batch; returns the offer's page and link."""
    from playwright.sync_api import expect

    staff.goto(f"{issuer}/admin/")
    staff.fill("#f-username", "staf")
    staff.fill("#f-password", demo.STAFF_PASSWORD)
    with staff.expect_navigation():
        staff.click("form.narrow button[type=submit]")
    expect(staff.locator("h1")).to_have_text("Defined microcredentials")
    with staff.expect_navigation():
        staff.locator("td.links a", has_text="Issue one").click()
    expect(staff.locator("h1")).to_have_text(f"Issue a microcredential: {UNIT}")
    staff.fill("#f-name", PARTICIPANT)
    staff.fill("#f-result", "8")
    with staff.expect_navigation():
        staff.click("form button[type=submit]:has-text('Issue')")
    expect(staff.locator("h1")).to_have_text(f"Offer for the wallet: {PARTICIPANT}")
    expect(staff.locator("#offer-qr")).to_be_visible()
    assert staff.locator("#offer-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    expect(staff.locator("#offer-link")).to_have_value(re.compile(r"^openid-credential-offer://"))
    offer_page, offer_link = staff.url, staff.locator("#offer-link").input_value()
    shot(staff, "1-issue.png")

    staff.goto(f"{issuer}/admin/")
    with staff.expect_navigation():
        staff.locator("td.links a", has_text="Issue to a group (CSV)").click()
    staff.set_input_files("#f-csv", str(COHORT))
    with staff.expect_navigation():
        staff.click("form button[type=submit]:has-text('Check and issue')")
    staff.locator("#batch[data-state=done]").wait_for()  # batch.js reloads when the job ends
    expect(staff.locator("#batch-status")).to_contain_text("Done: offers made.")
    expect(staff.locator("#batch-count")).to_have_text("2 / 2")
    expect(staff.locator("#batch-results tbody td[data-label='Participant name']")).to_have_text(
        ["Noah Bakker", "Emma Jansen"])
    return offer_page, offer_link


def _redeem(wallet, base: str, offer: str, shot) -> None:
    """Step 2: unlock the wallet, redeem the offer, see the microcredential in the overview."""
    from playwright.sync_api import expect

    wallet.goto(f"{base}/")
    wallet.fill("#passphrase", demo.WALLET_PASSPHRASE)
    with wallet.expect_navigation():
        wallet.locator("#passphrase").evaluate("i => i.form.requestSubmit()")
    expect(wallet.locator("h1")).to_have_text("Overview")
    expect(wallet.locator("main")).to_contain_text("No microcredentials found.")
    with wallet.expect_navigation():
        wallet.click("nav a:has-text('Add')")
    wallet.fill("#offer", offer)
    with wallet.expect_navigation():  # the wallet fetches, verifies and stores it
        wallet.click("#import-submit")
    expect(wallet.locator("#stored")).to_have_text("Stored.")
    with wallet.expect_navigation():
        wallet.click("nav a:has-text('Overview')")
    card = wallet.locator(".cards .card")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-status", "ok")
    expect(card.locator("h3")).to_have_text(UNIT)
    expect(card).to_contain_text("Hogeschool Voorbeeld")
    shot(wallet, "2-wallet.png")


def _show_qr(wallet, shot) -> list[bytes]:
    """Step 3: the presentation QR code; returns its image(s), as the wallet serves them."""
    from playwright.sync_api import expect

    with wallet.expect_navigation():
        wallet.click("nav a:has-text('Present')")
    with wallet.expect_navigation():
        wallet.click("#make-qr")
    codes = wallet.locator("#qr img")
    expect(codes.first).to_be_visible()
    wallet.wait_for_function("() => [...document.querySelectorAll('#qr img')]"
                             ".every(i => i.complete && i.naturalWidth)")
    expect(wallet.locator("main")).to_contain_text("Let this QR code be scanned.")
    shot(wallet, "3-qr.png")
    images = []
    for src in codes.evaluate_all("imgs => imgs.map(i => i.src)"):
        answer = wallet.request.get(src)
        assert answer.ok and answer.headers["content-type"] == "image/png", (answer.status, src)
        images.append(answer.body())
    return images


def _scan(employer, base: str) -> None:
    """Steps 4 and 6: the verifier page's camera reads the code and the page goes to the verdict."""
    employer.goto(f"{base}/")
    employer.click("#camera-start")
    employer.wait_for_url("**/result/**")


def _revoke(staff, offer_page: str) -> None:
    """Step 5: from the (now collected) offer to the record, revoke, confirm."""
    from playwright.sync_api import expect

    staff.goto(offer_page)
    expect(staff.locator("main")).to_contain_text("This offer has been collected.")
    with staff.expect_navigation():
        staff.click("a:has-text('View the microcredential')")
    expect(staff.locator("h1")).to_have_text(f"{PARTICIPANT}: {UNIT}")
    expect(staff.locator(".details .status")).to_have_text("Active")
    staff.fill("#f-reason", "Fraude bij de toets")
    with staff.expect_navigation():
        staff.click("button[name=action][value=revoke]")
    expect(staff.locator("h1")).to_have_text("Revoke this microcredential?")  # nothing changed yet
    expect(staff.locator(".details")).to_contain_text(PARTICIPANT)
    with staff.expect_navigation():
        staff.click("button:has-text('Yes, revoke for good')")
    expect(staff.locator(".flash.success")).to_have_text("The microcredential has been revoked.")
    expect(staff.locator(".details .status")).to_have_text("Revoked")


def test_the_demo_journey_in_the_browser(apps, screenshots, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    if not (VENDOR / "zxing_reader.wasm").is_file():
        pytest.fail("zxing-wasm is not installed: run `make verifier-assets` (`make test` does)")
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        people = launch_chromium(p)
        try:
            staff = _watch(people.new_context(viewport=VIEWPORT, locale="en-GB"), errors, requests)
            wallet = _watch(people.new_context(viewport=VIEWPORT, locale="en-GB"), errors, requests)
            offer_page, offer_link = _issue(staff, apps.issuer, screenshots)
            _redeem(wallet, apps.wallet, offer_link, screenshots)
            images = _show_qr(wallet, screenshots)

            video = tmp_path / "wallet-qr.y4m"
            write_y4m(video, [_camera_image(png) for png in images], repeat=10)
            camera = launch_chromium(p, ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                                         f"--use-file-for-fake-video-capture={video}"])
            try:
                context = camera.new_context(viewport=VIEWPORT, locale="en-GB")
                context.grant_permissions(["camera"], origin=apps.verifier)
                employer = _watch(context, errors, requests)
                _scan(employer, apps.verifier)  # step 4
                expect(employer.locator("#verdict-h")).to_have_attribute("data-state", "valid")
                expect(employer.locator("#verdict-h")).to_have_text("✔ Valid")
                certificate = employer.locator(".certificate")
                expect(certificate).to_have_count(1)
                expect(certificate.locator(".participant")).to_have_text(PARTICIPANT)
                expect(certificate.locator(".unit")).to_contain_text(UNIT)
                expect(certificate.locator(".institution")).to_have_text("Hogeschool Voorbeeld (BRIN 99XX)")
                expect(certificate.locator(".status")).to_have_attribute("data-status", "ok")
                screenshots(employer, "4-valid.png")

                _revoke(staff, offer_page)  # step 5

                _scan(employer, apps.verifier)  # step 6: the same code, right after
                expect(employer.locator("#verdict-h")).to_have_attribute("data-state", "revoked")
                expect(employer.locator("#verdict-h")).to_contain_text("Revoked")
                expect(certificate.locator(".participant")).to_have_text(PARTICIPANT)
                expect(certificate.locator(".status")).to_have_attribute("data-status", "revoked")
                screenshots(employer, "5-revoked.png")
            finally:
                camera.close()
        finally:
            people.close()
    assert not errors, errors
    assert all(u.startswith(("http://127.0.0.1:", "data:")) for u in requests), \
        [u for u in requests if not u.startswith(("http://127.0.0.1:", "data:"))]
