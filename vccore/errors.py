"""Coded errors. Codes are the ones the W3C specifications define where they define one.

VC Data Model 2.0 §7.1 (PARSING_ERROR, CRYPTOGRAPHIC_SECURITY_ERROR, MALFORMED_VALUE_ERROR,
RANGE_ERROR); VC Data Integrity 1.0 §2.1.1 / §4 (PROOF_*_ERROR, INVALID_DOMAIN_ERROR,
INVALID_CHALLENGE_ERROR); Controlled Identifiers 1.0 (INVALID_VERIFICATION_METHOD, ...);
Bitstring Status List 1.0 §3.x (STATUS_*_ERROR). Codes this project adds where the specs are
silent are listed in docs/problem-codes.md.
"""

from __future__ import annotations


class VCError(Exception):
    """Base class: every error carries a short code, a human title and a JSON pointer."""

    code = "VC_ERROR"
    title = "Verifiable credential error"

    def __init__(self, detail: str = "", *, path: str = "", title: str | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.path = path
        if title is not None:
            self.title = title


class ParsingError(VCError):
    code = "PARSING_ERROR"
    title = "The document could not be parsed"


class MalformedValueError(VCError):
    code = "MALFORMED_VALUE_ERROR"
    title = "A value is malformed"


class RangeError(VCError):
    code = "RANGE_ERROR"
    title = "A value is out of range"


class CryptographicSecurityError(VCError):
    code = "CRYPTOGRAPHIC_SECURITY_ERROR"
    title = "Cryptographic security error"


class ProofGenerationError(VCError):
    code = "PROOF_GENERATION_ERROR"
    title = "The proof could not be created"


class ProofVerificationError(VCError):
    code = "PROOF_VERIFICATION_ERROR"
    title = "The proof does not verify"


class ProofTransformationError(VCError):
    code = "PROOF_TRANSFORMATION_ERROR"
    title = "The document could not be transformed for its proof"


class InvalidDomainError(VCError):
    code = "INVALID_DOMAIN_ERROR"
    title = "The proof's domain is not the expected one"


class InvalidChallengeError(VCError):
    code = "INVALID_CHALLENGE_ERROR"
    title = "The proof's challenge is not the expected one"


class InvalidVerificationMethodError(VCError):
    code = "INVALID_VERIFICATION_METHOD"
    title = "The verification method is invalid or cannot be resolved"


class InvalidRelationshipError(VCError):
    code = "INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD"
    title = "The key is not authorized for this proof purpose"


class UnknownContextError(VCError):
    code = "UNKNOWN_CONTEXT_ERROR"
    title = "The document uses a JSON-LD context this system does not know"


class UndefinedTermError(VCError):
    code = "UNDEFINED_TERM_ERROR"
    title = "The document uses a term its contexts do not define"


class StatusRetrievalError(VCError):
    code = "STATUS_RETRIEVAL_ERROR"
    title = "The status list could not be retrieved"


class StatusVerificationError(VCError):
    code = "STATUS_VERIFICATION_ERROR"
    title = "The status list credential does not verify"


class StatusListLengthError(VCError):
    code = "STATUS_LIST_LENGTH_ERROR"
    title = "The status list is too short"


class InvalidDidError(VCError):
    code = "INVALID_DID"
    title = "The DID is malformed or unsupported"


class DidNotFoundError(VCError):
    code = "DID_NOT_FOUND"
    title = "The DID could not be resolved"


class TransportError(VCError):
    code = "TRANSPORT_ERROR"
    title = "A network fetch failed"
