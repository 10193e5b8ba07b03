"""A registry made before history, definition versions and the offer list existed opens with its
data intact and gains what they need (issuer/registry_schema.py)."""

from __future__ import annotations

import sqlite3
import threading

from issuer.registry import Registry
from issuer.registry_schema import SCHEMA, SCHEMA_VERSION
from issuer.service import IssuerService

from .conftest import BASE, HOLDER, definition_data


def _old_registry(path, service_for_bytes) -> dict:
    """A version-0 file: one definition, one revoked credential with its event, one open offer."""
    body = service_for_bytes.definition(service_for_bytes.save_definition(definition_data())).definition
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.execute("INSERT INTO definitions VALUES ('d1', 'urn:uuid:a', 'urn:uuid:r', ?, '2026-01-05T09:00:00Z')",
               (body.model_dump_json(),))
    db.execute("INSERT INTO records (id, credential_id, definition_id, participant_name, holder_did, issued_at, "
               "revoked, reason, credential) VALUES ('r1', 'urn:uuid:c', 'd1', 'Sanne de Vries', ?, "
               "'2026-02-01T10:00:00Z', 1, 'fraude', ?)", (HOLDER, b'{"id": "urn:uuid:c"}'))
    db.execute("INSERT INTO events VALUES ('r1', 'revoke', 'fraude', '2026-03-01T10:00:00Z')")
    db.execute("INSERT INTO offers (id, definition_id, participant, participant_name, created_at, expires_at) "
               "VALUES ('o1', 'd1', '{\"name\": \"Piet\", \"result\": \"7\", \"award_date\": \"2026-06-30\"}', "
               "'Piet', '2026-08-30T10:00:00Z', '2026-09-06T10:00:00Z')")
    db.commit()
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    db.close()
    return {"definition": body}


def test_an_old_registry_is_migrated_with_its_data(tmp_path, service, institution, clock, canon):
    data = tmp_path / "old"
    data.mkdir()
    old = _old_registry(data / "registry.sqlite3", service)
    migrated = IssuerService.open(data, institution=institution, clock=clock, canon=canon, public_base_url=BASE)
    try:
        [stored] = migrated.definitions()
        assert (stored.id, stored.series_id, stored.version, stored.archived_at) == ("d1", "d1", 1, None)
        assert stored.definition == old["definition"]
        record = migrated.record("r1")
        assert record.status == "revoked" and record.credential_json == b'{"id": "urn:uuid:c"}'
        assert migrated.history("r1") == [
            {"action": "issue", "at": "2026-02-01T10:00:00Z", "actor": "", "reason": ""},
            {"action": "revoke", "at": "2026-03-01T10:00:00Z", "actor": "", "reason": "fraude"}]
        assert migrated.pending("o1").participant_name == "Piet"
        version = migrated.registry.query("PRAGMA user_version")[0][0]
        assert version == SCHEMA_VERSION
        # and the new features work on it
        newer = migrated.revise_definition("d1", {**definition_data(), "ects": 6})
        assert migrated.definition(newer).series_id == "d1" and migrated.definition("d1").replaced_by == newer
    finally:
        migrated.registry.close()


def test_processes_opening_one_old_file_at_once_migrate_it_once(tmp_path, service):
    path = tmp_path / "registry.sqlite3"
    _old_registry(path, service)
    errors: list[BaseException] = []
    opened: list[Registry] = []

    def open_it() -> None:
        try:
            opened.append(Registry(path))
        except BaseException as exc:  # noqa: BLE001  reported below
            errors.append(exc)
    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(opened) == 4
    columns = [r["name"] for r in opened[0].query("PRAGMA table_info(events)")]
    assert columns.count("actor") == 1
    for registry in opened:
        registry.close()


def test_a_new_registry_has_the_current_schema(tmp_path):
    registry = Registry(tmp_path / "new.sqlite3")
    assert registry.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
    assert "series_id" in [r["name"] for r in registry.query("PRAGMA table_info(definitions)")]
    registry.close()
