"""`python -m issuer`: keygen, sign, serve (contract in ARCHITECTURE.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from vccore import Canonicalizer, KeyPair, SystemClock
from vccore.errors import VCError
from vccore.jsondoc import parse_json

from .signing import CredentialSigner, IssueRefused


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as fh:
        return fh.read()


def cmd_keygen(args: argparse.Namespace) -> int:
    seed = None
    if args.seed:
        try:
            seed = bytes.fromhex(args.seed)
        except ValueError:
            seed = b""
        if len(seed) != 32:
            print("--seed must be 64 hexadecimal characters", file=sys.stderr)
            return 2
    print(json.dumps(KeyPair.generate(seed).to_multikey(), indent=2))
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    try:
        key = KeyPair.load(args.key)
        credential = parse_json(_read(args.file))
        signer = CredentialSigner(key=key, canon=Canonicalizer(), clock=SystemClock())
        signed = signer.sign(credential, suite=args.suite, created=args.created)
    except OSError as exc:
        print(f"cannot read: {exc}", file=sys.stderr)
        return 2
    except IssueRefused as exc:
        print(json.dumps({"problems": [p.to_json() for p in exc.report.problems]}, indent=2), file=sys.stderr)
        return 1
    except VCError as exc:
        print(json.dumps({"problems": [{"code": exc.code, "title": exc.title, "detail": exc.detail,
                                        "path": exc.path}]}, indent=2), file=sys.stderr)
        return 1 if exc.code != "PARSING_ERROR" else 2
    print(json.dumps(signed, indent=2, ensure_ascii=False))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from waitress import serve

    from .app import create_app

    key = KeyPair.load(args.key) if args.key else KeyPair.generate()
    print(f"issuer serving as {key.controller} on http://{args.host}:{args.port}", file=sys.stderr)
    serve(create_app({"KEY": key}), host=args.host, port=args.port, threads=8)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m issuer", description="Issue microcredentials.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("keygen", help="create an Ed25519 did:key and print its key file")
    p.add_argument("--seed", help="64 hex characters (deterministic key; tests and demos only)")
    p.set_defaults(func=cmd_keygen)
    p = sub.add_parser("sign", help="sign a credential (JSON file or - for stdin)")
    p.add_argument("--key", required=True, help="Multikey key file")
    p.add_argument("--suite", default="eddsa-rdfc-2022", choices=["eddsa-rdfc-2022", "eddsa-jcs-2022"])
    p.add_argument("--created", help="proof creation time (ISO 8601, default now)")
    p.add_argument("file", nargs="?", default="-")
    p.set_defaults(func=cmd_sign)
    p = sub.add_parser("serve", help="run the issuer web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--key", help="key file to sign with (default: a new key for this run)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
