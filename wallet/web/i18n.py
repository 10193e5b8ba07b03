"""UI text in Dutch (default) and English; the language comes from ?lang=, a cookie, or Accept-Language."""

from __future__ import annotations

from flask import Request

from vccore.errors import VCError

__all__ = ["LANGS", "TEXT", "choose_lang", "error_text"]

LANGS = ("nl", "en")

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Mijn microcredentials", "My microcredentials"),
    "unlock": ("Ontgrendelen", "Unlock"), "create": ("Wallet aanmaken", "Create wallet"),
    "passphrase": ("Wachtwoordzin", "Passphrase"), "lock": ("Vergrendelen", "Lock"),
    "no_wallet": ("Er is hier nog geen wallet. Kies een wachtwoordzin om er een te maken.",
                  "There is no wallet here yet. Choose a passphrase to create one."),
    "list": ("Overzicht", "Overview"), "import": ("Toevoegen", "Add"), "present": ("Tonen", "Present"),
    "backup": ("Back-up", "Backup"), "search": ("Zoeken", "Search"), "filter": ("Filteren", "Filter"),
    "institution": ("Instelling", "Institution"), "type": ("Soort", "Type"), "nlqf": ("NLQF-niveau", "NLQF level"),
    "eqf": ("EQF-niveau", "EQF level"), "date_from": ("Vanaf datum", "From date"), "date_to": ("Tot en met datum", "To date"),
    "status": ("Status", "Status"), "any": ("alle", "any"), "ects": ("ECTS", "ECTS"),
    "total_ects": ("Totaal ECTS", "Total ECTS"), "none_found": ("Geen microcredentials gevonden.", "No microcredentials found."),
    "participant": ("Deelnemer", "Participant"), "unit": ("Eenheid", "Unit"), "code": ("Code", "Code"),
    "outcomes": ("Leeruitkomsten", "Learning outcomes"), "result": ("Resultaat", "Result"),
    "quality": ("Kwaliteitskeurmerk", "Quality mark"), "assessment": ("Toetsvorm", "Assessment"),
    "participation": ("Deelnamevorm", "Participation"), "identity_check": ("Identiteitscontrole", "Identity check"),
    "language": ("Taal", "Language"), "valid_from": ("Geldig vanaf", "Valid from"),
    "valid_until": ("Geldig tot", "Valid until"), "holder": ("Houder (DID)", "Holder (DID)"),
    "description": ("Omschrijving", "Description"), "delete": ("Verwijderen", "Delete"),
    "confirm_delete": ("Ik weet zeker dat ik deze microcredential wil verwijderen",
                       "I am sure I want to delete this microcredential"),
    "deleted": ("Verwijderd.", "Deleted."),
    "st_ok": ("Geldig, niet ingetrokken", "Valid, not revoked"), "st_none": ("Geldig (geen statuslijst)", "Valid (no status list)"),
    "st_unknown": ("Geldig, status kon niet worden gecontroleerd", "Valid, status could not be checked"),
    "st_revoked": ("Ingetrokken", "Revoked"), "st_suspended": ("Geschorst", "Suspended"),
    "st_invalid": ("NIET GELDIG: controle mislukt", "NOT VALID: verification failed"),
    "file": ("Bestand (.json)", "File (.json)"), "paste": ("Of plak de JSON", "Or paste the JSON"),
    "offer": ("Aanbiedingslink (openid-credential-offer://)", "Offer link (openid-credential-offer://)"),
    "offer_image": ("Of een foto/afbeelding van de QR-code van het aanbod", "Or a photo/image of the offer QR code"),
    "check": ("Controleren en toevoegen", "Check and add"), "stored": ("Opgeslagen.", "Stored."),
    "not_stored": ("Niet opgeslagen: de controle is mislukt.", "Not stored: verification failed."),
    "keep_anyway": ("Toch bewaren (gemarkeerd als niet geldig)", "Keep anyway (marked as not valid)"),
    "duplicate": ("Deze microcredential staat al in de wallet.", "This microcredential is already in the wallet."),
    "problems": ("Bevindingen", "Findings"), "choose": ("Kies wat je wilt tonen", "Choose what to show"),
    "request": ("Verzoek van de verificateur (MCREQ1:...)", "Verifier's request (MCREQ1:...)"),
    "request_image": ("Of een afbeelding van de verzoek-QR-code", "Or an image of the request QR code"),
    "make_qr": ("QR-code maken", "Make QR code"),
    "qr_help": ("Laat deze QR-code scannen. Hij verloopt om", "Let this QR code be scanned. It expires at"),
    "qr_frames": ("Reeks van {n} codes, wordt automatisch afgespeeld", "Sequence of {n} codes, plays automatically"),
    "for_domain": ("Voor", "For"), "make_backup": ("Back-up downloaden", "Download backup"),
    "restore": ("Back-up terugzetten", "Restore backup"),
    "backup_pass": ("Wachtwoordzin van de back-up", "Backup passphrase"),
    "restored": ("Teruggezet: {a} toegevoegd, {s} al aanwezig.", "Restored: {a} added, {s} already present."),
    "error": ("Er ging iets mis", "Something went wrong"), "details": ("Details", "Details"),
    "skip": ("Naar de inhoud", "Skip to content"), "profile": ("Profiel", "Profile"),
    "all_creds": ("Niets gekozen = alle microcredentials van het profiel", "Nothing chosen = all of the profile's microcredentials"),
    "fields": ("Gegevens", "Fields"), "raw": ("Brongegevens (JSON)", "Source data (JSON)"),
    "locked": ("Vergrendeld. Ontgrendel de wallet om verder te gaan.", "Locked. Unlock the wallet to continue."),
    "session_ended": ("Je sessie is beëindigd (vergrendeld of te lang niet gebruikt). Ontgrendel de wallet opnieuw.",
                      "Your session has ended (locked or unused for too long). Unlock the wallet again."),
    "host_refused": ("Deze wallet antwoordt alleen op het adres waarop hij draait. Een ander adres (bijvoorbeeld "
                     "een webpagina die zich als deze wallet voordoet) krijgt geen toegang. Open de wallet via: {address}",
                     "This wallet answers only at the address it is served on. Any other address (for example a web "
                     "page posing as this wallet) gets no access. Open the wallet at: {address}"),
    "host_missing": ("Het verzoek noemt geen bruikbaar adres (Host-header). Open de wallet via: {address}",
                     "The request names no usable address (Host header). Open the wallet at: {address}"),
    # Error titles by code (the library's titles are English; the detail stays technical).
    "err_UNLOCK_THROTTLED": ("Te veel onjuiste wachtwoordzinnen. Probeer het over {seconds} seconden opnieuw.",
                             "Too many wrong passphrases. Try again in {seconds} seconds."),
    "err_WRONG_PASSPHRASE": ("Onjuiste wachtwoordzin", "Wrong passphrase"),
    "err_KDF_LIMIT_EXCEEDED": ("Deze back-up vraagt een zwaardere sleutelafleiding dan de wallet ooit maakt en "
                               "wordt niet geopend.", "This backup asks for a costlier key derivation than the "
                               "wallet ever writes and is not opened."),
    "err_WALLET_CORRUPT": ("De walletgegevens of de back-up zijn beschadigd", "The wallet data or the backup is damaged"),
    "err_NOT_FOUND": ("Deze microcredential of dit profiel bestaat niet", "No such credential or profile"),
    "err_PARSING_ERROR": ("Het bestand kon niet worden gelezen", "The file could not be read"),
}


def choose_lang(request: Request) -> str:
    asked = request.args.get("lang") or request.cookies.get("lang")
    if asked in LANGS:
        return asked
    return request.accept_languages.best_match(LANGS) or "nl" if request.accept_languages else "nl"


def error_text(exc: VCError, lang: str) -> str:
    """The error's title in the page's language (its code's text), else the library's title."""
    text = TEXT.get(f"err_{exc.code}")
    if text is None:
        return exc.title
    return text[0 if lang == "nl" else 1].format(seconds=getattr(exc, "retry_after", ""))
