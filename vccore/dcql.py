"""Digital Credentials Query Language (OpenID4VP 1.0 §6) and claims path pointers (§7), for JSON-based
credentials: parsing a query with coded errors, evaluating it against the JSON a credential's proof
covers, and checking that a set of presented credentials satisfies it (§6.4, §8.6).

A wallet uses `candidates()` to find what it may present; a verifier uses `match()` on what it was
given, since it "MUST NOT rely on the Wallet to enforce these constraints" (§14.x "Security Checks
on the Returned Credentials and Presentations"). Formats: `ldp_vc` and `jwt_vc_json` (`meta.type_values`,
§B.1.1) and `dc+sd-jwt` (`meta.vct_values`, §B.3.5); any other format matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .errors import VCError

__all__ = ["ClaimQuery", "CredentialQuery", "CredentialSet", "DcqlError", "Held", "Query", "SD_JWT_FORMATS",
           "W3C_FORMATS", "allowed_ids", "chosen_claims", "claim_holds", "meets", "parse_query", "satisfied_sets",
           "select", "select_pointers"]

W3C_FORMATS = ("ldp_vc", "jwt_vc_json")
SD_JWT_FORMATS = ("dc+sd-jwt", "vc+sd-jwt")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
MAX_CREDENTIAL_QUERIES = 32
MAX_CLAIMS = 64
MAX_PATH = 16


class DcqlError(VCError):
    code = "DCQL_QUERY_ERROR"
    title = "The credential query is not valid DCQL"


@dataclass(frozen=True)
class ClaimQuery:
    """§6.3: one claim, by claims path pointer, optionally with the values it must have."""

    id: str | None
    path: tuple[str | int | None, ...]
    values: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class CredentialQuery:
    """§6.1: what one requested credential must be."""

    id: str
    format: str
    meta: dict[str, Any]
    claims: tuple[ClaimQuery, ...] = ()
    claim_sets: tuple[tuple[str, ...], ...] | None = None
    multiple: bool = False
    require_binding: bool = True

    @property
    def type_values(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(t) for t in self.meta.get("type_values") or ())

    @property
    def vct_values(self) -> tuple[str, ...]:
        return tuple(self.meta.get("vct_values") or ())

    def claim_options(self) -> list[tuple[ClaimQuery, ...]]:
        """§6.4.1: the claim combinations asked for, in the verifier's order of preference."""
        if not self.claims:
            return [()]
        if self.claim_sets is None:
            return [self.claims]
        by_id = {c.id: c for c in self.claims}
        return [tuple(by_id[i] for i in option) for option in self.claim_sets]


@dataclass(frozen=True)
class CredentialSet:
    """§6.2: alternatives (`options`), each a list of credential query ids."""

    options: tuple[tuple[str, ...], ...]
    required: bool = True


@dataclass(frozen=True)
class Query:
    credentials: tuple[CredentialQuery, ...]
    credential_sets: tuple[CredentialSet, ...] | None
    raw: dict[str, Any]

    def by_id(self, query_id: str) -> CredentialQuery | None:
        return next((c for c in self.credentials if c.id == query_id), None)


@dataclass(frozen=True)
class Held:
    """A credential as a query reads it: its format, the JSON its proof covers, its types (expanded
    IRIs and the terms as written, see `vccore.oid4vp_types`) and, for SD-JWT VC, its `vct`."""

    format: str
    document: dict[str, Any]
    types: frozenset[str] = frozenset()
    vct: str | None = None


def _fail(detail: str, path: str) -> DcqlError:
    return DcqlError(detail, path=path)


