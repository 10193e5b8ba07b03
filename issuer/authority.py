"""Acting for the quality framework's authority: sign the trust list of accredited institutions
(format: docs/trust-list.md) and OB 3.0 EndorsementCredentials for an institution's offering."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Sequence

from vccore import Canonicalizer, Clock, KeyPair, SystemClock, add_proof
from vccore.clock import format_datetime, parse_datetime
from vccore.errors import MalformedValueError
from vccore.trustlist import TrustEntry, build_trust_list
from vccore.vcdm import is_url

from .builder import CONTEXTS, QUALITY_FRAMEWORK

__all__ = ["Authority", "trust_entries"]

def trust_entries(items: Any) -> list[TrustEntry]:
    """Trust list input (a JSON array of {did, name, brin, accreditedFrom, accreditedUntil, framework})."""
    if not isinstance(items, list):
        raise MalformedValueError("the institutions must be a JSON array", path="", title="Invalid input")
    entries = []
    for i, item in enumerate(items):
        where = f"/{i}"
        if not isinstance(item, dict) or not isinstance(item.get("did"), str) or not is_url(item["did"]) \
                or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise MalformedValueError("each institution needs a did and a name", path=where, title="Invalid input")
        frameworks = item.get("framework", [QUALITY_FRAMEWORK])
        frameworks = frameworks if isinstance(frameworks, list) else [frameworks]
        dates = {k: parse_datetime(item[k], path=f"{where}/{k}", require_offset=True) if item.get(k) else None
                 for k in ("accreditedFrom", "accreditedUntil")}
        brin = item.get("brin")
        entries.append(TrustEntry(did=item["did"], name=item["name"].strip(),
                                  brin=brin if isinstance(brin, str) and brin else None,
                                  accredited_from=dates["accreditedFrom"], accredited_until=dates["accreditedUntil"],
                                  frameworks=tuple(str(f) for f in frameworks)))
    return entries


class Authority:
    """The framework authority's signing tools (its own key; nothing of an institution's)."""

    def __init__(self, *, key: KeyPair, name: str, canon: Canonicalizer | None = None,
                 clock: Clock | None = None) -> None:
        self.key = key
        self.name = name
        self.canon = canon or Canonicalizer()
        self.clock = clock or SystemClock()

    def _sign(self, document: dict[str, Any]) -> dict[str, Any]:
        return add_proof(document, key=self.key, canon=self.canon, created=self.clock.now())

    def sign_trust_list(self, entries: Sequence[TrustEntry], *, valid_until: dt.datetime | None = None,
                        list_id: str | None = None) -> dict[str, Any]:
        """The signed trust list (vccore.trustlist format) of accredited institutions."""
        document = build_trust_list(authority=self.key.controller, authority_name=self.name, entries=entries,
                                    valid_from=self.clock.now(), valid_until=valid_until, list_id=list_id)
        return self._sign(document)

    def endorse(self, subject_id: str, comment: str, *, valid_until: dt.datetime | None = None,
                name: str | None = None) -> dict[str, Any]:
        """OB 3.0 EndorsementCredential for an achievement (its id) or an institution (its DID)."""
        if not is_url(subject_id):
            raise MalformedValueError(f"{subject_id!r} is not a URL or DID", path="/credentialSubject/id")
        if not isinstance(comment, str) or not comment.strip():
            raise MalformedValueError("an endorsement needs a comment", path="/credentialSubject/endorsementComment")
        document: dict[str, Any] = {
            "@context": list(CONTEXTS),
            "id": f"urn:uuid:{uuid.uuid4()}",
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "name": name or f"Endorsement: {QUALITY_FRAMEWORK}",
            "issuer": {"id": self.key.controller, "type": ["Profile"], "name": self.name},
            "validFrom": format_datetime(self.clock.now()),
        }
        if valid_until is not None:
            document["validUntil"] = format_datetime(valid_until)
        document["credentialSubject"] = {"id": subject_id, "type": ["EndorsementSubject"],
                                         "endorsementComment": comment.strip()}
        return self._sign(document)
