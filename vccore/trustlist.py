"""The quality framework authority's signed trust list of accredited institutions.

Format (docs/trust-list.md): a VC 2.0 credential of type `MicrocredentialTrustList`, issued and
signed (eddsa-rdfc-2022) by the authority, whose subject lists the accredited institutions:
`{"id": DID, "name", "brin", "accreditedFrom", "accreditedUntil", "framework": [...]}`.
Terms beyond the VC 2.0 context are defined inline in the issuer-dependent vocabulary, so any
VC 2.0 verifier can check the signature without fetching a context. A verifier holds the authority's DID and a copy of the list: no lookup.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, Sequence

from .clock import format_datetime, parse_datetime
from .errors import VCError
from .report import Problem
from .vcdm import VC2_CONTEXT

__all__ = ["TRUST_LIST_CONTEXT", "TRUST_LIST_TYPE", "TrustEntry", "TrustList", "TrustListError",
           "build_trust_list"]

TRUST_LIST_TYPE = "MicrocredentialTrustList"
# VC DM 2.0 §5.2: terms without a published context live in the issuer-dependent vocabulary. The
# published VC 2.0 context has no @vocab and safe mode refuses undefined terms, so the list's own
# terms are defined inline (no context to fetch), dates typed as xsd:dateTime.
_NS = "https://www.w3.org/ns/credentials/issuer-dependent#"
_DATE = "http://www.w3.org/2001/XMLSchema#dateTime"
TRUST_LIST_CONTEXT = {
    "MicrocredentialTrustList": _NS + "MicrocredentialTrustList",
    "AccreditedInstitutionList": _NS + "AccreditedInstitutionList",
    "institution": {"@id": _NS + "institution", "@type": "@id"},
    "brin": _NS + "brin",
    "accreditedFrom": {"@id": _NS + "accreditedFrom", "@type": _DATE},
    "accreditedUntil": {"@id": _NS + "accreditedUntil", "@type": _DATE},
    "framework": _NS + "framework",
}


class TrustListError(VCError):
    code = "TRUST_LIST_ERROR"
    title = "The trust list cannot be used"


@dataclass(frozen=True)
class TrustEntry:
    did: str
    name: str
    brin: str | None
    accredited_from: dt.datetime | None
    accredited_until: dt.datetime | None
    frameworks: tuple[str, ...] = ()

    def valid_at(self, when: dt.datetime) -> bool:
        return ((self.accredited_from is None or self.accredited_from <= when)
                and (self.accredited_until is None or when <= self.accredited_until))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.did, "name": self.name}
        if self.brin:
            out["brin"] = self.brin
        if self.accredited_from:
            out["accreditedFrom"] = format_datetime(self.accredited_from)
        if self.accredited_until:
            out["accreditedUntil"] = format_datetime(self.accredited_until)
        if self.frameworks:
            out["framework"] = list(self.frameworks)
        return out


def build_trust_list(*, authority: str, authority_name: str, entries: Sequence[TrustEntry],
                     valid_from: dt.datetime, valid_until: dt.datetime | None = None,
                     list_id: str | None = None) -> dict[str, Any]:
    """The unsigned trust list credential (sign it with the authority's key)."""
    doc: dict[str, Any] = {
        "@context": [VC2_CONTEXT, TRUST_LIST_CONTEXT],
        "id": list_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", TRUST_LIST_TYPE],
        "name": "Trust list: accredited microcredential institutions",
        "issuer": {"id": authority, "name": authority_name},
        "validFrom": format_datetime(valid_from),
    }
    if valid_until:
        doc["validUntil"] = format_datetime(valid_until)
    doc["credentialSubject"] = {"type": "AccreditedInstitutionList",
                                "institution": [e.to_json() for e in entries]}
    return doc


@dataclass
class TrustList:
    """A verified trust list: who signed it, when, and the accredited institutions."""

    authority: str
    authority_name: str
    issued: str | None
    valid_until: str | None
    entries: dict[str, TrustEntry] = field(default_factory=dict)
    document: dict[str, Any] | None = None

    def lookup(self, did: str, at: dt.datetime) -> TrustEntry | None:
        entry = self.entries.get(did)
        return entry if entry is not None and entry.valid_at(at) else None

    @classmethod
    def from_credential(cls, document: Any, *, verifier: Any, authority: str) -> "TrustList":
        """Verify the signed list (signature, validity, signed by `authority`) and read it.

        `verifier` is a vccore Verifier. Raises TrustListError naming the first problem.
        """
        report = verifier.verify_credential(document)
        if not report.verified:
            first: Problem = report.errors[0]
            raise TrustListError(f"{first.code}: {first.detail}", path=first.path,
                                 title="The trust list does not verify")
        types = document.get("type", [])
        if TRUST_LIST_TYPE not in (types if isinstance(types, list) else [types]):
            raise TrustListError(f"not a {TRUST_LIST_TYPE}", path="/type", title="Not a trust list")
        issuer = document.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer_id != authority:
            raise TrustListError(f"the list is signed by {issuer_id}, not by the configured authority {authority}",
                                 path="/issuer", title="Trust list signed by someone else")
        subject = document.get("credentialSubject")
        items = subject.get("institution") if isinstance(subject, dict) else None
        if not isinstance(items, list):
            raise TrustListError("credentialSubject.institution must be a list",
                                 path="/credentialSubject/institution", title="Malformed trust list")
        entries: dict[str, TrustEntry] = {}
        for i, item in enumerate(items):
            where = f"/credentialSubject/institution/{i}"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("name"), str):
                raise TrustListError("each institution needs an id and a name", path=where,
                                     title="Malformed trust list")
            frameworks = item.get("framework", [])
            frameworks = frameworks if isinstance(frameworks, list) else [frameworks]
            entries[item["id"]] = TrustEntry(
                did=item["id"], name=item["name"],
                brin=item.get("brin") if isinstance(item.get("brin"), str) else None,
                accredited_from=parse_datetime(item["accreditedFrom"], path=where + "/accreditedFrom")
                if "accreditedFrom" in item else None,
                accredited_until=parse_datetime(item["accreditedUntil"], path=where + "/accreditedUntil")
                if "accreditedUntil" in item else None,
                frameworks=tuple(str(f) for f in frameworks))
        name = issuer.get("name") if isinstance(issuer, dict) else None
        return cls(authority=issuer_id, authority_name=name if isinstance(name, str) else issuer_id,
                   issued=document.get("validFrom"), valid_until=document.get("validUntil"),
                   entries=entries, document=document)
