"""`python -m issuer`: keygen, sign, serve (contract in docs/architecture.md) and the institution's
work: init, define, issue, batch, revoke, suspend, unsuspend, records, export, status-list,
rotate-key; `authority sign-trust-list|endorse` for the quality framework's authority.

Exit codes: 0 done, 1 refused (a coded problem, printed as JSON on stderr), 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from vccore import Canonicalizer, KeyPair, SystemClock
from vccore.clock import parse_datetime
from vccore.errors import VCError
from vccore.jsondoc import parse_json

from .authority import Authority, trust_entries
from .errors import BatchRejected, InvalidInput
from .model import InstitutionProfile, parse
from .signing import CredentialSigner, IssueRefused

DEFAULT_DATA = os.environ.get("ISSUER_DATA", "issuer-data")


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as fh:
        return fh.read()


def _problem(exc: VCError) -> int:
    if isinstance(exc, IssueRefused):  # `sign` contract: every problem the checks found
        print(json.dumps({"problems": [p.to_json() for p in exc.report.problems]}, indent=2), file=sys.stderr)
        return 1
    out: dict[str, Any] = {"code": exc.code, "title": exc.title, "detail": exc.detail, "path": exc.path}
    if isinstance(exc, (InvalidInput, BatchRejected)):
        out["errors"] = [e.to_json() for e in exc.errors]
    print(json.dumps({"problems": [out]}, indent=2, ensure_ascii=False), file=sys.stderr)
    return 2 if exc.code == "PARSING_ERROR" else 1


def _print(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


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
    key = KeyPair.load(args.key)
    credential = parse_json(_read(args.file))
    signer = CredentialSigner(key=key, canon=Canonicalizer(), clock=SystemClock())
    _print(signer.sign(credential, suite=args.suite, created=args.created))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .app import create_app
    from .serving import serve

    key = KeyPair.load(args.key) if args.key else None
    config = {"KEY": key, "DATA_DIR": args.data, "PUBLIC_BASE_URL": _settings(args).get("public_base_url"),
              "CONFORMANCE_EXAMPLES_CONTEXT": True if args.conformance_examples_context else None}
    app = create_app({k: v for k, v in config.items() if v is not None})
    print(f"issuer serving on http://{args.host}:{args.port}", file=sys.stderr)
    serve(app, host=args.host, port=args.port)
    return 0


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    path = Path(args.data) / "settings.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _service(args: argparse.Namespace):  # noqa: ANN202 - IssuerService, imported lazily
    from .service import IssuerService

    base = getattr(args, "base_url", None) or _settings(args).get("public_base_url")
    return IssuerService.open(Path(args.data), public_base_url=base)


def cmd_init(args: argparse.Namespace) -> int:
    from .service import IssuerService

    suspension = args.suspension
    if suspension is None:  # not given: keep what an earlier init chose (default off)
        existing = Path(args.data) / "institution.json"
        suspension = existing.exists() and json.loads(existing.read_text(encoding="utf-8")).get("suspension") is True
    profile = parse(InstitutionProfile, {"name": args.name, "brin": args.brin, "url": args.url,
                                         "country": args.country, "kind": args.kind, "suspension": suspension})
    service = IssuerService.open(Path(args.data), institution=profile, did_web=args.did_web)
    settings = _settings(args)
    if args.public_base_url:
        settings["public_base_url"] = args.public_base_url.rstrip("/")
    (Path(args.data) / "settings.json").write_text(json.dumps(settings, indent=2), encoding="utf-8")
    _print({"did": service.key.controller, "verificationMethod": service.key.id, "data": str(args.data),
            "suspension": profile.suspension})
    return 0


def cmd_define(args: argparse.Namespace) -> int:
    service = _service(args)
    definition = parse_json(_read(args.file))
    warnings = service.check_definition(definition)
    for w in warnings:
        print(f"waarschuwing / warning: {w.field}: {w.message_nl} / {w.message_en}", file=sys.stderr)
    _print({"definition_id": service.save_definition(definition)})
    return 0


def cmd_definitions(args: argparse.Namespace) -> int:
    _print([{"id": d.id, "title": d.definition.title, "course_code": d.definition.course_code,
             "ects": d.definition.ects, "nlqf_level": d.definition.nlqf_level, "version": d.version,
             "archived": d.archived_at is not None} for d in _service(args).definitions()])
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    service = _service(args)
    participant = {"name": args.name, "result": args.result, "award_date": args.date}
    if args.valid_until:
        participant["valid_until"] = args.valid_until
    if args.offer or args.issuer_url:
        offer = service.offer(args.definition, participant, actor=_actor())
        out = {"offer_id": offer.id, "participant_name": offer.participant_name, "expires_at": offer.expires_at}
        if args.issuer_url:
            out["offer_link"] = _offer_link(args, offer)
        _print(out)
        return 0
    record = service.issue_direct(args.definition, participant, args.did, actor=_actor())
    print(f"record {record.id}", file=sys.stderr)
    sys.stdout.buffer.write(record.credential_json + b"\n")
    return 0


def _offer_link(args: argparse.Namespace, pending) -> str:  # noqa: ANN001 - PendingCredential
    """An OpenID4VCI offer link (pre-authorized code) that the running `serve` will redeem: the
    code goes into the same data directory the web app reads."""
    from vccore import SystemClock

    from .app import DEFAULT_OFFER_TTL
    from .oid4vci import create_offer
    from .oid4vci_state import Oid4vciStore

    store = Oid4vciStore(Path(args.data) / "oid4vci.sqlite3")
    offer = create_offer(store, pending, credential_issuer=args.issuer_url.rstrip("/"),
                         now=SystemClock().now(), ttl=DEFAULT_OFFER_TTL)
    return offer.link


class _Progress:
    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        print(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end,
              file=sys.stderr, flush=True)


def cmd_batch(args: argparse.Namespace) -> int:
    service = _service(args)
    data = _read(args.file)
    if args.check:
        check = service.validate_batch(args.definition, data)
        _print({"ok": check.ok, "rows": len(check.rows), "errors": [e.to_json() for e in check.errors],
                "warnings": [w.to_json() for w in check.warnings]})
        return 0 if check.ok else 1
    if args.sign:
        records = service.issue_batch(args.definition, data, progress=_Progress("ondertekenen / signing"),
                                      actor=_actor())
        _print([{"record_id": r.id, "credential_id": r.credential_id, "participant_name": r.participant_name,
                 "holder_did": r.holder_did} for r in records])
        return 0
    offers = service.offer_batch(args.definition, data, progress=_Progress("aanbiedingen / offers"),
                                 actor=_actor())
    _print([{"offer_id": o.id, "participant_name": o.participant_name, "expires_at": o.expires_at} for o in offers])
    return 0


def cmd_status_change(args: argparse.Namespace) -> int:
    service = _service(args)
    getattr(service, args.command)(args.record, args.reason, actor=_actor())
    record = service.record(args.record)
    _print({"record_id": record.id, "status": record.status})
    return 0


def _actor() -> str:
    """Who acted, for a record's history: the operating-system account that ran the command."""
    import getpass

    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):  # no account name (e.g. a container without passwd entry)
        return "cli:"


