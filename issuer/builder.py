"""Open Badges 3.0 builder: a microcredential definition + participant -> unsigned OpenBadgeCredential.

The shape is the data contract in docs/architecture.md and docs/examples/microcredential.json: only the
VC 2.0 and OB 3.0.3 contexts; where OB 3.0 has no property, an Alignment with an `ext:` targetType.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from .model import (InstitutionProfile, MicrocredentialDefinition, Participant, eqf_level,
                    result_value)

__all__ = ["CONTEXTS", "NLQF_URL", "EQF_URL", "QUALITY_FRAMEWORK", "QUALITY_URL", "build_credential",
           "issuer_profile", "status_entry"]

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
NLQF_URL = "https://www.nlqf.nl/nlqf-niveaus"
EQF_URL = "https://europass.europa.eu/en/description-eight-eqf-levels"
QUALITY_FRAMEWORK = "Kwaliteitskader microcredentials"
QUALITY_NAME = "Erkend door het Nederlandse kwaliteitskader voor microcredentials"
QUALITY_URL = "https://www.versnellingsplan.nl/kwaliteitskader-microcredentials"


def _date_time(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _number(value: float) -> int | float:
    """ECTS as an integer when whole: `5`, not `5.0` (shorter, and an xsd:integer in the JSON)."""
    return int(value) if float(value).is_integer() else value


def issuer_profile(institution: InstitutionProfile, did: str) -> dict[str, Any]:
    """OB 3.0 Profile of the institution, BRIN as an otherIdentifier."""
    return {
        "id": did,
        "type": ["Profile"],
        "name": institution.name,
        "url": institution.url,
        "address": {"type": ["Address"], "addressCountryCode": institution.country},
        "otherIdentifier": [{"type": "IdentifierEntry", "identifier": institution.brin,
                             "identifierType": "identifier"}],
    }


def status_entry(base_url: str, list_id: str, index: int, purpose: str) -> dict[str, str]:
    """Bitstring Status List v1.0 §3.1 BitstringStatusListEntry."""
    url = f"{base_url}/status/{list_id}"
    return {"id": f"{url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": url}


def _alignment(target_type: str, name: str, url: str, *, framework: str | None = None,
               code: str | None = None, description: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["Alignment"], "targetType": target_type}
    if framework is not None:
        out["targetFramework"] = framework
    if code is not None:
        out["targetCode"] = code
    out["targetName"] = name
    if description is not None:
        out["targetDescription"] = description
    out["targetUrl"] = url
    return out


def achievement(definition: MicrocredentialDefinition, *, achievement_id: str,
                result_description_id: str) -> dict[str, Any]:
    """The OB 3.0 Achievement all participants of one definition share."""
    d = definition
    level = d.nlqf_level
    alignments = [_alignment("ext:NLQFLevel", "NLQF instapniveau" if level == "Entry" else f"NLQF niveau {level}",
                             NLQF_URL, framework="NLQF", code=level)]
    eqf = eqf_level(level)
    if eqf is not None:
        alignments.append(_alignment("ext:EQFLevel", f"EQF level {eqf}", EQF_URL, framework="EQF", code=eqf))
    for i, outcome in enumerate(d.learning_outcomes):
        alignments.append(_alignment("ext:LearningOutcome", outcome.name, d.outcome_url(i),
                                     description=outcome.description))
    alignments += [
        _alignment("ext:QualityAssurance", QUALITY_NAME, QUALITY_URL, framework=QUALITY_FRAMEWORK),
        _alignment("ext:AssessmentType", d.assessment_type, f"{d.info_url}#toetsing"),
        _alignment("ext:ParticipationForm", d.participation_form, f"{d.info_url}#vorm"),
        _alignment("ext:IdentityCheck", d.identity_check, f"{d.info_url}#toezicht"),
    ]
    scale = d.result_scale
    result_description: dict[str, Any] = {"id": result_description_id, "type": ["ResultDescription"],
                                          "name": scale.name}
    if scale.kind == "grade":
        result_description.update({"resultType": "GradePointAverage", "requiredValue": scale.pass_mark,
                                   "valueMin": scale.minimum, "valueMax": scale.maximum})
    else:
        result_description.update({"resultType": "Status", "allowedValue": [scale.pass_value],
                                   "requiredValue": scale.pass_value})
    return {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": d.title,
        "humanCode": d.course_code,
        "description": d.description,
        "criteria": {"narrative": d.criteria},
        "creditsAvailable": _number(d.ects),
        "inLanguage": d.language,
        "resultDescription": [result_description],
        "alignment": alignments,
    }


def build_credential(definition: MicrocredentialDefinition, participant: Participant,
                     institution: InstitutionProfile, *, issuer_did: str, credential_id: str,
                     achievement_id: str, result_description_id: str, holder_did: str | None,
                     status: Sequence[dict[str, str]] = ()) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for one participant (raises InvalidInput for a failing result)."""
    value = result_value(definition.result_scale, participant.result)
    subject: dict[str, Any] = {}
    if holder_did:
        subject["id"] = holder_did
    subject.update({
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityHash": participant.name, "identityType": "name",
                        "hashed": False}],
        "creditsEarned": _number(definition.ects),
        "result": [{"type": ["Result"], "resultDescription": result_description_id, "value": value}],
        "achievement": achievement(definition, achievement_id=achievement_id,
                                   result_description_id=result_description_id),
    })
    credential: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": definition.title,
        "issuer": issuer_profile(institution, issuer_did),
        "validFrom": _date_time(participant.award_date),
    }
    if participant.valid_until is not None:
        credential["validUntil"] = _date_time(participant.valid_until)
    credential["credentialSubject"] = subject
    if len(status) == 1:  # one object: what OB 3.0's JSON Schema allows
        credential["credentialStatus"] = dict(status[0])
    elif status:  # revocation and suspension: VC DM 2.0 §4.10 allows the array
        credential["credentialStatus"] = [dict(s) for s in status]
    return credential
