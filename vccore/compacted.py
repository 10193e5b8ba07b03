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
applications and document size before pyld sees the document.

The same walk knows, for every member, its IRI and how its value is coerced, so it also writes the
document's RDF (JSON-LD 1.1 API §8.2 Deserialize JSON-LD to RDF, for this compacted subset, with
pyld's literal forms): `quads` gives the N-Quads that RDFC-1.0 then canonicalizes, with no
JSON-LD processing per document. pyld stays the reference: tests compare the two byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

import rfc8785

from .activecontext import (BASE, SCHEME, ActiveContext, ContextCompiler, Term, canonical_json,
                            published_meanings)
from .errors import UndefinedTermError, UnknownContextError, VCError
from .jsondoc import pointer
from .loader import ContextLoader

__all__ = ["Budget", "CompactedFormChecker", "CompactedFormError", "JsonLdBudgetError",
           "check_context_budget", "published_meanings"]

_ALLOWED_CONTAINERS = frozenset(("@set", "@list", "@graph"))
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
# Characters an N-Quads IRIREF cannot hold: such an IRI goes to pyld (and is never written raw).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # escaped differently by pyld: reference
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_RDF_FIRST = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>"
_RDF_REST = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>"
_RDF_NIL = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>"
_RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING, _XSD_DOUBLE = _XSD + "string", _XSD + "double"
_XSD_INTEGER, _XSD_BOOLEAN = _XSD + "integer", _XSD + "boolean"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_SEC_PROOF = "https://w3id.org/security#proof"


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
                    inline += len(canonical_json(item))
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


Path = tuple  # JSON pointer segments; made into text only when reported


def _ptr(path: Path) -> str:
    return pointer(*path)


class _Walk:
    """Per-document state: what has been spent, the RDF written so far, and whether some value is
    one whose N-Quads form pyld writes differently (then pyld, the reference, answers)."""

    __slots__ = ("budget", "scoped", "compiled", "nodes", "lists", "observer", "out", "blank",
                 "reference", "skip_proof")

    def __init__(self, budget: Budget, observer: Any = None, emit: bool = False) -> None:
        self.budget = budget
        self.scoped = self.compiled = self.nodes = self.lists = self.blank = 0
        self.observer = observer
        self.out: list[tuple[str, str, str, str]] | None = [] if emit else None
        self.reference = False
        self.skip_proof = False

    def bnode(self) -> str:
        self.blank += 1
        return f"_:b{self.blank}"

    def quad(self, s: str, p: str, o: str, graph: str) -> None:
        if self.out is not None:
            self.out.append((s, p, o, graph))


