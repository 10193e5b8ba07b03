"""VC Data Model 2.0 checks (and 1.1 acceptance) for credentials and presentations.

§4.3 Contexts, §4.4 Identifiers, §4.5 Types, §4.7 Issuer, §4.8 Credential Subject,
§4.9 Validity Period, §4.10 Status, §4.11 Data Schemas, §4.13 Verifiable Presentations,
§5.3 Integrity of Related Resources; VC 1.1 §4.
Every finding is a coded problem with a JSON pointer; nothing raises.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .clock import parse_datetime
from .errors import MalformedValueError, RangeError, UnknownContextError, VCError
from .integrity import check_digest_multibase, check_digest_sri
from .jsondoc import pointer
from .loader import ContextLoader
from .report import Problem, VerificationReport

__all__ = ["VC1_CONTEXT", "VC2_CONTEXT", "check_credential", "check_presentation", "is_url",
           "vc_version", "validity_problems"]

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
# Members whose values are typed objects (§4.10–§4.14, §5.x): each needs a `type`. §5.3's
# relatedResource objects have none: they are checked by _check_related_resources.
_TYPED_MEMBERS = ("credentialStatus", "credentialSchema", "evidence", "refreshService",
                  "termsOfUse", "renderMethod", "confidenceMethod")
# §4.11: "Each credentialSchema MUST specify its type ... and an id property that MUST be a URL".
_ID_REQUIRED = ("credentialSchema",)


def is_url(value: Any) -> bool:
    """An absolute URL (RFC 3986 scheme + rest, no whitespace), as VC DM 2.0 §4.4 requires."""
    return isinstance(value, str) and bool(_URL.match(value))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def vc_version(document: dict[str, Any]) -> int | None:
    ctx = document.get("@context")
    first = ctx[0] if isinstance(ctx, list) and ctx else ctx
    return {VC2_CONTEXT: 2, VC1_CONTEXT: 1}.get(first) if isinstance(first, str) else None


def _check_contexts(doc: dict[str, Any], report: VerificationReport, loader: ContextLoader | None) -> int | None:
    ctx = doc.get("@context")
    if ctx is None:
        report.fail(MalformedValueError("@context is missing", path="/@context", title="Missing @context"))
        return None
    items = ctx if isinstance(ctx, list) else [ctx]
    if not items:
        report.fail(MalformedValueError("@context is empty", path="/@context", title="Missing @context"))
        return None
    version = vc_version(doc)
    if version is None:
        where = [i for i, c in enumerate(items) if c in (VC2_CONTEXT, VC1_CONTEXT)]
        detail = (f"the base context must come first, it is at position {where[0]}" if where
                  else f"the first context must be {VC2_CONTEXT}")
        report.fail(MalformedValueError(detail, path="/@context/0", title="Wrong first context"))
    for i, c in enumerate(items):
        if isinstance(c, str):
            if loader is not None and not loader.knows(c):
                report.fail(UnknownContextError(f"unknown JSON-LD context {c!r}", path=f"/@context/{i}"))
        elif not isinstance(c, dict):
            report.fail(MalformedValueError("a context must be a URL or an object", path=f"/@context/{i}"))
    return version


def _check_types(doc: dict[str, Any], required: str, report: VerificationReport, base: str = "") -> None:
    types = doc.get("type")
    if types is None:
        report.fail(MalformedValueError("type is missing", path=base + "/type", title="Missing type"))
        return
    if not all(isinstance(t, str) and t for t in _as_list(types)):
        report.fail(MalformedValueError("every type must be a non-empty string", path=base + "/type"))
    if required not in _as_list(types):
        report.fail(MalformedValueError(f"type must include {required}", path=base + "/type",
                                        title=f"Not a {required}"))


def _check_typed_members(doc: dict[str, Any], report: VerificationReport) -> None:
    for member in _TYPED_MEMBERS:
        if member not in doc:
            continue
        for i, item in enumerate(_as_list(doc[member])):
            where = pointer(member, i) if isinstance(doc[member], list) else pointer(member)
            if not isinstance(item, dict):
                report.fail(MalformedValueError(f"{member} must be an object", path=where))
                continue
            if "type" not in item:
                report.fail(MalformedValueError(f"{member} needs a type", path=where + "/type",
                                                title="Missing type"))
            if "id" in item and not is_url(item["id"]):
                report.fail(MalformedValueError(f"{member} id must be a URL", path=where + "/id"))
            elif "id" not in item and member in _ID_REQUIRED:
                report.fail(MalformedValueError(f"{member} needs an id (the URL of the schema)",
                                                path=where + "/id", title="Missing id"))


def _check_related_resources(doc: dict[str, Any], report: VerificationReport) -> None:
    """§5.3: one or more objects, each with a unique URL `id` and a digestSRI or digestMultibase."""
    if "relatedResource" not in doc:
        return
    value = doc["relatedResource"]
    seen: set[str] = set()
    for i, item in enumerate(_as_list(value)):
        where = pointer("relatedResource", i) if isinstance(value, list) else pointer("relatedResource")
        if not isinstance(item, dict):
            report.fail(MalformedValueError("relatedResource must be an object", path=where))
            continue
        rid = item.get("id")
        if not is_url(rid):
            report.fail(MalformedValueError("relatedResource needs an id that is a URL", path=where + "/id",
                                            title="Missing id" if rid is None else "Invalid id"))
        elif rid in seen:
            report.fail(MalformedValueError(f"relatedResource {rid!r} is listed twice", path=where + "/id",
                                            title="Duplicate related resource"))
        else:
            seen.add(rid)
        if "digestSRI" not in item and "digestMultibase" not in item:
            report.fail(MalformedValueError("relatedResource needs a digestSRI or a digestMultibase",
                                            path=where, title="Related resource without a digest"))
        for member, check in (("digestSRI", check_digest_sri), ("digestMultibase", check_digest_multibase)):
            if member in item:
                try:
                    check(item[member], path=f"{where}/{member}")
                except VCError as exc:
                    report.fail(exc)
        if "mediaType" in item and not isinstance(item["mediaType"], str):
            report.fail(MalformedValueError("mediaType must be a string", path=where + "/mediaType"))


def check_credential(doc: Any, report: VerificationReport, *, loader: ContextLoader | None = None,
                     now: dt.datetime | None = None, base: str = "") -> None:
    """Structural checks of a credential; problems are added to `report` with `base` prefixed."""
    local = VerificationReport()
    if not isinstance(doc, dict):
        local.fail(MalformedValueError("a credential must be a JSON object", path=""))
        report.merge(local, prefix=base)
        return
    version = _check_contexts(doc, local, loader)
    _check_types(doc, "VerifiableCredential", local)
    if "id" in doc and not is_url(doc["id"]):
        local.fail(MalformedValueError("id must be a URL", path="/id", title="Invalid id"))
    issuer = doc.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer is None:
        local.fail(MalformedValueError("issuer is missing", path="/issuer", title="Missing issuer"))
    elif not is_url(issuer_id):
        local.fail(MalformedValueError("issuer must be a URL or an object whose id is a URL",
                                       path="/issuer/id" if isinstance(issuer, dict) else "/issuer",
                                       title="Invalid issuer"))
    subjects = doc.get("credentialSubject")
    if subjects is None or subjects == [] or subjects == {}:
        local.fail(MalformedValueError("credentialSubject is missing", path="/credentialSubject",
                                       title="Missing credential subject"))
    else:
        for i, s in enumerate(_as_list(subjects)):
            where = f"/credentialSubject/{i}" if isinstance(subjects, list) else "/credentialSubject"
            if not isinstance(s, dict):
                local.fail(MalformedValueError("credentialSubject must be an object", path=where))
            elif not s:  # §4.8: a subject says something about someone; {} says nothing
                local.fail(MalformedValueError("a credentialSubject object must not be empty", path=where,
                                               title="Empty credential subject"))
            elif "id" in s and not is_url(s["id"]):
                local.fail(MalformedValueError("credentialSubject id must be a URL", path=where + "/id"))
    _check_typed_members(doc, local)
    _check_related_resources(doc, local)
    for problem in validity_problems(doc, now=now, version=version):
        local.add(problem)
    report.merge(local, prefix=base)


def validity_problems(doc: dict[str, Any], *, now: dt.datetime | None, version: int | None) -> list[Problem]:
    """§4.9 validFrom/validUntil (VC 1.1: issuanceDate/expirationDate) against the clock."""
    start_key, end_key = ("issuanceDate", "expirationDate") if version == 1 else ("validFrom", "validUntil")
    problems: list[Problem] = []
    bounds: dict[str, dt.datetime] = {}
    if version == 1 and "issuanceDate" not in doc:
        problems.append(Problem.from_error(MalformedValueError("issuanceDate is required in VC 1.1",
                                                               path="/issuanceDate")))
    for key in (start_key, end_key):
        if key in doc:
            try:
                bounds[key] = parse_datetime(doc[key], path=f"/{key}", require_offset=version == 2)
            except VCError as exc:
                problems.append(Problem.from_error(exc))
    if start_key in bounds and end_key in bounds and bounds[end_key] < bounds[start_key]:
        problems.append(Problem.from_error(RangeError(f"{end_key} is before {start_key}", path=f"/{end_key}",
                                                      title="Validity period ends before it starts")))
    elif now is not None:
        if end_key in bounds and now > bounds[end_key]:
            problems.append(Problem("EXPIRED_ERROR", "The credential has expired",
                                    f"valid until {doc[end_key]}", f"/{end_key}"))
        if start_key in bounds and now < bounds[start_key]:
            problems.append(Problem("NOT_YET_VALID_ERROR", "The credential is not valid yet",
                                    f"valid from {doc[start_key]}", f"/{start_key}"))
    return problems


def check_presentation(doc: Any, report: VerificationReport, *, loader: ContextLoader | None = None) -> None:
    """§4.13 structural checks of a presentation (its credentials are checked by the caller)."""
    local = VerificationReport()
    if not isinstance(doc, dict):
        local.fail(MalformedValueError("a presentation must be a JSON object", path=""))
        report.merge(local)
        return
    _check_contexts(doc, local, loader)
    _check_types(doc, "VerifiablePresentation", local)
    if "id" in doc and not is_url(doc["id"]):
        local.fail(MalformedValueError("id must be a URL", path="/id"))
    holder = doc.get("holder")
    holder_id = holder.get("id") if isinstance(holder, dict) else holder
    if holder is not None and not is_url(holder_id):
        local.fail(MalformedValueError("holder must be a URL", path="/holder"))
    for i, vc in enumerate(_as_list(doc.get("verifiableCredential", []))):
        if not isinstance(vc, dict):
            local.fail(MalformedValueError("each verifiableCredential must be an object",
                                           path=f"/verifiableCredential/{i}"))
    report.merge(local)
