"""JOSE-secured credentials in vccore's Verifier: telling the formats apart, enveloped credentials
in presentations (VC DM 2.0 §4.13.1 EnvelopedVerifiableCredential, a `data:` URL), status hooks,
and the holder binding of a credential presented inside a holder-signed presentation.

The verified body (the JSON the signature covers) goes to `report.bodies[prefix]`; summaries to
`report.credentials` with their `format`. Nothing here is JSON-LD-processed.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable

from .errors import MalformedValueError, VCError
from .jose import JoseHeaderError, looks_like_jws, parse_compact
from .josekeys import JoseKeys, PublicKey, public_jwk
from .jwtvc import JWT_VC_JSON, VC_JWT, verify_jwt_vc
from .report import Problem, VerificationReport
from .sdjwt import parse_sd_jwt
from .sdjwtvc import SD_JWT_VC, verify_sd_jwt_vc

__all__ = ["ENVELOPED", "JoseResult", "MEDIA_TYPES", "envelope", "enveloped_token", "is_jose_text", "verify_jose"]

ENVELOPED = "EnvelopedVerifiableCredential"
MEDIA_TYPES = {JWT_VC_JSON: "application/jwt", VC_JWT: "application/vc+jwt", SD_JWT_VC: "application/dc+sd-jwt",
               "vc+sd-jwt": "application/vc+sd-jwt"}
_KNOWN_MEDIA = {"application/jwt", "application/vc+jwt", "application/vc+ld+jwt", "application/dc+sd-jwt",
                "application/vc+sd-jwt"}
StatusHook = Callable[[dict[str, Any], VerificationReport, str], None]


@dataclass(frozen=True)
class JoseResult:
    format: str
    body: dict[str, Any]
    signer: str
    base: str                      # JSON pointer of the body within the report
    subject_ids: tuple[str, ...]
    holder_key: PublicKey | None   # SD-JWT VC cnf
    key_bound: bool


def is_jose_text(document: Any) -> bool:
    """Text (or bytes) holding a compact JWS or an SD-JWT, not JSON."""
    if isinstance(document, bytes):
        try:
            document = document.decode("ascii")
        except UnicodeDecodeError:
            return False
    return isinstance(document, str) and looks_like_jws(document)


def envelope(token: str, fmt: str) -> dict[str, Any]:
    """VC DM 2.0 §4.13.1: a JOSE credential as an EnvelopedVerifiableCredential in a presentation."""
    return {"@context": "https://www.w3.org/ns/credentials/v2", "id": f"data:{MEDIA_TYPES[fmt]},{token}",
            "type": ENVELOPED}


def enveloped_token(vc: Any) -> str | None:
    """The token of an EnvelopedVerifiableCredential (None when `vc` is not one); raises if malformed."""
    if not isinstance(vc, dict) or vc.get("type") not in (ENVELOPED, [ENVELOPED]):
        return None
    url = vc.get("id")
    if not isinstance(url, str) or not url.startswith("data:") or "," not in url:
        raise MalformedValueError("an enveloped credential's id is a data: URL", path="/id")
    media, _, data = url[5:].partition(",")
    if media.split(";")[0] not in _KNOWN_MEDIA or ";base64" in media:
        raise MalformedValueError(f"unsupported enveloped media type {media!r}", path="/id")
    return urllib.parse.unquote(data)


def _subject_ids(body: dict[str, Any]) -> tuple[str, ...]:
    subjects = body.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    return tuple(s["id"] for s in subjects if isinstance(s, dict) and isinstance(s.get("id"), str))


def verify_jose(text: str, *, keys: JoseKeys, now: dt.datetime, report: VerificationReport, prefix: str = "",
                nonce: str | None = None, audience: str | None = None, require_key_binding: bool = False,
                status: StatusHook | None = None, token_status: StatusHook | None = None,
                summary: Callable[[dict[str, Any]], dict[str, Any]] = dict) -> JoseResult | None:
    """Verify one JOSE-secured credential; every problem goes to `report` under `prefix`."""
    text = text.strip()
    try:
        if "~" in text:
            sd = parse_sd_jwt(text)
            found = verify_sd_jwt_vc(sd, keys=keys, now=now, report=report, prefix=prefix, nonce=nonce,
                                     audience=audience, require_key_binding=require_key_binding)
            result = found and JoseResult(found.format, found.body, found.signer, prefix + "/payload",
                                          _subject_ids(found.body), found.holder, found.key_bound)
        else:
            token = parse_compact(text)
            if token.header.get("typ") in ("dc+sd-jwt", "vc+sd-jwt"):
                raise JoseHeaderError("an SD-JWT VC without its `~` (disclosures and key binding)",
                                      path="/header/typ")
            jwt = verify_jwt_vc(token, keys=keys, now=now, report=report, prefix=prefix)
            base = prefix + ("/payload/vc" if jwt and jwt.format == JWT_VC_JSON else "/payload")
            result = jwt and JoseResult(jwt.format, jwt.body, jwt.signer, base, _subject_ids(jwt.body), None, False)
    except VCError as exc:
        report.fail(exc, prefix=prefix)
        report.check("parse", "failed", prefix + exc.path, exc.detail)
        return None
    if result is None:
        return None
    report.bodies[prefix] = result.body
    report.credentials.append({**summary(result.body), "format": result.format, "path": prefix})
    if status is not None and "credentialStatus" in result.body:
        status(result.body, report, result.base)
    if token_status is not None and isinstance(result.body.get("status"), dict) \
            and "status_list" in result.body["status"]:
        token_status(result.body, report, result.base)
    return result


def holder_binding(result: JoseResult, signers: list[str], keys: JoseKeys, report: VerificationReport,
                   prefix: str, *, required: bool) -> None:
    """Is the presentation's signer the credential's holder: its subject id, or its cnf key."""
    if any(i in signers for i in result.subject_ids):
        report.check("holder-binding", "passed", prefix)
        return
    if result.holder_key is not None and _same_key(result.holder_key, signers, keys):
        report.check("holder-binding", "passed", prefix, "the presentation's key is the one in cnf")
        return
    if any(_same_key(key, signers, keys) for key in _subject_keys(result.subject_ids, keys)):
        report.check("holder-binding", "passed", prefix, "the subject's DID names the presentation's key")
        return
    if result.key_bound:  # the KB-JWT, signed with the cnf key, answers this presentation's challenge
        report.check("holder-binding", "passed", prefix, "key binding JWT signed with the key in cnf")
        return
    if not result.subject_ids and result.holder_key is None:
        report.add(Problem("HOLDER_BINDING_ERROR", "The credential is not bound to a holder",
                           "it names no subject id and no holder key, so anyone holding it can present it",
                           prefix, "warning"))
        report.check("holder-binding", "warning", prefix)
        return
    report.add(Problem("HOLDER_BINDING_ERROR", "Presented by someone other than the holder",
                       f"the presentation was signed by {signers[0]}", prefix, "error" if required else "warning"))
    report.check("holder-binding", "failed" if required else "warning", prefix)


def _subject_keys(ids: tuple[str, ...], keys: JoseKeys) -> list[PublicKey]:
    """The keys of subject DIDs (a did:jwk or did:key of the holder's key in another form)."""
    found = []
    for did in ids:
        try:
            found.append(keys.did_key(did, purpose="authentication").key)
        except VCError:
            continue
    return found


def _same_key(holder: PublicKey, signers: list[str], keys: JoseKeys) -> bool:
    for did in signers:
        try:
            if public_jwk(keys.did_key(did, purpose="authentication").key) == public_jwk(holder):
                return True
        except VCError:
            continue
    return False