class CompactedFormChecker:
    """Checks documents against the compacted form of their contexts, and writes their RDF
    (thread-safe; the compiled contexts, which are few, are shared)."""

    def __init__(self, loader: ContextLoader, *, budget: Budget | None = None,
                 pinned: Iterable[Any] | None = None, cache_size: int = 512) -> None:
        self.loader = loader
        self.budget = budget or Budget()
        self._compiler = ContextCompiler(
            loader, pinned=list(pinned) if pinned is not None else [_inline_trust_list_context()],
            cache_size=cache_size)
        self._meanings: dict[str, frozenset[str]] | None = None

    # -- public API ---------------------------------------------------------------------------
    def check(self, document: Any) -> None:
        """Raise a coded VCError (with a JSON pointer) unless `document` is in compacted form."""
        self._run(_Walk(self.budget), document)

    def quads(self, document: Any, *, without_proof: bool = False) -> list[tuple[str, str, str, str]] | None:
        """The document's RDF as quads of N-Quads terms (blank nodes as the walk met them), after
        the check; None when a value is one pyld writes differently, so the reference must answer.
        `without_proof`: the whole document is checked, but its top-level `proof` is left out of
        the RDF (what Data Integrity hashes, VC DI 1.0 §4.4: the unsecured document)."""
        walk = _Walk(self.budget, emit=True)
        walk.skip_proof = without_proof
        self._run(walk, document)
        return None if walk.reference else walk.out

    def members(self, document: Any) -> list[tuple[str, str, str, Term | None]]:
        """(JSON pointer, member name, IRI, term) of every member of an accepted document: what
        each name means, for tests and diagnostics."""
        seen: list[tuple[str, str, str, Term | None]] = []
        self._run(_Walk(self.budget, observer=lambda p, k, i, t: seen.append((_ptr(p), k, i, t))), document)
        return seen

    def _run(self, walk: _Walk, document: Any) -> None:
        if not isinstance(document, dict):
            raise CompactedFormError("the document is not a JSON object", path="")
        self._node(document, self._compiler.initial, None, (), walk, {}, "", top=True)

    # -- contexts -----------------------------------------------------------------------------
    def _local_context(self, value: Any, path: Path, walk: _Walk) -> tuple[Any, ...]:
        """The cache key of an `@context` value: its URLs (pinned inline contexts by content)."""
        walk.lists += 1
        if walk.lists > walk.budget.context_lists:
            raise JsonLdBudgetError(f"more than {walk.budget.context_lists} @context members", path=_ptr(path))
        items = value if isinstance(value, list) else [value]
        if not items:
            raise CompactedFormError("@context is empty", path=_ptr(path))
        if len(items) > walk.budget.contexts_per_list:
            raise JsonLdBudgetError(f"@context lists {len(items)} contexts; at most "
                                    f"{walk.budget.contexts_per_list} are accepted", path=_ptr(path))
        key: list[Any] = []
        for i, item in enumerate(items):
            where = _ptr(path + (i,) if isinstance(value, list) else path)
            if isinstance(item, str):
                if not self.loader.knows(item):
                    raise UnknownContextError(f"unknown JSON-LD context {item!r}", path=where)
                entry: Any = item
            elif isinstance(item, dict) and canonical_json(item) in self._compiler.pinned:
                entry = ("pinned", canonical_json(item))
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

    def _derive(self, parent: ActiveContext, key: Any, local: Any, walk: _Walk, path: Path, *,
                override_protected: bool = False, propagate: bool = True) -> ActiveContext:
        walk.scoped += 1
        if walk.scoped > walk.budget.scoped_applications:
            raise JsonLdBudgetError("too many scoped context applications", path=_ptr(path))
        child = parent.children.get(key)
        if child is not None:
            return child
        walk.compiled += 1
        if walk.compiled > walk.budget.new_contexts:
            raise JsonLdBudgetError("too many distinct context combinations in one document", path=_ptr(path))
        return self._compiler.derive(parent, key, local, override_protected=override_protected,
                                     propagate=propagate, error=CompactedFormError, path=_ptr(path))

    def _with_context(self, ctx: ActiveContext, value: Any, path: Path, walk: _Walk) -> ActiveContext:
        key = self._local_context(value, path, walk)
        if ctx is self._compiler.initial:
            root = self._compiler.root(key)
            if root is not None:
                return root
        local = [e if isinstance(e, str) else self._compiler.pinned[e[1]] for e in key]
        derived = self._derive(ctx, ("ctx", key), local, walk, path)
        if ctx is self._compiler.initial:
            self._compiler.remember_root(key, derived)
        return derived

    def _scoped(self, ctx: ActiveContext, term: Term, walk: _Walk, path: Path) -> ActiveContext:
        """ctx + a property-scoped context (JSON-LD 1.1 API §5.1.2 steps 4 and 8)."""
        return self._derive(ctx, ("prop", id(term.local)), term.local, walk, path, override_protected=True)

    # -- the walk -----------------------------------------------------------------------------
    def _node(self, node: dict[str, Any], ctx: ActiveContext, prop: Term | None, path: Path,
              walk: _Walk, ids: dict[str, str], graph: str, top: bool = False) -> str:
        """JSON-LD 1.1 API §5.1.2 steps 7-11 for one node object, then each member; returns the
        node's RDF subject."""
        walk.nodes += 1
        if walk.nodes > walk.budget.nodes:
            raise JsonLdBudgetError(f"more than {walk.budget.nodes} objects", path=_ptr(path))
        if ctx.previous is not None and not _only_id(node, ctx):
            ctx = ctx.previous                                   # step 7: type scope ends here
        if prop is not None and prop.scoped:                     # step 8: property-scoped
            ctx = self._scoped(ctx, prop, walk, path)
        if "@context" in node:                                   # step 9: embedded context
            ctx = self._with_context(ctx, node["@context"], path + ("@context",), walk)
            ids = {}  # an embedded credential is read, and verified, as its own document
        elif top:
            raise CompactedFormError("@context is missing", path="/@context")
        id_key, type_key = self._keyword_keys(node, ctx, path)
        if id_key is not None:
            subject = self._node_id(node, id_key, ctx, path + (id_key,), ids)
            self._check_iri_text(node[id_key], walk)
            if walk.observer is not None:
                walk.observer(path + (id_key,), id_key, "@id", ctx.terms[id_key])
        else:
            subject = walk.bnode()
        type_scoped = ctx
        if type_key is not None:                                 # steps 10-11: type-scoped
            terms = self._type_terms(node[type_key], type_scoped, path + (type_key,), walk)
            for name, iri in sorted(terms):
                walk.quad(subject, _RDF_TYPE, f"<{iri}>", graph)
                term = type_scoped.terms.get(name)
                if term is not None and term.scoped:
                    ctx = self._derive(ctx, ("type", name, id(term.local)), term.local, walk, path,
                                       propagate=False)
        seen: dict[str, str] = {}
        for key, value in node.items():
            if key == "@context" or key == type_key or key == id_key:
                continue
            where = path + (key,)
            term, iri = self._member(key, ctx, where)
            other = seen.get(iri)
            if other is not None:
                raise CompactedFormError(f"{other!r} and {key!r} both state {iri}", path=_ptr(where),
                                         title="One property under two names")
            seen[iri] = key
            if walk.observer is not None:
                walk.observer(where, key, iri, term)
            out = walk.out
            if top and walk.skip_proof and iri == _SEC_PROOF:
                walk.out = None  # checked, not written
            self._values(value, term, f"<{iri}>" if term is None else term.ref, ctx, where, walk, ids,
                         graph, subject)
            walk.out = out
        return subject

    def _keyword_keys(self, node: dict[str, Any], ctx: ActiveContext, path: Path) -> tuple[str | None, str | None]:
        id_key = type_key = None
        for key in node:
            term = ctx.terms.get(key)
            if term is None or term.iri not in ("@id", "@type"):
                continue
            if term.iri == "@id":
                if id_key is not None:
                    raise CompactedFormError(f"ids are given under {id_key!r} and {key!r}", path=_ptr(path),
                                             title="One property under two names")
                id_key = key
            else:
                if type_key is not None:
                    raise CompactedFormError(f"types are given under {type_key!r} and {key!r}",
                                             path=_ptr(path), title="One property under two names")
                type_key = key
        return id_key, type_key

    def _type_terms(self, value: Any, ctx: ActiveContext, path: Path, walk: _Walk) -> list[tuple[str, str]]:
        items = value if isinstance(value, list) else [value]
        out = []
        for i, t in enumerate(items):
            where = path + (i,) if isinstance(value, list) else path
            if not isinstance(t, str):
                raise CompactedFormError("a type must be a string", path=_ptr(where))
            known = ctx.classes.get(t)
            if known is not None:
                out.append((t, known))
                continue
            term = ctx.terms.get(t)
            if term is not None:
                if not term.iri or term.iri.startswith("@"):
                    raise UndefinedTermError(f"type {t!r} is not a class", path=_ptr(where))
                allowed = ctx.preferred(term.iri, as_class=True)
                if t not in allowed:
                    raise CompactedFormError(f"type {t!r} is a property term; the class is written "
                                             f"{' or '.join(map(repr, allowed)) or 'otherwise'}",
                                             path=_ptr(where), title="Type is not a term")
                iri = term.iri
            elif ctx.vocab and ":" not in t:
                iri = ctx.vocab + t
            else:
                raise UndefinedTermError(f"type {t!r} is not a term of the document's contexts; write "
                                         "types as the context's terms, not as IRIs", path=_ptr(where),
                                         title="Type is not a term")
            self._fixed_meaning(t, iri, where)
            if _NOT_IN_IRI.search(iri):
                raise CompactedFormError(f"type {t!r} is not a valid IRI", path=_ptr(where))
            ctx.classes[t] = iri
            out.append((t, iri))
        return out

    def _member(self, key: str, ctx: ActiveContext, where: Path) -> tuple[Term | None, str]:
        """The term and IRI of a member name; refuses anything but a term."""
        known = ctx.members.get(key)
        if known is None:
            known = ctx.members[key] = self._new_member(key, ctx, where)
        return known

    def _new_member(self, key: str, ctx: ActiveContext, where: Path) -> tuple[Term | None, str]:
        if key.startswith("@"):
            raise CompactedFormError(f"the JSON-LD keyword {key} is not used in compacted credentials",
                                     path=_ptr(where), title="Keyword member refused")
        term = ctx.terms.get(key)
        if term is None:
            if key in ctx.nulls:  # a term defined as null: JSON-LD drops it
                raise UndefinedTermError(f"{key!r} is defined as null, so it would not be signed",
                                         path=_ptr(where))
            if ctx.vocab and ":" not in key:
                iri = ctx.vocab + key
                if ctx.inverse.get(iri):
                    raise CompactedFormError(f"{key!r} states {iri}, which has a term of its own",
                                             path=_ptr(where), title="One property under two names")
                self._fixed_meaning(key, iri, where)
                return None, iri
            if ":" in key:
                raise UndefinedTermError(f"{key!r} is an IRI, not a term of the document's contexts; "
                                         "compacted form uses the context's term", path=_ptr(where),
                                         title="IRI used as member name")
            raise UndefinedTermError(f"the contexts do not define {key!r}", path=_ptr(where))
        iri = term.iri
        if not iri:
            raise UndefinedTermError(f"{key!r} is not mapped to an IRI", path=_ptr(where))
        if term.reverse:
            raise CompactedFormError(f"{key!r} is a reverse property", path=_ptr(where),
                                     title="Reverse property refused")
        if iri.startswith("@"):
            raise CompactedFormError(f"{key!r} aliases the keyword {iri}", path=_ptr(where),
                                     title="Keyword member refused")
        allowed = ctx.preferred(iri, as_class=False)
        if allowed != (key,):
            raise CompactedFormError(
                f"{key!r} states {iri}, which documents write as "
                f"{' or '.join(map(repr, allowed)) if allowed else 'no single term'}", path=_ptr(where),
                title="One property under two names")
        self._fixed_meaning(key, iri, where)
        containers = term.containers
        if containers - _ALLOWED_CONTAINERS or ("@graph" in containers and containers - {"@graph", "@set"}):
            raise CompactedFormError(f"{key!r} is a map container ({sorted(containers)})", path=_ptr(where),
                                     title="Map container refused")
        if term.language:
            raise CompactedFormError(f"{key!r} sets a default language", path=_ptr(where))
        return term, iri

    def _node_id(self, node: dict[str, Any], key: str, ctx: ActiveContext, where: Path,
                 ids: dict[str, str]) -> str:
        value = node[key]
        if not isinstance(value, str):
            raise CompactedFormError("an id must be a string", path=_ptr(where))
        self._iri(value, ctx, where)
        if len(node) > 1 + ("@context" in node):  # more than a reference: the node is described here
            first = ids.get(value)
            if first is not None:
                raise CompactedFormError(f"{value} is described at {first or '/'} and again here",
                                         path=_ptr(where), title="One node described twice")
            ids[value] = _ptr(where[:-1])
        return f"<{value}>"

    def _iri(self, value: str, ctx: ActiveContext, where: Path) -> None:
        """An IRI value must be absolute and equal to its own expansion."""
        if value.startswith("_:"):
            raise CompactedFormError("blank node identifiers are not used in credentials", path=_ptr(where))
        if not SCHEME.match(value):
            raise UndefinedTermError(f"relative IRI reference {value!r} (an id or type that is not a "
                                     "full IRI)", path=_ptr(where), title="Relative IRI")
        prefix, _, rest = value.partition(":")
        term = ctx.terms.get(prefix)
        if term is not None and term.prefix and not rest.startswith("//"):
            raise CompactedFormError(f"{value!r} would expand through the term {prefix!r}", path=_ptr(where),
                                     title="Compact IRI refused")
        if "/." in value and self._compiler.expand_iri(ctx, value) != value:
            raise CompactedFormError(f"{value!r} is not in normal form (dot segments)", path=_ptr(where),
                                     title="IRI not in normal form")

    def _values(self, value: Any, term: Term | None, predicate: str, ctx: ActiveContext, where: Path,
                walk: _Walk, ids: dict[str, str], graph: str, subject: str) -> None:
        coerce = term.coerce if term is not None else None
        if coerce == "@json":
            walk.quad(subject, predicate, self._json_literal(value, walk), graph)
            return  # a JSON literal: signed as its canonical JSON, read as it is
        containers = term.containers if term is not None else frozenset()
        items = value if isinstance(value, list) else [value]
        in_list = "@list" in containers
        objects = []
        for i, item in enumerate(items):
            here = where + (i,) if isinstance(value, list) else where
            if "@graph" in containers:
                if not isinstance(item, dict) or "@value" in item:
                    raise CompactedFormError("the value must be an object", path=_ptr(here))
                name = walk.bnode()
                self._node(item, ctx, term, here, walk, {}, name)
                walk.quad(subject, predicate, name, graph)
                continue
            obj = self._object(item, term, coerce, ctx, here, walk, ids, graph)
            if in_list:
                objects.append(obj)
            else:
                walk.quad(subject, predicate, obj, graph)
        if in_list:
            walk.quad(subject, predicate, self._rdf_list(objects, walk, graph), graph)

    def _object(self, item: Any, term: Term | None, coerce: Any, ctx: ActiveContext, here: Path,
                walk: _Walk, ids: dict[str, str], graph: str) -> str:
        if item is None:
            raise CompactedFormError("null values are dropped by JSON-LD, so they are not signed",
                                     path=_ptr(here), title="Null value")
        if isinstance(item, list):
            raise CompactedFormError("nested arrays are not used in compacted credentials", path=_ptr(here))
        if isinstance(item, dict):
            if "@value" in item:
                return self._value_object(item, coerce, here, walk)
            return self._node(item, ctx, term, here, walk, ids, graph)
        if isinstance(item, str):
            if coerce in ("@id", "@vocab"):
                scalar_ctx = self._scoped(ctx, term, walk, here) if term is not None and term.scoped else ctx
                iri = item if coerce == "@id" else self._vocab_value(item, scalar_ctx, here)
                if coerce == "@id":
                    self._iri(item, scalar_ctx, here)
                self._check_iri_text(iri, walk)
                return f"<{iri}>"
            if coerce == _XSD_DOUBLE:
                try:  # pyld (as jsonld.js) writes a string typed xsd:double in the canonical form
                    return _literal(_double(float(item)), _XSD_DOUBLE, walk)
                except (ValueError, OverflowError):
                    return _literal(item, _XSD_DOUBLE, walk)
            return _literal(item, coerce or _XSD_STRING, walk)
        datatype = coerce if coerce not in ("@id", "@vocab") else None
        return _literal(*_native(item, datatype), walk)

    def _value_object(self, item: dict[str, Any], coerce: Any, where: Path, walk: _Walk) -> str:
        """Only language-tagged strings (VC DM 2.0 §11.1): {"@value", "@language", "@direction"}."""
        extra = set(item) - {"@value", "@language", "@direction"}
        if extra or not isinstance(item["@value"], str) or coerce is not None:
            raise CompactedFormError("only language-tagged strings ({@value, @language, @direction}) "
                                     "are accepted as value objects", path=_ptr(where),
                                     title="Value object refused")
        language = item.get("@language")
        if (language is not None and not (isinstance(language, str) and _LANGUAGE.match(language))) \
                or item.get("@direction", "ltr") not in ("ltr", "rtl"):
            raise CompactedFormError("malformed @language or @direction", path=_ptr(where))
        if language is None:
            return _literal(item["@value"], _XSD_STRING, walk)
        walk.reference = walk.reference or language != language.lower()  # pyld keeps its case
        return _literal(item["@value"], _RDF_LANGSTRING, walk, language=language)

    def _vocab_value(self, value: str, ctx: ActiveContext, where: Path) -> str:
        term = ctx.terms.get(value)
        if term is not None:
            if not term.iri or term.iri.startswith("@"):
                raise CompactedFormError(f"{value!r} is not a vocabulary term", path=_ptr(where))
            return term.iri
        if ctx.vocab and ":" not in value:
            return ctx.vocab + value
        self._iri(value, ctx, where)
        return value

    def _json_literal(self, value: Any, walk: _Walk) -> str:
        try:
            text = rfc8785.dumps(value).decode("utf-8")
        except (rfc8785.CanonicalizationError, ValueError, TypeError) as exc:
            raise CompactedFormError(f"a JSON literal cannot be canonicalized: {exc}") from exc
        walk.reference = walk.reference or _has_float(value)
        return _literal(text, _RDF_JSON, walk)

    @staticmethod
    def _rdf_list(objects: list[str], walk: _Walk, graph: str) -> str:
        if not objects:
            return _RDF_NIL
        head = node = walk.bnode()
        for i, obj in enumerate(objects):
            walk.quad(node, _RDF_FIRST, obj, graph)
            rest = walk.bnode() if i + 1 < len(objects) else _RDF_NIL
            walk.quad(node, _RDF_REST, rest, graph)
            node = rest
        return head

    @staticmethod
    def _check_iri_text(iri: str, walk: _Walk) -> None:
        if _NOT_IN_IRI.search(iri):
            walk.reference = True  # never written raw into N-Quads

    # -- fixed meanings -----------------------------------------------------------------------
    def _fixed_meaning(self, term: str, iri: str, where: Path) -> None:
        if self._meanings is None:
            self._meanings = published_meanings(self.loader)
        meanings = self._meanings.get(term)
        if meanings is not None and iri not in meanings:
            raise CompactedFormError(f"{term!r} means {iri} here, which is not what the published "
                                     "contexts define it as", path=_ptr(where),
                                     title="Term with another meaning")


