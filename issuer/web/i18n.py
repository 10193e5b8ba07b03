"""Dutch (default) and English texts of the staff UI, and the choice between them.

The language comes from `?lang=nl|en` (remembered in the session), else the browser's
Accept-Language, else Dutch. Credential data is never translated, only the interface.
"""

from __future__ import annotations

from flask import request, session

__all__ = ["LANGUAGES", "bilingual", "current_language", "text"]

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
    "h_learning_outcomes": ("Eén per regel: naam | beschrijving (en eventueel | https://... met een eigen pagina)",
                            "One per line: name | description (and optionally | https://... with a page of its own)"),
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
    "reason_needed": ("Geef een reden op.", "Please give a reason."),
    "not_found": ("Niet gevonden.", "Not found."),
    "error": ("Dat lukte niet", "That did not work"),
    "details": ("Gegevens", "Details"),
    # -- navigation, lists, pages
    "menu": ("Menu", "Menu"),
    "nav_offers": ("Aanbiedingen", "Offers"),
    "actions": ("Acties", "Actions"),
    "all": ("Alle", "All"),
    "filter": ("Filteren", "Filter"),
    "cancel": ("Annuleren", "Cancel"),
    "pages": ("Pagina's", "Pages"),
    "previous": ("Vorige", "Previous"),
    "next": ("Volgende", "Next"),
    "page_of": ("Pagina {page} van {pages}", "Page {page} of {pages}"),
    "and_more": ("… en nog {n}.", "… and {n} more."),
    "n_found": ("{n} gevonden.", "{n} found."),
    "technical": ("Technische gegevens", "Technical details"),
    "to_record": ("Bekijk de microcredential", "View the microcredential"),
    "error_generic": ("Dat lukte niet.", "That did not work."),
    "problem_MALFORMED_VALUE_ERROR": ("Een waarde is ongeldig (is het openbare webadres van de uitgever ingesteld?).",
                                      "A value is invalid (is the issuer's public web address configured?)."),
    # -- history and status changes
    "history": ("Geschiedenis", "History"),
    "h_when": ("Wanneer", "When"),
    "h_what": ("Wat", "What"),
    "h_who": ("Wie", "Who"),
    "ev_issue": ("Uitgegeven", "Issued"),
    "ev_collect": ("Uitgegeven (aanbod opgehaald met een wallet)", "Issued (offer collected with a wallet)"),
    "ev_revoke": ("Ingetrokken", "Revoked"),
    "ev_suspend": ("Geschorst", "Suspended"),
    "ev_unsuspend": ("Schorsing opgeheven", "Suspension lifted"),
    "actor_vc_api": ("via de VC API", "through the VC API"),
    "actor_cli": ("opdrachtregel ({name})", "command line ({name})"),
    "change_status": ("Status wijzigen", "Change the status"),
    "h_reason": ("De reden komt in de geschiedenis van deze microcredential; de houder ziet haar niet.",
                 "The reason goes into this microcredential's history; the holder does not see it."),
    "confirm_revoke": ("Microcredential intrekken?", "Revoke this microcredential?"),
    "confirm_suspend": ("Microcredential schorsen?", "Suspend this microcredential?"),
    "consequence_revoke": ("Intrekken is definitief en kan niet ongedaan worden gemaakt. Wie de microcredential "
                           "controleert, ziet daarna dat hij is ingetrokken.",
                           "Revoking is final and cannot be undone. Anyone who checks the microcredential will "
                           "then see that it has been revoked."),
    "consequence_suspend": ("Tijdens de schorsing is de microcredential niet geldig. U kunt de schorsing later "
                            "opheffen.",
                            "While suspended, the microcredential is not valid. You can lift the suspension later."),
    "yes_revoke": ("Ja, definitief intrekken", "Yes, revoke for good"),
    "yes_suspend": ("Ja, schorsen", "Yes, suspend"),
    "done_revoke": ("De microcredential is ingetrokken.", "The microcredential has been revoked."),
    "done_suspend": ("De microcredential is geschorst.", "The microcredential has been suspended."),
    "done_unsuspend": ("De schorsing is opgeheven.", "The suspension has been lifted."),
    # -- offers
    "offers_title": ("Aanbiedingen", "Offers"),
    "n_offers": ("{n} aanbiedingen", "{n} offers"),
    "os_pending": ("Nog niet opgehaald", "Pending"),
    "os_redeemed": ("Opgehaald", "Redeemed"),
    "os_expired": ("Verlopen", "Expired"),
    "made_at": ("Gemaakt op", "Made on"),
    "offer_page": ("Webpagina van het aanbod (voor de deelnemer)", "Offer web page (for the participant)"),
    "h_offer_page": ("Stuur deze link per e-mail: de deelnemer opent hem op de telefoon en haalt de "
                     "microcredential op met een wallet.",
                     "Send this link by e-mail: the participant opens it on their phone and collects the "
                     "microcredential with a wallet."),
    "offer_no_link": ("Voor dit aanbod is nog geen link gemaakt.", "No link has been made for this offer yet."),
    "offer_make_link": ("Link maken", "Make a link"),
    # -- the learner's offer page
    "lo_title": ("Uw microcredential", "Your microcredential"),
    "lo_from": ("Van {institution}", "From {institution}"),
    "lo_open": ("Openen in mijn wallet", "Open in my wallet"),
    "lo_scan": ("Op een computer? Scan deze QR-code met de wallet op uw telefoon.",
                "On a computer? Scan this QR code with the wallet on your phone."),
    "lo_qr_alt": ("QR-code om de microcredential op te halen met een wallet",
                  "QR code to collect the microcredential with a wallet"),
    "lo_redeemed": ("Deze microcredential is al opgehaald.", "This microcredential has been collected already."),
    "lo_expired": ("Dit aanbod is verlopen. Vraag de instelling om een nieuw aanbod.",
                   "This offer has expired. Ask the institution for a new offer."),
    "lo_missing_title": ("Aanbod niet gevonden", "Offer not found"),
    "lo_missing": ("Deze link hoort niet bij een aanbod. Controleer of u de hele link hebt geopend.",
                   "This link does not belong to an offer. Check that you opened the whole link."),
    # -- definitions: versions, archive, result scale
    "edit": ("Bewerken", "Edit"),
    "edit_title": ("Microcredential bewerken", "Edit a microcredential"),
    "edit_help": ("Opslaan maakt versie {version}. Al uitgegeven microcredentials en eerder gemaakte aanbiedingen "
                  "blijven zoals ze zijn.",
                  "Saving makes version {version}. Microcredentials already issued and offers made earlier stay "
                  "as they are."),
    "save_version": ("Opslaan als nieuwe versie", "Save as a new version"),
    "no_changes": ("Niets gewijzigd; er is geen nieuwe versie gemaakt.", "Nothing changed; no new version was made."),
    "versions": ("Versies", "Versions"),
    "version": ("Versie", "Version"),
    "version_n": ("versie {n}", "version {n}"),
    "current": ("huidige versie", "current version"),
    "shown": ("deze pagina", "this page"),
    "saved_at": ("Opgeslagen op", "Saved on"),
    "n_issued": ("Uitgegeven", "Issued"),
    "is_replaced": ("Dit is een oudere versie; er wordt niets meer van uitgegeven.",
                    "This is an older version; nothing more is issued from it."),
    "to_current": ("Naar de huidige versie", "To the current version"),
    "to_definition": ("Naar de microcredential", "To the microcredential"),
    "archive": ("Archiveren", "Archive"),
    "archive_help": ("Gearchiveerd blijft de microcredential zichtbaar, maar wordt hij niet meer uitgegeven. "
                     "Uitgegeven microcredentials blijven geldig.",
                     "Archived, the microcredential stays visible but is no longer issued. Issued "
                     "microcredentials stay valid."),
    "archived_done": ("Gearchiveerd.", "Archived."),
    "restore": ("Terugzetten uit het archief", "Restore from the archive"),
    "restored": ("Teruggezet: er kan weer van worden uitgegeven.", "Restored: it can be issued again."),
    "is_archived": ("Gearchiveerd op", "Archived on"),
    "archived_heading": ("Archief", "Archive"),
    "archived_help": ("Deze worden niet meer uitgegeven; uitgegeven microcredentials blijven geldig.",
                      "These are no longer issued; issued microcredentials stay valid."),
    "h_scale": ("Na het kiezen van een andere soort: druk op de knop hieronder om de velden daarvan te tonen.",
                "After choosing another kind: press the button below to show its fields."),
    "show_scale": ("Velden voor deze soort tonen", "Show the fields for this kind"),
    "h_result_grade": ("Een cijfer van {pass_mark} tot en met {maximum}.", "A grade from {pass_mark} to {maximum}."),
    "h_result_passfail": ("Vul in: {value}", "Enter: {value}"),
    # -- duplicates
    "dup_title": ("Deze persoon heeft deze microcredential al", "This person already has this microcredential"),
    "dup_batch_title": ("{n} deelnemers hebben deze microcredential al (of staan dubbel in het bestand)",
                        "{n} participants already have this microcredential (or appear twice in the file)"),
    "dup_help": ("Controleer of dit dezelfde persoon is. Wilt u toch uitgeven, bevestig dat dan hieronder.",
                 "Check whether this is the same person. If you want to issue anyway, confirm below."),
    "dup_record": ("uitgegeven op", "issued on"),
    "dup_offer": ("aanbod gemaakt op", "offer made on"),
    "dup_in_file": ("staat al eerder in dit bestand", "appears earlier in this file"),
    "dup_issue_anyway": ("Toch uitgeven", "Issue anyway"),
    "dup_issue_all_anyway": ("Toch alle {n} uitgeven", "Issue all {n} anyway"),
    "staged_lost": ("Het bestand is niet meer beschikbaar. Upload het opnieuw.",
                    "The file is no longer available. Please upload it again."),
    # -- batch results
    "results": ("Resultaat", "Results"),
    "batch_done_offers": ("Klaar: aanbiedingen gemaakt.", "Done: offers made."),
    "batch_done_direct": ("Klaar: microcredentials ondertekend.", "Done: microcredentials signed."),
    "download_results_offers": ("Aanbiedingen downloaden (CSV, met de links voor de deelnemers)",
                                "Download the offers (CSV, with the participants' links)"),
    "download_results_direct": ("Uitgegeven microcredentials downloaden (CSV)", "Download the issued microcredentials (CSV)"),
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


def bilingual(nl: str, en: str) -> str:
    """One of a pair of messages the library made in both languages (field errors, refusals)."""
    return nl if current_language() == "nl" else en
