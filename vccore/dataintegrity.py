"""VC Data Integrity 1.0: add and verify proofs, proof sets and proof chains (§4.2–§4.5)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Iterable

from .canon import Canonicalizer
from .clock import format_datetime, parse_datetime
from .did import DidResolver
from .errors import (InvalidChallengeError, InvalidDomainError, MalformedValueError,
                     ProofGenerationError, ProofVerificationError, VCError)
from .keys import KeyPair, verify_ed25519
from .multibase import decode_multibase, encode_multibase
from .report import VerificationReport
from .suites import SUITES, Cryptosuite, EDDSA_RDFC_2022

__all__ = ["add_proof", "proof_hash_data", "verify_proofs"]


def _proof_list(document: dict[str, Any]) -> list[Any]:
    proof = document.get("proof")
    if proof is None:
        return []
    return proof if isinstance(proof, list) else [proof]


DI_V2_CONTEXT = "https://w3id.org/security/data-integrity/v2"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"


def proof_hash_data(document: dict[str, Any], proof_config: dict[str, Any], suite: Cryptosuite,
                    canon: Canonicalizer, *, proof_path: str = "/proof",
                    document_quads: list[tuple[str, str, str, str]] | None = None) -> bytes:
    """§3.3.4/§3.4.4 Hashing: SHA-256(canonical proof config) || SHA-256(canonical document).

    eddsa-rdfc-2022's Proof Configuration gives the config the document's @context; eddsa-jcs-2022's
    hashes the proof options as they are: with an @context only when the proof carries one, as ours
    do (add_proof copies it: jcs Create Proof, step 2) and ACA-Py's do not."""
    config = dict(proof_config)
    if "@context" in document and suite.rdf:
        config["@context"] = document["@context"]
    try:
        proof_hash = hashlib.sha256(suite.canonicalize(config, canon)).digest()
    except VCError as exc:
        exc.path = proof_path + exc.path
        raise
    if suite.rdf and document_quads is not None:  # the RDF the compacted-form check already wrote
        canonical = canon.canonicalize_quads(document_quads, document).encode("utf-8")
    else:
        canonical = suite.canonicalize(document, canon)
    doc_hash = hashlib.sha256(canonical).digest()
    return proof_hash + doc_hash


def add_proof(document: dict[str, Any], *, key: KeyPair, canon: Canonicalizer,
              created: dt.datetime | str, suite: Cryptosuite = EDDSA_RDFC_2022,
              purpose: str = "assertionMethod", challenge: str | None = None,
              domain: str | None = None, proof_id: str | None = None,
              previous_proof: str | list[str] | None = None, expires: str | None = None) -> dict[str, Any]:
    """§4.2 Add Proof and §4.3 Add Proof Set/Chain. Returns a new document; never mutates."""
    if not suite.can_sign:
        raise ProofGenerationError(f"{suite.name} is accepted for verification only")
    if not isinstance(document, dict):
        raise ProofGenerationError("the document is not a JSON object")
    created_text = created if isinstance(created, str) else format_datetime(created)
    try:
        parse_datetime(created_text, path="/proof/created", require_offset=True)
    except VCError as exc:
        raise ProofGenerationError(exc.detail, path="/proof/created") from exc
    document = _with_suite_context(document, suite)
    all_proofs = _proof_list(document)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof: dict[str, Any] = {"type": suite.proof_type}
    if proof_id:
        proof["id"] = proof_id
    if suite.proof_type == "DataIntegrityProof":
        proof["cryptosuite"] = suite.name
    proof.update({"created": created_text, "verificationMethod": key.id, "proofPurpose": purpose})
    if expires:
        proof["expires"] = expires
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    if previous_proof is not None:
        proof["previousProof"] = previous_proof
        unsecured["proof"] = _matching(all_proofs, previous_proof, error=ProofGenerationError)
    if suite.proof_config_context and "@context" in document:
        proof["@context"] = document["@context"]
    signature = key.sign(proof_hash_data(unsecured, proof, suite, canon))
    proof["proofValue"] = encode_multibase(signature)
    secured = {k: v for k, v in document.items() if k != "proof"}
    secured["proof"] = all_proofs + [proof] if all_proofs else proof
    return secured


def _with_suite_context(document: dict[str, Any], suite: Cryptosuite) -> dict[str, Any]:
    """A VC 1.1 document signed with a DataIntegrityProof needs the data integrity context to
    define the proof's terms (VC DI 1.0 §2.1); add it, as other implementations do."""
    ctx = document.get("@context")
    if suite.proof_type != "DataIntegrityProof" or not suite.rdf or ctx is None:
        return document
    items = ctx if isinstance(ctx, list) else [ctx]
    if VC2_CONTEXT in items or DI_V2_CONTEXT in items:
        return document
    return {**document, "@context": [*items, DI_V2_CONTEXT]}


def _matching(all_proofs: list[Any], previous: Any, *, error: type[VCError]) -> list[Any]:
    wanted = previous if isinstance(previous, list) else [previous]
    by_id = {p.get("id"): p for p in all_proofs if isinstance(p, dict) and p.get("id")}
    missing = [w for w in wanted if not isinstance(w, str) or w not in by_id]
    if missing:
        raise error(f"previousProof names proofs that are not in the document: {missing}",
                    path="/proof", title="Missing previous proof")
    return [by_id[w] for w in wanted]


