"""RFC 9457 problem details for the HTTP APIs, with the spec's error codes (framework-free)."""

from __future__ import annotations

from typing import Any

from .errors import VCError
from .report import Problem, VerificationReport

__all__ = ["problem_document", "report_response"]

SPEC_BASE = "https://www.w3.org/TR/vc-data-model-2.0/#"


def problem_document(error: VCError | Problem, status: int) -> dict[str, Any]:
    """application/problem+json body for one coded error."""
    code, title, detail, path = error.code, error.title, error.detail, error.path
    return {"type": SPEC_BASE + code, "code": code, "title": title, "detail": detail,
            "path": path, "status": status}


def report_response(report: VerificationReport) -> dict[str, Any]:
    """VC API verify response: verified, checks done, warnings and errors as problem details."""
    def item(p: Problem) -> dict[str, Any]:
        return {"type": SPEC_BASE + p.code, "code": p.code, "title": p.title, "detail": p.detail,
                "path": p.path}
    return {
        "verified": report.verified,
        "checks": sorted({c.name for c in report.checks if c.status == "passed"}),
        "warnings": [item(p) for p in report.warnings],
        "errors": [item(p) for p in report.errors],
        "report": report.to_json(),
    }
