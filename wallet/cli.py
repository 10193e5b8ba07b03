"""`python -m wallet`: init, profile, import, list, show, present, delete, backup, restore, serve.
Contract (docs/architecture.md / issue 4): `--home DIR`; passphrase from WALLET_PASSPHRASE or a prompt.
Exit codes: 0 done, 1 refused (e.g. a credential that does not verify), 2 unusable input or wallet."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from vccore import Canonicalizer, SystemClock
from vccore.errors import VCError
from vccore.qrcodec import decode_request

from .backup import make_backup, restore_backup, restore_into_new
from .browse import Filters, totals
from .defaults import allow_private_network, build_verifier, default_transport
from .errors import PassphraseMissingError
from .files import write_private
from .holder import Wallet
from .oid4vci import UrllibClient, parse_offer, redeem_offer
from .qrimage import read_codes
from .recheck import recheck
from .web.i18n import cli_localizer


def _(message: str, **values: object) -> str:
    """Prose for the terminal in the user's language (LANGUAGE / LANG; Dutch by default)."""
    return cli_localizer().gettext(message, **values)


def _passphrase(env: str = "WALLET_PASSPHRASE", prompt: str | None = None) -> str:
    """From the environment (scripts) or a prompt; no terminal and no variable is a clear error."""
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise PassphraseMissingError(f"no terminal to ask for the passphrase: set {env}")
    try:
        return getpass.getpass(prompt or _("Passphrase: "))
    except (EOFError, KeyboardInterrupt) as exc:
        raise PassphraseMissingError("no passphrase given") from exc


def _backup_passphrase() -> str:
    """WALLET_BACKUP_PASSPHRASE, else the wallet's own (from the environment or a second prompt)."""
    return os.environ.get("WALLET_BACKUP_PASSPHRASE") or _passphrase()


def _out(doc: Any) -> None:
    print(json.dumps(doc, indent=2, ensure_ascii=False))


def _open(args: argparse.Namespace, *, create: bool = False) -> Wallet:
    canon, clock = Canonicalizer(), SystemClock()
    verifier = build_verifier(canon=canon, clock=clock, transport=default_transport(args.online or None))
    if create:
        return Wallet.create(args.home, _passphrase(), verifier=verifier, clock=clock, canon=canon,
                             label=args.label)
    return Wallet.open(args.home, _passphrase(), verifier=verifier, clock=clock, canon=canon)


def cmd_init(args: argparse.Namespace) -> int:
    wallet = _open(args, create=True)
    print(wallet.profile().did)
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    wallet = _open(args)
    if args.add:
        wallet.add_profile(args.add)
    _out([{"id": p.id, "label": p.label, "did": p.did} for p in wallet.profiles()])
    return 0


def _incoming(args: argparse.Namespace, wallet: Wallet) -> bytes:
    if args.offer or args.offer_image:
        link = args.offer or next((t for t in read_codes(Path(args.offer_image).read_bytes())
                                   if t.startswith("openid-credential-offer://")), "")
        client = UrllibClient(allow_private=allow_private_network())
        return redeem_offer(parse_offer(link), key=wallet.profile(args.profile).key, client=client,
                            clock=wallet.clock, tx_code=args.tx_code, authorize=_sign_in)
    if not args.file:
        raise VCError("give a FILE, --offer LINK or --offer-image IMAGE", title="Nothing to import")
    return sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()


def _sign_in(url: str) -> str:
    """Authorization code flow: the learner signs in at the issuer in a browser and pastes the
    address the browser was sent to (openid-credential-redirect://callback?code=...)."""
    print(f"Sign in at the issuer / Log in bij de uitgever:\n{url}\n"
          "Paste the address you were sent to / Plak het adres waar u naartoe werd gestuurd:", file=sys.stderr)
    return sys.stdin.readline().strip()


def cmd_import(args: argparse.Namespace) -> int:
    wallet = _open(args)
    result = wallet.import_bytes(_incoming(args, wallet), keep_failed=args.keep_failed, profile=args.profile)
    report = result.intake.report
    _out({"stored": result.stored, "id": result.stored_id, "duplicate": result.duplicate,
          "verified": report.verified, "status": result.intake.status,
          "problems": [p.to_json() for p in report.problems], "credentials": report.credentials})
    return 0 if result.stored and report.verified else 1


def cmd_list(args: argparse.Namespace) -> int:
    wallet = _open(args)
    found = wallet.find(Filters.of(vars(args)))
    per, overall = totals(found)
    _out({"credentials": [{"id": r.id, "profile": r.profile, "status": r.status, **r.summary} for r in found],
          "ects": {"perInstitution": per, "total": overall}})
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    wallet = _open(args)
    if args.raw:
        sys.stdout.buffer.write(wallet.body(args.id))
        return 0
    if args.recheck:
        recheck(wallet, args.id)  # keeps a known status when the issuer cannot be reached
    _out({"id": args.id, "status": wallet.record(args.id).status, **wallet.details(args.id),
          "verification": wallet.record(args.id).summary.get("verification")})
    return 0


