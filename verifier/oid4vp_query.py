"""What the verifier asks for with OpenID4VP: a DCQL query for an Open Badges 3.0 microcredential in
each format family (ldp_vc, jwt_vc_json, dc+sd-jwt; one of them, through a credential set), and the
employer's conditions (minimum ECTS, NLQF level, institution on the trust list).

SD-JWT VC is asked for under both its names: `dc+sd-jwt` (1.0, §B.3) and `vc+sd-jwt`, its name before
the SD-JWT VC draft renamed the type, which SURF's edubadges still issue and eduWallet's wallets hold.
A wallet that matches the format exactly (§6.1) would otherwise find nothing to offer; the two queries
are alternatives of one credential set, and the client metadata lists both (oid4vp_web).

DCQL matches exact values only (OpenID4VP 1.0 §6.3), so a minimum or a level inside an alignment
array cannot be said in it; the conditions travel as our profile's `microcredential_conditions`
(wallets ignore unknown parameters, §5), the trusted institutions also as DCQL `values` of the
issuer where its place is known, and the verifier checks every condition itself (§14.9: it "MUST NOT
rely on the Wallet to enforce these constraints").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from vccore.errors import MalformedValueError

from .view import Certificate

__all__ = ["NLQF_LEVELS", "QUERY_IDS", "VCT_VALUES", "Conditions", "microcredential_query", "unmet"]

VC = "https://www.w3.org/2018/credentials#VerifiableCredential"
OBC = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
TYPE_VALUES = [[VC, OBC], ["VerifiableCredential", "OpenBadgeCredential"]]  # expanded; as eduWallet writes them
VCT_VALUES = ["urn:nl:microcredentials:MicroCredential:1", "OpenBadgeCredential", "OpenbadgeCredential"]
QUERY_IDS = {"ldp_vc": "microcredential", "jwt_vc_json": "microcredential_jwt", "dc+sd-jwt": "microcredential_sd_jwt",
             "vc+sd-jwt": "microcredential_vc_sd_jwt"}
NLQF_LEVELS = ("Entry", "1", "2", "3", "4", "5", "6", "7", "8")
ACHIEVEMENT = ["credentialSubject", "achievement"]


@dataclass(frozen=True)
class Conditions:
    min_ects: float | None = None
    nlqf: str | None = None
    trusted: bool = False

    @classmethod
    def from_form(cls, form: Any) -> "Conditions":
        """From the page's form; MALFORMED_VALUE_ERROR for a value out of range."""
        ects, level = (form.get("min_ects") or "").strip().replace(",", "."), form.get("nlqf") or ""
        try:
            minimum = float(ects) if ects else None
        except ValueError as exc:
            raise MalformedValueError("the minimum ECTS is not a number", path="/min_ects",
                                      title="Invalid minimum") from exc
        if minimum is not None and not 0 < minimum <= 240:
            raise MalformedValueError("the minimum ECTS is between 0 and 240", path="/min_ects", title="Invalid minimum")
        if level and level not in NLQF_LEVELS:
            raise MalformedValueError("unknown NLQF level", path="/nlqf", title="Invalid level")
        return cls(minimum, level or None, form.get("trusted") in ("1", "on", "yes"))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.min_ects is not None:
            out["min_ects"] = self.min_ects
        if self.nlqf:
            out["nlqf_level"] = self.nlqf
        if self.trusted:
            out["trusted_issuers"] = True
        return out

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> "Conditions":
        return cls(doc.get("min_ects"), doc.get("nlqf_level"), bool(doc.get("trusted_issuers")))


def microcredential_query(conditions: Conditions, trusted: Sequence[str] = ()) -> dict[str, Any]:
    """One microcredential, in any of the formats (a credential set with one option per format)."""
    issuers = sorted(trusted) if conditions.trusted and trusted else None
    ldp_claims: list[dict[str, Any]] = [{"path": ACHIEVEMENT}]
    if issuers:
        ldp_claims.append({"path": ["issuer", "id"], "values": issuers})
    sd_claims: list[dict[str, Any]] = [{"id": "achievement", "path": ACHIEVEMENT},
                                       {"id": "name", "path": ["credentialSubject", "identifier"]},
                                       {"id": "result", "path": ["credentialSubject", "result"]}]
    sets = [["achievement", "name", "result"], ["achievement", "name"], ["achievement"]]
    if issuers:
        sd_claims.append({"id": "issuer", "path": ["iss"], "values": issuers})
        sets = [s + ["issuer"] for s in sets]
    sd_jwt = [{"id": QUERY_IDS[fmt], "format": fmt, "meta": {"vct_values": VCT_VALUES}, "claims": sd_claims,
               "claim_sets": sets} for fmt in ("dc+sd-jwt", "vc+sd-jwt")]
    return {"credentials": [
        {"id": QUERY_IDS["ldp_vc"], "format": "ldp_vc", "meta": {"type_values": TYPE_VALUES}, "claims": ldp_claims},
        {"id": QUERY_IDS["jwt_vc_json"], "format": "jwt_vc_json", "meta": {"type_values": TYPE_VALUES},
         "claims": [{"path": ACHIEVEMENT}]},
        *sd_jwt,
    ], "credential_sets": [{"options": [[q] for q in QUERY_IDS.values()]}]}


def _ects(cert: Certificate) -> float | None:
    try:
        return float(cert.ects) if cert.ects is not None else None
    except ValueError:
        return None


def unmet(conditions: Conditions, cert: Certificate, *, trusted: bool) -> list[str]:
    """The conditions a presented microcredential does not meet (English, for the report's detail)."""
    missing = []
    ects = _ects(cert)
    if conditions.min_ects is not None and (ects is None or ects < conditions.min_ects):
        missing.append(f"at least {conditions.min_ects:g} ECTS (it has {cert.ects or 'none'})")
    if conditions.nlqf and (cert.nlqf or "").strip().lower() != conditions.nlqf.lower():
        missing.append(f"NLQF level {conditions.nlqf} (it has {cert.nlqf or 'none'})")
    if conditions.trusted and not trusted:
        missing.append("an institution on the trust list")
    return missing
