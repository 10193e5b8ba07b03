"""The registry's SQLite schema and its migrations (`PRAGMA user_version` counts the ones applied).

A registry made by an older version opens with its data intact: each migration adds what it needs
(columns with defaults, indexes) inside one write transaction, and runs at most once even when
several processes open the same file at the same time (the version is re-read under the lock).
"""

from __future__ import annotations

import sqlite3

__all__ = ["SCHEMA", "SCHEMA_VERSION", "migrate"]

# Version 0: the tables as the first release made them (kept as they were, so old files and new
# ones take the same migrations).
SCHEMA = """
CREATE TABLE IF NOT EXISTS definitions (
  id TEXT PRIMARY KEY, achievement_id TEXT NOT NULL, result_description_id TEXT NOT NULL,
  body TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS offers (
  id TEXT PRIMARY KEY, definition_id TEXT NOT NULL REFERENCES definitions(id), participant TEXT NOT NULL,
  participant_name TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
  delivered_at TEXT, record_id TEXT);
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY, credential_id TEXT NOT NULL, definition_id TEXT, participant_name TEXT NOT NULL,
  holder_did TEXT, issued_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,
  suspended INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '', credential BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS records_name ON records(participant_name);
CREATE INDEX IF NOT EXISTS records_credential ON records(credential_id);
CREATE TABLE IF NOT EXISTS status_lists (
  id TEXT PRIMARY KEY, purpose TEXT NOT NULL, size INTEGER NOT NULL, allocated INTEGER NOT NULL DEFAULT 0,
  bits BLOB NOT NULL, version INTEGER NOT NULL DEFAULT 1, signed BLOB, signed_version INTEGER,
  signed_base TEXT);
CREATE TABLE IF NOT EXISTS status_entries (
  list_id TEXT NOT NULL, idx INTEGER NOT NULL, record_id TEXT NOT NULL, purpose TEXT NOT NULL,
  PRIMARY KEY (list_id, idx));
CREATE INDEX IF NOT EXISTS status_entries_record ON status_entries(record_id);
CREATE TABLE IF NOT EXISTS events (
  record_id TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_throttle (
  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, window_start REAL NOT NULL, locked_until REAL NOT NULL,
  expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_throttle_expiry ON login_throttle(expires_at);
"""

# Each entry moves the schema one version up.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: who did what (history of a record), definition versions and archiving, indexes for the
    #    staff console's offer list and the duplicate check.
    (
        "ALTER TABLE events ADD COLUMN actor TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE records ADD COLUMN issued_by TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE offers ADD COLUMN created_by TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE definitions ADD COLUMN series_id TEXT",
        "ALTER TABLE definitions ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE definitions ADD COLUMN archived_at TEXT",
        "ALTER TABLE definitions ADD COLUMN replaced_by TEXT",
        "UPDATE definitions SET series_id = id WHERE series_id IS NULL",
        "CREATE INDEX IF NOT EXISTS definitions_series ON definitions(series_id, version)",
        "CREATE INDEX IF NOT EXISTS offers_created ON offers(created_at, id)",
        "CREATE INDEX IF NOT EXISTS offers_definition ON offers(definition_id)",
        "CREATE INDEX IF NOT EXISTS records_definition ON records(definition_id)",
        "CREATE INDEX IF NOT EXISTS events_record ON events(record_id)",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)


def migrate(db: sqlite3.Connection) -> int:
    """Create the tables if new, then apply the migrations this file lacks; returns the version."""
    db.executescript(SCHEMA)
    if db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return SCHEMA_VERSION
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
        for statements in _MIGRATIONS[version:]:
            for statement in statements:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # an int constant, not input
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return SCHEMA_VERSION
