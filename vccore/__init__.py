"""vccore: the standards core shared by issuer, wallet and verifier (a pure library)."""

from .canon import Canonicalizer
from .clock import Clock, FixedClock, SystemClock, format_datetime, parse_datetime
from .dataintegrity import add_proof, verify_proofs
from .did import DidResolver, did_key_document
from .errors import VCError
from .keys import KeyPair
from .loader import ContextLoader, default_loader
from .presentation import create_presentation, sign_presentation
from .report import Check, Problem, VerificationReport
from .suites import ED25519_2020, EDDSA_JCS_2022, EDDSA_RDFC_2022, SUITES, Cryptosuite
from .verify import Verifier

__all__ = [
    "Canonicalizer", "Check", "Clock", "ContextLoader", "Cryptosuite", "DidResolver", "ED25519_2020",
    "EDDSA_JCS_2022", "EDDSA_RDFC_2022", "FixedClock", "KeyPair", "Problem", "SUITES", "SystemClock",
    "VCError", "VerificationReport", "Verifier", "add_proof", "create_presentation", "default_loader",
    "did_key_document", "format_datetime", "parse_datetime", "sign_presentation", "verify_proofs",
]
