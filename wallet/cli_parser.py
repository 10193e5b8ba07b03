"""Argument parsing and error handling of `python -m wallet` (commands live in cli.py)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from vccore.errors import VCError

from . import cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m wallet", description="A learner's microcredential wallet.")
    parser.add_argument("--home", default=".wallet", help="wallet directory (default .wallet)")
    parser.add_argument("--online", action="store_true",
                        help="check status lists (and did:web) over the network; default: only when "
                             "WALLET_ONLINE=1 (offline, the status is 'could not be checked')")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="create the wallet and print the holder DID")
    p.add_argument("--label", default="default")
    p.set_defaults(func=cli.cmd_init)
    p = sub.add_parser("profile", help="list profiles, or add one")
    p.add_argument("--add", metavar="LABEL")
    p.set_defaults(func=cli.cmd_profile)
    p = sub.add_parser("import", help="verify and store a credential (file, offer link or offer QR image)")
    p.add_argument("file", nargs="?")
    p.add_argument("--offer", metavar="LINK", help="openid-credential-offer:// link")
    p.add_argument("--offer-image", metavar="IMAGE", help="image file with the offer QR code")
    p.add_argument("--tx-code", metavar="CODE", help="the transaction code (PIN) the issuer sent separately")
    p.add_argument("--keep-failed", action="store_true", help="store it even if it does not verify (marked)")
    p.add_argument("--profile")
    p.set_defaults(func=cli.cmd_import)
    p = sub.add_parser("list", help="list, search and filter credentials (JSON)")
    for name in ("q", "institution", "type", "nlqf", "date-from", "date-to", "status"):
        p.add_argument(f"--{name}", dest=name.replace("-", "_"), default="")
    p.set_defaults(func=cli.cmd_list)
    p = sub.add_parser("show", help="every field of one credential")
    p.add_argument("id")
    p.add_argument("--raw", action="store_true", help="the exact bytes received")
    p.add_argument("--recheck", action="store_true", help="verify again (status may have changed)")
    p.set_defaults(func=cli.cmd_show)
    p = sub.add_parser("present", help="sign a presentation and write it as QR code(s)")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.add_argument("--challenge")
    p.add_argument("--domain")
    p.add_argument("--request", metavar="TEXT", help="the verifier's MCREQ1: request")
    p.add_argument("--request-image", metavar="IMAGE", help="image file with the request QR code")
    p.add_argument("--minutes", type=int, default=10,
                   help="minutes the wallet says the code is usable (default 10, the verifiers' default "
                        "maximum age; not signed: the verifier's policy decides)")
    p.add_argument("--valid", choices=("day", "month", "year"),
                   help="a presentation file to send (e-mail, a job site): valid for a day, a month or a year, "
                        "signed into its proof; write it with --json (and --text for its QR text)")
    p.add_argument("--qr", metavar="OUT.png")
    p.add_argument("--text", metavar="OUT.txt")
    p.add_argument("--json", metavar="OUT.json")
    p.add_argument("--hide", action="append", default=[], metavar="MEMBER",
                   help="leave this subject member out of an SD-JWT VC (e.g. result: the grade)")
    p.add_argument("--profile")
    p.set_defaults(func=cli.cmd_present)
    p = sub.add_parser("answer", help="answer a verifier's OpenID4VP request (openid4vp:// link or QR image)")
    p.add_argument("link", nargs="?", help="the request's link (openid4vp://?client_id=...&request_uri=...)")
    p.add_argument("--request-image", metavar="IMAGE", help="image file with the request's QR code")
    p.add_argument("--choose", dest="ids", action="append", default=[], metavar="ID",
                   help="the credential to share (default: the first that matches)")
    p.add_argument("--hide", action="append", default=[], metavar="MEMBER",
                   help="leave this subject member out of an SD-JWT VC (e.g. result: the grade)")
    p.add_argument("--yes", action="store_true", help="share without asking (scripts)")
    p.add_argument("--decline", action="store_true", help="tell the verifier you do not share")
    p.add_argument("--profile")
    p.set_defaults(func=cli.cmd_answer)
    p = sub.add_parser("pdf", help="write a PDF certificate of a credential (A4, Dutch or English)")
    p.add_argument("id")
    p.add_argument("out", metavar="OUT.pdf")
    p.add_argument("--valid", choices=("day", "month", "year"), default="year",
                   help="how long the QR code on it is valid (default a year)")
    p.add_argument("--lang", choices=("nl", "en"), help="default: the terminal's language (LANG), else Dutch")
    p.add_argument("--hide", action="append", default=[], metavar="MEMBER",
                   help="leave this member out of an SD-JWT VC's QR presentation (e.g. result)")
    p.set_defaults(func=cli.cmd_pdf)
    p = sub.add_parser("delete", help="delete a credential")
    p.add_argument("id")
    p.add_argument("--yes", action="store_true")
    p.set_defaults(func=cli.cmd_delete)
    p = sub.add_parser("backup", help="write an encrypted backup (WALLET_BACKUP_PASSPHRASE or the same)")
    p.add_argument("out")
    p.set_defaults(func=cli.cmd_backup)
    p = sub.add_parser("restore", help="restore a backup (creates the wallet when missing)")
    p.add_argument("file")
    p.set_defaults(func=cli.cmd_restore)
    p = sub.add_parser("serve", help="run the local web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8002)
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME[:PORT]",
                   help="another name the web app answers to (besides 127.0.0.1, localhost, [::1] and --host)")
    p.add_argument("--idle-minutes", type=float, default=15,
                   help="an unlocked session ends after this long without a request (default 15)")
    p.set_defaults(func=cli.cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except VCError as exc:
        print(json.dumps({"error": {"code": exc.code, "title": exc.title, "detail": exc.detail}},
                         ensure_ascii=False), file=sys.stderr)
        return 2
    except OSError as exc:
        print(json.dumps({"error": {"code": "IO_ERROR", "title": "File error", "detail": str(exc)}}),
              file=sys.stderr)
        return 2
