"""Reading equals signing: a document must be in the compacted form of its own known contexts.

A Data Integrity proof signs the RDF graph (eddsa-rdfc-2022) or the JSON bytes (eddsa-jcs-2022),
but every check and every screen reads JSON members such as `validUntil` or
`credentialSubject.achievement.name`. JSON-LD can say the same graph in many JSON shapes: a
member renamed to the absolute IRI it expands to, a keyword alias from an inline context, a
type written as a full IRI so that its scoped terms no longer apply. Each shape verifies, and
each hides from a JSON reader what was signed, or shows what was not.

VC Data Model 2.0 §6.1 serialises credentials as JSON-LD 1.1 in *compacted document form*. This
module refuses every document that is not in the compacted form of its own `@context` list, so
that a JSON member read by its name is exactly the signed property of that node:

1. Every `@context` is a URL in contexts/ (or a pinned inline context that this code knows
   byte for byte): nothing can define a new term, alias a keyword or add a `@vocab`.
2. Every member name is a term of the active context (JSON-LD 1.1 API §4.1 / §5.1.2, with
   property-scoped, type-scoped and non-propagated contexts applied as the expansion algorithm
   does, using pyld's own context processing). No absolute or compact IRIs as names, no
   keywords other than `@context` and the `id`/`type` aliases, no reverse properties, no map
   containers (`@index`, `@language`, `@id`, `@type`), no `@included`, `@nest` or `@graph`
   members, no nulls (JSON-LD drops them).
3. In one node object no two members expand to the same IRI, and the active context has exactly
   one term for that IRI: a reader of member `m` sees every value of m's property.
4. `type` values are terms; `id` values and IRI-typed values are absolute IRIs that equal their
   own expansion (no compact IRIs, no relative or blank node identifiers).
5. A node is described in one JSON object per graph: no other object with the same `id` can carry
   members that a reader of the first would miss.
6. A term means what the published contexts in contexts/ say it means (no `@vocab` tricks).

Together: the JSON members of every object are exactly the properties of its node in the signed
graph, so reading the JSON reads what was signed. tests/vccore/test_compacted.py proves it with
hypothesis against pyld's compaction of the expanded document.

The check is also the JSON-LD budget: it bounds context lists, repeats, scoped-context
applications and document size before pyld or pyoxigraph see the document.
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

from .errors import UndefinedTermError, UnknownContextError, VCError
from .jsondoc import pointer
from .loader import ContextLoader

__all__ = ["Budget", "CompactedFormChecker", "CompactedFormError", "JsonLdBudgetError",
           "check_context_budget", "published_meanings"]

_BASE = "https://relative-iri.invalid/"  # the same sentinel base as vccore.canon
_ALLOWED_CONTAINERS = frozenset(("@set", "@list", "@graph"))
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


class CompactedFormError(VCError):
    code = "COMPACTED_FORM_ERROR"
    title = "The document is not in the compacted form of its contexts"


class JsonLdBudgetError(VCError):
    code = "JSONLD_BUDGET_ERROR"
    title = "The document needs too much JSON-LD processing"


@dataclass(frozen=True)
class Budget:
    """Limits on JSON-LD work per document; over budget is a fast, coded refusal."""

    contexts_per_list: int = 8        # VC 2.0 + OB 3.0 + a few: real credentials use 2-4
    context_lists: int = 64           # a presentation of dozens of credentials
    scoped_applications: int = 20_000  # cached after the first: counts work, not cost
    new_contexts: int = 48            # contexts compiled for this document (cache misses)
    nodes: int = 20_000               # node and value objects
    inline_context_bytes: int = 64 * 1024  # inline contexts (signing only: verifying refuses them)
    scoped_definitions: int = 256     # term definitions with their own @context, inline


def check_context_budget(document: Any, budget: Budget) -> None:
    """The cheap part of the budget, for every document pyld is asked to process (signing too):
    how many @context lists, how long, no repeats, how large and how nested inline contexts are."""
    lists = inline = scoped = 0
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, list):
            stack.extend((v, f"{path}/{i}", depth) for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            where = f"{path}/{_escape(key)}"
            if key != "@context":
                stack.append((value, where, depth))
                continue
            lists += 1
            if lists > budget.context_lists:
                raise JsonLdBudgetError(f"more than {budget.context_lists} @context members", path=where)
            items = value if isinstance(value, list) else [value]
            if len(items) > budget.contexts_per_list:
                raise JsonLdBudgetError(f"@context lists {len(items)} contexts; at most "
                                        f"{budget.contexts_per_list} are accepted", path=where)
            urls = [i for i in items if isinstance(i, str)]
            if len(urls) != len(set(urls)):
                raise JsonLdBudgetError("a context is listed twice", path=where, title="Context listed twice")
            for item in items:
                if isinstance(item, dict):
                    inline += len(_canonical(item))
                    if inline > budget.inline_context_bytes:
                        raise JsonLdBudgetError("inline contexts larger than "
                                                f"{budget.inline_context_bytes // 1024} KB", path=where)
                    if depth > 8:
                        raise JsonLdBudgetError("inline contexts nested too deeply", path=where)
                    for definition in item.values():
                        if isinstance(definition, dict) and "@context" in definition:
                            scoped += 1
                            if scoped > budget.scoped_definitions:
                                raise JsonLdBudgetError("too many scoped contexts", path=where)
                            stack.append(({"@context": definition["@context"]}, where, depth + 1))


def _inline_trust_list_context() -> dict[str, Any]:
    """The trust list's inline context: written by this code, accepted only as written."""
    from .trustlist import TRUST_LIST_CONTEXT
    return TRUST_LIST_CONTEXT


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class _Ctx:
    """One active context (pyld's own structure), with its derived contexts memoised."""

    __slots__ = ("raw", "mappings", "vocab", "previous", "children", "inverse")

    def __init__(self, raw: dict[str, Any], previous: "_Ctx | None") -> None:
        self.raw = raw
        self.mappings: dict[str, Any] = raw["mappings"]
        self.vocab: str | None = raw.get("@vocab")
        self.previous = previous
        self.children: dict[Any, _Ctx] = {}
        inverse: dict[str, list[str]] = {}
        for term, definition in self.mappings.items():
            if definition and definition.get("@id"):
                inverse.setdefault(definition["@id"], []).append(term)
        self.inverse = inverse

    def preferred(self, iri: str, *, as_class: bool) -> tuple[str, ...]:
        """The terms a document may use for `iri`: all of them when there is one; else, where the
        contexts give a class and a property the same IRI (OB 3.0.x: Achievement/achievement,
        Criteria/criteria, GeoCoordinates/geo), the property term (lower-case initial) as a
        member name and the class terms (upper-case initial) as types, so one spelling is read."""
        terms = self.inverse.get(iri, ())
        if len(terms) <= 1:
            return tuple(terms)
        return tuple(t for t in terms if t[:1].isupper() == as_class)


