"""Coded errors of the wallet (codes this project adds; the VC specs' codes come from vccore)."""

from __future__ import annotations

from vccore.errors import VCError

__all__ = ["CorruptWalletError", "KdfLimitError", "NotFoundError", "OfferError", "UnlockThrottledError",
           "WalletExistsError", "WalletNotFoundError", "WrongPassphraseError"]


class WrongPassphraseError(VCError):
    code = "WRONG_PASSPHRASE"
    title = "Wrong passphrase"


class CorruptWalletError(VCError):
    code = "WALLET_CORRUPT"
    title = "The wallet data is damaged"


class KdfLimitError(CorruptWalletError):
    """Key-derivation parameters costlier than any the wallet writes: refused before deriving, so a
    crafted backup or database cannot make scrypt take gigabytes."""

    code = "KDF_LIMIT_EXCEEDED"
    title = "The key derivation parameters exceed the wallet's limit"


class UnlockThrottledError(VCError):
    """Too many wrong passphrases from this client or for this wallet: wait `retry_after` seconds."""

    code = "UNLOCK_THROTTLED"
    title = "Too many attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many wrong passphrases: try again in {retry_after} s")
        self.retry_after = retry_after


class WalletNotFoundError(VCError):
    code = "WALLET_NOT_FOUND"
    title = "There is no wallet here yet"


class WalletExistsError(VCError):
    code = "WALLET_EXISTS"
    title = "A wallet already exists here"


class NotFoundError(VCError):
    code = "NOT_FOUND"
    title = "No such credential or profile"


class OfferError(VCError):
    """OpenID4VCI failures. `oauth_error` is the issuer's OAuth / OpenID4VCI error code when it sent
    one of the known codes, kept as a field so that screens explain it (vccore.problemtexts)."""

    code = "CREDENTIAL_OFFER_ERROR"
    title = "The credential offer could not be redeemed"
    OAUTH_ERRORS = ("invalid_grant", "invalid_token", "invalid_proof", "invalid_nonce", "invalid_credential_request")

    def __init__(self, detail: str = "", *, path: str = "", title: str | None = None,
                 oauth_error: str | None = None) -> None:
        super().__init__(detail, path=path, title=title)
        self.oauth_error = oauth_error if oauth_error in self.OAUTH_ERRORS else None


class PassphraseMissingError(VCError):
    code = "PASSPHRASE_MISSING"
    title = "Geen wachtwoordzin / no passphrase"
