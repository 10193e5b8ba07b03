"""Verification policy: which findings are errors and which are warnings, and freshness limits.

Loaded from a JSON file (`--policy FILE`, `VERIFIER_POLICY`), validated with pydantic; unknown
members are refused so that a typo never silently weakens a policy.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vccore.clock import parse_datetime
from vccore.errors import InvalidChallengeError, InvalidDomainError, MalformedValueError, VCError
from vccore.jsondoc import parse_json
from vccore.report import Problem, VerificationReport

from .challenges import ChallengeLimits

__all__ = ["FRESHNESS_ERROR", "PRESENTATION_EXPIRED", "Binding", "Policy", "check_freshness", "check_one_way",
           "load_policy", "proof_bindings", "vcapi_policy"]

FRESHNESS_ERROR = "FRESHNESS_ERROR"
PRESENTATION_EXPIRED = "PRESENTATION_EXPIRED"


class Policy(BaseModel):
    """Defaults suit an employer checking a diploma-like credential offline."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    require_trusted_issuer: bool = False
    require_status: bool = False          # "could not be checked" becomes an error
    require_complete: bool = False        # missing microcredential elements become errors
    require_presentation: bool = False    # a bare credential (no holder proof) becomes an error
    # a credential presented by someone other than its subject is an error (else a warning); the
    # VC API leaves it out unless the policy file sets it (vcapi_policy)
    require_holder_binding: bool = True
    max_presentation_age: int = Field(default=600, ge=10, le=7 * 24 * 3600)  # seconds, one-way only
    clock_skew: int = Field(default=120, ge=0, le=3600)
    # a presentation file (its proof has `expires`: docs/presentation-file.md) may be valid this long at most
    max_file_validity_days: int = Field(default=366, ge=1, le=3660)
    # seconds a copy of a status list that flags a credential may be reused (vccore.statuscheck); a clean
    # status is revalidated at every verification (a 304 when the list is unchanged)
    status_max_age: int = Field(default=30, ge=0, le=3600)
    challenge_ttl: int = Field(default=600, ge=30, le=24 * 3600)
    # presentation requests (`GET /request`): per client a burst, refilled per minute, and open at
    # once; in all, stored at once (verifier.challenges)
    challenge_burst: int = Field(default=10, ge=1, le=10_000)
    challenge_per_minute: float = Field(default=10.0, gt=0, le=100_000)
    challenge_open_per_client: int = Field(default=10, ge=1, le=100_000)
    challenge_max_stored: int = Field(default=10_000, ge=1, le=1_000_000)

    def challenge_limits(self) -> ChallengeLimits:
        return ChallengeLimits(per_client_burst=self.challenge_burst, per_client_per_minute=self.challenge_per_minute,
                               max_open_per_client=self.challenge_open_per_client,
                               max_stored=self.challenge_max_stored)


def vcapi_policy(policy: Policy) -> Policy:
    """The policy of `POST /presentations/verify` and `/credentials/verify`: VC DM 2.0 does not make a
    holder who is not the subject a verification error, so the VC API reports it as a check and a
    warning, unless the operator's policy file sets `require_holder_binding` itself. The page and the
    CLI keep the policy as it is (holder binding required by default). Nothing else differs."""
    if "require_holder_binding" in policy.model_fields_set:
        return policy
    return policy.model_copy(update={"require_holder_binding": False})


