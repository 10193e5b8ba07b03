"""The microcredential as an SD-JWT VC (IETF SD-JWT VC draft, RFC 9901): the same Open Badges body
the institution signed with Data Integrity, every `credentialSubject` member except `id` and `type`
selectively disclosable (so a learner can show the unit and institution and hide the grade), bound
to the holder's key in `cnf`, signed EdDSA by the institution's key (`kid` its did:key)."""

from __future__ import annotations

import copy
import datetime as dt
import os
from typing import Any, Callable

from vccore import KeyPair
from vccore.clock import parse_datetime
from vccore.josekeys import okp_key
from vccore.sdjwt import conceal, issue

__all__ = ["ALWAYS_DISCLOSED", "SD_JWT_CONFIGURATION_ID", "VCT", "sd_jwt_vc"]

SD_JWT_CONFIGURATION_ID = "MicroCredentialSdJwt"
VCT = "urn:nl:microcredentials:MicroCredential:1"
ALWAYS_DISCLOSED = ("id", "type")  # the holder binding and the subject's type


def sd_jwt_vc(credential: dict[str, Any], *, key: KeyPair, holder_jwk: dict[str, Any], now: dt.datetime,
              random: Callable[[int], bytes] = os.urandom) -> str:
    """The issued SD-JWT VC (`<JWT>~<disclosures>~`) of a signed credential (its proof left out)."""
    body = {k: copy.deepcopy(v) for k, v in credential.items() if k != "proof"}
    subject = body.get("credentialSubject")
    disclosures = []
    if isinstance(subject, dict):
        names = [name for name in subject if name not in ALWAYS_DISCLOSED]
        body["credentialSubject"], disclosures = conceal(subject, names, random=random)
    payload: dict[str, Any] = {**body, "iss": key.controller, "vct": VCT, "iat": int(now.timestamp()),
                               "cnf": {"jwk": holder_jwk}}
    for claim, member in (("nbf", "validFrom"), ("exp", "validUntil")):
        if isinstance(body.get(member), str):
            payload[claim] = int(parse_datetime(body[member]).timestamp())
    header = {"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": key.id}
    return issue(header, payload, disclosures, okp_key(key.private_key))
