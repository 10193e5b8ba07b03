"""`python -m verifier`: verify, serve (contract in ARCHITECTURE.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from vccore import FixedClock, SystemClock, Verifier
from vccore.errors import VCError
from vccore.report import VerificationReport


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as fh:
        return fh.read()


def _emit(report: VerificationReport) -> None:
    print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        clock = FixedClock(args.now) if args.now else SystemClock()
    except VCError as exc:
        report = VerificationReport()
        report.fail(exc)
        _emit(report)
        return 2
    try:
        data = _read(args.file)
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    report = Verifier(clock=clock).verify(data, challenge=args.challenge, domain=args.domain)
    _emit(report)
    if any(c.name == "parse" and c.status == "failed" for c in report.checks):
        return 2
    return 0 if report.verified else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from waitress import serve

    from .app import create_app

    print(f"verifier on http://{args.host}:{args.port}", file=sys.stderr)
    serve(create_app(), host=args.host, port=args.port, threads=8)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m verifier", description="Verify microcredentials.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("verify", help="verify a credential or presentation")
    p.add_argument("--challenge")
    p.add_argument("--domain")
    p.add_argument("--now", help="verify as of this time (ISO 8601)")
    p.add_argument("--trust-list", help="signed trust list file")
    p.add_argument("file", nargs="?", default="-")
    p.set_defaults(func=cmd_verify)
    p = sub.add_parser("serve", help="run the verifier web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8003)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