def cmd_records(args: argparse.Namespace) -> int:
    _print([{"record_id": r.id, "credential_id": r.credential_id, "participant_name": r.participant_name,
             "definition_id": r.definition_id, "holder_did": r.holder_did, "issued_at": r.issued_at,
             "status": r.status} for r in _service(args).records(args.query, args.limit)])
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    sys.stdout.write(_service(args).export(args.format))
    return 0


def cmd_status_list(args: argparse.Namespace) -> int:
    sys.stdout.buffer.write(_service(args).status_list_bytes(args.list_id) + b"\n")
    return 0


def cmd_rotate_key(args: argparse.Namespace) -> int:
    service = _service(args)
    old = service.key.id
    new = service.rotate_key()
    _print({"retired": old, "current": new.id, "did": new.controller})
    return 0


def cmd_trust_list(args: argparse.Namespace) -> int:
    authority = Authority(key=KeyPair.load(args.key), name=args.name)
    until = parse_datetime(args.valid_until, path="--valid-until", require_offset=True) if args.valid_until else None
    _print(authority.sign_trust_list(trust_entries(parse_json(_read(args.file))), valid_until=until))
    return 0


def cmd_endorse(args: argparse.Namespace) -> int:
    authority = Authority(key=KeyPair.load(args.key), name=args.name)
    until = parse_datetime(args.valid_until, path="--valid-until", require_offset=True) if args.valid_until else None
    _print(authority.endorse(args.subject, args.comment, valid_until=until))
    return 0


