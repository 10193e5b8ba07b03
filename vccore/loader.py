"""The JSON-LD document loader over contexts/: the only contexts the system ever loads.

Any other URL is an UNKNOWN_CONTEXT_ERROR; no network request is ever made for a context.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import UnknownContextError

__all__ = ["ContextLoader", "default_loader", "CONTEXTS_DIR"]


def _contexts_dir() -> Path:
    """VC_CONTEXTS_DIR if set; else the copy an installed package carries (vccore/contexts, built
    from the repository's contexts/ by pyproject's package-dir); else contexts/ beside vccore/ in a
    checkout (an editable install or a plain source tree), the repository's one copy."""
    if os.environ.get("VC_CONTEXTS_DIR"):
        return Path(os.environ["VC_CONTEXTS_DIR"])
    here = Path(__file__).resolve().parent
    shipped = here / "contexts"
    return shipped if (shipped / "manifest.json").is_file() else here.parent / "contexts"


CONTEXTS_DIR = _contexts_dir()


class ContextLoader:
    """Serves the contexts named in a manifest; callable as a pyld document loader."""

    def __init__(self, directory: Path = CONTEXTS_DIR, *, extra: dict[str, Any] | None = None,
                 include_test_contexts: bool = False) -> None:
        self.directory = Path(directory)
        self._extra = dict(extra or {})
        self._include_test = include_test_contexts

    @cached_property
    def manifest(self) -> dict[str, dict[str, str]]:
        with open(self.directory / "manifest.json", encoding="utf-8") as fh:
            entries = json.load(fh)["contexts"]
        return {e["url"]: e for e in entries
                if self._include_test or not e.get("test_only")}

    @cached_property
    def _documents(self) -> dict[str, Any]:
        docs: dict[str, Any] = {}
        for url, entry in self.manifest.items():
            data = (self.directory / entry["file"]).read_bytes()
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise RuntimeError(f"context file {entry['file']} does not match its manifest hash")
            docs[url] = json.loads(data)
        docs.update(self._extra)
        return docs

    def knows(self, url: str) -> bool:
        return url in self._documents

    def urls(self) -> list[str]:
        return sorted(self._documents)

    def document(self, url: str) -> Any:
        """The parsed context document (shared: callers must not mutate it)."""
        try:
            return self._documents[url]
        except KeyError:
            raise UnknownContextError(f"unknown JSON-LD context {url!r}") from None

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        """pyld document loader interface."""
        return {"contextUrl": None, "documentUrl": url, "document": self.document(url)}


_DEFAULT: ContextLoader | None = None


def default_loader() -> ContextLoader:
    """The process-wide loader over contexts/ (built lazily: nothing happens at import)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ContextLoader()
    return _DEFAULT
