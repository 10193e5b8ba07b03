"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, in safe mode.

Safe mode: a property the contexts do not define (JSON-LD would silently drop it), or a
relative IRI (JSON-LD to RDF would silently drop the statement), is an UNDEFINED_TERM_ERROR;
dropped data would be unsigned data. pyld is the reference implementation; the fast path (the
RDF that vccore.compacted's walk writes, canonicalized by vccore.rdfc) answers for documents in the
compacted form of their known contexts and is cross-checked against pyld byte for byte in tests.
"""

from __future__ import annotations

import threading
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver

from .compacted import Budget, CompactedFormChecker, JsonLdBudgetError, check_context_budget
from .errors import ProofTransformationError, UndefinedTermError, VCError
from .loader import ContextLoader, default_loader
from .rdfc import canonicalize_first_degree


__all__ = ["Canonicalizer", "RELATIVE_BASE"]

# Relative IRIs resolve against this reserved-TLD base; any IRI under it in the output means the
# input used a relative IRI, which safe mode refuses.
RELATIVE_BASE = "https://relative-iri.invalid/"
MAX_N_DEGREE_CALLS = 2000  # RDFC-1.0 §4.4 poison-graph guard (the spec's §7 asks for one)
# pyld processes a type-scoped context again for every node of that type, so its work grows with
# the document: a budget of context-processing calls per JSON object (ours need 1-2) lets large
# honest documents through and stops the superlinear blow-ups of hostile contexts.
CONTEXT_CALLS_BASE, CONTEXT_CALLS_PER_OBJECT = 200, 4


def _context_call_budget(document: Any) -> int:
    objects, stack = 0, [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            objects += 1
            stack.extend(v for k, v in node.items() if k != "@context")
        elif isinstance(node, list):
            stack.extend(node)
    return CONTEXT_CALLS_BASE + CONTEXT_CALLS_PER_OBJECT * objects


class _BudgetedProcessor(jsonld.JsonLdProcessor):
    """pyld with a bound on context processing, so a document of repeated or nested scoped
    contexts gets a fast JSONLD_BUDGET_ERROR instead of minutes of work."""

    def __init__(self, budget: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._context_budget = budget

    def _process_context(self, active_ctx, local_ctx, options, *args, **kwargs):  # noqa: ANN001
        self._context_budget -= 1
        if self._context_budget < 0:
            raise JsonLdBudgetError("the document's contexts need too much processing")
        return super()._process_context(active_ctx, local_ctx, options, *args, **kwargs)


class _BudgetedRdfc(URDNA2015):
    """pyld's RDFC-1.0 with a bound on Hash N-Degree Quads calls, so hostile graphs cannot hang us."""

    def __init__(self, budget: int) -> None:
        super().__init__()
        self._budget = budget

    def hash_n_degree_quads(self, id_, issuer):  # noqa: ANN001 - pyld's signature
        self._budget -= 1
        if self._budget < 0:
            raise ProofTransformationError("the graph needs too much work to canonicalize (poison graph)",
                                           title="Document too complex to canonicalize")
        return super().hash_n_degree_quads(id_, issuer)


class Canonicalizer:
    """Turns JSON-LD documents into canonical N-Quads, refusing what would be silently dropped."""

    def __init__(self, loader: ContextLoader | None = None, *, fast: bool = True) -> None:
        self.loader = loader or default_loader()
        self.fast = fast
        self._lock = threading.Lock()
        # pyld's default context cache is module-global and not thread-safe: each thread gets its
        # own resolver and cache, so no lock is held around pyld and a slow document blocks no one.
        self._local = threading.local()
        self._form: CompactedFormChecker | None = None

    @property
    def compacted(self) -> CompactedFormChecker:
        """The reading-equals-signing check over this canonicalizer's contexts (shared, cached)."""
        if self._form is None:
            with self._lock:
                if self._form is None:
                    self._form = CompactedFormChecker(self.loader)
        return self._form

    # -- public API ---------------------------------------------------------------------------
    def canonicalize(self, document: dict[str, Any]) -> str:
        """RDFC-1.0 canonical N-Quads of `document` (safe mode).

        A document in the compacted form of its known contexts (vccore.compacted: every member a
        defined term, which is more than safe mode asks) gets its RDF from that check's own walk
        and RDFC-1.0's first-degree labelling: no JSON-LD processing, the first document as fast as any.
        Everything else (inline contexts when signing, values pyld writes differently) is pyld's.
        """
        try:
            if self.fast:
                nquads = self._fast(document)
                if nquads is not None:
                    return nquads
            check_context_budget(document, Budget())
            return self.reference(document)
        except VCError:
            raise
        except RecursionError as exc:
            raise ProofTransformationError("document nested too deeply") from exc
        except Exception as exc:  # a library failure on hostile input is a transformation error
            raise ProofTransformationError(f"canonicalization failed: {exc}") from exc

    def canonicalize_quads(self, quads: list[tuple[str, str, str, str]] | None, document: dict[str, Any]) -> str:
        """Canonical N-Quads of `document` from the quads its compacted-form check already wrote
        (vccore.compacted `quads`); pyld answers where first-degree labelling cannot."""
        nquads = canonicalize_first_degree(quads) if self.fast and quads is not None else None
        if nquads is None:
            return self.canonicalize(document)
        _check_no_relative_iris(nquads, document)
        return nquads

    def _fast(self, document: dict[str, Any]) -> str | None:
        """The fast path alone, or None where pyld answers (tests compare it with `reference`)."""
        try:
            quads = self.compacted.quads(document)
        except JsonLdBudgetError:
            raise
        except VCError:
            return None  # not the compacted subset: pyld's safe mode decides (and explains)
        if quads is None:
            return None
        nquads = canonicalize_first_degree(quads)
        if nquads is not None:
            _check_no_relative_iris(nquads, document)
        return nquads

    def reference(self, document: dict[str, Any]) -> str:
        """Canonical N-Quads computed by pyld alone (the reference the fast path is tested against)."""
        self._check_no_dropped_terms(document)
        try:
            processor = _BudgetedProcessor(_context_call_budget(document))
            dataset = processor.to_rdf(document, self._pyld_options())
        except jsonld.JsonLdError as exc:
            raise _translate(exc) from exc
        nquads = _BudgetedRdfc(MAX_N_DEGREE_CALLS).main(dataset, {"format": "application/n-quads"})
        _check_no_relative_iris(nquads, document)
        return nquads

    # -- safe mode ----------------------------------------------------------------------------
    def _pyld_options(self) -> dict[str, Any]:
        resolver = getattr(self._local, "resolver", None)
        if resolver is None:
            resolver = self._local.resolver = ContextResolver(LRUCache(maxsize=100), self.loader)
        return {"documentLoader": self.loader, "base": RELATIVE_BASE, "produceGeneralizedRdf": False,
                "contextResolver": resolver}

    def _check_no_dropped_terms(self, document: dict[str, Any]) -> None:
        """Expand with pyld and fail on any dropped property (JSON-LD drops undefined terms)."""
        dropped: list[str | None] = []
        processor = _BudgetedProcessor(_context_call_budget(document), on_property_dropped=dropped.append)
        try:
            processor.expand(document, self._pyld_options())
        except jsonld.JsonLdError as exc:
            raise _translate(exc) from exc
        if dropped:
            names = {str(d) for d in dropped}
            raise UndefinedTermError(f"the contexts do not define: {', '.join(sorted(names))}",
                                     path=_find_key(document, names))


def _check_no_relative_iris(nquads: str, document: Any) -> None:
    if RELATIVE_BASE in nquads:
        start = nquads.index(RELATIVE_BASE)
        iri = nquads[start + len(RELATIVE_BASE):].split(">", 1)[0]
        raise UndefinedTermError(f"relative IRI reference {iri!r} (an id or type that is not a full IRI)",
                                 title="Relative IRI", path=_find_value(document, iri))


def _translate(exc: jsonld.JsonLdError) -> VCError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, VCError):
            return cause
        cause = cause.__cause__ or getattr(cause, "cause", None)
    return ProofTransformationError(f"JSON-LD processing failed: {_message(exc)}")


def _message(exc: BaseException) -> str:
    parts = []
    cause: BaseException | None = exc
    while cause is not None and len(parts) < 4:
        parts.append(str(getattr(cause, "message", None) or cause).splitlines()[0])
        cause = cause.__cause__ or getattr(cause, "cause", None)
    return ": ".join(parts)


def _find_value(document: Any, text: str) -> str:
    """JSON pointer to the first string value that is (or ends with) `text`."""
    stack = [(document, "")]
    while stack:
        node, where = stack.pop(0)
        if isinstance(node, dict):
            stack.extend((v, f"{where}/{k.replace('~', '~0').replace('/', '~1')}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(node))
        elif isinstance(node, str) and text and node.endswith(text):
            return where
    return ""


def _find_key(document: Any, names: set[str], path: str = "") -> str:
    """JSON pointer to the first key among `names` (names are dropped terms as pyld reports them)."""
    stack = [(document, "")]
    while stack:
        node, where = stack.pop(0)
        if isinstance(node, dict):
            for k, v in node.items():
                here = f"{where}/{k.replace('~', '~0').replace('/', '~1')}"
                if k in names:
                    return here
                stack.append((v, here))
        elif isinstance(node, list):
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(node))
    return path
