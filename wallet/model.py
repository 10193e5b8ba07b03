"""Reading a microcredential for people: every certificate field of the data contract
(docs/architecture.md), and a small summary used to list, search and filter."""

from __future__ import annotations

from typing import Any

__all__ = ["describe", "summarize"]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value: Any) -> str | None:
    """Plain text of a string or a language map / value object; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("@value"), str):
        return value["@value"]
    return None


def _subject(vc: dict[str, Any]) -> dict[str, Any]:
    subjects = [s for s in _list(vc.get("credentialSubject")) if isinstance(s, dict)]
    return subjects[0] if subjects else {}


def _alignments(achievement: dict[str, Any], target_type: str) -> list[dict[str, Any]]:
    return [a for a in _list(achievement.get("alignment"))
            if isinstance(a, dict) and a.get("targetType") == target_type]


def _first(achievement: dict[str, Any], target_type: str, member: str) -> str | None:
    found = _alignments(achievement, target_type)
    return _text(found[0].get(member)) if found else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _results(subject: dict[str, Any], achievement: dict[str, Any]) -> list[dict[str, str | None]]:
    descriptions = {d.get("id"): d for d in _list(achievement.get("resultDescription")) if isinstance(d, dict)}
    out = []
    for result in _list(subject.get("result")):
        if not isinstance(result, dict):
            continue
        desc = descriptions.get(result.get("resultDescription"), {})
        out.append({"name": _text(desc.get("name")), "value": _text(result.get("value")),
                    "status": _text(result.get("status")), "required": _text(desc.get("requiredValue")),
                    "range": f"{desc['valueMin']}-{desc['valueMax']}" if "valueMin" in desc and "valueMax" in desc
                    else None})
    return out


def describe(vc: Any) -> dict[str, Any]:
    """Every certificate field a person wants to see, as plain values (templates escape them)."""
    vc = vc if isinstance(vc, dict) else {}
    issuer = vc.get("issuer") if isinstance(vc.get("issuer"), dict) else {"id": vc.get("issuer")}
    subject = _subject(vc)
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    names = [_text(i.get("identityHash")) for i in _list(subject.get("identifier"))
             if isinstance(i, dict) and i.get("identityType") == "name" and not i.get("hashed")]
    brin = [_text(o.get("identifier")) for o in _list(issuer.get("otherIdentifier")) if isinstance(o, dict)]
    quality = _alignments(achievement, "ext:QualityAssurance")
    return {
        "id": _text(vc.get("id")),
        "types": [t for t in _list(vc.get("type")) if isinstance(t, str)],
        "name": _text(achievement.get("name")) or _text(vc.get("name")),
        "code": _text(achievement.get("humanCode")),
        "achievement_type": _text(achievement.get("achievementType")),
        "description": _text(achievement.get("description")),
        "criteria": _text((achievement.get("criteria") or {}).get("narrative"))
        if isinstance(achievement.get("criteria"), dict) else None,
        "participant": next((n for n in names if n), None),
        "holder": _text(subject.get("id")),
        "institution": _text(issuer.get("name")),
        "institution_id": _text(issuer.get("id")),
        "institution_url": _text(issuer.get("url")),
        "brin": next((b for b in brin if b), None),
        "nlqf": _first(achievement, "ext:NLQFLevel", "targetCode"),
        "eqf": _first(achievement, "ext:EQFLevel", "targetCode"),
        "ects": _number(subject.get("creditsEarned")) if subject.get("creditsEarned") is not None
        else _number(achievement.get("creditsAvailable")),
        "outcomes": [{"name": _text(a.get("targetName")), "description": _text(a.get("targetDescription"))}
                     for a in _alignments(achievement, "ext:LearningOutcome")],
        "results": _results(subject, achievement),
        "quality": [{"framework": _text(a.get("targetFramework")), "name": _text(a.get("targetName"))}
                    for a in quality],
        "assessment": _first(achievement, "ext:AssessmentType", "targetName"),
        "participation": _first(achievement, "ext:ParticipationForm", "targetName"),
        "identity_check": _first(achievement, "ext:IdentityCheck", "targetName"),
        "language": _text(achievement.get("inLanguage")),
        "valid_from": _text(vc.get("validFrom")) or _text(vc.get("issuanceDate")),
        "valid_until": _text(vc.get("validUntil")) or _text(vc.get("expirationDate")),
        "awarded": _text(subject.get("awardedDate")) or _text(vc.get("awardedDate")),
    }


SUMMARY_FIELDS = ("name", "code", "types", "achievement_type", "participant", "institution", "institution_id",
                  "nlqf", "eqf", "ects", "valid_from", "valid_until", "holder")


def summarize(vc: Any) -> dict[str, Any]:
    """The fields the list, search and filters need (stored sealed next to the credential)."""
    full = describe(vc)
    return {k: full[k] for k in SUMMARY_FIELDS}
