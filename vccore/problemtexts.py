"""What each problem code (docs/problem-codes.md) means to a person: a title and what to do next.

The English source strings are here; the Dutch ones are in vccore/translations/nl (docs/i18n.md).
A report's own `title` and `detail` stay English and technical (for the JSON report and logs);
screens show these texts instead. tests/test_translations.py keeps this table, the document and
the catalogue in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from .l10n import N_, Localizer

__all__ = ["PROBLEM_TEXTS", "ProblemText", "problem_text"]


@dataclass(frozen=True)
class ProblemText:
    title: str
    advice: str


_DAMAGED = N_("The data may have been damaged or changed. Do not rely on it; ask the holder to present it "
              "again from their wallet.")
_FORGED = N_("Do not rely on this certificate: it is not what the institution signed. Ask the holder to "
             "present it again from their wallet.")
_NEW_QR = N_("Ask the holder to show a new QR code from their wallet.")
_STATUS = N_("Whether the institution has withdrawn it is not known. Try again later, or ask the institution.")
_NOT_FOUND = N_("It may have been removed, or the link is incomplete. Go back and choose it again.")
_ISSUER_AGAIN = N_("Ask the institution for a new offer; this one cannot be used.")

PROBLEM_TEXTS: dict[str, tuple[str, str]] = {
    # W3C specification codes
    "PARSING_ERROR": (N_("The input could not be read"),
                      N_("Try again: upload a sharper photo of the QR code, or paste the complete text.")),
    "MALFORMED_VALUE_ERROR": (N_("Part of the certificate is not in the expected form"), _DAMAGED),
    "RANGE_ERROR": (N_("A value is out of range"), _DAMAGED),
    "CRYPTOGRAPHIC_SECURITY_ERROR": (N_("The cryptography is not secure enough"), _FORGED),
    "PROOF_VERIFICATION_ERROR": (N_("The digital signature is not correct"), _FORGED),
    "PROOF_GENERATION_ERROR": (N_("The digital signature could not be made"),
                               N_("Check the key and the signing time, then try again.")),
    "PROOF_TRANSFORMATION_ERROR": (N_("The certificate could not be prepared for checking its signature"),
                                   _FORGED),
    "INVALID_CHALLENGE_ERROR": (N_("This QR code was made for another request"),
                                N_("Ask the holder to scan this verifier's request again and show the new "
                                   "QR code.")),
    "INVALID_DOMAIN_ERROR": (N_("This QR code was made for another verifier"),
                             N_("Ask the holder to scan this verifier's request and show the new QR code.")),
    "INVALID_VERIFICATION_METHOD": (N_("The signing key could not be found"), _FORGED),
    "INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD": (N_("The key may not be used for this signature"), _FORGED),
    "STATUS_RETRIEVAL_ERROR": (N_("The status could not be checked"), _STATUS),
    "STATUS_VERIFICATION_ERROR": (N_("The institution's status list could not be trusted"), _STATUS),
    "STATUS_LIST_LENGTH_ERROR": (N_("The institution's status list is incomplete"), _STATUS),
    # codes vccore adds
    "UNKNOWN_CONTEXT_ERROR": (N_("The certificate uses a vocabulary this system does not know"), _FORGED),
    "UNDEFINED_TERM_ERROR": (N_("The certificate contains data that is not covered by its signature"), _FORGED),
    "COMPACTED_FORM_ERROR": (N_("The certificate is written differently from what was signed"), _FORGED),
    "JSONLD_BUDGET_ERROR": (N_("The certificate is too complex to check"), _FORGED),
    "JOSE_HEADER_ERROR": (N_("The certificate's signature header is not acceptable"), _FORGED),
    "SD_JWT_DISCLOSURE_ERROR": (N_("A disclosed part does not match what was signed"), _FORGED),
    "KEY_BINDING_ERROR": (N_("The holder's key does not match the certificate"),
                          N_("Ask the holder to show it from their own wallet.")),
    "EXPIRED_ERROR": (N_("The certificate's validity has ended"),
                      N_("The institution gave it a period of validity that is over. Ask the holder for a "
                         "current certificate.")),
    "NOT_YET_VALID_ERROR": (N_("The certificate is not valid yet"),
                            N_("It becomes valid later. Check again after the date it was issued for.")),
    "HOLDER_BINDING_ERROR": (N_("Not shown by the person it was issued to"),
                             N_("Ask the holder to show it from their own wallet.")),
    "TRUST_LIST_ERROR": (N_("The trust list could not be used"),
                         N_("Import the signed trust list of the quality framework's authority again.")),
    "INVALID_DID": (N_("The institution's identifier is not valid"), _FORGED),
    "DID_NOT_FOUND": (N_("The institution's identifier could not be found"),
                      N_("The signature cannot be checked now. Try again later.")),
    "TRANSPORT_ERROR": (N_("A connection failed"), N_("Check the network connection and try again.")),
    "STATUS_REVOKED": (N_("Revoked by the institution"),
                       N_("The institution has withdrawn this certificate. It is no longer valid.")),
    "STATUS_SUSPENDED": (N_("Suspended by the institution"),
                         N_("Temporarily not valid. Ask the institution when it will be valid again.")),
    "STATUS_NOT_REFRESHED": (N_("The status could not be refreshed"),
                             N_("The last known status is shown. Check again later for the current status.")),
    "STATUS_OTHER_VALUE": (N_("The institution gave it a status of its own"),
                           N_("The status list says something other than valid, revoked or suspended. Ask the "
                              "institution what it means.")),
    # verifier
    "UNTRUSTED_ISSUER": (N_("The institution is not on the trust list"),
                         N_("Whether it is accredited under the quality framework is not confirmed. Ask the "
                            "institution or check the trust list.")),
    "NO_TRUST_LIST": (N_("No trust list is loaded"),
                      N_("Accreditation could not be checked. Import the quality framework's trust list.")),
    "TRUST_LIST_EXPIRED": (N_("The trust list has expired"),
                           N_("Import a current trust list; until then no institution counts as accredited.")),
    "ISSUER_NAME_MISMATCH": (N_("The certificate names its institution differently"),
                             N_("The name from the trust list is shown. Be careful with the name the "
                                "certificate gives itself.")),
    "QUALITY_MARK_ERROR": (N_("The quality mark cannot be confirmed"),
                           N_("Do not count it as a microcredential under the quality framework.")),
    "MICROCREDENTIAL_INCOMPLETE": (N_("Elements of a microcredential are missing"),
                                   N_("The certificate may be genuine, but it lacks elements the quality "
                                      "framework requires. Ask the institution.")),
    "MICROCREDENTIAL_NONCONFORMING": (N_("Outside the quality framework's rules"),
                                      N_("Some values do not meet the framework's rules. Ask the institution.")),
    "FRESHNESS_ERROR": (N_("This QR code has expired"), _NEW_QR),
    "IMAGE_ERROR": (N_("The image could not be read"),
                    N_("Try again with a photo or screenshot of the QR code (PNG or JPEG).")),
    "QR_NOT_FOUND": (N_("No QR code was found in the image"),
                     N_("Try again: upload a sharper photo, with the whole QR code in view.")),
    "RATE_LIMITED": (N_("Too many requests"), N_("Wait a moment and try again.")),
    "VERIFIER_BUSY": (N_("The verifier is busy"), N_("Wait a moment and try again.")),
    # issuer
    "CSRF_ERROR": (N_("The form has expired"), N_("Reload the page and send the form again.")),
    "UNAUTHORIZED": (N_("Not logged in or not allowed"), N_("Log in again, or ask an administrator for access.")),
    "INVALID_INPUT": (N_("A field is not filled in correctly"), N_("Correct the marked field and try again.")),
    "BATCH_REJECTED": (N_("The batch was not issued"),
                       N_("Correct the rows that are marked and upload the file again; nothing was issued.")),
    "DEFINITION_NOT_FOUND": (N_("This microcredential definition does not exist"), _NOT_FOUND),
    "RECORD_NOT_FOUND": (N_("This issued credential does not exist"), _NOT_FOUND),
    "OFFER_NOT_FOUND": (N_("This offer does not exist"), _ISSUER_AGAIN),
    "STATUS_LIST_NOT_FOUND": (N_("This status list does not exist"), _NOT_FOUND),
    "DEFINITION_ARCHIVED": (N_("This microcredential is archived"),
                            N_("Nothing more is issued from it. Choose a current microcredential.")),
    "DEFINITION_SUPERSEDED": (N_("This version was replaced by a newer one"), N_("Use the current version.")),
    "OFFER_EXPIRED": (N_("This offer has expired"), _ISSUER_AGAIN),
    "OFFER_ALREADY_DELIVERED": (N_("This offer has already been collected"),
                                N_("Look for the credential in the wallet that collected it, or ask the "
                                   "institution for a new offer.")),
    "STATUS_CHANGE_REFUSED": (N_("This status change is not possible"),
                              N_("A revoked credential stays revoked; suspension is only possible where the "
                                 "institution uses it.")),
    "LOGIN_THROTTLED": (N_("Too many failed login attempts"), N_("Wait a few minutes and try again.")),
    "invalid_grant": (N_("This offer has already been collected or has expired"), _ISSUER_AGAIN),
    "invalid_token": (N_("The issuer refused the wallet's access"), N_("Start collecting the offer again.")),
    "invalid_proof": (N_("The issuer refused the wallet's key proof"), N_("Start collecting the offer again.")),
    "invalid_nonce": (N_("The issuer's one-time code has expired"), N_("Start collecting the offer again.")),
    "invalid_credential_request": (N_("The issuer refused the request"), _ISSUER_AGAIN),
    # wallet
    "CREDENTIAL_OFFER_ERROR": (N_("The offer could not be collected"),
                               N_("Check the offer link or QR code, or ask the institution for a new offer.")),
    "WRONG_PASSPHRASE": (N_("Wrong passphrase"), N_("Type the passphrase again.")),
    "PASSPHRASE_MISSING": (N_("No passphrase was given"), N_("Give the wallet's passphrase.")),
    "WALLET_NOT_FOUND": (N_("There is no wallet here yet"), N_("Create a wallet first.")),
    "WALLET_EXISTS": (N_("A wallet already exists here"), N_("Open it with its passphrase.")),
    "WALLET_CORRUPT": (N_("The wallet data or the backup is damaged"),
                       N_("Restore a backup you trust.")),
    "NOT_FOUND": (N_("No such credential or profile"), _NOT_FOUND),
    "KDF_LIMIT_EXCEEDED": (N_("This backup asks for more computing effort than the wallet allows"),
                           N_("It is not opened. Use a backup made by this wallet.")),
    "UNLOCK_THROTTLED": (N_("Too many wrong passphrases"), N_("Wait a moment and try again.")),
    "HOST_NOT_ALLOWED": (N_("Opened at the wrong address"),
                         N_("Open the wallet at the address it runs on.")),
    "HOST_MISSING": (N_("The request names no address"), N_("Open the wallet at the address it runs on.")),
    # OpenID4VP (verifier and wallet)
    "OID4VP_REQUEST_ERROR": (N_("The request could not be read"),
                             N_("The request is not a valid OpenID4VP request. Ask the verifier for a new one.")),
    "DCQL_QUERY_ERROR": (N_("The request asks in a way that is not valid"), N_("Ask the verifier for a new request.")),
    "OID4VP_VP_TOKEN_ERROR": (N_("The presentation in the answer could not be read"),
                              N_("Ask the candidate to answer again from their wallet.")),
    "OID4VP_UNKNOWN_REQUEST": (N_("This request is not known here"), N_("Make a new request on the verifier page.")),
    "OID4VP_REQUEST_EXPIRED": (N_("This request has expired"), N_("Make a new request on the verifier page.")),
    "OID4VP_REQUEST_USED": (N_("This request has already been answered"),
                            N_("A request can be answered once. Make a new request.")),
    "OID4VP_QUERY_NOT_MET": (N_("The answer does not meet the request"),
                             N_("Ask the candidate to choose a microcredential that meets the request.")),
    "OID4VP_ANSWER_REFUSED": (N_("The verifier refused the answer"),
                              N_("Open the request again on the verifier's page, or ask the verifier for a new one.")),
    "PRESENTATION_EXPIRED": (N_("This presentation has expired"),
                             N_("The holder chose how long it would be valid. Ask for a new one from their wallet.")),
    # PDF certificates
    "PDF_ERROR": (N_("The PDF could not be read"),
                  N_("Upload the PDF certificate as you received it, or ask the holder for a new one.")),
    "PDF_NO_CREDENTIAL": (N_("This PDF carries no microcredential"),
                          N_("It has no attached credential and no readable QR code. Ask the holder for the PDF "
                             "certificate from their wallet.")),
    "PDF_FONT_MISSING": (N_("No font for the PDF certificate"),
                         N_("Install the DejaVu Sans font (Debian: fonts-dejavu-core) or set VC_PDF_FONT_DIR, then "
                            "try again.")),
    "IO_ERROR": (N_("A file could not be read or written"),
                 N_("Check the file name and that you may read and write there.")),
}

# Internal spellings of the OAuth / OpenID4VCI error codes (issuer.oid4vci_state) read as the wire codes.
_ALIASES = {"INVALID_GRANT": "invalid_grant", "INVALID_TOKEN": "invalid_token", "INVALID_PROOF": "invalid_proof",
            "INVALID_NONCE": "invalid_nonce", "INVALID_CREDENTIAL_REQUEST": "invalid_credential_request"}
_FALLBACK = (N_("Something went wrong"), N_("Try again. If it keeps happening, keep the code shown and ask for "
                                            "help."))


def problem_text(code: str, l10n: Localizer) -> ProblemText:
    """The title and advice of a code in the viewer's language (a general text for an unknown code)."""
    title, advice = PROBLEM_TEXTS.get(_ALIASES.get(code, code), _FALLBACK)
    return ProblemText(l10n.gettext(title), l10n.gettext(advice))
