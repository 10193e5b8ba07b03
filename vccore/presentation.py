"""Creating and signing verifiable presentations (VC DM 2.0 §4.13, Data Integrity `authentication`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from .canon import Canonicalizer
from .dataintegrity import add_proof
from .keys import KeyPair
from .suites import Cryptosuite, EDDSA_RDFC_2022
from .vcdm import VC2_CONTEXT

__all__ = ["create_presentation", "sign_presentation"]


def create_presentation(credentials: Sequence[dict[str, Any]], *, holder: str | None = None,
                        presentation_id: str | None = None,
                        extra_contexts: Sequence[str] = ()) -> dict[str, Any]:
    """An unsigned VerifiablePresentation holding the credentials as they are (never re-serialised)."""
    vp: dict[str, Any] = {"@context": [VC2_CONTEXT, *extra_contexts], "type": ["VerifiablePresentation"]}
    if presentation_id:
        vp["id"] = presentation_id
    if holder:
        vp["holder"] = holder
    vp["verifiableCredential"] = list(credentials)
    return vp


def sign_presentation(presentation: dict[str, Any], *, key: KeyPair, canon: Canonicalizer,
                      created: dt.datetime | str, challenge: str | None = None,
                      domain: str | None = None, expires: str | None = None,
                      suite: Cryptosuite = EDDSA_RDFC_2022) -> dict[str, Any]:
    """Sign as the holder: proof purpose `authentication`, bound to a challenge and domain when given."""
    return add_proof(presentation, key=key, canon=canon, created=created, suite=suite,
                     purpose="authentication", challenge=challenge, domain=domain, expires=expires)
