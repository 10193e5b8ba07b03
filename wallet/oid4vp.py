"""OpenID for Verifiable Presentations 1.0, wallet side (docs/oid4vp-profile.md): read a request (link
or QR text), fetch and verify its signed Request Object, find the stored credentials that match its
DCQL query, and answer with a `vp_token` posted to the verifier's `response_uri` (`direct_post`).

Each presentation is bound to the request's nonce and the verifier's full Client Identifier
(§14.1.2, §14.8): `ldp_vc` as a Data Integrity presentation with challenge = nonce and domain =
client_id (§B.1.3.2.5); `jwt_vc_json` as a JWT VP with `nonce` and `aud` (§B.1.3.1.5); `dc+sd-jwt` as
an SD-JWT+KB whose KB-JWT carries them (§B.3.6), with only the disclosures the query selects.
A credential is offered only if it and its presentation use what the verifier's `vp_formats_supported`
names (Appendix B: algorithms, proof types, cryptosuites; vccore.oid4vp_match.formats_fit).
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from vccore.dcql import SD_JWT_FORMATS, ClaimQuery, CredentialQuery, chosen_claims, meets, select_pointers
from vccore.errors import VCError
from vccore.jose import parse_compact
from vccore.jwtvp import sign_jwt_vp
from vccore.oid4vp import (REQUEST_TYP, AuthorizationRequest, Oid4vpError, encode_vp_token, parse_invocation,
                           read_request)
from vccore.oid4vp_match import formats_fit, held, proofs_of
from vccore.sdjwt import add_key_binding, parse_sd_jwt, process, select

from .formats import signed_body
from .holder import Wallet
from .holderkeys import HolderKey, holder_keys
from .oid4vci import HttpClient
from .present import make_presentation

__all__ = ["AnswerRefusedError", "Match", "answer", "decline", "fetch_request", "matches", "options", "unfit"]

FORM = "application/x-www-form-urlencoded"
MAX_ANSWER_BYTES = 64 * 1024
LDP_VP_PROOF = ("DataIntegrityProof", "eddsa-rdfc-2022")  # what make_presentation signs


class AnswerRefusedError(VCError):
    """The verifier refused the answer; `verifier_code` is the problem code it gave (its title and
    advice are what the learner reads, vccore.problemtexts)."""

    code = "OID4VP_ANSWER_REFUSED"
    title = "The verifier refused the answer"

    def __init__(self, detail: str, *, verifier_code: str | None = None) -> None:
        super().__init__(detail)
        self.verifier_code = verifier_code

    @property
    def oauth_error(self) -> str | None:  # read by the web app's `explain`
        return self.verifier_code


@dataclass(frozen=True)
class Match:
    """A stored credential that one credential query of the request accepts."""

    query: CredentialQuery
    cred_id: str
    format: str
    claims: tuple[ClaimQuery, ...]   # the claim option it satisfies first


def fetch_request(link: str, *, client: HttpClient, wallet: Wallet, allow_http: bool = False) -> AuthorizationRequest:
    """The validated request of a link or QR text (§5.10: any HTTP error ends the processing)."""
    invocation = parse_invocation(link)
    token = None
    if invocation.request_uri is not None:
        # §5.10.1 names the media type; an answer without one (eduWallet's verifier) is read all the same:
        # what counts is the signed Request Object in it (typ, kid, signature), checked below
        response = client.request("GET", invocation.request_uri, headers={"Accept": "application/" + REQUEST_TYP})
        if response.status != 200:
            raise Oid4vpError(f"the verifier answered HTTP {response.status} for the request",
                              title="The request could not be fetched")
        token = response.body.decode("ascii", "replace").strip()
    return read_request(invocation, token, keys=wallet.verifier.jose, now=wallet.clock.now(), allow_http=allow_http)


def _meets_conditions(request: AuthorizationRequest, summary: dict[str, Any]) -> bool:
    """Our profile's microcredential_conditions, as far as the wallet can tell (the verifier checks)."""
    conditions = request.conditions
    try:
        if conditions.get("min_ects") is not None and float(summary.get("ects") or 0) < float(conditions["min_ects"]):
            return False
    except (TypeError, ValueError):
        return False
    level = conditions.get("nlqf_level")
    return not level or str(summary.get("nlqf") or "").lower() == str(level).lower()


