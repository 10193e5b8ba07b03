"""JWT-secured W3C credentials: `jwt_vc_json` (VC Data Model 1.1 §6.3 JWT encoding: the
credential in the `vc` claim, VC 1.1 or 2.0 body) and `vc+jwt` (W3C VC-JOSE-COSE §3.1.1: the
payload is the VC 2.0 credential itself).

What a screen or check may read is the returned `body`: the signed credential, with the JWT's
registered claims (iss, sub, jti, nbf, exp, all signed too) filled in where the body leaves them
out (VC 1.1 §6.3.1 "JWT decoding"). No JSON-LD processing: the contexts are not loaded, so an
unknown or invalid context (SURF's educredential context) is never needed.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from .clock import format_datetime
from .errors import MalformedValueError, VCError
from .jose import JoseHeaderError, Jws, time_problems, verify_signature
from .josekeys import JoseKeys
from .report import Problem, VerificationReport
from .vcdm import VC1_CONTEXT, VC2_CONTEXT, check_credential

__all__ = ["JWT_VC_JSON", "VC_JWT", "JwtCredential", "jwt_format", "verify_jwt_vc"]

JWT_VC_JSON = "jwt_vc_json"
VC_JWT = "vc+jwt"
_VC_JWT_TYPES = ("vc+jwt", "vc+ld+jwt")  # vc+ld+jwt: VC-JOSE-COSE drafts before 2024


@dataclass(frozen=True)
class JwtCredential:
    format: str
    body: dict[str, Any]        # the signed credential as it is read (see module docstring)
    signer: str                 # the DID (or issuer URL) whose key signed
    claims: dict[str, Any]      # the JWT claims set


def jwt_format(token: Jws) -> str:
    """vc+jwt when the header says so or the payload is a credential; else jwt_vc_json."""
    try:
        claims = token.claims()
    except VCError:
        return JWT_VC_JSON
    if token.header.get("typ") in _VC_JWT_TYPES or ("vc" not in claims and "@context" in claims):
        return VC_JWT
    return JWT_VC_JSON


def _issuer_id(issuer: Any) -> Any:
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _date(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 253402300800:
        return None
    return format_datetime(dt.datetime.fromtimestamp(value, dt.timezone.utc))


def _jwt_vc_json_body(claims: dict[str, Any], report: VerificationReport, prefix: str) -> dict[str, Any] | None:
    """VC 1.1 §6.3.1 JWT decoding: the `vc` object, completed from iss/sub/jti/nbf/exp."""
    vc = claims.get("vc")
    if not isinstance(vc, dict):
        report.fail(MalformedValueError("a jwt_vc_json credential has its credential in the vc claim",
                                        path="/payload/vc"), prefix=prefix)
        return None
    body = copy.deepcopy(vc)
    version2 = _first_context(body) == VC2_CONTEXT
    iss = claims.get("iss")
    if "issuer" not in body and iss is not None:
        body["issuer"] = iss
    elif iss is not None and _issuer_id(body.get("issuer")) != iss:
        report.fail(MalformedValueError(f"iss is {iss}, the credential's issuer {_issuer_id(body['issuer'])}",
                                        path="/payload/iss", title="Issuer mismatch"), prefix=prefix)
    subject = body.get("credentialSubject")
    sub = claims.get("sub")
    if isinstance(subject, dict) and sub is not None:
        if "id" not in subject:
            subject["id"] = sub
        elif subject["id"] != sub:
            report.fail(MalformedValueError(f"sub is {sub}, the subject's id {subject['id']}",
                                            path="/payload/sub", title="Subject mismatch"), prefix=prefix)
    if "id" not in body and isinstance(claims.get("jti"), str):
        body["id"] = claims["jti"]
    start, end = ("validFrom", "validUntil") if version2 else ("issuanceDate", "expirationDate")
    for key, claim in ((start, "nbf"), (end, "exp")):
        if key not in body and _date(claims.get(claim)) is not None:
            body[key] = _date(claims[claim])
    if not version2 and "issuanceDate" not in body and _date(claims.get("iat")) is not None:
        body["issuanceDate"] = _date(claims["iat"])
    return body


def _first_context(body: dict[str, Any]) -> Any:
    ctx = body.get("@context")
    return ctx[0] if isinstance(ctx, list) and ctx else ctx


def verify_jwt_vc(token: Jws, *, keys: JoseKeys, now: dt.datetime, report: VerificationReport,
                  prefix: str = "") -> JwtCredential | None:
    """Verify signature, header, claims and the credential's data model; problems go to `report`."""
    fmt = jwt_format(token)
    try:
        claims = token.claims()
    except VCError as exc:
        report.fail(exc, prefix=prefix)
        report.check("parse", "failed", prefix, exc.detail)
        return None
    if fmt == VC_JWT:
        body: dict[str, Any] | None = copy.deepcopy(claims)
        if _first_context(claims) != VC2_CONTEXT:
            report.fail(MalformedValueError("a vc+jwt payload is a VC 2.0 credential", path="/payload/@context/0",
                                            title="Wrong first context"), prefix=prefix)
        if token.header.get("cty") not in (None, "vc", "vc+ld+json"):
            report.fail(JoseHeaderError(f"cty {token.header.get('cty')!r} is not vc", path="/header/cty"),
                        prefix=prefix)
        issuer = _issuer_id(claims.get("issuer"))
        iss = claims.get("iss", token.header.get("iss"))
        if iss is not None and iss != issuer:
            report.fail(MalformedValueError(f"iss is {iss}, the credential's issuer {issuer}", path="/payload/iss",
                                            title="Issuer mismatch"), prefix=prefix)
        base = prefix + "/payload"
    else:
        body = _jwt_vc_json_body(claims, report, prefix)
        if body is not None and _first_context(body) not in (VC1_CONTEXT, VC2_CONTEXT):
            report.fail(MalformedValueError("the vc claim's first context is not a VC base context",
                                            path="/payload/vc/@context/0", title="Wrong first context"),
                        prefix=prefix)
        issuer = claims.get("iss", _issuer_id(body.get("issuer")) if body else None)
        base = prefix + "/payload/vc"
    try:
        signer = keys.signer(token.header, issuer)
        verify_signature(token, signer.key)
    except VCError as exc:
        report.fail(exc, prefix=prefix)
        report.check("proof", "failed", prefix + exc.path, exc.detail)
        return None
    report.check("proof", "passed", prefix + "/signature", f"{fmt} {token.header['alg']} by {signer.key_id}")
    if issuer != signer.controller:
        report.add(Problem("PROOF_VERIFICATION_ERROR", "Signed by someone other than the issuer",
                           f"the key belongs to {signer.controller}, the issuer is {issuer}", prefix + "/payload/iss"))
    before = len(report.problems)
    for problem in time_problems(claims, now=now):
        report.add(Problem(problem.code, problem.title, problem.detail, prefix + problem.path, problem.severity))
    if body is None:
        return None
    check_credential(body, report, loader=None, now=now, base=base)
    validity = [p for p in report.problems[before:] if p.code in ("EXPIRED_ERROR", "NOT_YET_VALID_ERROR")]
    report.check("validity", "failed" if validity else "passed", prefix)
    report.check("data-model", "failed" if any(p.severity == "error" and p not in validity
                                               for p in report.problems[before:]) else "passed", prefix)
    return JwtCredential(fmt, body, signer.controller, claims)
