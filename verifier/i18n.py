"""Page texts in Dutch (default) and English; the language comes from ?lang=, a cookie or Accept-Language."""

from __future__ import annotations

__all__ = ["LANGUAGES", "MESSAGES", "choose_language", "translate"]

LANGUAGES = ("nl", "en")

MESSAGES: dict[str, tuple[str, str]] = {  # key: (Dutch, English)
    "title": ("Microcredential controleren", "Verify a microcredential"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "lang_other": ("English", "Nederlands"),
    "intro": ("Scan de QR-code uit de wallet van de kandidaat, upload een foto of schermafbeelding, "
              "of plak de tekst. De controle gebeurt op deze computer; er is geen centrale opzoeking nodig.",
              "Scan the QR code from the candidate's wallet, upload a photo or screenshot, or paste "
              "the text. Checking happens here; no central lookup is needed."),
    "scan": ("Scannen met de camera", "Scan with the camera"),
    "start_camera": ("Camera starten", "Start camera"),
    "stop_camera": ("Camera stoppen", "Stop camera"),
    "camera_help": ("Houd de QR-code voor de camera. Een bewegende reeks codes wordt vanzelf samengevoegd.",
                    "Hold the QR code in front of the camera. An animated sequence is joined automatically."),
    "camera_ready": ("Camera aan: zoeken naar een QR-code…", "Camera on: looking for a QR code…"),
    "camera_denied": ("De camera is niet beschikbaar. Upload een foto of plak de tekst.",
                      "The camera is not available. Upload a photo or paste the text."),
    "frames": ("Codes ontvangen", "Codes received"),
    "checking": ("Gevonden, bezig met controleren…", "Found, checking…"),
    "upload": ("Foto of schermafbeelding uploaden", "Upload a photo or screenshot"),
    "upload_label": ("Afbeelding met QR-code (of een JSON-bestand)", "Image with a QR code (or a JSON file)"),
    "paste": ("Tekst plakken", "Paste text"),
    "paste_label": ("QR-tekst (MC1…) of JSON", "QR text (MC1…) or JSON"),
    "verify": ("Controleren", "Verify"),
    "request": ("Om een nieuwe presentatie vragen", "Request a fresh presentation"),
    "request_intro": ("Laat de kandidaat deze code scannen met de wallet. De wallet toont daarna een "
                      "QR-code die alleen voor deze controle geldt; scan die hieronder.",
                      "Let the candidate scan this code with the wallet. The wallet then shows a QR "
                      "code valid for this check only; scan it below."),
    "request_qr": ("Verzoek-QR-code", "Request QR code"),
    "request_valid": ("Geldig tot", "Valid until"),
    "request_domain": ("Domein", "Domain"),
    "request_text": ("Verzoek als tekst", "Request as text"),
    "limited_title": ("Te veel verzoeken", "Too many requests"),
    "limited_client": ("Vanaf dit adres zijn te snel of te veel presentatieverzoeken gemaakt. Probeer het over "
                       "{seconds} seconden opnieuw; een open verzoek blijft geldig.",
                       "This address asked for presentation requests too quickly or has too many open. "
                       "Try again in {seconds} seconds; an open request stays valid."),
    "limited_busy_title": ("De verifier is even bezet", "The verifier is busy"),
    "limited_busy": ("Er staan nu te veel presentatieverzoeken open. Probeer het over {seconds} seconden opnieuw.",
                     "Too many presentation requests are open right now. Try again in {seconds} seconds."),
    "trust": ("Vertrouwenslijst", "Trust list"),
    "trust_none": ("Er is geen vertrouwenslijst geladen: erkenning van instellingen kan niet worden gecontroleerd.",
                   "No trust list is loaded: the accreditation of institutions cannot be checked."),
    "trust_authority": ("Uitgegeven door", "Issued by"),
    "trust_configured": ("Ingestelde autoriteit", "Configured authority"),
    "trust_issued": ("Datum lijst", "List date"),
    "trust_loaded": ("Geladen op", "Loaded at"),
    "trust_age": ("Leeftijd", "Age"),
    "days": ("dagen", "days"),
    "trust_source": ("Bron", "Source"),
    "trust_entries": ("Erkende instellingen", "Accredited institutions"),
    "trust_import": ("Lijst importeren", "Import a list"),
    "trust_file": ("Ondertekende vertrouwenslijst (JSON)", "Signed trust list (JSON)"),
    "trust_refresh": ("Vernieuwen van", "Refresh from"),
    "trust_ok": ("De vertrouwenslijst is gecontroleerd en geladen.", "The trust list was verified and loaded."),
    "trust_failed": ("De vertrouwenslijst is geweigerd", "The trust list was refused"),
    "name": ("Naam", "Name"), "did": ("DID", "DID"), "brin": ("BRIN", "BRIN"),
    "accredited": ("Erkend", "Accredited"), "frameworks": ("Kaders", "Frameworks"),
    "verdict_valid": ("Geldig", "Valid"),
    "verdict_warnings": ("Geldig, met waarschuwingen", "Valid, with warnings"),
    "verdict_invalid": ("Niet geldig", "Not valid"),
    "verdict_valid_help": ("Alle controles zijn geslaagd.", "All checks passed."),
    "verdict_warnings_help": ("De handtekeningen kloppen, maar lees de waarschuwingen.",
                              "The signatures are correct, but read the warnings."),
    "verdict_invalid_help": ("Vertrouw dit bewijs niet. De redenen staan hieronder.",
                             "Do not rely on this proof. The reasons are below."),
    "unusable": ("Deze invoer kon niet worden gelezen.", "This input could not be read."),
    "problems": ("Bevindingen", "Findings"), "error": ("Fout", "Error"), "warning": ("Waarschuwing", "Warning"),
    "checks": ("Uitgevoerde controles", "Checks done"),
    "credential": ("Microcredential", "Microcredential"),
    "participant": ("Deelnemer", "Participant"), "institution": ("Instelling", "Institution"),
    "institution_trust_list": ("naam en BRIN volgens de vertrouwenslijst", "name and BRIN from the trust list"),
    "institution_credential": ("naam volgens het bewijs zelf, niet bevestigd door de vertrouwenslijst",
                               "name as the credential states it, not confirmed by the trust list"),
    "institution_differs": ("Let op: het bewijs noemt de instelling anders", "Note: the credential names the "
                            "institution differently"),
    "institution_differs_hint": ("Hierboven staat de naam uit de vertrouwenslijst, die bij de sleutel van de "
                                 "ondertekenaar hoort.", "Shown above is the name from the trust list, which "
                                 "belongs to the signer's key."),
    "trust_expired": ("Deze vertrouwenslijst is verlopen: instellingen gelden niet meer als erkend tot er een "
                      "nieuwe lijst is geïmporteerd.", "This trust list has expired: institutions no longer count "
                      "as accredited until a new list is imported."),
    "unit": ("Eenheid", "Unit"), "code": ("Code", "Code"), "level": ("Niveau", "Level"),
    "ects": ("Omvang", "Size"), "ects_unit": ("EC", "ECTS"),
    "outcomes": ("Leeruitkomsten", "Learning outcomes"), "result": ("Resultaat", "Result"),
    "quality_mark": ("Kwaliteitskeurmerk", "Quality mark"), "assessment": ("Toetsing", "Assessment"),
    "participation": ("Vorm van deelname", "Participation form"),
    "identity_check": ("Identiteitscontrole", "Identity check"), "language": ("Taal", "Language"),
    "dates": ("Datum", "Dates"), "valid_from": ("Uitgereikt", "Issued"), "valid_until": ("Geldig tot", "Valid until"),
    "status": ("Status", "Status"),
    "status_ok": ("niet ingetrokken of geschorst (gecontroleerd {time} UTC)",
                  "not revoked or suspended (checked {time} UTC)"),
    "status_revoked": ("INGETROKKEN door de instelling", "REVOKED by the institution"),
    "status_suspended": ("GESCHORST door de instelling", "SUSPENDED by the institution"),
    "status_unchecked": ("kon niet worden gecontroleerd (geen verbinding met de statuslijst)",
                         "could not be checked (status list not reachable)"),
    "status_none": ("geen statusinformatie in het bewijs", "no status information in the credential"),
    "check_passed": ("geslaagd", "passed"), "check_failed": ("mislukt", "failed"),
    "check_warning": ("waarschuwing", "warning"), "check_unchecked": ("niet gecontroleerd", "not checked"),
    "print_view": ("Afdrukversie", "Printable view"), "where": ("Plaats", "Where"),
    "el_participant": ("naam deelnemer", "participant name"), "el_institution": ("instelling", "institution"),
    "el_unit": ("naam eenheid", "unit name"), "el_nlqf": ("NLQF-niveau", "NLQF level"),
    "el_eqf": ("EQF-niveau", "EQF level"), "el_ects": ("studiepunten (EC)", "credits (ECTS)"),
    "el_learning_outcomes": ("leeruitkomsten", "learning outcomes"), "el_result": ("resultaat", "result"),
    "el_quality_mark": ("kwaliteitskeurmerk", "quality mark"), "el_assessment": ("toetsvorm", "assessment type"),
    "el_participation": ("vorm van deelname", "participation form"),
    "el_identity_check": ("identiteitscontrole", "identity check"), "el_language": ("taal", "language"),
    "el_date": ("datum", "date"), "el_achievement_type": ("type microcredential", "microcredential type"),
    "completeness": ("Volledigheid", "Completeness"),
    "complete": ("volledig volgens het kwaliteitskader en de EU-elementen",
                 "complete under the quality framework and the EU elements"),
    "incomplete": ("onvolledig, ontbreekt", "incomplete, missing"),
    "nonconforming": ("buiten de regels van het kader", "outside the framework's rules"),
    "missing": ("ontbreekt", "missing"),
    "print": ("Afdrukken", "Print"), "download": ("JSON-rapport downloaden", "Download JSON report"),
    "again": ("Nog een controleren", "Verify another"),
    "checked_at": ("Gecontroleerd op", "Checked at"),
    "not_found": ("Dit resultaat bestaat niet (meer).", "This result does not exist (any more)."),
    "scan_region": ("Camerabeeld", "Camera view"),
}

CHECK_NAMES: dict[str, tuple[str, str]] = {
    "parse": ("Invoer lezen", "Reading the input"),
    "data-model": ("Opbouw volgens VC-standaard", "Structure under the VC standard"),
    "validity": ("Geldigheidsperiode", "Validity period"),
    "proof": ("Digitale handtekening", "Digital signature"),
    "status": ("Intrekking en schorsing", "Revocation and suspension"),
    "holder-binding": ("Getoond door de eigenaar", "Presented by its holder"),
    "freshness": ("Recent gemaakt", "Recently made"),
    "challenge": ("Antwoord op dit verzoek", "Answer to this request"),
    "trusted-issuer": ("Erkende instelling", "Accredited institution"),
    "quality-mark": ("Kwaliteitskeurmerk", "Quality mark"),
    "completeness": ("Volledigheid microcredential", "Microcredential completeness"),
}


def translate(key: str, lang: str) -> str:
    pair = MESSAGES.get(key) or CHECK_NAMES.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "nl" else pair[1]


def choose_language(query: str | None, cookie: str | None, accept: list[str]) -> str:
    """?lang= wins, then the cookie, then the first supported Accept-Language, else Dutch."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    for tag in accept:
        base = tag.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return "nl"
