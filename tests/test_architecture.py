"""The dependency rules of docs/architecture.md, checked over the imports of every module."""

from __future__ import annotations

import ast
import pathlib

import pytest

import vccore

ROOT = pathlib.Path(__file__).resolve().parent.parent
PARTS = ("vccore", "issuer", "wallet", "verifier")


def imports_of(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("part", PARTS)
def test_parts_import_only_what_they_may(part):
    forbidden = {"vccore": {"issuer", "wallet", "verifier", "flask", "qrcode", "waitress", "werkzeug"}}.get(
        part, set(PARTS) - {part, "vccore"})
    offenders = {str(p.relative_to(ROOT)): imports_of(p) & forbidden
                 for p in (ROOT / part).rglob("*.py") if imports_of(p) & forbidden}
    assert offenders == {}


def test_vccore_all_is_sorted_and_complete():
    assert vccore.__all__ == sorted(vccore.__all__)
    assert all(hasattr(vccore, name) for name in vccore.__all__)


def test_importing_the_parts_has_no_side_effects(tmp_path, monkeypatch):
    import subprocess
    import sys
    monkeypatch.chdir(tmp_path)
    code = "import vccore, issuer, wallet, verifier, os; print(sorted(os.listdir('.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