def _queries_for(request: AuthorizationRequest, fmt: str) -> list[CredentialQuery]:
    """The credential queries a credential of `fmt` may answer. vccore.dcql.meets lets an SD-JWT VC of
    either name (dc+sd-jwt, vc+sd-jwt) meet a query of either; where the request asks for the
    credential's own name too (our verifier asks for both), it answers that one only, so one
    credential is not offered twice."""
    queries = list(request.query.credentials)
    if fmt in SD_JWT_FORMATS and any(q.format == fmt for q in queries):
        return [q for q in queries if q.format == fmt or q.format not in SD_JWT_FORMATS]
    return queries


def _meeting(wallet: Wallet, request: AuthorizationRequest, usable: Sequence[str],
             profile: int | None) -> Iterator[tuple[str, str, dict[str, Any], list[CredentialQuery]]]:
    """(id, format, signed JSON, the queries it meets) of each usable stored credential that meets one:
    format, meta, claims (§6.4) and our profile's conditions."""
    for record in wallet.records():
        if record.status not in usable or (profile is not None and record.profile != profile):
            continue
        try:
            fmt, body = signed_body(wallet.body(record.id), wallet.verifier)
        except VCError:
            continue
        candidate = held(fmt, body, wallet.canon.loader)
        queries = [q for q in _queries_for(request, fmt) if meets(q, candidate)]
        if queries and _meets_conditions(request, record.summary):
            yield record.id, fmt, body, queries


def matches(wallet: Wallet, request: AuthorizationRequest, *, usable: Sequence[str] = ("ok", "none", "unknown"),
            profile: int | None = None) -> dict[str, list[Match]]:
    """Per credential query, the stored credentials it accepts (§6.4) that the verifier can check (Appendix B)."""
    found: dict[str, list[Match]] = {q.id: [] for q in request.query.credentials}
    for cred_id, fmt, body, queries in _meeting(wallet, request, usable, profile):
        if _fits(wallet, request, cred_id, fmt, body):
            for query in queries:
                found[query.id].append(Match(query, cred_id, fmt, chosen_claims(query, body) or ()))
    return found


def unfit(wallet: Wallet, request: AuthorizationRequest, *, usable: Sequence[str] = ("ok", "none", "unknown"),
          profile: int | None = None) -> list[str]:
    """The stored credentials that meet the query but are not offered because the verifier's
    vp_formats_supported does not list their algorithm, proof type or cryptosuite, or the
    presentation's: what the learner is told when nothing can be shared."""
    return [cred_id for cred_id, fmt, body, _queries in _meeting(wallet, request, usable, profile)
            if not _fits(wallet, request, cred_id, fmt, body)]


def _holder(wallet: Wallet, cred_id: str, fmt: str, body: dict[str, Any]) -> HolderKey | None:
    """The key the presentation is signed with: the one the credential is bound to (an SD-JWT VC's
    cnf, a JWT VC's subject), else (a JWT VC of no subject of ours) the profile's first."""
    keys = holder_keys(wallet.profile(wallet.record(cred_id).profile).key)
    if fmt in SD_JWT_FORMATS:
        cnf = body.get("cnf")
        jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
        return next((h for h in keys if jwk is not None and h.public_jwk == jwk), None)
    subject = body.get("credentialSubject") or {}
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    return next((h for h in keys if h.did == subject_id), keys[0])


def _fits(wallet: Wallet, request: AuthorizationRequest, cred_id: str, fmt: str, body: dict[str, Any]) -> bool:
    """Appendix B: the verifier's vp_formats_supported names what it can check; offer nothing else."""
    formats = request.client_metadata.get("vp_formats_supported")
    if fmt == "ldp_vc":
        return formats_fit(formats, fmt, credential_proofs=proofs_of(body), presentation_proof=LDP_VP_PROOF)
    holder = _holder(wallet, cred_id, fmt, body)
    try:
        alg = parse_compact(wallet.body(cred_id).decode("ascii").strip().split("~", 1)[0]).header.get("alg")
    except (VCError, UnicodeDecodeError):
        return False
    return formats_fit(formats, fmt, credential_alg=alg, presentation_alg=holder.alg if holder else None)


def options(request: AuthorizationRequest, found: dict[str, list[Match]]) -> list[tuple[str, ...]]:
    """The combinations of credential queries the wallet can answer (§6.4.2), the verifier's order."""
    have = {q for q, m in found.items() if m}
    if request.query.credential_sets is None:
        every = tuple(q.id for q in request.query.credentials)
        return [every] if set(every) <= have else []
    required = [s for s in request.query.credential_sets if s.required]
    if len(required) != 1:  # several required sets: every one must be met by the same answer
        picks = [next((o for o in s.options if set(o) <= have), None) for s in required]
        return [tuple(q for p in picks for q in p)] if all(picks) else []  # type: ignore[union-attr]
    return [o for o in required[0].options if set(o) <= have]


