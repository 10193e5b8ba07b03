"""Dutch (default) and English texts of the staff UI, and the choice between them.

The language comes from `?lang=nl|en` (remembered in the session), else the browser's
Accept-Language, else Dutch. Credential data is never translated, only the interface.
"""

from __future__ import annotations

from flask import request, session

__all__ = ["LANGUAGES", "current_language", "text"]

LANGUAGES = ("nl", "en")

_TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("Microcredentials uitgeven", "Issue microcredentials"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "nav_home": ("Microcredentials", "Microcredentials"),
    "nav_records": ("Uitgegeven", "Issued"),
    "nav_new": ("Nieuwe microcredential", "New microcredential"),
    "logout": ("Uitloggen", "Log out"),
    "language": ("Taal", "Language"),
    "login_title": ("Inloggen", "Log in"),
    "username": ("Gebruikersnaam", "Username"),
    "password": ("Wachtwoord", "Password"),
    "login_button": ("Inloggen", "Log in"),
    "login_failed": ("Onbekende gebruikersnaam of verkeerd wachtwoord.", "Unknown username or wrong password."),
    "login_locked": ("Te veel mislukte inlogpogingen. Probeer het over {minutes} minuten opnieuw.",
                     "Too many failed login attempts. Please try again in {minutes} minutes."),
    "login_needed": ("Log eerst in.", "Please log in first."),
    "csrf_failed": ("Het formulier is verlopen of niet van deze site. Probeer het opnieuw.",
                    "The form expired or did not come from this site. Please try again."),
    "definitions": ("Gedefinieerde microcredentials", "Defined microcredentials"),
    "no_definitions": ("Nog geen microcredentials gedefinieerd.", "No microcredentials defined yet."),
    "issue_one": ("Eén uitgeven", "Issue one"),
    "batch": ("Groep uitgeven (CSV)", "Issue to a group (CSV)"),
    "define_title": ("Microcredential definiëren", "Define a microcredential"),
    "f_title": ("Naam van de eenheid", "Unit name"),
    "f_course_code": ("Cursuscode", "Course code"),
    "f_description": ("Beschrijving", "Description"),
    "f_criteria": ("Criteria (hoe behaald)", "Criteria (how it is earned)"),
    "f_nlqf_level": ("NLQF-niveau", "NLQF level"),
    "f_ects": ("Omvang (EC)", "Size (ECTS)"),
    "f_learning_outcomes": ("Leeruitkomsten", "Learning outcomes"),
    "h_learning_outcomes": ("Eén per regel: naam | beschrijving", "One per line: name | description"),
    "f_result_kind": ("Soort resultaat", "Kind of result"),
    "f_institution": ("Instelling", "Institution"),
    "grade": ("Cijfer", "Grade"),
    "passfail": ("Voldaan / niet voldaan", "Pass / fail"),
    "f_result_name": ("Naam van het resultaat", "Name of the result"),
    "f_minimum": ("Laagste cijfer", "Lowest grade"),
    "f_maximum": ("Hoogste cijfer", "Highest grade"),
    "f_pass_mark": ("Cesuur", "Pass mark"),
    "f_pass_value": ("Waarde bij voldaan", "Value when passed"),
    "f_language": ("Taal van de eenheid (code)", "Language of the unit (code)"),
    "f_assessment_type": ("Toetsvorm", "Assessment type"),
    "f_participation_form": ("Deelnamevorm", "Participation form"),
    "f_identity_check": ("Toezicht en identiteitscontrole", "Supervision and identity check"),
    "f_info_url": ("Informatiepagina (https://...)", "Information page (https://...)"),
    "save": ("Opslaan", "Save"),
    "saved": ("Opgeslagen.", "Saved."),
    "form_errors": ("Het formulier bevat fouten:", "The form has errors:"),
    "warnings": ("Let op:", "Note:"),
    "issue_title": ("Microcredential uitgeven", "Issue a microcredential"),
    "f_name": ("Naam deelnemer", "Participant name"),
    "f_result": ("Resultaat", "Result"),
    "f_award_date": ("Datum van uitreiking", "Award date"),
    "f_valid_until": ("Geldig tot (optioneel)", "Valid until (optional)"),
    "f_holder_did": ("DID van de wallet (optioneel)", "Wallet DID (optional)"),
    "h_holder_did": ("Leeg laten voor een aanbod (link en QR-code) dat de deelnemer met een wallet ophaalt.",
                     "Leave empty for an offer (link and QR code) the participant collects with a wallet."),
    "issue_button": ("Uitgeven", "Issue"),
    "offer_title": ("Aanbod voor de wallet", "Offer for the wallet"),
    "offer_help": ("Laat de deelnemer deze QR-code scannen met een wallet, of stuur de link.",
                   "Have the participant scan this QR code with a wallet, or send the link."),
    "offer_qr_alt": ("QR-code met het aanbod voor", "QR code with the offer for"),
    "offer_link": ("Link naar het aanbod", "Offer link"),
    "offer_expires": ("Geldig tot", "Valid until"),
    "offer_redeemed": ("Dit aanbod is al opgehaald.", "This offer has been collected."),
    "offer_expired": ("Dit aanbod is verlopen.", "This offer has expired."),
    "batch_title": ("Groep uitgeven met een CSV-bestand", "Issue to a group with a CSV file"),
    "batch_help": ("UTF-8, scheidingsteken puntkomma of komma. Kolommen: naam;resultaat;datum;geldig_tot;did (of de Engelse namen). "
                   "Alle regels worden eerst gecontroleerd; bij één fout wordt niets uitgegeven.",
                   "UTF-8, separated by semicolons or commas. Columns: name;result;award_date;valid_until;holder_did (or the Dutch names). "
                   "Every row is checked first; if one is wrong, nothing is issued."),
    "f_csv": ("CSV-bestand", "CSV file"),
    "batch_mode": ("Hoe uitgeven", "How to issue"),
    "mode_offers": ("Aanbiedingen maken: elke deelnemer haalt de microcredential op met een wallet",
                    "Make offers: each participant collects the microcredential with a wallet"),
    "mode_direct": ("Nu ondertekenen voor de DID's in de kolom 'did' (zonder DID: alleen als bestand)",
                    "Sign now for the DIDs in the 'did' column (without a DID: as a file only)"),
    "upload": ("Controleren en uitgeven", "Check and issue"),
    "batch_rejected": ("Niets uitgegeven: het bestand bevat fouten.", "Nothing issued: the file has errors."),
    "row": ("Regel", "Row"),
    "field": ("Veld", "Field"),
    "problem": ("Probleem", "Problem"),
    "progress": ("Voortgang", "Progress"),
    "batch_running": ("Bezig met uitgeven…", "Issuing…"),
    "batch_done": ("Klaar: aanbiedingen gemaakt.", "Done: offers made."),
    "batch_failed": ("Mislukt; niets uitgegeven.", "Failed; nothing issued."),
    "download_offers": ("Aanbiedingen downloaden (CSV)", "Download offers (CSV)"),
    "records_title": ("Uitgegeven microcredentials", "Issued microcredentials"),
    "search": ("Zoeken", "Search"),
    "search_label": ("Zoek op naam, cursus of DID", "Search by name, course or DID"),
    "no_records": ("Niets gevonden.", "Nothing found."),
    "issued_at": ("Uitgegeven op", "Issued on"),
    "status": ("Status", "Status"),
    "st_active": ("Geldig", "Active"),
    "st_revoked": ("Ingetrokken", "Revoked"),
    "st_suspended": ("Geschorst", "Suspended"),
    "holder": ("Houder (DID)", "Holder (DID)"),
    "credential_id": ("Credential-id", "Credential id"),
    "download_json": ("Downloaden (.json)", "Download (.json)"),
    "reason": ("Reden", "Reason"),
    "revoke": ("Intrekken", "Revoke"),
    "suspend": ("Schorsen", "Suspend"),
    "unsuspend": ("Schorsing opheffen", "Lift suspension"),
    "suspension_off": ("Schorsen staat voor deze instelling niet aan: deze microcredential kan alleen worden "
                       "ingetrokken. (Aanzetten voor nieuwe microcredentials: issuer init --suspension.)",
                       "Suspension is not turned on for this institution: this microcredential can only be "
                       "revoked. (To turn it on for new microcredentials: issuer init --suspension.)"),
    "status_changed": ("Status gewijzigd.", "Status changed."),
    "reason_needed": ("Geef een reden op.", "Please give a reason."),
    "not_found": ("Niet gevonden.", "Not found."),
    "error": ("Dat lukte niet", "That did not work"),
    "details": ("Gegevens", "Details"),
}


def current_language() -> str:
    """?lang= (remembered), else the session's choice, else Accept-Language, else Dutch."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES, default="nl") or "nl"


def text(key: str) -> str:
    """The interface text `key` in the current language (the key itself when unknown)."""
    pair = _TEXTS.get(key)
    if pair is None:
        return key
    return pair[LANGUAGES.index(current_language())]
