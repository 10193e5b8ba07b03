"""Microcredential completeness against the Dutch quality framework and the EU mandatory elements
(Council Recommendation on micro-credentials, 2022, Annex I), on the data contract table.

Quality framework rules: 3–30 ECTS; universities may issue from 1 ECTS between 2025-05-01 and
2027-04-30 (warning, not error: the verifier cannot tell a university from its DID alone);
NLQF levels Entry and 1–8 with the matching EQF level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from vccore.clock import parse_datetime
from vccore.errors import VCError
from vccore.report import Problem, VerificationReport

from .view import Certificate

__all__ = ["Completeness", "INCOMPLETE", "NONCONFORMING", "assess", "is_microcredential", "report_completeness"]

INCOMPLETE = "MICROCREDENTIAL_INCOMPLETE"
NONCONFORMING = "MICROCREDENTIAL_NONCONFORMING"
NLQF_LEVELS = ("Entry", "1", "2", "3", "4", "5", "6", "7", "8")
UNIVERSITY_WINDOW = (dt.datetime(2025, 5, 1, tzinfo=dt.timezone.utc),
                     dt.datetime(2027, 4, 30, 23, 59, 59, tzinfo=dt.timezone.utc))

# (element key, certificate attribute) in the order a reader expects them.
REQUIRED = (
    ("participant", "participant"), ("institution", "institution"), ("unit", "unit"),
    ("nlqf", "nlqf"), ("eqf", "eqf"), ("ects", "ects"), ("learning_outcomes", "learning_outcomes"),
    ("result", "results"), ("quality_mark", "quality_mark"), ("assessment", "assessment"),
    ("participation", "participation"), ("identity_check", "identity_check"),
    ("language", "language"), ("date", "valid_from"),
)


@dataclass
class Completeness:
    missing: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)   # present but outside the framework's rules
    notes: list[str] = field(default_factory=list)    # allowed with a warning

    @property
    def verdict(self) -> str:
        return "incomplete" if self.missing else "nonconforming" if self.issues else "complete"

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "missing": self.missing, "issues": self.issues, "notes": self.notes}


def is_microcredential(credential: dict[str, Any], cert: Certificate) -> bool:
    types = credential.get("type")
    types = types if isinstance(types, list) else [types]
    return cert.achievement_type == "MicroCredential" or "OpenBadgeCredential" in types \
        or "AchievementCredential" in types


def assess(cert: Certificate) -> Completeness:
    """Which required elements are missing, and which break the framework's rules."""
    result = Completeness(missing=[key for key, attr in REQUIRED if not getattr(cert, attr)
                                   and not _given_otherwise(cert, attr)])
    # SURF's microcredentials carry no achievementType: absent is not "another type"
    if cert.achievement_type is not None and cert.achievement_type != "MicroCredential":
        result.issues.append("achievement_type")
    if cert.nlqf and cert.nlqf not in NLQF_LEVELS:
        result.issues.append("nlqf")
    if cert.nlqf and cert.eqf and cert.nlqf != "Entry" and cert.nlqf != cert.eqf:
        result.issues.append("eqf")
    if cert.ects:
        try:
            ects = float(cert.ects)
        except ValueError:
            ects = -1.0
        if 3 <= ects <= 30:
            pass
        elif 1 <= ects < 3 and _in_university_window(cert.valid_from):
            result.notes.append("ects_university")
        else:
            result.issues.append("ects")
    return result


def _given_otherwise(cert: Certificate, attr: str) -> bool:
    """SURF's shape says some elements differently: size in study hours (SBU), identity check as a
    boolean (identityChecked)."""
    return (attr == "ects" and bool(cert.study_hours)) or (attr == "identity_check" and cert.identity_checked is True)


def _in_university_window(valid_from: str | None) -> bool:
    try:
        when = parse_datetime(valid_from)
    except VCError:
        return False
    return UNIVERSITY_WINDOW[0] <= when <= UNIVERSITY_WINDOW[1]


def report_completeness(result: Completeness, report: VerificationReport, prefix: str, *,
                        required: bool = False) -> None:
    """As a `completeness` check and problems (warnings unless the policy requires completeness)."""
    severity = "error" if required else "warning"
    where = prefix + "/credentialSubject/achievement"
    if result.missing:
        report.add(Problem(INCOMPLETE, "Microcredential elements missing",
                           "missing: " + ", ".join(result.missing), where, severity))
    if result.issues:
        report.add(Problem(NONCONFORMING, "Outside the quality framework's rules",
                           "not conforming: " + ", ".join(result.issues), where, severity))
    if result.notes:
        report.add(Problem(NONCONFORMING, "Fewer than 3 ECTS",
                           "allowed for universities between 2025-05-01 and 2027-04-30 only",
                           where + "/creditsAvailable", "warning"))
    status = "passed" if result.verdict == "complete" and not result.notes else \
        ("failed" if required and result.verdict != "complete" else "warning")
    report.check("completeness", status, where, result.verdict)