def _sd_jwt(text: str, claims: tuple[ClaimQuery, ...], hide: Sequence[str]) -> str:
    """Only the disclosures the chosen claims need (§6.4: the wallet MUST NOT send others)."""
    sd = parse_sd_jwt(text)
    payload = sd.jws.claims()
    full = process(payload, sd.disclosures)
    wanted = [p for c in claims for p, _v in (select_pointers(full.payload, c.path) or [])]
    kept = []
    for i, disclosure in enumerate(sd.disclosures):
        others = tuple(d for j, d in enumerate(sd.disclosures) if j != i)
        gone = sorted(set(full.disclosed) - set(process(payload, others).disclosed), key=len)
        where = gone[0] if gone else ""
        name = where.rsplit("/", 1)[-1]
        if name in hide:
            continue
        if any(w == where or w.startswith(where + "/") or where.startswith(w + "/") for w in wanted):
            kept.append(disclosure)
    return select(text, lambda d: d.text in kept)


def _presentation(wallet: Wallet, request: AuthorizationRequest, match: Match, hide: Sequence[str]) -> Any:
    record = wallet.record(match.cred_id)
    key = wallet.profile(record.profile).key
    body = wallet.body(match.cred_id)
    now = wallet.clock.now()
    if match.query.format == "ldp_vc":
        return make_presentation([json.loads(body)], key=key, canon=wallet.canon, clock=wallet.clock,
                                 challenge=request.nonce, domain=request.client_id).document
    text = body.decode("ascii").strip()
    fmt, signed = signed_body(body, wallet.verifier)
    holder = _holder(wallet, match.cred_id, fmt, signed)
    if holder is None:
        raise Oid4vpError("this credential is not bound to a key of the wallet", title="Cannot present")
    if match.query.format in SD_JWT_FORMATS:
        return add_key_binding(_sd_jwt(text, match.claims, hide), holder.signing, alg=holder.alg,
                               nonce=request.nonce, audience=request.client_id, iat=int(now.timestamp()))
    return sign_jwt_vp([text], key=holder.signing, alg=holder.alg, kid=holder.kid, holder=holder.did,
                       audience=request.client_id, nonce=request.nonce, now=now)


def answer(wallet: Wallet, request: AuthorizationRequest, chosen: Sequence[Match], *, client: HttpClient,
           hide: Sequence[str] = ()) -> dict[str, Any]:
    """Sign a presentation per chosen credential and post the vp_token (§8.1, §8.2); returns the
    verifier's JSON answer (a `redirect_uri` to follow, or nothing). AnswerRefusedError if refused."""
    if not chosen:
        raise Oid4vpError("choose a credential to share", title="Nothing chosen")
    token: dict[str, list[Any]] = {}
    for match in chosen:
        token.setdefault(match.query.id, []).append(_presentation(wallet, request, match, hide))
    form = {"vp_token": encode_vp_token(token)}
    if request.state is not None:
        form["state"] = request.state
    return _post(client, request.response_uri, form)


def decline(request: AuthorizationRequest, *, client: HttpClient) -> None:
    """§8.5: tell the verifier the learner did not consent (`access_denied`)."""
    form = {"error": "access_denied", "error_description": "the holder declined"}
    if request.state is not None:
        form["state"] = request.state
    _post(client, request.response_uri, form)


def _post(client: HttpClient, url: str, form: dict[str, str]) -> dict[str, Any]:
    response = client.request("POST", url, data=urllib.parse.urlencode(form).encode("utf-8"),
                              headers={"Content-Type": FORM, "Accept": "application/json"})
    try:
        doc = json.loads(response.body[:MAX_ANSWER_BYTES]) if response.body else {}
    except (ValueError, UnicodeDecodeError):
        doc = {}
    doc = doc if isinstance(doc, dict) else {}
    if response.status != 200:
        code = doc.get("code") if isinstance(doc.get("code"), str) else None
        raise AnswerRefusedError(f"HTTP {response.status}: {str(doc.get('error_description') or doc.get('error'))[:300]}",
                                 verifier_code=code or (doc.get("error") if isinstance(doc.get("error"), str) else None))
    return doc
