"""SD-JWT-based Verifiable Credentials (IETF SD-JWT VC draft): `typ` dc+sd-jwt (vc+sd-jwt before
draft 06), `vct`, `iss`, `cnf` holder binding, `status`, over vccore.sdjwt.

What a screen or check may read is the returned `body`: the processed payload (§7.1 of RFC 9901),
holding only claims whose digests the issuer signed. An Open Badges body (our issuer's, or
edubadges') keeps its VC members (`@context`, `type`, `issuer`, `credentialSubject`, ...), and
is checked against the VC data model without any JSON-LD processing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .errors import MalformedValueError, VCError
from .jose import DisclosureError, JoseHeaderError, KeyBindingError, time_problems, verify_signature
from .josekeys import JoseKeys, PublicKey, import_public_jwk
from .report import Problem, VerificationReport
from .sdjwt import SdJwt, process, verify_key_binding
from .vcdm import check_credential

__all__ = ["NEVER_DISCLOSED", "SD_JWT_VC", "SD_JWT_VC_TYPES", "SdJwtCredential", "holder_key",
           "verify_sd_jwt_vc"]

SD_JWT_VC = "dc+sd-jwt"
SD_JWT_VC_TYPES = ("dc+sd-jwt", "vc+sd-jwt")
# SD-JWT VC §3.2.2: registered claims that must stay in the signed payload
NEVER_DISCLOSED = ("iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status")


@dataclass(frozen=True)
class SdJwtCredential:
    format: str
    body: dict[str, Any]            # the processed payload (see module docstring)
    signer: str
    disclosed: tuple[str, ...]      # pointers of the disclosed claims
    holder: PublicKey | None        # the key in cnf
    key_bound: bool                 # a KB-JWT was presented and verified


def holder_key(cnf: Any, keys: JoseKeys) -> PublicKey | None:
    """RFC 7800 `cnf`: a `jwk`, or a `kid` that is a DID URL (resolved locally, never fetched
    from an arbitrary URL, SD-JWT VC §10)."""
    if not isinstance(cnf, dict):
        return None
    if "jwk" in cnf:
        return import_public_jwk(cnf["jwk"], path="/payload/cnf/jwk")
    if isinstance(cnf.get("kid"), str) and cnf["kid"].startswith("did:"):
        return keys.did_key(cnf["kid"], purpose="authentication").key
    raise MalformedValueError("cnf holds no jwk or DID kid", path="/payload/cnf")


def verify_sd_jwt_vc(sd: SdJwt, *, keys: JoseKeys, now: dt.datetime, report: VerificationReport,
                     prefix: str = "", nonce: str | None = None, audience: str | None = None,
                     require_key_binding: bool = False) -> SdJwtCredential | None:
    """Verify the issuer's signature, disclosures, claims and (when presented) the key binding."""
    header = sd.jws.header
    if header.get("typ") not in SD_JWT_VC_TYPES:
        report.fail(JoseHeaderError(f"typ {header.get('typ')!r} is not dc+sd-jwt", path="/header/typ"),
                    prefix=prefix)
        report.check("proof", "unchecked", prefix, "not an SD-JWT VC")
        return None
    try:
        claims = sd.jws.claims()
        signer = keys.signer(header, claims.get("iss"))
        verify_signature(sd.jws, signer.key)
    except VCError as exc:
        report.fail(exc, prefix=prefix)
        report.check("proof", "failed", prefix + exc.path, exc.detail)
        return None
    iss = claims.get("iss")
    report.check("proof", "passed", prefix + "/signature", f"{header['typ']} {header['alg']} by {signer.key_id}")
    if isinstance(iss, str) and iss.startswith("did:") and iss != signer.controller:
        report.add(Problem("PROOF_VERIFICATION_ERROR", "Signed by someone other than the issuer",
                           f"the key belongs to {signer.controller}, iss is {iss}", prefix + "/payload/iss"))
    try:
        processed = process(claims, sd.disclosures)
    except VCError as exc:
        report.fail(exc, prefix=prefix)
        report.check("disclosures", "failed", prefix + exc.path, exc.detail)
        return None
    hidden = [name for name in NEVER_DISCLOSED if f"/{name}" in processed.disclosed]
    if hidden:
        report.fail(DisclosureError(f"{hidden[0]} must not be selectively disclosable", path=f"/payload/{hidden[0]}"),
                    prefix=prefix)
    report.check("disclosures", "failed" if hidden else "passed", prefix + "/disclosures",
                  f"{len(processed.disclosed)} disclosed claims, each matching a signed digest")
    body = processed.payload
    before = len(report.problems)
    if not isinstance(body.get("vct"), str):
        report.fail(MalformedValueError("vct is missing", path="/payload/vct", title="Missing vct"), prefix=prefix)
    for problem in time_problems(body, now=now):
        report.add(Problem(problem.code, problem.title, problem.detail, prefix + problem.path, problem.severity))
    if "@context" in body:  # an Open Badges / VC body carried in the SD-JWT VC
        check_credential(body, report, loader=None, now=now, base=prefix + "/payload")
    found = report.problems[before:]
    validity = [p for p in found if p.code in ("EXPIRED_ERROR", "NOT_YET_VALID_ERROR")]
    report.check("validity", "failed" if validity else "passed", prefix)
    report.check("data-model", "failed" if any(p.severity == "error" and p not in validity for p in found)
                 else "passed", prefix)
    holder, bound = _key_binding(sd, body, keys, report, prefix, now=now, nonce=nonce, audience=audience,
                                 required=require_key_binding)
    return SdJwtCredential(header["typ"], body, signer.controller, processed.disclosed, holder, bound)


def _key_binding(sd: SdJwt, body: dict[str, Any], keys: JoseKeys, report: VerificationReport, prefix: str, *,
                 now: dt.datetime, nonce: str | None, audience: str | None,
                 required: bool) -> tuple[PublicKey | None, bool]:
    try:
        holder = holder_key(body.get("cnf"), keys)
    except VCError as exc:
        report.fail(exc, prefix=prefix)
        report.check("key-binding", "failed", prefix + exc.path, exc.detail)
        return None, False
    if sd.kb is None:
        if required or (nonce is not None and holder is not None):
            report.fail(KeyBindingError("the presentation has no key binding JWT", path="/kb"), prefix=prefix)
            report.check("key-binding", "failed", prefix + "/kb")
        else:
            report.check("key-binding", "unchecked", prefix + "/kb", "no key binding JWT presented")
        return holder, False
    if holder is None:
        report.fail(KeyBindingError("a KB-JWT, but the credential names no holder key (cnf)",
                                    path="/payload/cnf"), prefix=prefix)
        report.check("key-binding", "failed", prefix + "/payload/cnf")
        return None, False
    try:
        verify_key_binding(sd, holder, now=now, nonce=nonce, audience=audience)
    except VCError as exc:
        report.fail(exc, prefix=prefix)
        report.check("key-binding", "failed", prefix + exc.path, exc.detail)
        return holder, False
    report.check("key-binding", "passed", prefix + "/kb", "signed by the holder key in cnf")
    return holder, True
