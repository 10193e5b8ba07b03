"""docs/architecture.md "Packaging": the built wheel, installed into a fresh virtual environment and run
from a folder outside the checkout, carries its contexts, QR dictionary, templates and static files
and gives working commands (`python -m issuer|wallet|verifier`, `mc-issuer|mc-wallet|mc-verifier`).

Offline: the wheel is built with the running environment's setuptools (no build isolation, no
index), and the fresh environment sees the project's dependencies through a .pth file naming the
running environment's site-packages, never the checkout. It is built from a copy of the sources, so
the checkout gets no build/ folder.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import NOW, ROOT, load_example

pytestmark = pytest.mark.slow

PARTS = ("vccore", "issuer", "wallet", "verifier")
ZXING = Path("verifier/static/vendor/zxing-wasm/zxing_reader.wasm")


@dataclass(frozen=True)
class Installed:
    src: Path      # the copy of the sources the wheel was built from
    wheel: Path
    bin: Path      # the fresh environment's bin/
    site: Path     # ... and its site-packages
    work: Path     # an empty folder outside the checkout: the commands' working directory


def _env() -> dict[str, str]:
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "VC_CONTEXTS_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONNOUSERSITE="1")
    return env


def _run(args: list[str | Path], *, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True,
                         timeout=300)
    if ok:
        assert out.returncode == 0, f"{args}: exit {out.returncode}\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}"
    return out


def _dependency_dirs() -> list[str]:
    """The running environment's site-packages: where the project's dependencies are installed."""
    dirs = [d for d in dict.fromkeys([*site.getsitepackages(), site.getusersitepackages()]) if os.path.isdir(d)]
    for d in dirs:
        assert Path(d).resolve() != ROOT and not (Path(d) / "vccore").exists(), d
    return dirs


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("packaging")
    assert not base.resolve().is_relative_to(ROOT)
    src = base / "src"
    src.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", src)
    for name in (*PARTS, "contexts"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    wheels = base / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "--wheel-dir", wheels, src], cwd=base)
    [wheel] = wheels.glob("microcredentials-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base)
    purelib = Path(_run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        cwd=base).stdout.strip())
    (purelib / "project_dependencies.pth").write_text("\n".join(_dependency_dirs()) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-deps",
          "--no-index", wheel], cwd=base)
    work = base / "work"
    work.mkdir()
    return Installed(src=src, wheel=wheel, bin=venv / "bin", site=purelib, work=work)


def _shipped(src: Path) -> set[str]:
    """What the wheel must hold: every file of the parts (hidden files and bytecode aside) and
    every file of contexts/ as vccore/contexts/."""
    files = set()
    for name in PARTS:
        for path in (src / name).rglob("*"):
            rel = path.relative_to(src)
            if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
                files.add(rel.as_posix())
    for path in (src / "contexts").iterdir():
        if path.is_file() and not path.name.startswith("."):
            files.add(f"vccore/contexts/{path.name}")
    return files


def test_the_wheel_carries_code_contexts_dictionary_templates_and_static_files(installed):
    names = {n for n in zipfile.ZipFile(installed.wheel).namelist() if ".dist-info/" not in n}
    expected = _shipped(installed.src)
    assert expected - names == set(), "left out of the wheel"
    assert names - expected == set(), "in the wheel but not in the sources"
    assert {"vccore/contexts/manifest.json", "vccore/contexts/credentials-v2.jsonld", "vccore/qrdict/v1.json",
            "verifier/templates/index.html", "wallet/web/templates/base.html", "issuer/templates/base.html",
            "issuer/static/issuer.css", "wallet/web/static/wallet.css", "verifier/static/scan.js"} <= names
    # the verifier page's camera decoder ships when `make verifier-assets` fetched it before the build
    assert (ZXING.as_posix() in names) == (installed.src / ZXING).is_file()


def test_code_and_data_are_read_from_site_packages(installed):
    code = """if True:
        import json, issuer, vccore, verifier, wallet
        from vccore import loader, qrcodec
        from issuer.app import create_app as issuer_app
        from verifier.app import create_app as verifier_app
        from wallet.web import create_app as wallet_app
        print(json.dumps({"modules": [m.__file__ for m in (vccore, issuer, wallet, verifier)],
                          "data": [str(loader.CONTEXTS_DIR), str(qrcodec._DICT_DIR)],
                          "apps": [issuer_app.__module__, verifier_app.__module__, wallet_app.__module__]}))
    """
    found = json.loads(_run([installed.bin / "python", "-c", code], cwd=installed.work).stdout)
    site_dir = installed.site.resolve()
    for path in found["modules"] + found["data"]:
        resolved = Path(path).resolve()
        assert resolved.is_relative_to(site_dir) and not resolved.is_relative_to(ROOT), path
    assert Path(found["data"][0]).resolve() == site_dir / "vccore" / "contexts"


def test_the_installed_contexts_match_their_manifest(installed):
    out = _run([installed.bin / "python", "-m", "vccore.contexts.verify"], cwd=installed.work)
    assert out.stdout.splitlines()[-1].endswith(" contexts, 0 problems")


def test_keygen_sign_and_verify_with_the_console_scripts_and_modules(installed):
    bin_, work = installed.bin, installed.work
    key = json.loads(_run([bin_ / "mc-issuer", "keygen"], cwd=work).stdout)
    assert key["type"] == "Multikey" and key["controller"].startswith("did:key:z6Mk")
    (work / "key.json").write_text(json.dumps(key), encoding="utf-8")
    vc = load_example()
    vc["issuer"]["id"] = key["controller"]
    (work / "credential.json").write_text(json.dumps(vc), encoding="utf-8")
    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        signed = _run([bin_ / "mc-issuer", "sign", "--key", "key.json", "--suite", suite,
                       "--created", "2026-06-30T09:00:00Z", "credential.json"], cwd=work).stdout
        assert json.loads(signed)["proof"]["cryptosuite"] == suite
        (work / "signed.json").write_text(signed, encoding="utf-8")
        for command in ([bin_ / "mc-verifier"], [bin_ / "python", "-m", "verifier"]):
            out = _run([*command, "verify", "--now", NOW, "signed.json"], cwd=work, ok=False)
            report = json.loads(out.stdout)
            assert (out.returncode, report["verified"]) == (0, True), (suite, command, report["problems"])


def test_a_qr_payload_made_with_the_shipped_dictionary_verifies(installed):
    bin_, work = installed.bin, installed.work
    key = _run([bin_ / "python", "-m", "issuer", "keygen", "--seed", "5c" * 32], cwd=work).stdout
    (work / "qr-key.json").write_text(key, encoding="utf-8")
    vc = load_example()
    vc["issuer"]["id"] = json.loads(key)["controller"]
    (work / "qr-credential.json").write_text(json.dumps(vc), encoding="utf-8")
    signed = _run([bin_ / "mc-issuer", "sign", "--key", "qr-key.json", "qr-credential.json"], cwd=work).stdout
    code = "import json, sys; from vccore.qrcodec import encode_payload; print(encode_payload(json.loads(sys.argv[1])))"
    payload = _run([bin_ / "python", "-c", code, signed], cwd=work).stdout.strip()
    assert payload.startswith("MC1D1:")  # dictionary version 1, read from the installed package
    (work / "payload.txt").write_text(payload, encoding="utf-8")
    out = _run([bin_ / "mc-verifier", "verify", "--now", NOW, "payload.txt"], cwd=work, ok=False)
    assert (out.returncode, json.loads(out.stdout)["verified"]) == (0, True), out.stdout


@pytest.mark.parametrize("command", [["mc-issuer"], ["mc-wallet"], ["mc-verifier"], ["python", "-m", "issuer"],
                                     ["python", "-m", "wallet"], ["python", "-m", "verifier"]],
                         ids=" ".join)
def test_every_command_answers_help(installed, command):
    out = _run([installed.bin / command[0], *command[1:], "--help"], cwd=installed.work)
    assert out.stdout.lower().startswith("usage:")


def test_the_web_apps_render_templates_and_serve_static_files_from_the_package(installed):
    code = """if True:
        import json, sys, tempfile
        from issuer.app import create_app as issuer_app
        from verifier.app import create_app as verifier_app
        from wallet.web import create_app as wallet_app
        d = tempfile.mkdtemp(dir=".")
        apps = {"issuer": issuer_app({"DATA_DIR": d + "/issuer"}),
                "verifier": verifier_app({"VERIFIER_DATA_DIR": d + "/verifier"}),
                "wallet": wallet_app({"WALLET_HOME": d + "/wallet"})}
        urls = {"issuer": ["/admin/login", "/static/issuer.css"],
                "verifier": ["/", "/static/style.css", "/static/scan.js",
                             "/static/vendor/zxing-wasm/zxing_reader.wasm"],
                "wallet": ["/unlock", "/static/wallet.css"]}
        out = {}
        for name, app in apps.items():
            client = app.test_client()
            out[name] = {"root": app.root_path, **{u: client.get(u).status_code for u in urls[name]}}
        print(json.dumps(out))
    """
    found = json.loads(_run([installed.bin / "python", "-c", code], cwd=installed.work).stdout.splitlines()[-1])
    wasm = found["verifier"].pop("/static/vendor/zxing-wasm/zxing_reader.wasm")
    for name, statuses in found.items():
        assert Path(statuses.pop("root")).resolve().is_relative_to(installed.site.resolve()), name
        assert set(statuses.values()) == {200}, (name, statuses)
    # without the fetched decoder the page still works (photo upload, pasted text); only the camera
    # scanner has nothing to load
    assert wasm == (200 if (installed.src / ZXING).is_file() else 404)
