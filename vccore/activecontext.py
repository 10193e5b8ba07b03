"""Active contexts compiled once: pyld processes each context (combination) a document uses, and
the result is kept as a term table, so reading a document needs no JSON-LD context processing.

JSON-LD 1.1 API §4.1 (Context Processing) is pyld's: this module only memoises its results and
turns pyld's term definitions into small frozen records for the walk in vccore.compacted.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Any, Iterable

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from .errors import VCError
from .loader import ContextLoader

__all__ = ["ActiveContext", "ContextCompiler", "Term", "canonical_json", "published_meanings"]

BASE = "https://relative-iri.invalid/"  # the same sentinel base as vccore.canon
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Term:
    """One term definition, as pyld compiled it."""

    name: str
    iri: str | None              # expanded IRI, or a keyword (@id, @type, ...)
    coerce: str | None           # @id, @vocab, @json, a datatype IRI, or None
    containers: frozenset[str]
    local: Any                   # its scoped context (property- or type-scoped), if `scoped`
    scoped: bool
    reverse: bool
    prefix: bool                 # usable as the prefix of a compact IRI
    language: bool               # the term sets @language or @direction (not in our contexts)
    ref: str                     # "<iri>" for N-Quads

    @classmethod
    def of(cls, name: str, definition: dict[str, Any]) -> "Term":
        iri = definition.get("@id")
        return cls(name, iri, definition.get("@type"), frozenset(definition.get("@container") or ()),
                   definition.get("@context"), "@context" in definition, bool(definition.get("reverse")),
                   bool(definition.get("_prefix")), "@language" in definition or "@direction" in definition,
                   f"<{iri}>" if isinstance(iri, str) else "")


class ActiveContext:
    """One active context: its terms, @vocab, the context a type scope reverts to, and the
    contexts derived from it (memoised)."""

    __slots__ = ("raw", "terms", "nulls", "vocab", "previous", "children", "inverse", "members", "classes")

    def __init__(self, raw: dict[str, Any], previous: "ActiveContext | None") -> None:
        self.raw = raw
        self.terms: dict[str, Term] = {}
        self.nulls: set[str] = set()
        for name, definition in raw["mappings"].items():
            if definition:
                self.terms[name] = Term.of(name, definition)
            else:
                self.nulls.add(name)
        self.vocab: str | None = raw.get("@vocab")
        self.previous = previous
        self.children: dict[Any, ActiveContext] = {}
        inverse: dict[str, list[str]] = {}
        for name, term in self.terms.items():
            if term.iri:
                inverse.setdefault(term.iri, []).append(name)
        self.inverse = inverse
        # member names and type terms already found valid here (the walk's checks depend only on
        # the context and the name): name -> (term, IRI)
        self.members: dict[str, tuple[Term | None, str]] = {}
        self.classes: dict[str, str] = {}

    def preferred(self, iri: str, *, as_class: bool) -> tuple[str, ...]:
        """The terms a document may use for `iri`: all of them when there is one; else, where the
        contexts give a class and a property the same IRI (OB 3.0.x: Achievement/achievement,
        Criteria/criteria, GeoCoordinates/geo), the property term (lower-case initial) as a
        member name and the class terms (upper-case initial) as types, so one spelling is read."""
        terms = self.inverse.get(iri, ())
        if len(terms) <= 1:
            return tuple(terms)
        return tuple(t for t in terms if t[:1].isupper() == as_class)


class ContextCompiler:
    """Compiles and memoises active contexts (thread-safe: compiling happens under a lock, reading
    compiled contexts does not need one)."""

    def __init__(self, loader: ContextLoader, *, pinned: Iterable[Any], cache_size: int = 512) -> None:
        self.loader = loader
        self.pinned = {canonical_json(p): p for p in pinned}
        self._lock = threading.Lock()
        self._processor = jsonld.JsonLdProcessor()
        self._options = {"documentLoader": loader, "base": BASE, "processingMode": "json-ld-1.1",
                         "contextResolver": ContextResolver(LRUCache(maxsize=256), loader)}
        self.initial = ActiveContext(dict(self._processor._get_initial_context(self._options)), None)
        self._roots: dict[tuple[Any, ...], ActiveContext] = {}
        self._cache_size = cache_size
        self._wrapped: dict[int, ActiveContext] = {}

    def root(self, key: tuple[Any, ...]) -> ActiveContext | None:
        return self._roots.get(key)

    def remember_root(self, key: tuple[Any, ...], ctx: ActiveContext) -> None:
        with self._lock:
            if len(self._roots) >= self._cache_size:
                self._roots.clear()
            self._roots[key] = ctx

    def derive(self, parent: ActiveContext, key: Any, local: Any, *, override_protected: bool,
               propagate: bool, error: type[VCError], path: str) -> ActiveContext:
        """parent + local, processed by pyld (the caller looked in parent.children first)."""
        with self._lock:
            child = parent.children.get(key)
            if child is None:
                try:
                    raw = self._processor._process_context(
                        parent.raw, local, dict(self._options), override_protected=override_protected,
                        propagate=propagate)
                except jsonld.JsonLdError as exc:
                    raise error(f"the contexts cannot be combined: {_first_line(exc)}", path=path) from exc
                child = self._wrap(raw)
                if len(parent.children) < 256:
                    parent.children[key] = child
        return child

    def expand_iri(self, ctx: ActiveContext, value: str) -> str:
        """pyld's own IRI expansion of an id value (for values whose path could be normalised)."""
        return self._processor._expand_iri(ctx.raw, value, base=BASE)

    def _wrap(self, raw: dict[str, Any]) -> ActiveContext:
        previous_raw = raw.get("previousContext")
        previous = self._wrap(previous_raw) if previous_raw is not None else None
        known = self._wrapped.get(id(raw))
        if known is not None and known.raw is raw:
            return known
        ctx = ActiveContext(raw, previous)
        if len(self._wrapped) > 4096:
            self._wrapped.clear()
        self._wrapped[id(raw)] = ctx
        return ctx


def published_meanings(loader: ContextLoader) -> dict[str, frozenset[str]]:
    """term -> the IRIs the (non-test) contexts of contexts/ define it as, scoped terms included."""
    table: dict[str, set[str]] = {}
    for url, entry in loader.manifest.items():
        if entry.get("test_only"):
            continue
        ctx = loader.document(url).get("@context")
        for item in ctx if isinstance(ctx, list) else [ctx]:
            if isinstance(item, dict):
                _collect_terms(item, {}, table)
    return {term: frozenset(iris) for term, iris in table.items()}


def _target(definition: Any) -> Any:
    return definition if isinstance(definition, str) else (
        definition.get("@id") if isinstance(definition, dict) else None)


def _collect_terms(ctx: dict[str, Any], outer_prefixes: dict[str, str], table: dict[str, set[str]]) -> None:
    prefixes = dict(outer_prefixes)
    for term, definition in ctx.items():
        target = _target(definition)
        if isinstance(target, str) and target.endswith(("#", "/", ":")) and SCHEME.match(target):
            prefixes[term] = target
    for term, definition in ctx.items():
        target = _target(definition)
        if term.startswith("@"):
            continue
        if isinstance(target, str) and not target.startswith("@"):
            head, _, tail = target.partition(":")
            expanded = prefixes[head] + tail if head in prefixes and not tail.startswith("//") else target
            if SCHEME.match(expanded):
                table.setdefault(term, set()).add(expanded)
        if isinstance(definition, dict) and isinstance(definition.get("@context"), dict):
            _collect_terms(definition["@context"], prefixes, table)


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc).splitlines()[0]