def load_policy(data: bytes | str) -> Policy:
    try:
        return Policy.model_validate(parse_json(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/" + "/".join(str(p) for p in first["loc"])
        raise MalformedValueError(f"{where}: {first['msg']}", path=where, title="Invalid policy") from exc


def _expired_file(report: VerificationReport) -> Problem | None:
    """vccore refuses a proof whose `expires` has passed (PROOF_VERIFICATION_ERROR at /proof/expires);
    for a presentation file that means it has expired, which the person is told as such."""
    return next((p for p in report.problems if p.code == "PROOF_VERIFICATION_ERROR"
                 and re.fullmatch(r"/proof(/\d+)?/expires", p.path)), None)


def check_freshness(presentation: dict[str, Any], report: VerificationReport, *, policy: Policy,
                    now: dt.datetime) -> dt.datetime | None:
    """A one-way presentation is fresh: a QR presentation created within the allowed age, a presentation
    file (its proof has `expires`) not expired and not valid longer than allowed; neither dated ahead.
    Returns until when it remains acceptable here (None when it is not)."""
    proofs = presentation.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    created = [p.get("created") for p in proofs if isinstance(p, dict)]
    if not created or not all(isinstance(c, str) for c in created):
        report.add(Problem(FRESHNESS_ERROR, "The presentation has no creation time",
                           "a presentation without a challenge must say when it was made", "/proof"))
        report.check("freshness", "failed", "/proof")
        return None
    expired = _expired_file(report)
    if expired is not None:
        report.problems.remove(expired)
        report.add(Problem(PRESENTATION_EXPIRED, "The presentation file has expired",
                           "its proof's expires has passed; ask the holder for a new one", expired.path))
        report.check("freshness", "failed", expired.path)
        return None
    try:
        when = min(parse_datetime(c, path="/proof/created") for c in created)
        ends = [parse_datetime(p["expires"], path="/proof/expires") for p in proofs
                if isinstance(p, dict) and isinstance(p.get("expires"), str)]
    except VCError as exc:
        report.fail(exc)
        report.check("freshness", "failed", "/proof")
        return None
    age = (now - when).total_seconds()
    if age < -policy.clock_skew:
        report.add(Problem(FRESHNESS_ERROR, "The presentation is dated in the future",
                           f"created {int(-age)} seconds ahead of this verifier's clock", "/proof/created"))
        report.check("freshness", "failed", "/proof/created")
        return None
    if ends and len(ends) == len(proofs):
        until = min(ends)
        if until - when > dt.timedelta(days=policy.max_file_validity_days):
            report.add(Problem(FRESHNESS_ERROR, "The presentation file is valid too long",
                               f"valid {(until - when).days} days; this verifier accepts at most "
                               f"{policy.max_file_validity_days}", "/proof/expires"))
            report.check("freshness", "failed", "/proof/expires")
            return None
        report.check("freshness", "passed", "/proof/expires", f"a presentation file, acceptable until {until.isoformat()}")
        return until
    if age > policy.max_presentation_age:
        report.add(Problem(FRESHNESS_ERROR, "The presentation is too old",
                           f"made {int(age // 60)} minutes ago; at most {policy.max_presentation_age // 60} "
                           "minutes are allowed. Ask for a fresh QR code.", "/proof/created"))
        report.check("freshness", "failed", "/proof/created")
        return None
    report.check("freshness", "passed", "/proof/created", f"made {max(int(age), 0)} seconds ago")
    return when + dt.timedelta(seconds=policy.max_presentation_age)


@dataclass(frozen=True)
class Binding:
    """A proof member that ties a presentation to one verifier's request."""

    member: str     # "challenge" or "domain"
    value: Any
    path: str       # JSON pointer of the member


def proof_bindings(presentation: Any) -> list[Binding]:
    """Every `challenge` and `domain` on the presentation's proofs. A key written as an IRI or a
    compact IRI (`https://w3id.org/security#challenge`, `sec:domain`) counts too: JSON-LD reads it
    as the same property, so the signature covers it just the same."""
    proofs = presentation.get("proof") if isinstance(presentation, dict) else None
    many = isinstance(proofs, list)
    out = []
    for i, proof in enumerate(proofs if many else [proofs]):
        if not isinstance(proof, dict):
            continue
        for key, value in proof.items():
            name = re.split(r"[#/:]", key)[-1]
            if name in ("challenge", "domain"):
                out.append(Binding(name, value, (f"/proof/{i}/" if many else "/proof/") + key.replace("~", "~0")
                                   .replace("/", "~1")))
    return out


def check_one_way(bindings: list[Binding], report: VerificationReport) -> None:
    """A one-way presentation carries no challenge or domain: one that does was made for a request
    that this verifier did not issue (another verifier's), and must not be accepted here."""
    for b in bindings:
        error = (InvalidChallengeError if b.member == "challenge" else InvalidDomainError)(
            f"the presentation answers another verifier's request ({b.member} {str(b.value)[:200]!r}, not "
            "issued here); a one-way presentation carries no challenge or domain. Ask the holder for a new one.",
            path=b.path, title="Made for another verifier's request")
        report.fail(error)
    if bindings:
        report.check("challenge", "failed", bindings[0].path, "bound to another verifier's request")
