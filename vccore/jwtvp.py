"""JWT-secured Verifiable Presentations for `jwt_vc_json` (VC Data Model 1.1 §6.3.1; OpenID4VP 1.0
§B.1.3.1.5: `nonce` the request's nonce, `aud` the verifier's Client Identifier).

The holder signs a JWT whose `vp` claim carries the credentials as JWTs; `iss` is the holder's DID and
the key comes from `kid` (a DID URL, purpose `authentication`). Each credential inside is verified
as any JOSE credential (vccore.joseverify) and must be bound to the presentation's signer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Callable

from .errors import InvalidChallengeError, InvalidDomainError, MalformedValueError, VCError
from .jose import parse_compact, sign_compact, time_problems, verify_signature
from .josekeys import JoseKeys
from .joseverify import JoseResult, holder_binding, is_jose_text, verify_jose
from .report import Problem, VerificationReport

__all__ = ["VP_CONTEXT", "sign_jwt_vp", "verify_jwt_vp"]

VP_CONTEXT = "https://www.w3.org/2018/credentials/v1"
StatusHook = Callable[[dict[str, Any], VerificationReport, str], None]


def sign_jwt_vp(credentials: list[str], *, key: Any, alg: str, kid: str, holder: str, audience: str,
                nonce: str, now: dt.datetime, minutes: int = 10, jti: str | None = None) -> str:
    """The holder's JWT VP (typ JWT) over compact JWT credentials, valid for `minutes`."""
    iat = int(now.timestamp())
    claims = {"iss": holder, "aud": audience, "nonce": nonce, "iat": iat, "nbf": iat, "exp": iat + 60 * minutes,
              "jti": jti or f"urn:uuid:{uuid.uuid4()}",
              "vp": {"@context": [VP_CONTEXT], "type": ["VerifiablePresentation"], "holder": holder,
                     "verifiableCredential": list(credentials)}}
    return sign_compact({"alg": alg, "typ": "JWT", "kid": kid}, claims, key)


def _expect(claims: dict[str, Any], name: str, expected: str | None) -> VCError | None:
    value = claims.get(name)
    values = value if isinstance(value, list) else [value]
    if expected is None or expected in values:
        return None
    error = InvalidChallengeError if name == "nonce" else InvalidDomainError
    return error(f"the presentation's {name} is not this request's", path=f"/payload/{name}")


def verify_jwt_vp(text: str, *, keys: JoseKeys, now: dt.datetime, report: VerificationReport,
                  nonce: str | None, audience: str | None, require_holder_binding: bool = True,
                  status: StatusHook | None = None, token_status: StatusHook | None = None,
                  summary: Callable[[dict[str, Any]], dict[str, Any]] = dict) -> list[JoseResult]:
    """Verify a JWT VP and the JWT credentials in it; every problem goes to `report`. Returns the
    credentials that verified (their bodies are in report.bodies under their JSON pointers)."""
    try:
        jws = parse_compact(text.strip())
        claims = jws.claims()
        holder = claims.get("iss")
        if not isinstance(holder, str) or not holder.startswith("did:"):
            raise MalformedValueError("a JWT presentation's iss is the holder's DID", path="/payload/iss")
        signer = keys.signer(jws.header, holder, purpose="authentication")
        verify_signature(jws, signer.key)
    except VCError as exc:
        report.fail(exc)
        report.check("proof", "failed", exc.path, exc.detail)
        return []
    report.check("proof", "passed", "/signature", f"JWT presentation {jws.header.get('alg')} by {signer.key_id}")
    bound = [e for e in (_expect(claims, "nonce", nonce), _expect(claims, "aud", audience)) if e is not None]
    for error in bound:
        report.fail(error)
    if nonce is not None:
        report.check("challenge", "failed" if bound else "passed", "/payload/nonce")
    for problem in time_problems(claims, now=now):
        code = "FRESHNESS_ERROR" if problem.code == "EXPIRED_ERROR" else problem.code
        report.add(Problem(code, "The presentation has expired" if code == "FRESHNESS_ERROR" else problem.title,
                           problem.detail, problem.path, problem.severity))
    vp = claims.get("vp")
    items = vp.get("verifiableCredential") if isinstance(vp, dict) else None
    if not isinstance(items, list) or not items:
        report.fail(MalformedValueError("the vp claim holds no verifiableCredential", path="/payload/vp"))
        return []
    results = []
    for i, item in enumerate(items):
        prefix = f"/payload/vp/verifiableCredential/{i}"
        if not is_jose_text(item):
            report.fail(MalformedValueError("a jwt_vc_json presentation holds JWT credentials", path=prefix))
            continue
        result = verify_jose(item, keys=keys, now=now, report=report, prefix=prefix, nonce=nonce,
                             audience=audience, status=status, token_status=token_status, summary=summary)
        if result is not None:
            holder_binding(result, [signer.controller], keys, report, prefix, required=require_holder_binding)
            results.append(result)
    return results
