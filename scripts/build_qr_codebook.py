"""Build an MC2 QR codebook (docs/qr-format.md section 1.2) as vccore/qrbook/c<n>.json.

A codebook holds four things, none of them personal data:
- the key table: JSON keys (VC 2.0 and OB 3.0.3 terms, JSON-LD keywords), those of our issuer's
  template first, in the order our builder writes them (the encoder sorts keys by this order);
- the value table: context URLs, types, cryptosuites, proof purposes, OB 3.0 enumerations and the
  constants of the Dutch microcredential template (NLQF/EQF, quality framework);
- the structure dictionary: the CBOR structure (stream Z1) of presentations of our template,
  which is content-free by construction (every text is a placeholder there);
- the text dictionary: frequent phrases of names, learning outcomes and URLs (stream Z2).

A published codebook never changes (decoders need the exact bytes): this script documents how c1
was made. `--check` (the default) compares with the shipped file; `--write` only for a new number.

    .venv/bin/python scripts/build_qr_codebook.py [--write] [--number 1]
"""

from __future__ import annotations

import argparse
import copy
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vccore.codebook import BOOK_DIR, Codebook  # noqa: E402
from vccore.qr2 import structure  # noqa: E402

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = [V2, OB3, *(f"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.{n}.json" for n in (2, 1, 0)),
            "https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2",
            "https://w3id.org/security/data-integrity/v1", "https://w3id.org/security/suites/ed25519-2020/v1",
            "https://w3id.org/security/multikey/v1", "https://w3id.org/vc/status-list/2021/v1",
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]
CRYPTO = ["DataIntegrityProof", "eddsa-rdfc-2022", "eddsa-jcs-2022", "assertionMethod", "authentication",
          "Ed25519Signature2020", "ecdsa-rdfc-2019", "ecdsa-jcs-2019", "ecdsa-sd-2023", "bbs-2023",
          "capabilityInvocation", "capabilityDelegation", "keyAgreement", "Multikey",
          "Ed25519VerificationKey2020", "StatusList2021Entry", "StatusList2021Credential", "message", "refresh"]
# OB 3.0 enumerations (1EdTech's JSON Schema, tests/vectors/ob3-schema) and VC 2.0 / OB 3.0 types
ACHIEVEMENT_TYPES = [
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree", "Award", "Badge",
    "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification", "CommunityService", "Competency",
    "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
    "JourneymanCertificate", "LearningProgram", "License", "Membership", "ProfessionalDoctorate",
    "QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential", "ResearchDoctorate",
    "SecondarySchoolDiploma"]
RESULT_TYPES = ["GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore", "RawScore",
                "Result", "RubricCriterion", "RubricCriterionLevel", "RubricScore", "ScaledScore", "Status"]
IDENTIFIER_TYPES = [
    "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress", "nationalIdentityNumber",
    "isbn", "issn", "lisSourcedId", "oneRosterSourcedId", "sisSourcedId", "ltiContextId", "ltiDeploymentId",
    "ltiToolId", "ltiPlatformId", "ltiUserId", "identifier"]
TARGET_TYPES = ["ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric", "CFRubricCriterion",
                "CFRubricCriterionLevel", "CTDL"]
RESULT_STATUS = ["Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"]
# our template's constants (issuer/builder.py, issuer/model.py)
TEMPLATE = ["ext:NLQFLevel", "NLQF", "ext:EQFLevel", "EQF", "ext:LearningOutcome", "ext:QualityAssurance",
            "Kwaliteitskader microcredentials", "Erkend door het Nederlandse kwaliteitskader voor microcredentials",
            "https://www.versnellingsplan.nl/kwaliteitskader-microcredentials", "https://www.nlqf.nl/nlqf-niveaus",
            "https://europass.europa.eu/en/description-eight-eqf-levels", "ext:AssessmentType",
            "ext:ParticipationForm", "ext:IdentityCheck", "revocation", "suspension", "NL", "nl", "en", "de", "fr",
            "Eindcijfer", "Voldaan", "Geslaagd", "Entry", "NLQF instapniveau",
            *(f"NLQF niveau {n}" for n in range(1, 9)), *(f"EQF level {n}" for n in range(1, 9)),
            *(str(n) for n in range(11)), "5.5"]
JSONLD_KEYWORDS = ["@context", "@id", "@type", "@value", "@language", "@direction", "@list", "@set", "@graph",
                   "@vocab", "@base", "@included"]
# Frequent pieces of texts (names, learning outcomes, EU elements, URLs): deflate finds them here
# instead of spelling them out. Later phrases are cheaper to reach, so the most common come last.
PHRASES = [
    "The participant can ", " and the ", " of the ", " to ", " with ", " for ", " in the ", " applies ",
    " analyses ", " evaluates ", " designs ", " develops ", " reflects ", " communicates ", " professional ",
    " practice ", " methods ", " results ", " data ", " research ", "University of Applied Sciences ",
    "University ", "Written exam", "Oral exam", "Assignment", "Online", "On campus", "Supervised assessment",
    "De deelnemer ", " kan ", " en ", " de ", " van de ", " het ", " een ", " met ", " voor ", " in de ",
    " op basis van ", " zorgvuldig ", " analyseert ", " onderbouwt ", " past ", " toe ", " beoordeelt ",
    " ontwikkelt ", " ontwerpt ", " evalueert ", " reflecteert ", " communiceert ", " samenwerkt ",
    " professionele ", " praktijk ", " methoden ", " resultaten ", " context ", " kritisch ", " onderzoek",
    "Hogeschool ", "Universiteit ", "Schriftelijk tentamen", "Mondeling examen", "Portfolio", "Online",
    "Op locatie", "Blended (online en op locatie)",
    "Toetsing onder toezicht met identiteitscontrole", "#toetsing", "#vorm", "#toezicht", "#lo1", "#lo2",
    "#lo3", "#lo4", "/mc/", "/status/1#", "/status/", ".nl", "https://www.", "https://",
]