def _string_list(value: Any, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise _fail("a non-empty array of strings is required", path)
    return tuple(value)


def _claim(doc: Any, path: str) -> ClaimQuery:
    if not isinstance(doc, dict):
        raise _fail("a claims query is an object", path)
    claim_id = doc.get("id")
    if claim_id is not None and not (isinstance(claim_id, str) and _ID.match(claim_id)):
        raise _fail("a claim id is alphanumeric, '_' or '-'", path + "/id")
    pointer = doc.get("path")
    if not isinstance(pointer, list) or not 0 < len(pointer) <= MAX_PATH or not all(
            p is None or isinstance(p, str) or (isinstance(p, int) and not isinstance(p, bool) and p >= 0)
            for p in pointer):
        raise _fail("a claims path pointer is a non-empty array of strings, nulls and non-negative integers",
                    path + "/path")
    values = doc.get("values")
    if values is not None and (not isinstance(values, list) or not values or not all(
            isinstance(v, (str, int, bool)) and not isinstance(v, float) for v in values)):
        raise _fail("values is a non-empty array of strings, integers or booleans", path + "/values")
    return ClaimQuery(claim_id, tuple(pointer), tuple(values) if values is not None else None)


def _credential(doc: Any, path: str) -> CredentialQuery:
    if not isinstance(doc, dict):
        raise _fail("a credential query is an object", path)
    query_id, fmt, meta = doc.get("id"), doc.get("format"), doc.get("meta")
    if not (isinstance(query_id, str) and _ID.match(query_id)):
        raise _fail("a credential query id is alphanumeric, '_' or '-'", path + "/id")
    if not isinstance(fmt, str) or not fmt:
        raise _fail("format is required", path + "/format")
    if not isinstance(meta, dict):
        raise _fail("meta is a required object", path + "/meta")
    if fmt in W3C_FORMATS:
        types = meta.get("type_values")
        if not isinstance(types, list) or not types:
            raise _fail("type_values is a non-empty array of string arrays", path + "/meta/type_values")
        for i, option in enumerate(types):
            _string_list(option, f"{path}/meta/type_values/{i}")
    if fmt in SD_JWT_FORMATS:
        _string_list(meta.get("vct_values"), path + "/meta/vct_values")
    claims_doc = doc.get("claims")
    claims: tuple[ClaimQuery, ...] = ()
    if claims_doc is not None:
        if not isinstance(claims_doc, list) or not 0 < len(claims_doc) <= MAX_CLAIMS:
            raise _fail(f"claims is a non-empty array of at most {MAX_CLAIMS}", path + "/claims")
        claims = tuple(_claim(c, f"{path}/claims/{i}") for i, c in enumerate(claims_doc))
        ids = [c.id for c in claims if c.id is not None]
        if len(ids) != len(set(ids)):
            raise _fail("a claim id is used twice", path + "/claims")
    sets_doc, claim_sets = doc.get("claim_sets"), None
    if sets_doc is not None:
        if not claims:
            raise _fail("claim_sets needs claims", path + "/claim_sets")
        if not isinstance(sets_doc, list) or not sets_doc:
            raise _fail("claim_sets is a non-empty array", path + "/claim_sets")
        known = {c.id for c in claims}
        if None in known:
            raise _fail("with claim_sets every claim needs an id", path + "/claims")
        claim_sets = tuple(_string_list(s, f"{path}/claim_sets/{i}") for i, s in enumerate(sets_doc))
        for i, option in enumerate(claim_sets):
            if not set(option) <= known:
                raise _fail("claim_sets names a claim id that is not in claims", f"{path}/claim_sets/{i}")
    multiple, binding = doc.get("multiple", False), doc.get("require_cryptographic_holder_binding", True)
    if not isinstance(multiple, bool) or not isinstance(binding, bool):
        raise _fail("multiple and require_cryptographic_holder_binding are booleans", path)
    return CredentialQuery(query_id, fmt, meta, claims, claim_sets, multiple, binding)


def parse_query(doc: Any) -> Query:
    """§6: a DCQL query object; DCQL_QUERY_ERROR at the offending member. Unknown members are ignored."""
    if not isinstance(doc, dict):
        raise _fail("a DCQL query is a JSON object", "")
    items = doc.get("credentials")
    if not isinstance(items, list) or not 0 < len(items) <= MAX_CREDENTIAL_QUERIES:
        raise _fail(f"credentials is a non-empty array of at most {MAX_CREDENTIAL_QUERIES}", "/credentials")
    credentials = tuple(_credential(c, f"/credentials/{i}") for i, c in enumerate(items))
    ids = [c.id for c in credentials]
    if len(ids) != len(set(ids)):
        raise _fail("a credential query id is used twice", "/credentials")
    sets_doc, sets = doc.get("credential_sets"), None
    if sets_doc is not None:
        if not isinstance(sets_doc, list) or not sets_doc:
            raise _fail("credential_sets is a non-empty array", "/credential_sets")
        parsed = []
        for i, entry in enumerate(sets_doc):
            where = f"/credential_sets/{i}"
            if not isinstance(entry, dict) or not isinstance(entry.get("options"), list) or not entry["options"]:
                raise _fail("a credential set query has a non-empty options array", where + "/options")
            options = tuple(_string_list(o, f"{where}/options/{j}") for j, o in enumerate(entry["options"]))
            if not all(set(o) <= set(ids) for o in options):
                raise _fail("options name a credential query id that is not in credentials", where + "/options")
            required = entry.get("required", True)
            if not isinstance(required, bool):
                raise _fail("required is a boolean", where + "/required")
            parsed.append(CredentialSet(options, required))
        sets = tuple(parsed)
    return Query(credentials, sets, doc)


# §7: claims path pointers


def select_pointers(document: Any, path: Sequence[str | int | None]) -> list[tuple[str, Any]] | None:
    """§7.1.1: the selected elements as (JSON pointer, value); None where processing "returns an error"
    (a component applied to the wrong kind of element, or nothing selected)."""
    selected: list[tuple[str, Any]] = [("", document)]
    for component in path:
        nxt: list[tuple[str, Any]] = []
        for where, element in selected:
            if isinstance(component, str):
                if not isinstance(element, dict):
                    return None
                if component in element:
                    nxt.append((f"{where}/{component.replace('~', '~0').replace('/', '~1')}", element[component]))
            elif component is None:
                if not isinstance(element, list):
                    return None
                nxt.extend((f"{where}/{i}", v) for i, v in enumerate(element))
            elif isinstance(component, int) and not isinstance(component, bool) and component >= 0:
                if not isinstance(element, list):
                    return None
                if component < len(element):
                    nxt.append((f"{where}/{component}", element[component]))
            else:
                return None
        selected = nxt
    return selected or None


def select(document: Any, path: Sequence[str | int | None]) -> list[Any] | None:
    found = select_pointers(document, path)
    return None if found is None else [value for _where, value in found]


def _same(a: Any, b: Any) -> bool:
    """§6.3 `values`: type and value match exactly (True is not 1)."""
    return type(a) is type(b) and a == b


def claim_holds(claim: ClaimQuery, document: Any) -> bool:
    found = select(document, claim.path)
    if found is None:
        return False
    return claim.values is None or any(_same(v, want) for v in found for want in claim.values)


def chosen_claims(query: CredentialQuery, document: Any) -> tuple[ClaimQuery, ...] | None:
    """§6.4.1: the first claim combination the credential satisfies (None: it satisfies none)."""
    for option in query.claim_options():
        if all(claim_holds(c, document) for c in option):
            return option
    return None


def _types_match(query: CredentialQuery, held: Held) -> bool:
    return any(set(option) <= held.types for option in query.type_values)


def meets(query: CredentialQuery, held: Held) -> bool:
    """Format, meta and claims of one credential query (§6.1, §6.4, Appendix B)."""
    if query.format in W3C_FORMATS:
        if held.format != query.format or not _types_match(query, held):
            return False
    elif query.format in SD_JWT_FORMATS:
        if held.format not in SD_JWT_FORMATS or held.vct not in query.vct_values:
            return False
    else:
        return False
    return chosen_claims(query, held.document) is not None


def satisfied_sets(query: Query, answered: Iterable[str]) -> bool:
    """§6.4.2: do the answered credential query ids satisfy the query (every required set, or, without
    credential_sets, every credential query)?"""
    have = set(answered)
    if query.credential_sets is None:
        return have >= {c.id for c in query.credentials}
    return all(any(set(option) <= have for option in s.options) for s in query.credential_sets if s.required)


def allowed_ids(query: Query) -> set[str]:
    """The credential query ids an answer may use at all."""
    return {c.id for c in query.credentials}