class _Walk:
    """Per-document state: where we are and what has been spent."""

    __slots__ = ("budget", "scoped", "compiled", "nodes", "lists", "observer")

    def __init__(self, budget: Budget, observer: Any = None) -> None:
        self.budget = budget
        self.scoped = self.compiled = self.nodes = self.lists = 0
        self.observer = observer


class CompactedFormChecker:
    """Checks documents against the compacted form of their contexts (thread-safe; caches the
    compiled contexts, which are few: the URLs of contexts/ in the orders documents use)."""

    def __init__(self, loader: ContextLoader, *, budget: Budget | None = None,
                 pinned: Iterable[Any] | None = None, cache_size: int = 512) -> None:
        self.loader = loader
        self.budget = budget or Budget()
        pinned_list = list(pinned) if pinned is not None else [_inline_trust_list_context()]
        self._pinned = {_canonical(p): p for p in pinned_list}
        self._lock = threading.Lock()
        self._processor = jsonld.JsonLdProcessor()
        self._options = {"documentLoader": loader, "base": _BASE, "processingMode": "json-ld-1.1",
                         "contextResolver": ContextResolver(LRUCache(maxsize=256), loader)}
        self._initial = _Ctx(dict(self._processor._get_initial_context(self._options)), None)
        self._roots: dict[tuple[Any, ...], _Ctx] = {}
        self._cache_size = cache_size
        self._meanings: dict[str, frozenset[str]] | None = None
        self._wrapped: dict[int, _Ctx] = {}

    # -- public API ---------------------------------------------------------------------------
    def check(self, document: Any) -> None:
        """Raise a coded VCError (with a JSON pointer) unless `document` is in compacted form."""
        if not isinstance(document, dict):
            raise CompactedFormError("the document is not a JSON object", path="")
        walk = _Walk(self.budget)
        self._node(document, self._initial, None, "", walk, ids={}, top=True)

    def members(self, document: Any) -> list[tuple[str, str, str, dict[str, Any] | None]]:
        """(JSON pointer, member name, IRI, term definition) of every member of an accepted
        document: what each name means, for tests and diagnostics."""
        seen: list[tuple[str, str, str, dict[str, Any] | None]] = []
        walk = _Walk(self.budget, observer=lambda *item: seen.append(item))
        self._node(document, self._initial, None, "", walk, ids={}, top=True)
        return seen

    # -- contexts -----------------------------------------------------------------------------
    def _local_context(self, value: Any, path: str, walk: _Walk) -> tuple[Any, ...]:
        """The cache key of an `@context` value: its URLs (pinned inline contexts by content)."""
        walk.lists += 1
        if walk.lists > walk.budget.context_lists:
            raise JsonLdBudgetError(f"more than {walk.budget.context_lists} @context members", path=path)
        items = value if isinstance(value, list) else [value]
        if not items:
            raise CompactedFormError("@context is empty", path=path)
        if len(items) > walk.budget.contexts_per_list:
            raise JsonLdBudgetError(f"@context lists {len(items)} contexts; at most "
                                    f"{walk.budget.contexts_per_list} are accepted", path=path)
        key: list[Any] = []
        for i, item in enumerate(items):
            where = f"{path}/{i}" if isinstance(value, list) else path
            if isinstance(item, str):
                if not self.loader.knows(item):
                    raise UnknownContextError(f"unknown JSON-LD context {item!r}", path=where)
                entry: Any = item
            elif isinstance(item, dict) and _canonical(item) in self._pinned:
                entry = ("pinned", _canonical(item))
            elif isinstance(item, dict):
                raise UnknownContextError("inline (embedded) contexts are refused: they could define "
                                          "terms that change what the document means", path=where,
                                          title="Inline context refused")
            else:
                raise CompactedFormError("a context must be a URL", path=where)
            if entry in key:
                raise JsonLdBudgetError(f"context {item if isinstance(item, str) else 'object'} is "
                                        "listed twice", path=where, title="Context listed twice")
            key.append(entry)
        return tuple(key)

    def _derive(self, parent: _Ctx, key: Any, local: Any, walk: _Walk, path: str, *,
                override_protected: bool = False, propagate: bool = True) -> _Ctx:
        """parent + local context, compiled by pyld once and memoised on the parent."""
        walk.scoped += 1
        if walk.scoped > walk.budget.scoped_applications:
            raise JsonLdBudgetError("too many scoped context applications", path=path)
        child = parent.children.get(key)
        if child is not None:
            return child
        walk.compiled += 1
        if walk.compiled > walk.budget.new_contexts:
            raise JsonLdBudgetError("too many distinct context combinations in one document", path=path)
        with self._lock:
            child = parent.children.get(key)
            if child is None:
                try:
                    raw = self._processor._process_context(
                        parent.raw, local, dict(self._options), override_protected=override_protected,
                        propagate=propagate)
                except jsonld.JsonLdError as exc:
                    raise CompactedFormError(f"the contexts cannot be combined: {_first_line(exc)}",
                                             path=path) from exc
                child = self._wrap(raw)
                if len(parent.children) < 256:
                    parent.children[key] = child
        return child

    def _wrap(self, raw: dict[str, Any]) -> _Ctx:
        previous_raw = raw.get("previousContext")
        previous = self._wrap(previous_raw) if previous_raw is not None else None
        known = self._wrapped.get(id(raw))
        if known is not None and known.raw is raw:
            return known
        ctx = _Ctx(raw, previous)
        if len(self._wrapped) > 4096:
            self._wrapped.clear()
        self._wrapped[id(raw)] = ctx
        return ctx

    def _with_context(self, ctx: _Ctx, value: Any, path: str, walk: _Walk) -> _Ctx:
        key = self._local_context(value, path, walk)
        local = [e if isinstance(e, str) else self._pinned[e[1]] for e in key]
        if ctx is self._initial:
            root = self._roots.get(key)
            if root is None:
                root = self._derive(ctx, ("ctx", key), local, walk, path)
                with self._lock:
                    if len(self._roots) >= self._cache_size:
                        self._roots.clear()
                    self._roots[key] = root
            return root
        return self._derive(ctx, ("ctx", key), local, walk, path)

    # -- the walk -----------------------------------------------------------------------------
    def _node(self, node: dict[str, Any], ctx: _Ctx, prop: dict[str, Any] | None, path: str,
              walk: _Walk, ids: dict[str, str], top: bool = False) -> None:
        """JSON-LD 1.1 API §5.1.2 steps 7-11 for one node object, then each member."""
        walk.nodes += 1
        if walk.nodes > walk.budget.nodes:
            raise JsonLdBudgetError(f"more than {walk.budget.nodes} objects", path=path)
        if ctx.previous is not None and not _only_id(node, ctx):
            ctx = ctx.previous                                   # step 7: type scope ends here
        if prop is not None and "@context" in prop:              # step 8: property-scoped
            ctx = self._derive(ctx, ("prop", id(prop["@context"])), prop["@context"], walk, path,
                               override_protected=True)
        if "@context" in node:                                   # step 9: embedded context
            ctx = self._with_context(ctx, node["@context"], path + "/@context", walk)
            ids = {}  # an embedded credential is read, and verified, as its own document
        elif top:
            raise CompactedFormError("@context is missing", path="/@context")
        type_key = self._type_key(node, ctx, path)
        type_scoped = ctx
        if type_key is not None:                                 # steps 10-11: type-scoped
            for term in sorted(self._type_terms(node[type_key], type_scoped, f"{path}/{type_key}")):
                definition = type_scoped.mappings.get(term)
                if definition and "@context" in definition:
                    ctx = self._derive(ctx, ("type", term, id(definition["@context"])),
                                       definition["@context"], walk, path, propagate=False)
        seen: dict[str, str] = {}
        for key, value in node.items():
            if key == "@context" or key == type_key:
                continue
            where = f"{path}/{_escape(key)}"
            definition, iri = self._member(key, ctx, where)
            other = seen.get(iri)
            if other is not None:
                raise CompactedFormError(f"{other!r} and {key!r} both state {iri}", path=where,
                                         title="One property under two names")
            seen[iri] = key
            if walk.observer is not None:
                walk.observer(where, key, iri, definition)
            if iri == "@id":
                self._node_id(node, key, value, ctx, where, ids)
            else:
                self._value(value, definition, ctx, where, walk, ids)

    def _type_key(self, node: dict[str, Any], ctx: _Ctx, path: str) -> str | None:
        found = [k for k in node if k != "@context" and _keyword(k, ctx) == "@type"]
        if len(found) > 1:
            raise CompactedFormError(f"types are given under {found}", path=path,
                                     title="One property under two names")
        return found[0] if found else None

    def _type_terms(self, value: Any, ctx: _Ctx, path: str) -> list[str]:
        items = value if isinstance(value, list) else [value]
        for i, t in enumerate(items):
            where = f"{path}/{i}" if isinstance(value, list) else path
            if not isinstance(t, str):
                raise CompactedFormError("a type must be a string", path=where)
            definition = ctx.mappings.get(t)
            if definition is not None:
                iri = definition.get("@id")
                if not iri or iri.startswith("@"):
                    raise UndefinedTermError(f"type {t!r} is not a class", path=where)
                allowed = ctx.preferred(iri, as_class=True)
                if t not in allowed:
                    raise CompactedFormError(f"type {t!r} is a property term; the class is written "
                                             f"{' or '.join(map(repr, allowed)) or 'otherwise'}", path=where,
                                             title="Type is not a term")
                self._fixed_meaning(t, iri, where)
            elif ctx.vocab and ":" not in t:
                self._fixed_meaning(t, ctx.vocab + t, where)
            else:
                raise UndefinedTermError(f"type {t!r} is not a term of the document's contexts; write "
                                         "types as the context's terms, not as IRIs", path=where,
                                         title="Type is not a term")
        return list(items)

    def _member(self, key: str, ctx: _Ctx, where: str) -> tuple[dict[str, Any] | None, str]:
        """The term definition and IRI of a member name; refuses anything but a term."""
        if key.startswith("@"):
            raise CompactedFormError(f"the JSON-LD keyword {key} is not used in compacted credentials",
                                     path=where, title="Keyword member refused")
        definition = ctx.mappings.get(key)
        if definition is None:
            if key in ctx.mappings:  # a term defined as null: JSON-LD drops it
                raise UndefinedTermError(f"{key!r} is defined as null, so it would not be signed", path=where)
            if ctx.vocab and ":" not in key:
                iri = ctx.vocab + key
                if ctx.inverse.get(iri):
                    raise CompactedFormError(f"{key!r} states {iri}, which has a term of its own",
                                             path=where, title="One property under two names")
                self._fixed_meaning(key, iri, where)
                return None, iri
            if ":" in key:
                raise UndefinedTermError(f"{key!r} is an IRI, not a term of the document's contexts; "
                                         "compacted form uses the context's term", path=where,
                                         title="IRI used as member name")
            raise UndefinedTermError(f"the contexts do not define {key!r}", path=where)
        iri = definition.get("@id")
        if not iri:
            raise UndefinedTermError(f"{key!r} is not mapped to an IRI", path=where)
        if definition.get("reverse"):
            raise CompactedFormError(f"{key!r} is a reverse property", path=where,
                                     title="Reverse property refused")
        if iri.startswith("@") and iri != "@id":
            raise CompactedFormError(f"{key!r} aliases the keyword {iri}", path=where,
                                     title="Keyword member refused")
        if iri != "@id":
            allowed = ctx.preferred(iri, as_class=False)
            if allowed != (key,):
                raise CompactedFormError(
                    f"{key!r} states {iri}, which documents write as "
                    f"{' or '.join(map(repr, allowed)) if allowed else 'no single term'}", path=where,
                    title="One property under two names")
            self._fixed_meaning(key, iri, where)
            containers = set(definition.get("@container") or ())
            if containers - _ALLOWED_CONTAINERS or ("@graph" in containers and len(containers) > 1
                                                    and containers != {"@graph", "@set"}):
                raise CompactedFormError(f"{key!r} is a map container ({sorted(containers)})", path=where,
                                         title="Map container refused")
        return definition, iri

    def _node_id(self, node: dict[str, Any], key: str, value: Any, ctx: _Ctx, where: str,
                 ids: dict[str, str]) -> None:
        if not isinstance(value, str):
            raise CompactedFormError("an id must be a string", path=where)
        self._iri(value, ctx, where)
        if len(node) > 1 + ("@context" in node):  # more than a reference: the node is described here
            first = ids.get(value)
            if first is not None:
                raise CompactedFormError(f"{value} is described at {first or '/'} and again here",
                                         path=where, title="One node described twice")
            ids[value] = where.rsplit("/", 1)[0]

    def _iri(self, value: str, ctx: _Ctx, where: str) -> None:
        """An IRI value must be absolute and equal to its own expansion."""
        if value.startswith("_:"):
            raise CompactedFormError("blank node identifiers are not used in credentials", path=where)
        if not _SCHEME.match(value):
            raise UndefinedTermError(f"relative IRI reference {value!r} (an id or type that is not a "
                                     "full IRI)", path=where, title="Relative IRI")
        prefix = value.split(":", 1)[0]
        definition = ctx.mappings.get(prefix)
        if definition and definition.get("_prefix") and not value.split(":", 1)[1].startswith("//"):
            raise CompactedFormError(f"{value!r} would expand through the term {prefix!r}", path=where,
                                     title="Compact IRI refused")

    def _value(self, value: Any, definition: dict[str, Any] | None, ctx: _Ctx, where: str,
               walk: _Walk, ids: dict[str, str]) -> None:
        coerce = definition.get("@type") if definition else None
        containers = set(definition.get("@container") or ()) if definition else set()
        if coerce == "@json":
            return  # a JSON literal: signed as its canonical JSON, read as it is
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            here = f"{where}/{i}" if isinstance(value, list) else where
            if item is None:
                raise CompactedFormError("null values are dropped by JSON-LD, so they are not signed",
                                         path=here, title="Null value")
            if isinstance(item, list):
                raise CompactedFormError("nested arrays are not used in compacted credentials", path=here)
            if isinstance(item, dict):
                if "@value" in item:
                    self._value_object(item, coerce, here)
                    continue
                self._node(item, ctx, definition, here, walk, {} if "@graph" in containers else ids)
            elif isinstance(item, str):
                if "@graph" in containers:
                    raise CompactedFormError("the value must be an object", path=here)
                if coerce in ("@id", "@vocab"):
                    scalar_ctx = ctx  # §5.1.2 step 4: a scalar is expanded in the property-scoped context
                    if "@context" in definition:
                        scalar_ctx = self._derive(ctx, ("prop", id(definition["@context"])),
                                                  definition["@context"], walk, here, override_protected=True)
                    if coerce == "@id":
                        self._iri(item, scalar_ctx, here)
                    else:
                        self._vocab_value(item, scalar_ctx, here)

    def _value_object(self, item: dict[str, Any], coerce: Any, where: str) -> None:
        """Only language-tagged strings (VC DM 2.0 §11.1): {"@value", "@language", "@direction"}."""
        extra = set(item) - {"@value", "@language", "@direction"}
        if extra or "@value" not in item or not isinstance(item["@value"], str) or coerce is not None:
            raise CompactedFormError("only language-tagged strings ({@value, @language, @direction}) "
                                     "are accepted as value objects", path=where,
                                     title="Value object refused")
        if not isinstance(item.get("@language", ""), str) or item.get("@direction", "ltr") not in ("ltr", "rtl"):
            raise CompactedFormError("malformed @language or @direction", path=where)

    def _vocab_value(self, value: str, ctx: _Ctx, where: str) -> None:
        definition = ctx.mappings.get(value)
        if definition is not None:
            iri = definition.get("@id")
            if not iri or iri.startswith("@"):
                raise CompactedFormError(f"{value!r} is not a vocabulary term", path=where)
            return
        if ctx.vocab and ":" not in value:
            return
        self._iri(value, ctx, where)

    # -- fixed meanings -----------------------------------------------------------------------
    def _fixed_meaning(self, term: str, iri: str, where: str) -> None:
        meanings = self._meanings_table().get(term)
        if meanings is not None and iri not in meanings:
            raise CompactedFormError(f"{term!r} means {iri} here, which is not what the published "
                                     "contexts define it as", path=where, title="Term with another meaning")

    def _meanings_table(self) -> dict[str, frozenset[str]]:
        if self._meanings is None:
            self._meanings = published_meanings(self.loader)
        return self._meanings


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