def walk_keys(node, seen: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in seen:
                seen.append(key)
            walk_keys(value, seen)
    elif isinstance(node, list):
        for value in node:
            walk_keys(value, seen)


def context_terms() -> list[str]:
    """Every term the VC 2.0 and OB 3.0.3 contexts define that starts lower case (keys, not types)."""
    terms: set[str] = set()

    def walk(ctx) -> None:
        if isinstance(ctx, list):
            for c in ctx:
                walk(c)
        elif isinstance(ctx, dict):
            for key, value in ctx.items():
                if not key.startswith("@"):
                    terms.add(key)
                    if isinstance(value, dict) and "@context" in value:
                        walk(value["@context"])
    for name in ("credentials-v2.jsonld", "ob-v3p0-context-3.0.3.jsonld"):
        walk(json.loads((ROOT / "contexts" / name).read_text(encoding="utf-8"))["@context"])
    return sorted(terms)


def proof(suite: str, purpose: str, did: str, *, request: bool = False, expires: bool = True) -> dict:
    out = {"type": "DataIntegrityProof", "cryptosuite": suite, "created": "2026-09-01T12:00:00Z"}
    if expires:
        out["expires"] = "2026-09-01T12:10:00Z"
    out.update({"verificationMethod": f"{did}#{did[8:]}", "proofPurpose": purpose})
    if request:
        out.update({"challenge": "-", "domain": "-"})
    if suite == "eddsa-jcs-2022":
        out["@context"] = [V2, OB3] if purpose == "assertionMethod" else [V2]
    out["proofValue"] = "z" + "1" * 88
    return out


def templates() -> list[dict]:
    """Presentations of our template (content-free in Z1), least likely first: deflate reaches the
    end of its dictionary cheapest, so the wallet's everyday presentation comes last."""
    vc = json.loads((ROOT / "docs/examples/microcredential.json").read_text(encoding="utf-8"))
    out = []
    for suite, request, statuses in (("eddsa-jcs-2022", True, 2), ("eddsa-rdfc-2022", True, 2),
                                     ("eddsa-rdfc-2022", False, 1)):
        credential = copy.deepcopy(vc)
        credential["credentialStatus"] = vc["credentialStatus"][:statuses] if statuses > 1 \
            else vc["credentialStatus"][0]
        holder = vc["credentialSubject"]["id"]
        credential["proof"] = proof(suite, "assertionMethod", vc["issuer"]["id"], expires=False)
        out.append({"@context": [V2], "type": ["VerifiablePresentation"], "holder": holder,
                    "verifiableCredential": [credential],
                    "proof": proof(suite, "authentication", holder, request=request)})
    return out


def tables() -> tuple[list[str], list[str]]:
    keys: list[str] = []
    for template in reversed(templates()):
        walk_keys(template, keys)
    keys += [k for k in dict.fromkeys(JSONLD_KEYWORDS + [t for t in context_terms() if t[:1].islower()])
             if k not in keys]
    types = [t for t in context_terms() if t[:1].isupper()]
    values: list[str] = []
    for value in (CONTEXTS[:2] + ["VerifiablePresentation", "VerifiableCredential", "OpenBadgeCredential",
                                  "Profile", "Address", "IdentifierEntry", "identifier", "AchievementSubject",
                                  "IdentityObject", "name", "Result", "Achievement", "MicroCredential",
                                  "ResultDescription", "GradePointAverage", "Alignment", "BitstringStatusListEntry"]
                  + CRYPTO + TEMPLATE + CONTEXTS + types + ACHIEVEMENT_TYPES + RESULT_TYPES + IDENTIFIER_TYPES
                  + TARGET_TYPES + RESULT_STATUS):
        if value not in values:
            values.append(value)
    return keys, values


def build(number: int) -> Codebook:
    keys, values = tables()
    draft = Codebook(number, tuple(keys), tuple(values), b"", b"")
    structure_dictionary = b"".join(structure(t, draft) for t in templates())
    return Codebook(number, tuple(keys), tuple(values), structure_dictionary, "".join(PHRASES).encode("utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="write vccore/qrbook/c<n>.json (a new number only)")
    args = parser.parse_args()
    book = build(args.number)
    target = BOOK_DIR / f"c{args.number}.json"
    text = json.dumps(book.to_json(), indent=1, ensure_ascii=False) + "\n"
    if args.write:
        BOOK_DIR.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
    elif not target.is_file() or target.read_text(encoding="utf-8") != text:
        print(f"{target.name} differs from what this script builds", file=sys.stderr)
        return 1
    print(f"codebook {args.number}: {len(book.keys)} keys, {len(book.values)} values, structure dictionary "
          f"{len(book.structure_dictionary)} bytes, text dictionary {len(book.text_dictionary)} bytes, "
          f"sha256 {book.fingerprint()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
