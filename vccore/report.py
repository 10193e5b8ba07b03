"""Verification report: the checks done and every problem found, each with a code and a path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import VCError

__all__ = ["Check", "Problem", "VerificationReport"]

Severity = Literal["error", "warning"]
CheckStatus = Literal["passed", "failed", "warning", "unchecked"]


@dataclass(frozen=True)
class Problem:
    code: str
    title: str
    detail: str = ""
    path: str = ""
    severity: Severity = "error"

    @classmethod
    def from_error(cls, error: VCError, *, prefix: str = "", severity: Severity = "error") -> "Problem":
        return cls(error.code, error.title, error.detail, prefix + error.path, severity)

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "title": self.title, "detail": self.detail,
                "path": self.path, "severity": self.severity}


@dataclass
class Check:
    """One named check (e.g. 'proof', 'validity', 'status'), where it applied and its outcome."""

    name: str
    status: CheckStatus
    path: str = ""
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"check": self.name, "status": self.status, "path": self.path, "detail": self.detail}


@dataclass
class VerificationReport:
    """Collects checks and problems; `verified` is true when no error-level problem was found."""

    checks: list[Check] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    credentials: list[dict[str, Any]] = field(default_factory=list)
    document: Any = None
    # vccore.statuscheck.StatusResult per status entry checked: structured, for every screen
    statuses: list[Any] = field(default_factory=list)
    # JOSE-secured credentials (vccore.joseverify), by JSON pointer of the credential: the JSON the
    # signature covers (a JWT's payload; for SD-JWT only disclosed claims whose digests verified).
    # The only part of such a credential a screen or check may read.
    bodies: dict[str, Any] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        return not self.errors and bool(self.checks)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def codes(self) -> set[str]:
        """Codes of error-level problems (what tests usually assert on)."""
        return {p.code for p in self.errors}

    def warning_codes(self) -> set[str]:
        return {p.code for p in self.warnings}

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def fail(self, error: VCError, *, prefix: str = "", severity: Severity = "error") -> None:
        self.problems.append(Problem.from_error(error, prefix=prefix, severity=severity))

    def check(self, name: str, status: CheckStatus, path: str = "", detail: str = "") -> None:
        self.checks.append(Check(name, status, path, detail))

    def merge(self, other: "VerificationReport", *, prefix: str = "") -> None:
        for c in other.checks:
            self.checks.append(Check(c.name, c.status, prefix + c.path, c.detail))
        for p in other.problems:
            self.problems.append(Problem(p.code, p.title, p.detail, prefix + p.path, p.severity))

    def to_json(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "checks": [c.to_json() for c in self.checks],
            "problems": [p.to_json() for p in self.problems],
            "credentials": self.credentials,
            "status": [s.to_json() for s in self.statuses],
        }