def _collect_terms(ctx: dict[str, Any], outer_prefixes: dict[str, str], table: dict[str, set[str]]) -> None:
    prefixes = dict(outer_prefixes)
    for term, definition in ctx.items():
        target = definition if isinstance(definition, str) else (
            definition.get("@id") if isinstance(definition, dict) else None)
        if isinstance(target, str) and target.endswith(("#", "/", ":")) and _SCHEME.match(target):
            prefixes[term] = target
    for term, definition in ctx.items():
        if term.startswith("@"):
            continue
        target = definition if isinstance(definition, str) else (
            definition.get("@id") if isinstance(definition, dict) else None)
        if isinstance(target, str) and not target.startswith("@"):
            head, _, tail = target.partition(":")
            expanded = prefixes[head] + tail if head in prefixes and not tail.startswith("//") else target
            if _SCHEME.match(expanded):
                table.setdefault(term, set()).add(expanded)
        if isinstance(definition, dict) and isinstance(definition.get("@context"), dict):
            _collect_terms(definition["@context"], prefixes, table)


def _keyword(key: str, ctx: _Ctx) -> str | None:
    definition = ctx.mappings.get(key)
    iri = definition.get("@id") if definition else None
    return iri if isinstance(iri, str) and iri.startswith("@") else None


def _only_id(node: dict[str, Any], ctx: _Ctx) -> bool:
    """JSON-LD 1.1 API §5.1.2 step 7: a lone id (a reference) keeps the type-scoped context."""
    return len(node) == 1 and _keyword(next(iter(node)), ctx) == "@id"


def _escape(key: str) -> str:
    return pointer(key)[1:]


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc).splitlines()[0]
