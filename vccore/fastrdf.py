"""The fast RDFC-1.0 path: pyoxigraph (Rust) parses JSON-LD over inlined, pruned contexts and
canonicalizes; and the plan that decides, per document, whether the fast path may answer.

pyld stays the reference: `vccore.canon.Canonicalizer` compares the two on the first document of
every shape and sends values the two serialise differently (non-integer or huge numbers,
control characters, malformed IRIs) and nested inline contexts to pyld.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from .errors import ProofTransformationError
from .loader import ContextLoader

try:  # optional: without pyoxigraph everything goes through pyld
    import pyoxigraph
except ImportError:  # pragma: no cover - pyoxigraph is a declared dependency
    pyoxigraph = None

__all__ = ["AVAILABLE", "FastPath", "Plan"]

AVAILABLE = pyoxigraph is not None


class FastPath:
    """Canonical N-Quads by pyoxigraph, with per-process caches of inlined and pruned contexts."""

    def __init__(self, loader: ContextLoader, *, base_iri: str, cache_size: int = 4096) -> None:
        self.loader = loader
        self.base_iri = base_iri
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._inlined: dict[str, Any] = {}
        self._pruned: dict[tuple[tuple[str, ...], frozenset[str]], list[Any]] = {}
        self._defined_names: dict[tuple[str, ...], frozenset[str]] = {}

    def _inline(self, url: str) -> Any:
        """The context document's @context value, with nested remote contexts inlined too."""
        cached = self._inlined.get(url)
        if cached is None:
            cached = _inline_contexts(self.loader.document(url)["@context"], self.loader, depth=0)
            self._inlined[url] = cached
        return cached

    def canonicalize(self, document: dict[str, Any], contexts: list[str]) -> str | None:
        """pyoxigraph JSON-LD -> RDF -> RDFC-1.0; None when the graph needs pyld's guarded path.

        Every @context (top-level and nested, e.g. the credentials inside a presentation) is
        inlined and pruned to the terms the document can reach (terms not named anywhere in it
        cannot change its expansion), which cuts JSON-LD processing by two thirds.
        """
        names = _names(document, set())
        used = frozenset(names & self._defined(contexts))
        inlined = _replace_contexts(document, lambda urls: self._pruned_context(urls, used))
        data = json.dumps(inlined, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        quads = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.JSON_LD, base_iri=self.base_iri))
        if not _first_degree_unique(quads):
            return None  # identical-looking blank nodes: use the budgeted reference path
        dataset = pyoxigraph.Dataset(quads)
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        nquads = "".join(sorted(str(q) + " .\n" for q in dataset))
        return nquads

    def _pruned_context(self, urls: tuple[str, ...], used: frozenset[str]) -> list[Any]:
        key = (urls, used)
        pruned = self._pruned.get(key)
        if pruned is None:
            pruned = [_prune(self._inline(u), used) for u in urls]
            with self._lock:
                if len(self._pruned) > self._cache_size:
                    self._pruned.clear()
                self._pruned[key] = pruned
        return pruned

    def _defined(self, contexts: list[str]) -> frozenset[str]:
        found = self._defined_names.get(tuple(contexts))
        if found is None:
            found = frozenset(_context_terms([self._inline(u) for u in contexts], set()))
            self._defined_names[tuple(contexts)] = found
        return found


def _replace_contexts(node: Any, inline: Any) -> Any:
    """A copy of the document with each @context (a URL or list of URLs) replaced by inline(urls)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "@context":
                out[k] = inline(tuple(v) if isinstance(v, list) else (v,))
            else:
                out[k] = _replace_contexts(v, inline)
        return out
    if isinstance(node, list):
        return [_replace_contexts(v, inline) for v in node]
    return node


def _names(node: Any, out: set[str]) -> set[str]:
    """Every key and string value in a document, and the prefix of each compact-IRI-like one."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for k, v in item.items():
                if k == "@context":
                    continue
                out.add(k)
                if ":" in k:
                    out.add(k.split(":", 1)[0])
                stack.append(v)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            out.add(item)
            if ":" in item:
                out.add(item.split(":", 1)[0])
    return out


def _context_terms(ctx: Any, out: set[str]) -> set[str]:
    if isinstance(ctx, list):
        for c in ctx:
            _context_terms(c, out)
    elif isinstance(ctx, dict):
        for k, v in ctx.items():
            if not k.startswith("@"):
                out.add(k)
            if isinstance(v, dict) and "@context" in v:
                _context_terms(v["@context"], out)
    return out


def _prune(ctx: Any, used: frozenset[str]) -> Any:
    """A context with only the term definitions reachable from `used` (and every keyword entry)."""
    if isinstance(ctx, list):
        return [_prune(c, used) for c in ctx]
    if not isinstance(ctx, dict):
        return ctx
    keep = {k for k in ctx if k.startswith("@") or k in used}
    todo = list(keep)
    while todo:  # definitions refer to other terms and prefixes (e.g. "@type": "xsd:dateTime")
        value = ctx[todo.pop()]
        refs = [value] if isinstance(value, str) else (
            [value.get(r) for r in ("@id", "@type", "@reverse")] if isinstance(value, dict) else [])
        for ref in refs:
            if isinstance(ref, str):
                term = ref.split(":", 1)[0] if ":" in ref else ref
                if term in ctx and term not in keep:
                    keep.add(term)
                    todo.append(term)
    out = {}
    for k, v in ctx.items():
        if k in keep:
            if isinstance(v, dict) and "@context" in v:
                v = dict(v)
                v["@context"] = _prune(v["@context"], used)
            out[k] = v
    return out