def verify_proofs(document: dict[str, Any], report: VerificationReport, *, canon: Canonicalizer,
                  resolver: DidResolver, purpose: str, challenge: str | None = None,
                  domain: str | None = None, now: dt.datetime | None = None,
                  suites: dict[str, Cryptosuite] | None = None, prefix: str = "",
                  unsecured_quads: list[tuple[str, str, str, str]] | None = None) -> list[str]:
    """§4.5 Verify Proof Sets and Chains. Adds checks/problems to `report`; returns the
    controllers (DIDs) whose proofs verified."""
    suites = suites if suites is not None else SUITES
    proofs = _proof_list(document)
    if not proofs:
        report.fail(ProofVerificationError("the document has no proof", path="/proof",
                                           title="No proof"), prefix=prefix)
        return []
    controllers = []
    for index, proof in enumerate(proofs):
        where = "/proof" if not isinstance(document.get("proof"), list) else f"/proof/{index}"
        try:
            controller = _verify_one(document, proof, proofs, canon=canon, resolver=resolver,
                                     purpose=purpose, challenge=challenge, domain=domain, now=now,
                                     suites=suites, where=where, unsecured_quads=unsecured_quads)
        except VCError as exc:
            report.fail(exc, prefix=prefix)
            report.check("proof", "failed", prefix + where, exc.detail)
        else:
            controllers.append(controller)
            report.check("proof", "passed", prefix + where, f"{proof.get('cryptosuite') or proof.get('type')} by {controller}")
    return controllers


def _verify_one(document: dict[str, Any], proof: Any, all_proofs: list[Any], *, canon: Canonicalizer,
                resolver: DidResolver, purpose: str, challenge: str | None, domain: str | None,
                now: dt.datetime | None, suites: Iterable[str] | dict[str, Cryptosuite],
                where: str, unsecured_quads: list[tuple[str, str, str, str]] | None = None) -> str:
    """§4.4 Verify Proof for one proof; raises a coded error, returns the key's controller."""
    if not isinstance(proof, dict):
        raise MalformedValueError("a proof must be a JSON object", path=where)
    suite = next((s for s in suites.values() if s.matches(proof)), None)
    if suite is None:
        raise ProofVerificationError(
            f"unsupported proof type/cryptosuite {proof.get('type')!r}/{proof.get('cryptosuite')!r}",
            path=where + "/cryptosuite", title="Unknown cryptosuite")
    for member in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(member), str):
            raise MalformedValueError(f"the proof has no {member}", path=f"{where}/{member}",
                                      title="Incomplete proof")
    if "created" in proof:
        parse_datetime(proof["created"], path=where + "/created")
    if "expires" in proof and now is not None and parse_datetime(proof["expires"], path=where + "/expires") < now:
        raise ProofVerificationError("the proof has expired", path=where + "/expires", title="Proof expired")
    if proof["proofPurpose"] != purpose:
        raise ProofVerificationError(f"proof purpose is {proof['proofPurpose']!r}, expected {purpose!r}",
                                     path=where + "/proofPurpose", title="Wrong proof purpose")
    if domain is not None and not _domain_matches(proof.get("domain"), domain):
        raise InvalidDomainError(f"expected domain {domain!r}", path=where + "/domain")
    if challenge is not None and proof.get("challenge") != challenge:
        raise InvalidChallengeError(f"expected challenge {challenge!r}", path=where + "/challenge")
    if suite.proof_config_context and "@context" in proof:
        doc_ctx = document.get("@context")
        doc_ctx = doc_ctx if isinstance(doc_ctx, list) else [doc_ctx]
        proof_ctx = proof["@context"] if isinstance(proof["@context"], list) else [proof["@context"]]
        # eddsa-jcs-2022 Verify Proof step 4.1 lets the document's @context extend the proof's and
        # then hashes the proof's. We refuse the extension: contexts added after signing would
        # change what the document means without being signed (reading must equal signing).
        if doc_ctx != proof_ctx:
            raise ProofVerificationError("the document's @context is not the one the proof signed"
                                         if doc_ctx[:len(proof_ctx)] == proof_ctx else
                                         "the proof's @context does not match the document's",
                                         path=where + "/@context", title="Context not signed")
    try:
        method = resolver.verification_method(proof["verificationMethod"], purpose=purpose)
    except VCError as exc:
        exc.path = exc.path or where + "/verificationMethod"
        raise
    signature = decode_multibase(proof["proofValue"], path=where + "/proofValue", max_length=200)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if suite.proof_config_context and "@context" in proof:
        unsecured["@context"] = proof["@context"]  # jcs Verify Proof, step 4.2: what was signed
    if "previousProof" in proof:
        unsecured["proof"] = _matching(all_proofs, proof["previousProof"], error=ProofVerificationError)
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    if not suite.proof_config_context:
        config.pop("@context", None)
    quads = unsecured_quads if "previousProof" not in proof else None
    data = proof_hash_data(unsecured, config, suite, canon, proof_path=where, document_quads=quads)
    if not verify_ed25519(method.public_key, signature, data):
        raise ProofVerificationError("the signature does not match the document and key",
                                     path=where + "/proofValue", title="Invalid signature")
    return method.controller


def _domain_matches(actual: Any, expected: str) -> bool:
    values = actual if isinstance(actual, list) else [actual]
    return expected in values
