"""pyproject.toml lists every package (they are listed, not discovered: see its comment) and maps
the repository's one copy of the contexts into vccore."""

from __future__ import annotations

import tomllib

from ..conftest import ROOT

PARTS = ("vccore", "issuer", "wallet", "verifier")
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_folder_is_listed():
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for part in PARTS for init in (ROOT / part).rglob("__init__.py")
             if "__pycache__" not in init.parts}
    assert found | {"vccore.contexts"} == set(SETUPTOOLS["packages"])


def test_contexts_ship_from_the_top_level_folder_only():
    assert SETUPTOOLS["package-dir"] == {"vccore.contexts": "contexts"}
    assert not (ROOT / "vccore" / "contexts").exists(), "a second copy of contexts/ in the repository"
    data = SETUPTOOLS["package-data"]["vccore.contexts"]
    assert {"*.jsonld", "manifest.json"} <= set(data)


def test_console_scripts_name_the_module_entry_points():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"mc-issuer": "issuer.cli:main", "mc-wallet": "wallet.cli_parser:main",
                       "mc-verifier": "verifier.cli:main"}
