"""contexts/: byte-for-byte copies with a manifest (URL -> file, sha256, source); the loader
serves only these and never fetches."""

from __future__ import annotations

import hashlib
import json

import pytest

from vccore import ContextLoader
from vccore.errors import UnknownContextError

from ..conftest import ROOT

CONTEXTS = ROOT / "contexts"
MANIFEST = json.loads((CONTEXTS / "manifest.json").read_text())["contexts"]
REQUIRED = [
    "https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1",
    "https://w3id.org/security/data-integrity/v2", "https://w3id.org/security/multikey/v1",
    "https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://www.w3.org/ns/credentials/examples/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.0.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["url"])
def test_manifest_entry_matches_its_file(entry):
    data = (CONTEXTS / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert "@context" in json.loads(data)
    assert entry.get("source") or (entry.get("package") and entry.get("version")), "source recorded"


def test_every_required_context_is_there_and_every_file_is_listed():
    urls = {e["url"] for e in MANIFEST}
    assert set(REQUIRED) <= urls
    listed = {e["file"] for e in MANIFEST}
    assert {p.name for p in CONTEXTS.glob("*.jsonld")} == listed


def test_vc2_context_is_the_published_one():
    # the VC 2.0 Recommendation (appendix B.1) publishes this digest of its base context
    entry = next(e for e in MANIFEST if e["url"] == "https://www.w3.org/ns/credentials/v2")
    assert entry["sha256"] == "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"


def test_examples_context_is_for_tests_only():
    entry = next(e for e in MANIFEST if e["url"] == "https://www.w3.org/ns/credentials/examples/v2")
    assert entry["test_only"] is True
    assert not ContextLoader().knows(entry["url"])


def test_unknown_urls_are_refused_without_a_fetch():
    loader = ContextLoader()
    with pytest.raises(UnknownContextError):
        loader("https://www.w3.org/ns/credentials/v3", {})  # the network guard would fail a fetch


def test_a_tampered_context_file_is_refused(tmp_path):
    import shutil
    copy = tmp_path / "contexts"
    shutil.copytree(CONTEXTS, copy)
    (copy / "credentials-v2.jsonld").write_bytes(b'{"@context": {"@vocab": "https://evil.example/#"}}')
    with pytest.raises(RuntimeError, match="does not match its manifest"):
        ContextLoader(copy).knows("https://www.w3.org/ns/credentials/v2")
