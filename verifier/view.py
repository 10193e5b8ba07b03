"""The certificate as a person reads it: the microcredential fields of the data contract table
(docs/architecture.md, "The microcredential"), taken from a credential as plain strings.

Everything here is credential text, hence hostile: it is only ever rendered escaped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

__all__ = ["Certificate", "certificate", "named_by_trust_list"]


@dataclass
class Certificate:
    participant: str | None = None
    institution: str | None = None
    institution_id: str | None = None
    institution_url: str | None = None
    brin: str | None = None
    country: str | None = None
    unit: str | None = None
    code: str | None = None
    achievement_type: str | None = None
    description: str | None = None
    nlqf: str | None = None
    eqf: str | None = None
    ects: str | None = None
    study_hours: str | None = None      # SURF's SBU (study load hours), for MBO units without ECTS
    credits_earned: str | None = None
    learning_outcomes: list[tuple[str, str]] = field(default_factory=list)
    results: list[tuple[str, str]] = field(default_factory=list)
    quality_mark: str | None = None
    quality_framework: str | None = None
    assessment: str | None = None
    participation: str | None = None
    identity_check: str | None = None
    identity_checked: bool | None = None  # SURF's identityChecked
    language: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    awarded: str | None = None
    holder: str | None = None
    # Where `institution` and `brin` come from: "trust-list" (the issuer's key is on it, so its
    # entry is shown) or "credential" (what the credential claims, unconfirmed). The credential's
    # own claims stay beside it, and whether they differ.
    institution_source: str = "credential"
    institution_claimed: str | None = None
    brin_claimed: str | None = None
    name_differs: bool = False
    brin_differs: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, str):
        return value[:2000]
    if isinstance(value, dict):  # value objects {"@value": ...}, language maps {"nl": ..., "en": ...}
        if "@value" in value or "name" in value:
            return _text(value.get("@value") or value.get("name"))
        for lang in ("nl", "en", *sorted(value)):
            if isinstance(value.get(lang), str):
                return _text(value[lang])
    return None


def _number(value: Any) -> str | None:
    """ECTS as SURF's agents send it: a number, or a string with a decimal point or comma."""
    if isinstance(value, str):
        try:
            return f"{float(value.strip().replace(',', '.')):g}"
        except ValueError:
            return _text(value)
    return _text(value)


def _language(value: Any) -> str | None:
    """`en_EN`, `nl-NL`, `en-EN` as a BCP 47 tag: `_` -> `-`, a region that is no country dropped."""
    text = _text(value)
    if not text:
        return None
    parts = text.replace("_", "-").split("-")
    if len(parts) == 2 and parts[1].upper() in ("EN", "EU") and parts[0].lower() == parts[1].lower():
        return parts[0].lower()
    return "-".join([parts[0].lower(), *parts[1:]])


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def certificate(credential: dict[str, Any]) -> Certificate:
    """Read the certificate fields; a field the credential lacks stays None (or empty)."""
    issuer = credential.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    subject = _list(credential.get("credentialSubject"))
    subject = _dict(subject[0] if subject else None)
    achievement = _dict(subject.get("achievement"))
    aligns = [a for a in _list(achievement.get("alignment")) if isinstance(a, dict)]

    def align(*kinds: str) -> dict[str, Any]:
        return next((a for a in aligns if a.get("targetType") in kinds), {})

    # SURF edubadges' shape (educredentials/obv3-examples): ECTS/SBU, ext:EQF, assessmentType,
    # participationType, supervisionType and identityChecked as achievement members. Read by JSON
    # path only: its context is invalid JSON-LD and never needed.
    surf_supervision = _text(achievement.get("supervisionType"))
    checked = achievement.get("identityChecked")

    cert = Certificate(
        institution=_text(issuer.get("name")), institution_id=_text(issuer.get("id")),
        institution_url=_text(issuer.get("url")),
        country=_text(_dict(issuer.get("address")).get("addressCountryCode")),
        unit=_text(achievement.get("name")) or _text(credential.get("name")),
        code=_text(achievement.get("humanCode")), achievement_type=_text(achievement.get("achievementType")),
        description=_text(achievement.get("description")),
        nlqf=_text(align("ext:NLQFLevel").get("targetCode")),
        eqf=_text(align("ext:EQFLevel", "ext:EQF").get("targetCode")),
        ects=_number(achievement.get("creditsAvailable")) or _number(achievement.get("ECTS")),
        study_hours=_number(achievement.get("SBU")), credits_earned=_text(subject.get("creditsEarned")),
        quality_mark=_text(align("ext:QualityAssurance").get("targetName")),
        quality_framework=_text(align("ext:QualityAssurance").get("targetFramework")),
        assessment=_text(align("ext:AssessmentType").get("targetName")) or _text(achievement.get("assessmentType")),
        participation=_text(align("ext:ParticipationForm").get("targetName"))
        or _text(achievement.get("participationType")),
        identity_check=_text(align("ext:IdentityCheck").get("targetName")) or surf_supervision,
        identity_checked=checked if isinstance(checked, bool) else None,
        language=_language(achievement.get("inLanguage")) or _language(credential.get("inLanguage")),
        valid_from=_text(credential.get("validFrom") or credential.get("issuanceDate")),
        valid_until=_text(credential.get("validUntil") or credential.get("expirationDate")),
        awarded=_text(credential.get("awardedDate")), holder=_text(subject.get("id")),
    )
    for other in _list(issuer.get("otherIdentifier")):
        if isinstance(other, dict) and cert.brin is None:
            cert.brin = _text(other.get("identifier"))
    for ident in _list(subject.get("identifier")):
        if isinstance(ident, dict) and ident.get("identityType") == "name" and ident.get("hashed") is False:
            cert.participant = _text(ident.get("identityHash"))
            break
    cert.learning_outcomes = [(_text(a.get("targetName")) or "", _text(a.get("targetDescription")) or "")
                              for a in aligns if a.get("targetType") == "ext:LearningOutcome"]
    descriptions = {d.get("id"): d for d in _list(achievement.get("resultDescription")) if isinstance(d, dict)}
    for result in _list(subject.get("result")):
        if isinstance(result, dict):
            described = _dict(descriptions.get(result.get("resultDescription")))
            cert.results.append((_text(described.get("name")) or "",
                                 _text(result.get("value")) or _text(result.get("status")) or ""))
    return cert


class _Entry(Protocol):  # vccore.trustlist.TrustEntry
    name: str
    brin: str | None


def _same(a: str, b: str) -> bool:
    """Equal up to case, spacing and Unicode compatibility forms (look-alike letters still differ)."""
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return norm(a) == norm(b)


def named_by_trust_list(cert: Certificate, entry: _Entry | None) -> Certificate:
    """The institution as the trust list names it when the issuer is on it; the credential's own
    name and BRIN are kept as claims, and compared."""
    claimed = replace(cert, institution_claimed=cert.institution, brin_claimed=cert.brin)
    if entry is None:
        return claimed
    return replace(claimed, institution=entry.name, brin=entry.brin, institution_source="trust-list",
                   name_differs=cert.institution is not None and not _same(cert.institution, entry.name),
                   brin_differs=cert.brin is not None and not _same(cert.brin, entry.brin or ""))