# -- RDF literals as pyld writes them (JSON-LD 1.1 API §8.6 Object to RDF) --------------------------

def _double(value: float) -> str:
    """Canonical xsd:double as pyld and jsonld.js write it (toExponential(15), trimmed)."""
    return re.sub(r"(\d)0*E\+?(-)?0*(\d)", r"\1E\2\3", f"{value:1.15E}")


def _native(value: Any, datatype: str | None) -> tuple[str, str]:
    """A JSON number or boolean as a literal's lexical form and datatype."""
    if isinstance(value, bool):
        return ("true" if value else "false"), datatype or _XSD_BOOLEAN
    if isinstance(value, float) and not value.is_integer():
        return _double(value), datatype or _XSD_DOUBLE
    if datatype == _XSD_DOUBLE:
        return _double(float(value)), _XSD_DOUBLE
    if abs(value) >= 1e21:
        return _double(float(value)), datatype or _XSD_DOUBLE
    return str(int(value)), datatype or _XSD_INTEGER


def _literal(text: str, datatype: str, walk: _Walk, *, language: str | None = None) -> str:
    if _CONTROL.search(text):
        walk.reference = True  # pyld and RDFC-1.0 escape these differently: the reference decides
    escaped = (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
               .replace('"', '\\"'))  # pyld's N-Quads escapes, in its order
    if language is not None:
        return f'"{escaped}"@{language}'
    if datatype == _XSD_STRING:
        return f'"{escaped}"'
    return f'"{escaped}"^^<{datatype}>'


def _has_float(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _only_id(node: dict[str, Any], ctx: ActiveContext) -> bool:
    """JSON-LD 1.1 API §5.1.2 step 7: a lone id (a reference) keeps the type-scoped context."""
    if len(node) != 1:
        return False
    term = ctx.terms.get(next(iter(node)))
    return term is not None and term.iri == "@id"


def _escape(key: str) -> str:
    return pointer(key)[1:]