def _data(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--data", default=DEFAULT_DATA, help="data directory (default $ISSUER_DATA or ./issuer-data)")
    return p


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
    p = _data(sub.add_parser("serve", help="run the issuer web app"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--key", help="key file to sign with (default: the data directory's key)")
    p.add_argument("--conformance-examples-context", action="store_true",
                   help="CONFORMANCE TESTING ONLY: also load the W3C examples context (as "
                        "VC_CONFORMANCE_EXAMPLES_CONTEXT=1); never in production")
    p.set_defaults(func=cmd_serve)
    p = _data(sub.add_parser("init", help="set up the institution: profile and signing key"))
    p.add_argument("--name", required=True)
    p.add_argument("--brin", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--country", default="NL")
    p.add_argument("--kind", choices=["wo", "hbo", "other"], default="hbo", help="wo = university, hbo = UAS")
    p.add_argument("--did-web", help="use did:web (e.g. did:web:www.example.nl) instead of did:key")
    p.add_argument("--public-base-url", help="base URL of the status lists (https://...)")
    p.add_argument("--suspension", action=argparse.BooleanOptionalAction, default=None,
                   help="also give new credentials a suspension status entry (credentialStatus becomes an array "
                        "of two, which OB 3.0's JSON Schema does not allow); default off, or as set before")
    p.set_defaults(func=cmd_init)
    p = _data(sub.add_parser("define", help="store a microcredential definition (JSON file)"))
    p.add_argument("file")
    p.set_defaults(func=cmd_define)
    _data(sub.add_parser("definitions", help="list definitions")).set_defaults(func=cmd_definitions)
    p = _data(sub.add_parser("issue", help="issue one credential (or --offer it for a wallet)"))
    p.add_argument("--definition", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--result", required=True)
    p.add_argument("--date", required=True, help="award date YYYY-MM-DD")
    p.add_argument("--valid-until")
    p.add_argument("--did", help="the learner's wallet DID (credentialSubject.id)")
    p.add_argument("--offer", action="store_true", help="make an offer to deliver to a wallet later")
    p.add_argument("--issuer-url", help="with an offer: the public URL of the running issuer (`serve`); "
                                        "prints the OpenID4VCI offer link for the learner's wallet")
    p.add_argument("--base-url", help="status list base URL (overrides the configured one)")
    p.set_defaults(func=cmd_issue)
    p = _data(sub.add_parser("batch", help="offers (or --sign: credentials) for every row of a CSV file"))
    p.add_argument("--definition", required=True)
    p.add_argument("--check", action="store_true", help="only validate the file")
    p.add_argument("--sign", action="store_true", help="sign now (holder DIDs from the 'did' column)")
    p.add_argument("--base-url")
    p.add_argument("file")
    p.set_defaults(func=cmd_batch)
    for name in ("revoke", "suspend", "unsuspend"):
        p = _data(sub.add_parser(name, help=f"{name} an issued credential"))
        p.add_argument("record", help="record id or credential id")
        p.add_argument("--reason", required=name != "unsuspend", default="")
        p.set_defaults(func=cmd_status_change)
    p = _data(sub.add_parser("records", help="list issued credentials"))
    p.add_argument("--query", default="")
    p.add_argument("--limit", type=int, default=100)
    p.set_defaults(func=cmd_records)
    p = _data(sub.add_parser("export", help="export the registry for national registration"))
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.set_defaults(func=cmd_export)
    p = _data(sub.add_parser("status-list", help="print a signed status list credential"))
    p.add_argument("list_id")
    p.add_argument("--base-url")
    p.set_defaults(func=cmd_status_list)
    _data(sub.add_parser("rotate-key", help="new signing key; old ones stay valid")).set_defaults(func=cmd_rotate_key)
    auth = sub.add_parser("authority", help="act for the quality framework's authority")
    asub = auth.add_subparsers(dest="authority_command", required=True)
    p = asub.add_parser("sign-trust-list", help="sign the trust list (JSON array of institutions)")
    p.add_argument("--key", required=True)
    p.add_argument("--name", required=True, help="the authority's name")
    p.add_argument("--valid-until")
    p.add_argument("file", nargs="?", default="-")
    p.set_defaults(func=cmd_trust_list)
    p = asub.add_parser("endorse", help="sign an OB 3.0 EndorsementCredential")
    p.add_argument("--key", required=True)
    p.add_argument("--name", required=True, help="the authority's name")
    p.add_argument("--subject", required=True, help="achievement id or institution DID")
    p.add_argument("--comment", required=True)
    p.add_argument("--valid-until")
    p.set_defaults(func=cmd_endorse)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OSError as exc:
        print(f"cannot read or write: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. a key file that is not JSON
        print(f"unusable input: {type(exc).__name__}", file=sys.stderr)
        return 2
    except VCError as exc:
        return _problem(exc)
