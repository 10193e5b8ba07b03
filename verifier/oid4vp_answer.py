"""Checking a wallet's OpenID4VP answer (§8.6 VP Token Validation) before it becomes a verdict.

An answer is *accepted* (and its verdict shown) only when the vp_token is well formed, every
presentation is signed by its holder and bound to this request's nonce and client id (§14.1.2), and
the credentials satisfy the query and the employer's conditions (§6.4, §14.9). Otherwise it is
*refused* with a coded error and the request stays open, so a forged or replayed answer cannot use
up the honest holder's request. What an accepted answer says (revoked, untrusted, expired) is the
verdict, as for every other intake.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from vccore.dcql import SD_JWT_FORMATS, CredentialQuery, meets, parse_query, satisfied_sets
from vccore.errors import VCError
from vccore.oid4vp import VpTokenError, parse_vp_token
from vccore.oid4vp_match import held
from vccore.report import VerificationReport

from .oid4vp_query import Conditions, unmet
from .oid4vp_store import Transaction
from .service import CredentialResult, Outcome, VerifierService

__all__ = ["BINDING_CODES", "QueryNotMetError", "RefusedAnswerError", "check_answer"]

# Not this holder's answer to this request: refused, and the request stays open for the candidate (a
# stranger who saw the QR code and posts someone else's credential cannot use the request up).
BINDING_CODES = ("INVALID_CHALLENGE_ERROR", "INVALID_DOMAIN_ERROR", "KEY_BINDING_ERROR", "HOLDER_BINDING_ERROR")


class QueryNotMetError(VCError):
    code = "OID4VP_QUERY_NOT_MET"
    title = "The answer does not meet the request"


class RefusedAnswerError(VCError):
    """A presentation that is not the holder's answer to this request; carries the cause's code."""

    def __init__(self, code: str, title: str, detail: str, path: str) -> None:
        super().__init__(detail, path=path, title=title)
        self.code = code


def _verify(service: VerifierService, query: CredentialQuery, item: Any, tx: Transaction, where: str) -> Outcome:
    if query.format == "ldp_vc":
        if not isinstance(item, dict):
            raise VpTokenError("an ldp_vc presentation is a JSON object", path=where)
        return service.verify_document(item, challenge=tx.nonce, domain=tx.client_id)
    if not isinstance(item, str):
        raise VpTokenError(f"a {query.format} presentation is a string", path=where)
    if query.format in SD_JWT_FORMATS:
        return service.verify_document(item, challenge=tx.nonce, domain=tx.client_id)
    if query.format == "jwt_vc_json":
        return service.verify_jwt_presentation(item, nonce=tx.nonce, audience=tx.client_id)
    raise VpTokenError(f"format {query.format} is not one this verifier asked for", path=where)


def _bound(outcome: Outcome, where: str) -> None:
    """The holder's proof verified and names this request's nonce and client id, else a refusal."""
    errors = outcome.report.errors
    for problem in errors:
        if problem.code in BINDING_CODES:
            raise RefusedAnswerError(problem.code, problem.title, problem.detail, where + problem.path)
    bound = any(c.name in ("challenge", "key-binding") and c.status == "passed" for c in outcome.report.checks)
    if not outcome.usable or outcome.kind is None or not bound:
        first = errors[0] if errors else None
        raise RefusedAnswerError(first.code if first else "OID4VP_VP_TOKEN_ERROR",
                                 first.title if first else "Not a presentation for this request",
                                 first.detail if first else "the answer holds no holder-signed presentation "
                                 "bound to this request's nonce", where + (first.path if first else ""))


def _body(outcome: Outcome, item: Any, result: CredentialResult) -> tuple[str, dict[str, Any]] | None:
    """(format, the JSON the credential's proof covers) of one presented credential."""
    report = outcome.report
    if result.path in report.bodies:
        fmt = next((s.get("format") for s in report.credentials if s.get("path") == result.path), None)
        return (fmt or "jwt_vc_json"), report.bodies[result.path]
    if isinstance(item, dict):
        node: Any = item
        for part in result.path.strip("/").split("/") if result.path else []:
            node = node[int(part)] if isinstance(node, list) else node.get(part) if isinstance(node, dict) else None
        return ("ldp_vc", node) if isinstance(node, dict) else None
    return None


def _meets(service: VerifierService, query: CredentialQuery, outcome: Outcome, item: Any,
           conditions: Conditions, where: str) -> None:
    if not outcome.credentials:
        raise QueryNotMetError("the presentation holds no credential that could be read", path=where)
    for result in outcome.credentials:
        found = _body(outcome, item, result)
        if found is None or not meets(query, held(found[0], found[1], service.plain.canon.loader)):
            raise QueryNotMetError(f"the presented credential is not the {query.format} microcredential the "
                                   f"request asked for (credential query {query.id})", path=where + result.path)
        trusted = any(c.get("check") == "trusted-issuer" and c.get("status") == "passed" for c in result.checks)
        missing = unmet(conditions, result.certificate, trusted=trusted)
        if missing:
            raise QueryNotMetError("the microcredential does not meet the request: " + "; ".join(missing),
                                   path=where + result.path)


def _merge(parts: list[tuple[str, Outcome]]) -> Outcome:
    if len(parts) == 1:
        return parts[0][1]
    report = VerificationReport()
    credentials = []
    for prefix, outcome in parts:
        report.merge(outcome.report, prefix=prefix)
        report.credentials.extend(outcome.report.credentials)
        report.statuses.extend(outcome.report.statuses)
        credentials.extend(dataclasses.replace(c, path=prefix + c.path) for c in outcome.credentials)
    return Outcome(report, kind="presentation", credentials=credentials, checked_at=parts[0][1].checked_at)


def check_answer(service: VerifierService, tx: Transaction, vp_token: Any) -> Outcome:
    """The outcome of an accepted answer; raises VpTokenError, RefusedAnswerError or QueryNotMetError."""
    token = parse_vp_token(vp_token)
    query = parse_query(tx.query)
    conditions = Conditions.from_json(tx.conditions)
    parts: list[tuple[str, Outcome]] = []
    for query_id, items in token.items():
        credential_query = query.by_id(query_id)
        where = f"/vp_token/{query_id}"
        if credential_query is None:
            raise VpTokenError(f"{query_id[:40]!r} is not a credential query of this request", path=where)
        if len(items) > 1 and not credential_query.multiple:
            raise VpTokenError(f"one presentation for {query_id}, not {len(items)} (§8.1)", path=where)
        for i, item in enumerate(items):
            outcome = _verify(service, credential_query, item, tx, f"{where}/{i}")
            _bound(outcome, f"{where}/{i}")
            _meets(service, credential_query, outcome, item, conditions, f"{where}/{i}")
            parts.append((f"{where}/{i}", outcome))
    if not satisfied_sets(query, token):
        raise QueryNotMetError("the answer does not hold every credential the request asks for", path="/vp_token")
    return _merge(parts)
