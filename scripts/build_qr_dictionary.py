"""Build the QR preset DEFLATE dictionary from the reference microcredential presentation.

The dictionary holds the keys and the recurring values (contexts, types, enumerations, URL and
DID prefixes) of a microcredential presentation, never personal values. A published version
never changes (decoders need the exact bytes): this script documents how v1 was made; run it
with `--write` only for a new version number.
"""

from __future__ import annotations

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
KEEP = {
    "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "VerifiableCredential", "OpenBadgeCredential", "VerifiablePresentation", "Profile", "Address",
    "IdentifierEntry", "identifier", "AchievementSubject", "IdentityObject", "name", "Result",
    "Achievement", "MicroCredential", "ResultDescription", "GradePointAverage", "Alignment",
    "ext:NLQFLevel", "NLQF", "ext:EQFLevel", "EQF", "ext:LearningOutcome", "ext:QualityAssurance",
    "ext:AssessmentType", "ext:ParticipationForm", "ext:IdentityCheck", "BitstringStatusListEntry",
    "revocation", "suspension", "DataIntegrityProof", "eddsa-rdfc-2022", "assertionMethod",
    "authentication", "NL", "nl", "Kwaliteitskader microcredentials", "https://www.nlqf.nl/nlqf-niveaus",
    "https://europass.europa.eu/en/description-eight-eqf-levels",
    "https://www.versnellingsplan.nl/kwaliteitskader-microcredentials",
    "Erkend door het Nederlandse kwaliteitskader voor microcredentials", "Eindcijfer", "1", "10", "6",
    "Blended (online en op locatie)", "Toetsing onder toezicht met identiteitscontrole",
    "BitstringStatusListEntry", "PassFail", "Geslaagd",
}
# Frequent Dutch and English words of learning outcomes and unit descriptions (deflate finds
# them in the dictionary instead of spelling them out).
PHRASES = (
    "De deelnemer kan  en de  van de  het  een  met  voor  in de  op basis van  zorgvuldig "
    "analyseert  onderbouwt  past  toe  beoordeelt  ontwikkelt  ontwerpt  evalueert  reflecteert "
    "communiceert  samenwerkt  professionele  praktijk  methoden  resultaten  context  kritisch "
    "The participant can  and the  of the  to  with  for  in the  applies  analyses  evaluates "
    "designs  develops  reflects  communicates  professional  practice  methods  results "
)


def stub(value: str) -> str:
    for prefix in ("did:key:z6Mk", "urn:uuid:", "https://www.", "https://"):
        if value.startswith(prefix):
            return prefix
    return ""


def skeleton(node):
    if isinstance(node, dict):
        return {k: skeleton(v) for k, v in node.items()}
    if isinstance(node, list):
        return [skeleton(v) for v in node]
    if isinstance(node, str):
        return node if node in KEEP else stub(node)
    return node


def build() -> bytes:
    vc = json.loads((ROOT / "docs/examples/microcredential.json").read_text(encoding="utf-8"))
    vc["proof"] = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-",
                   "verificationMethod": "did:key:z6Mk", "proofPurpose": "assertionMethod", "proofValue": "z"}
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "holder": "did:key:z6Mk", "verifiableCredential": [vc],
          "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-",
                    "expires": "2026-", "verificationMethod": "did:key:z6Mk", "proofPurpose": "authentication",
                    "challenge": "", "domain": "", "proofValue": "z"}}
    # deflate prefers matches close to the data: phrases first, the JSON skeleton last
    return (PHRASES + json.dumps(skeleton(vp), separators=(",", ":"), ensure_ascii=False)).encode("utf-8")


if __name__ == "__main__":
    data = build()
    target = ROOT / "vccore/qrdict" / (sys.argv[2] if len(sys.argv) > 2 else "v1.json")
    if "--write" in sys.argv:
        target.write_bytes(data)
    print(f"{len(data)} bytes")
