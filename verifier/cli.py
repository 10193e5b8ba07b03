"""`python -m verifier`: verify, serve (contract in docs/architecture.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Sequence

from vccore import FixedClock, SystemClock
from vccore.errors import VCError
from vccore.report import VerificationReport

from .app import build_service, default_transport
from .i18n import cli_localizer
from .policy import load_policy


def _(message: str, **values: object) -> str:
    """Prose on stderr in the user's language (LANGUAGE / LANG; Dutch by default). The JSON stays English."""
    return cli_localizer().gettext(message, **values)


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as fh:
        return fh.read()


def _emit(document: dict) -> None:
    print(json.dumps(document, indent=2, ensure_ascii=False))


def _unusable(exc: VCError) -> int:
    report = VerificationReport()
    report.fail(exc)
    _emit(report.to_json())
    return 2


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        clock = FixedClock(args.now) if args.now else SystemClock()
        policy = load_policy(_read(args.policy)) if args.policy else None
        service = build_service(clock=clock, policy=policy, transport=default_transport(_online(args)),
                                authority=args.authority or os.environ.get("VERIFIER_TRUST_AUTHORITY"),
                                trust_list=args.trust_list)
    except VCError as exc:
        return _unusable(exc)
    except OSError as exc:
        print(_("cannot read %(file)s: %(reason)s", file=exc.filename, reason=exc.strerror), file=sys.stderr)
        return 2
    try:
        data = _read(args.file)
    except OSError as exc:
        print(_("cannot read %(file)s: %(reason)s", file=args.file, reason=exc.strerror), file=sys.stderr)
        return 2
    outcome = service.verify_input(data, challenge=args.challenge, domain=args.domain)
    _emit(outcome.to_json())
    if not outcome.usable:
        return 2
    return 0 if outcome.report.verified else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from .app import create_app
    from .serving import serve

    config = {k: v for k, v in (("VERIFIER_TRUST_AUTHORITY", args.authority), ("VERIFIER_TRUST_LIST", args.trust_list),
                                ("VERIFIER_TRUST_URL", args.trust_url), ("VERIFIER_POLICY", args.policy),
                                ("VERIFIER_DATA_DIR", args.data_dir), ("VERIFIER_DOMAIN", args.domain),
                                ("CONFORMANCE_EXAMPLES_CONTEXT", args.conformance_examples_context)) if v}
    config["VERIFIER_TRANSPORT"] = default_transport(_online(args))
    if args.workers > 1 and not args.data_dir:
        print(_("--workers needs --data-dir (the worker processes share challenges and results there)"),
              file=sys.stderr)
        return 2
    try:
        create_app(config)  # fail early, in this process, on a bad configuration
    except (VCError, OSError) as exc:
        print(_("cannot start: %(reason)s", reason=exc), file=sys.stderr)
        return 2
    url = f"http://{args.host}:{args.port}"
    print(_("verifier on %(url)s", url=url), file=sys.stderr)
    serve(lambda: create_app(config), host=args.host, port=args.port, threads=args.threads, workers=args.workers)
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trust-list", help="signed trust list file (needs --authority)")
    p.add_argument("--authority", help="DID of the quality framework authority that signs the trust list "
                                       "(default: $VERIFIER_TRUST_AUTHORITY)")
    p.add_argument("--policy", help="policy JSON file (see docs/verifier.md)")
    p.add_argument("--online", action="store_true", help="fetch status lists (and refresh the trust list) over "
                   "https; default: offline unless VERIFIER_ONLINE=1, status then 'could not be checked'")
    p.add_argument("--offline", action="store_true", help="never fetch, even when VERIFIER_ONLINE=1")


def _online(args: argparse.Namespace) -> bool | None:
    if args.offline:
        return False
    return True if args.online else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m verifier", description="Verify microcredentials.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("verify", help="verify a credential or presentation: JSON, QR text or an image")
    p.add_argument("--challenge")
    p.add_argument("--domain")
    p.add_argument("--now", help="verify as of this time (ISO 8601)")
    _common(p)
    p.add_argument("file", nargs="?", default="-")
    p.set_defaults(func=cmd_verify)
    p = sub.add_parser("serve", help="run the verifier web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8003)
    p.add_argument("--threads", type=int, help="threads per process (default: 8 with one process, 4 per worker with --workers)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (gunicorn arbiter, waitress in each; one per core)")
    p.add_argument("--trust-url", help="URL to refresh the trust list from")
    p.add_argument("--data-dir", help="directory for challenges and the imported trust list")
    p.add_argument("--domain", help="this verifier's origin, put in presentation requests")
    p.add_argument("--conformance-examples-context", action="store_true",
                   help="CONFORMANCE TESTING ONLY: also load the W3C examples context (as "
                        "VC_CONFORMANCE_EXAMPLES_CONTEXT=1); never in production")
    _common(p)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
