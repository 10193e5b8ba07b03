"""What an institution does: define, offer, deliver, issue, revoke, suspend (issuer/revocation.py);
the web UI, the OID4VCI endpoints and the CLI are thin shells over IssuerService."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from pathlib import Path
from typing import Any, Callable, Sequence

from vccore import Canonicalizer, Clock, KeyPair, SystemClock
from vccore.clock import format_datetime, parse_datetime
from vccore.errors import MalformedValueError
from vccore.jsondoc import check_depth
from vccore.l10n import N_
from vccore.statuslist import MIN_ENTRIES
from vccore.vcdm import vc_version

from . import export as exporter
from .batch import BatchCheck, check_batch
from .builder import build_credential, status_entry
from .catalogue import DefinitionCatalogue
from .duplicates import EarlierAward, earlier_awards
from .errors import (BatchRejected, FieldError, InvalidInput, OfferAlreadyDelivered, OfferExpired, OfferNotFound,
                     RecordNotFound)
from .identity import Identity, write_private_file
from .model import InstitutionProfile, Participant, DID_PATTERN, parse, quality_findings, result_value
from .registry import IssuedRecord, PendingCredential, Registry, StoredDefinition
from .revocation import StatusChanges
from .signing import CredentialSigner, dump, sign_many
from .status import PURPOSES, StatusLists, check_given_status

__all__ = ["IssuerService"]

UNCONFIGURED = InstitutionProfile(name="(instelling niet ingesteld / institution not configured)",
                                  brin="00XX", url="https://localhost")


def _new_id() -> str:
    return str(uuid.uuid4())


class IssuerService(DefinitionCatalogue, StatusChanges):
    """An institution's issuing service over its registry (SQLite), keys and status lists."""

    def __init__(self, *, registry: Registry, identity: Identity, institution: InstitutionProfile | None,
                 public_base_url: str | None, clock: Clock, canon: Canonicalizer, status: StatusLists,
                 offer_ttl: dt.timedelta, workers: int | None = None) -> None:
        self.registry = registry
        self.identity = identity
        self.configured = institution is not None
        self._institution = institution or UNCONFIGURED
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None
        self.clock = clock
        self.canon = canon
        self.status = status
        self.offer_ttl = offer_ttl
        self.workers = workers

    @classmethod
    def open(cls, data_dir: Path, *, key: KeyPair | None = None, institution: InstitutionProfile | None = None,
             public_base_url: str | None = None, clock: Clock | None = None,
             canon: Canonicalizer | None = None, did_web: str | None = None, rng: random.Random | None = None,
             offer_ttl: dt.timedelta = dt.timedelta(days=7), status_list_size: int = MIN_ENTRIES,
             workers: int | None = None) -> "IssuerService":
        """Open (and on first use create) the registry, key file (0600) and institution profile."""
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if key is not None:  # a key handed in (`serve --key`) is used as is, not stored
            identity = Identity(data_dir / "keys", key, [], None)
        else:
            identity = Identity.open(data_dir / "keys", did_web=did_web)
        profile_path = data_dir / "institution.json"
        if institution is not None:
            write_private_file(profile_path, institution.model_dump_json(indent=2).encode())
        elif profile_path.exists():
            institution = parse(InstitutionProfile, json.loads(profile_path.read_text(encoding="utf-8")))
        return cls(registry=Registry(data_dir / "registry.sqlite3"), identity=identity, institution=institution,
                   public_base_url=public_base_url, clock=clock or SystemClock(), canon=canon or Canonicalizer(),
                   status=StatusLists(size=status_list_size, rng=rng), offer_ttl=offer_ttl, workers=workers)

    # -- identity ---------------------------------------------------------------------------------
    @property
    def key(self) -> KeyPair:
        return self.identity.current

    @property
    def institution(self) -> InstitutionProfile:
        return self._institution.model_copy(update={"did": self.key.controller})

    @property
    def purposes(self) -> tuple[str, ...]:
        """Status entries each new credential gets: revocation; suspension only when the institution opts in."""
        return PURPOSES if self._institution.suspension else PURPOSES[:1]

    def did_document(self) -> dict[str, Any] | None:
        return self.identity.did_document()

    def rotate_key(self) -> KeyPair:
        return self.identity.rotate()

    def _now(self) -> str:
        return format_datetime(self.clock.now())

    def _base(self, base_url: str | None) -> str:
        base = self.public_base_url or (base_url.rstrip("/") if base_url else None)
        if not base or not base.startswith(("https://", "http://")):
            raise MalformedValueError("no base URL for the status lists: configure public_base_url",
                                      title="No public base URL")
        return base

    # -- offers -----------------------------------------------------------------------------------
    def _require_institution(self) -> None:
        if not self.configured:
            raise InvalidInput([FieldError("institution", N_("configure the institution first (issuer init)"))])

    def _check_participant(self, stored: StoredDefinition, participant: Participant) -> None:
        result_value(stored.definition.result_scale, participant.result)
        errors, _ = quality_findings(stored.definition, self._institution, participant.award_date)
        if errors:
            raise InvalidInput(errors)

    def validate_batch(self, definition_id: str, csv_bytes: bytes) -> BatchCheck:
        return check_batch(csv_bytes, self.issuable_definition(definition_id).definition, self._institution)

    def offer(self, definition_id: str, participant: Participant | dict[str, Any], *,
              actor: str = "") -> PendingCredential:
        if not isinstance(participant, Participant):
            participant = parse(Participant, participant)
        return self._offers(definition_id, [participant], actor=actor)[0]

    def offer_batch(self, definition_id: str, csv_bytes: bytes,
                    progress: Callable[[int, int], None] | None = None, *, actor: str = "") -> list[PendingCredential]:
        """All or nothing: BatchRejected (with every row error) stores nothing."""
        check = self.validate_batch(definition_id, csv_bytes)
        if not check.ok:
            raise BatchRejected(check.errors)
        return self._offers(definition_id, check.rows, progress, actor=actor)

    def _offers(self, definition_id: str, participants: Sequence[Participant],
                progress: Callable[[int, int], None] | None = None, *, actor: str = "") -> list[PendingCredential]:
        self._require_institution()
        stored = self.issuable_definition(definition_id)
        for p in participants:
            self._check_participant(stored, p)
        now = self.clock.now()
        created, expires = format_datetime(now), format_datetime(now + self.offer_ttl)
        offers = [PendingCredential(_new_id(), definition_id, p.name, created, expires, False, p)
                  for p in participants]
        with self.registry.transaction() as db:
            db.executemany("INSERT INTO offers (id, definition_id, participant, participant_name, created_at, "
                           "expires_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(o.id, definition_id, o.participant.model_dump_json(), o.participant_name, created,
                             expires, actor) for o in offers])
        if progress:
            progress(len(offers), len(offers))
        return offers

    def pending(self, pending_id: str) -> PendingCredential:
        row = self.registry.offer_row(pending_id)
        if row is None:
            raise OfferNotFound(f"no offer {pending_id!r}")
        return PendingCredential(row["id"], row["definition_id"], row["participant_name"], row["created_at"],
                                 row["expires_at"], row["delivered_at"] is not None,
                                 Participant.model_validate_json(row["participant"]), row["record_id"])

    def earlier_awards(self, definition_id: str, participants: Sequence[Participant]) -> list[EarlierAward]:
        """Earlier credentials and open offers of this unit (any version) for the same people."""
        return earlier_awards(self.registry, self.definition(definition_id).series_id, participants, now=self._now())

    def offers(self, limit: int = 100) -> list[PendingCredential]:
        return [self.pending(r["id"]) for r in self.registry.offer_rows(limit)]

    def deliver(self, pending_id: str, holder_did: str, *, base_url: str | None = None) -> IssuedRecord:
        """Sign the offered credential for `holder_did`, once; raises OfferAlreadyDelivered/OfferExpired."""
        _check_did(holder_did)
        base = self._base(base_url)
        with self.registry.transaction() as db:
            offer = self.pending(pending_id)
            if offer.delivered:
                raise OfferAlreadyDelivered(f"offer {pending_id} was delivered already")
            if self.clock.now() > parse_datetime(offer.expires_at):
                raise OfferExpired(f"offer {pending_id} expired at {offer.expires_at}")
            creator = db.execute("SELECT created_by FROM offers WHERE id = ?", (offer.id,)).fetchone()[0]
            record = self._issue(db, self.definition(offer.definition_id), [offer.participant], [holder_did], base,
                                 actor=creator)[0]
            db.execute("UPDATE offers SET delivered_at = ?, record_id = ? WHERE id = ? AND delivered_at IS NULL",
                       (record.issued_at, record.id, pending_id))
        return record

    # -- issuing ----------------------------------------------------------------------------------
    def issue_direct(self, definition_id: str, participant: Participant | dict[str, Any], holder_did: str | None,
                     *, base_url: str | None = None, actor: str = "") -> IssuedRecord:
        """Issue to a known DID (or unbound, for download as a file) without an offer."""
        if not isinstance(participant, Participant):
            participant = parse(Participant, participant)
        holder = holder_did or participant.holder_did
        if holder is not None:
            _check_did(holder)
        base = self._base(base_url)
        self._require_institution()
        stored = self.issuable_definition(definition_id)
        self._check_participant(stored, participant)
        with self.registry.transaction() as db:
            return self._issue(db, stored, [participant], [holder], base, actor=actor)[0]

    def issue_batch(self, definition_id: str, csv_bytes: bytes, *, base_url: str | None = None,
                    progress: Callable[[int, int], None] | None = None, actor: str = "") -> list[IssuedRecord]:
        """Sign one credential per CSV row (holder DID from the `did` column, if any), all or nothing."""
        base = self._base(base_url)
        self._require_institution()
        stored = self.issuable_definition(definition_id)
        check = check_batch(csv_bytes, stored.definition, self._institution)
        if not check.ok:
            raise BatchRejected(check.errors)
        with self.registry.transaction() as db:
            return self._issue(db, stored, check.rows, [p.holder_did for p in check.rows], base, progress,
                               actor=actor)

    def _issue(self, db: Any, stored: StoredDefinition, participants: Sequence[Participant],
               holders: Sequence[str | None], base: str,
               progress: Callable[[int, int], None] | None = None, *, actor: str = "") -> list[IssuedRecord]:
        """Allocate status entries, build, sign and store, inside the caller's transaction."""
        record_ids = [_new_id() for _ in participants]
        entries = {purpose: self.status.allocate(db, purpose, record_ids) for purpose in self.purposes}
        institution, now = self.institution, self._now()
        documents = []
        for i, (participant, holder) in enumerate(zip(participants, holders)):
            status = [status_entry(base, *entries[purpose][i], purpose) for purpose in self.purposes]
            documents.append(build_credential(
                stored.definition, participant, institution, issuer_did=self.key.controller,
                credential_id=f"urn:uuid:{_new_id()}", achievement_id=stored.achievement_id,
                result_description_id=stored.result_description_id, holder_did=holder, status=status))
        signed = sign_many(documents, key=self.key, canon=self.canon, created=now, workers=self.workers,
                           progress=progress)
        rows = [(rid, doc["id"], stored.id, p.name, holder, now, body)
                for rid, doc, p, holder, body in zip(record_ids, documents, participants, holders, signed)]
        self.registry.insert_records(db, rows, issued_by=actor)
        return [IssuedRecord(r[0], r[1], r[3], r[2], r[4], r[5], "active", r[6], issued_by=actor) for r in rows]

    def issue_vc_api(self, credential: dict[str, Any], *, suite: str = "eddsa-rdfc-2022", base_url: str,
                     options: dict[str, Any] | None = None) -> dict[str, Any]:
        """VC API /credentials/issue: signs and records. A credentialStatus the caller gives is checked
        and signed as given; else VC 2.0 credentials get this issuer's entries (`purposes`)."""
        check_depth(credential)
        if not isinstance(credential, dict):
            raise MalformedValueError("the credential must be a JSON object", path="/credential")
        given = "credentialStatus" in credential
        if given:
            check_given_status(credential["credentialStatus"], path="/credential/credentialStatus")
        version = vc_version(credential)
        if version == 1 and (options or {}).get("credentialStatus"):
            raise MalformedValueError("status entries are only added to VC 2.0 credentials here",
                                      path="/options/credentialStatus", title="No status for VC 1.1")
        signer = CredentialSigner(key=self.key, canon=self.canon, clock=self.clock)
        record_id = _new_id()
        with self.registry.transaction() as db:
            document = dict(credential)
            if version == 2 and not given:
                base = self._base(base_url)
                status = [status_entry(base, *self.status.allocate(db, purpose, [record_id])[0], purpose)
                          for purpose in self.purposes]
                document["credentialStatus"] = status[0] if len(status) == 1 else status
            signed = signer.sign(document, suite=suite)
            subject = signed.get("credentialSubject")
            subject = subject if isinstance(subject, dict) else {}
            name = subject.get("name") if isinstance(subject.get("name"), str) else ""
            holder = subject.get("id") if isinstance(subject.get("id"), str) else None
            self.registry.insert_records(db, [(record_id, str(signed.get("id", "")), None, name, holder,
                                               self._now(), dump(signed))], issued_by="VC API")
        return signed

    # -- registry ---------------------------------------------------------------------------------
    def records(self, query: str = "", limit: int = 100) -> list[IssuedRecord]:
        return self.registry.records(query, limit)

    def record(self, record_id: str) -> IssuedRecord:
        record = self.registry.record(record_id)
        if record is None:
            raise RecordNotFound(f"no issued credential {record_id!r}")
        return record

    def export(self, fmt: str) -> str:
        """The registry for national registration, as "csv" or "json"."""
        definitions = {d.id: d for d in self.definitions(all_versions=True)}
        return exporter.export(self.registry.all_records(), definitions, self._institution, fmt)


def _check_did(did: Any) -> None:
    if not isinstance(did, str) or not DID_PATTERN.match(did):
        raise MalformedValueError(f"not a DID: {did!r}", path="/holder_did", title="Invalid holder DID")