def cmd_present(args: argparse.Namespace) -> int:
    wallet = _open(args)
    request = None
    if args.request or args.request_image:
        text = args.request or next(t for t in read_codes(Path(args.request_image).read_bytes()))
        request = decode_request(text, now=wallet.clock.now())
    presentation = wallet.present(args.ids, request=request, challenge=args.challenge, domain=args.domain,
                                  minutes=args.minutes, profile=args.profile, hide=args.hide, valid_for=args.valid)
    written = presentation.write(args.qr, args.text)
    if args.json:
        Path(args.json).write_text(json.dumps(presentation.document, indent=2, ensure_ascii=False), encoding="utf-8")
    _out({"frames": len(presentation.texts), "characters": sum(map(len, presentation.texts)),
          "files": [str(p) for p in written], "expires": presentation.expires})
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    """OpenID4VP: show who asks and what for, then (with --yes, or after a y on the terminal) share."""
    from .oid4vp import answer, decline, fetch_request, matches, options
    wallet = _open(args)
    link = args.link or next((t for t in read_codes(Path(args.request_image).read_bytes()) if "client_id=" in t), "")
    client = UrllibClient(allow_private=allow_private_network())
    asked = fetch_request(link, client=client, wallet=wallet, allow_http=allow_private_network())
    found = matches(wallet, asked)
    chosen = [m for option in options(asked, found)[:1] for q in option for m in found[q][:1]]
    if args.ids:
        chosen = [m for ms in found.values() for m in ms if m.cred_id in args.ids]
    summary = {"verifier": asked.client_name, "clientId": asked.client_id, "signed": asked.verified_identity,
               "responseUri": asked.response_uri, "conditions": asked.conditions,
               "matches": {q: [m.cred_id for m in ms] for q, ms in found.items()},
               "share": [m.cred_id for m in chosen]}
    _out(summary)
    if args.decline:
        decline(asked, client=client)
        return 0
    if not chosen:
        print(_("none of your microcredentials meets this request"), file=sys.stderr)
        return 1
    if not args.yes and not _agree():
        print(_("nothing was shared"), file=sys.stderr)
        return 1
    reply = answer(wallet, asked, chosen, client=client, hide=args.hide)
    _out({"shared": summary["share"], "redirect": reply.get("redirect_uri")})
    return 0


def _agree() -> bool:
    if not sys.stdin.isatty():
        return False
    return input(_("Share this with the verifier? [y/N] ")).strip().lower() in ("y", "yes", "j", "ja")


def cmd_pdf(args: argparse.Namespace) -> int:
    """The PDF certificate of one credential (docs/pdf-certificate.md)."""
    from vccore.l10n import localizer

    from .certificate import certificate_pdf
    from .web.i18n import TRANSLATIONS
    wallet = _open(args)
    lang = args.lang or cli_localizer().locale
    body = certificate_pdf(wallet, args.id, l10n=localizer(lang, translations=[TRANSLATIONS]), valid_for=args.valid,
                           hide=tuple(args.hide))
    write_private(Path(args.out), body)
    _out({"file": args.out, "bytes": len(body)})
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    if not args.yes:
        print(_("refusing to delete without --yes"), file=sys.stderr)
        return 2
    _open(args).delete(args.id)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    wallet = _open(args)
    secret = _backup_passphrase()
    write_private(Path(args.out), make_backup(wallet, secret))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    data = Path(args.file).read_bytes()
    if Wallet.exists(args.home):
        wallet = _open(args)
        result = restore_backup(wallet, data, _backup_passphrase())
    else:  # a new home: made and filled as one step, so a killed restore leaves no half-made wallet
        canon, clock = Canonicalizer(), SystemClock()
        verifier = build_verifier(canon=canon, clock=clock, transport=default_transport(args.online or None))
        own = _passphrase()
        wallet, result = restore_into_new(args.home, data, _backup_passphrase(), wallet_passphrase=own,
                                          verifier=verifier, clock=clock, canon=canon)
    _out({"profilesAdded": result.profiles_added, "credentialsAdded": result.credentials_added,
          "credentialsSkipped": result.credentials_skipped})
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from waitress import serve

    from .web import create_app

    app = create_app({"WALLET_HOME": args.home, "SERVED_HOST": args.host, "ALLOWED_HOSTS": args.allow_host,
                      "SESSION_IDLE_SECONDS": int(args.idle_minutes * 60)})
    url = f"http://{args.host}:{args.port}"
    print(_("wallet on %(url)s", url=url), file=sys.stderr)
    serve(app, host=args.host, port=args.port, threads=4)
    return 0
