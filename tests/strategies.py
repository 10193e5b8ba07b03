"""Hypothesis strategies: realistic OB 3.0 microcredentials as 34 institutions' software writes them.

Built with the issuer's own builder (the data contract), then varied the way other issuing software
varies: 1-12 learning outcomes, optional members, ECTS from 1 to 30 in steps of 0.5, Unicode text,
no, one or two status entries, and any order of object members.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from hypothesis import strategies as st

from issuer.builder import build_credential, status_entry
from issuer.model import (InstitutionProfile, LearningOutcome, MicrocredentialDefinition, Participant,
                          ResultScale)

__all__ = ["ob3_credentials", "shuffled"]

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=40).map(str.strip).filter(bool)
_HOLDER = "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"


def _uuids(draw: Any, n: int) -> list[str]:
    ints = draw(st.lists(st.integers(0, 2 ** 128 - 1), min_size=n, max_size=n, unique=True))
    return [f"urn:uuid:{uuid.UUID(int=i, version=4)}" for i in ints]


@st.composite
def ob3_credentials(draw: Any, *, issuer_did: str, holder_did: str | None = _HOLDER) -> dict[str, Any]:
    """One unsigned OpenBadgeCredential microcredential."""
    outcomes = [LearningOutcome(name=draw(_TEXT), description=draw(_TEXT))
                for _ in range(draw(st.integers(1, 12)))]
    passfail = draw(st.booleans())
    scale = ResultScale(kind="passfail") if passfail else ResultScale()
    definition = MicrocredentialDefinition(
        title=draw(_TEXT), course_code=draw(st.from_regex(r"[A-Z]{2}-[A-Z0-9]{2,6}", fullmatch=True)),
        description=draw(_TEXT), criteria=draw(_TEXT), nlqf_level=draw(st.sampled_from(
            ["Entry", "1", "2", "3", "4", "5", "6", "7", "8"])),
        ects=draw(st.integers(2, 60)) / 2, learning_outcomes=outcomes, result_scale=scale,
        language=draw(st.sampled_from(["nl", "en", "de"])), assessment_type=draw(_TEXT),
        participation_form=draw(_TEXT), identity_check=draw(_TEXT),
        info_url="https://www.hogeschool-voorbeeld.nl/mc/" + draw(st.from_regex(r"[a-z]{3,12}", fullmatch=True)))
    awarded = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 240)))
    until = awarded + dt.timedelta(days=draw(st.integers(1, 2000))) if draw(st.booleans()) else None
    participant = Participant(name=draw(_TEXT), result="Voldaan" if passfail else str(draw(st.integers(6, 10))),
                              award_date=awarded, valid_until=until)
    institution = InstitutionProfile(name=draw(_TEXT), brin=draw(st.from_regex(r"[0-9]{2}[A-Z]{2}", fullmatch=True)),
                                     url="https://www.hogeschool-voorbeeld.nl")
    purposes = draw(st.sampled_from([(), ("revocation",), ("revocation", "suspension")]))
    status = [status_entry("https://badges.example.nl", p[:3], draw(st.integers(0, 131071)), p) for p in purposes]
    ids = _uuids(draw, 3)
    credential = build_credential(definition, participant, institution, issuer_did=issuer_did,
                                  credential_id=ids[0], achievement_id=ids[1], result_description_id=ids[2],
                                  holder_did=holder_did, status=status)
    return shuffled(credential, random.Random(draw(st.integers(0, 2 ** 32))))


def shuffled(value: Any, rng: random.Random, *, arrays: bool = False) -> Any:
    """The same JSON with object members in a random order (and, with `arrays`, unordered arrays
    too: every array in an OB 3.0 credential is a set except `@context`)."""
    if isinstance(value, dict):
        items = [(k, v if k == "@context" else shuffled(v, rng, arrays=arrays)) for k, v in value.items()]
        rng.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        items = [shuffled(v, rng, arrays=arrays) for v in value]
        if arrays:
            rng.shuffle(items)
        return items
    return value