class Plan:
    """One walk over the document: every context URL it uses (None when a context is not a list
    of URLs), a memo key for its shape, and whether it holds values (non-integer numbers,
    control characters) that the fast path leaves to pyld."""

    __slots__ = ("contexts", "skeleton_key", "needs_reference")

    def __init__(self, contexts: list[str] | None, skeleton_key: str | None, needs_reference: bool) -> None:
        self.contexts = contexts
        self.skeleton_key = skeleton_key
        self.needs_reference = needs_reference

    @classmethod
    def of(cls, document: dict[str, Any]) -> "Plan":
        state: dict[str, Any] = {"reference": False, "contexts": [], "inline_ctx": False}
        skeleton = _skeleton(document, state)
        if state["inline_ctx"] or "@context" not in document:
            return cls(None, None, state["reference"])
        contexts = list(dict.fromkeys(state["contexts"]))
        return cls(contexts, json.dumps(skeleton, separators=(",", ":")), state["reference"])


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _malformed_iri(value: str) -> bool:
    """An IRI-looking value (scheme:...) that is not a valid IRI: pyld and pyoxigraph serialise
    malformed IRIs differently, so pyld, the reference, decides (text that merely starts with
    "Word:" goes the same way; that only costs time)."""
    if not _SCHEME.match(value):
        return False
    try:
        pyoxigraph.NamedNode(value)
    except ValueError:
        return True
    return False


def _skeleton(node: Any, state: dict[str, Any]) -> Any:
    """Keys, types, contexts and shape of a document, with every other value blanked."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "@context":
                urls = value if isinstance(value, list) else [value]
                if all(isinstance(u, str) for u in urls):
                    state["contexts"].extend(urls)
                else:
                    state["inline_ctx"] = True
                out[key] = value
            elif key in ("type", "@type"):
                out[key] = value if isinstance(value, (str, list)) else _skeleton(value, state)
            else:
                out[key] = _skeleton(value, state)
        return out
    if isinstance(node, list):
        return [_skeleton(v, state) for v in node]
    if isinstance(node, float):
        state["reference"] = True
        return 0.5
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        if abs(node) >= 2 ** 53:  # beyond exact doubles, the two serialise numbers differently
            state["reference"] = True
        return 0
    if isinstance(node, str) and (_CONTROL.search(node) or (pyoxigraph is not None and _malformed_iri(node))):
        state["reference"] = True  # N-Quads escaping of control characters and bad IRIs differs: use pyld
    return ""


def _inline_contexts(ctx: Any, loader: ContextLoader, depth: int) -> Any:
    if depth > 8:
        raise ProofTransformationError("context nesting too deep")
    if isinstance(ctx, str):
        return _inline_contexts(loader.document(ctx)["@context"], loader, depth + 1)
    if isinstance(ctx, list):
        return [_inline_contexts(c, loader, depth + 1) for c in ctx]
    if isinstance(ctx, dict):
        out = {}
        for key, value in ctx.items():
            if key == "@context" or (isinstance(value, dict) and "@context" in value):
                if key == "@context":
                    out[key] = _inline_contexts(value, loader, depth + 1)
                else:
                    value = dict(value)
                    value["@context"] = _inline_contexts(value["@context"], loader, depth + 1)
                    out[key] = value
            elif key == "@import":
                raise ProofTransformationError("@import is not inlined")
            else:
                out[key] = value
        return out
    return ctx


def _first_degree_unique(quads: list[Any]) -> bool:
    """True when every blank node has a distinct first-degree neighbourhood (RDFC-1.0 §4.6), so
    canonical labels follow without the exponential N-degree step (the poison-graph risk).

    The signature is deliberately coarse (term values without datatypes; graph names left out):
    a false collision only sends the document to the budgeted pyld path, never a wrong answer."""
    blank = pyoxigraph.BlankNode
    signatures: dict[str, list[tuple[str, str, str]]] = {}
    for q in quads:
        subject, obj = q.subject, q.object
        subject_blank, object_blank = type(subject) is blank, type(obj) is blank
        if subject_blank or object_blank:
            predicate = q.predicate.value
            if subject_blank:
                signatures.setdefault(subject.value, []).append(
                    ("s", predicate, "_" if object_blank else obj.value))
            if object_blank:
                signatures.setdefault(obj.value, []).append(
                    ("o", predicate, "_" if subject_blank else subject.value))
    seen: set[tuple[tuple[str, str, str], ...]] = set()
    for sigs in signatures.values():
        sigs.sort()
        key = tuple(sigs)
        if key in seen:
            return False
        seen.add(key)
    return True


