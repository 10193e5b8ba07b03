"""Microcredential definitions: define, edit (a new version), archive and restore.

A definition is never changed in place: credentials issued from it carry its achievement, and
offers made from it deliver what was offered. Editing stores a new version (a new id, a new
achievement id: each id names one content) in the same series, and the old version points at it.
Archiving applies to the whole series: it stays listed and readable, but nothing new is issued
from it until it is restored.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from .errors import DefinitionArchived, DefinitionNotFound, DefinitionSuperseded, FieldError, InvalidInput
from .model import MicrocredentialDefinition, parse, quality_findings
from .registry import StoredDefinition

__all__ = ["DefinitionCatalogue", "stored_definition"]


def _new_id() -> str:
    return str(uuid.uuid4())


def stored_definition(row: sqlite3.Row) -> StoredDefinition:
    return StoredDefinition(row["id"], MicrocredentialDefinition.model_validate_json(row["body"]),
                            row["achievement_id"], row["result_description_id"], row["created_at"],
                            row["series_id"] or row["id"], row["version"], row["archived_at"],
                            row["replaced_by"])


def _as_definition(definition: MicrocredentialDefinition | dict[str, Any]) -> MicrocredentialDefinition:
    if isinstance(definition, MicrocredentialDefinition):
        return definition
    return parse(MicrocredentialDefinition, definition)


class DefinitionCatalogue:
    """Mixed into IssuerService (uses its registry, clock and institution)."""

    def check_definition(self, definition: MicrocredentialDefinition | dict[str, Any]) -> list[FieldError]:
        """Validate against the quality framework as of today; raises InvalidInput, returns warnings."""
        definition = _as_definition(definition)
        errors, warnings = quality_findings(definition, self._institution, self.clock.now().date())
        if errors:
            raise InvalidInput(errors)
        return warnings

    def save_definition(self, definition: MicrocredentialDefinition | dict[str, Any]) -> str:
        """A new definition (version 1 of a new series); returns its id."""
        definition = _as_definition(definition)
        self.check_definition(definition)
        definition_id = _new_id()
        with self.registry.transaction() as db:
            self._insert_definition(db, definition_id, definition, series_id=definition_id, version=1)
        return definition_id

    def revise_definition(self, definition_id: str,
                          definition: MicrocredentialDefinition | dict[str, Any]) -> str:
        """Edit: store `definition` as the next version of `definition_id`'s series; returns the new id
        (the same id when nothing changed). Issued credentials and earlier offers are not touched."""
        definition = _as_definition(definition)
        self.check_definition(definition)
        new_id = _new_id()
        with self.registry.transaction() as db:
            current = self._current(db, definition_id)
            if current.definition == definition:
                return current.id
            self._insert_definition(db, new_id, definition, series_id=current.series_id,
                                    version=current.version + 1, archived_at=current.archived_at)
            db.execute("UPDATE definitions SET replaced_by = ? WHERE id = ?", (new_id, current.id))
        return new_id

    def archive_definition(self, definition_id: str) -> None:
        """Archive the whole series: listed, not offered for issuing."""
        with self.registry.transaction() as db:
            current = self._current(db, definition_id)
            db.execute("UPDATE definitions SET archived_at = ? WHERE series_id = ?", (self._now(), current.series_id))

    def restore_definition(self, definition_id: str) -> None:
        with self.registry.transaction() as db:
            current = self._current(db, definition_id)
            db.execute("UPDATE definitions SET archived_at = NULL WHERE series_id = ?", (current.series_id,))

    def definition(self, definition_id: str) -> StoredDefinition:
        row = self.registry.definition_row(definition_id)
        if row is None:
            raise DefinitionNotFound(f"no definition {definition_id!r}", path="/definition_id")
        return stored_definition(row)

    def definitions(self, *, all_versions: bool = False) -> list[StoredDefinition]:
        """Current versions (archived ones included), oldest first; every version with all_versions."""
        where = "" if all_versions else " WHERE replaced_by IS NULL"
        return [stored_definition(r) for r in
                self.registry.query(f"SELECT * FROM definitions{where} ORDER BY created_at, id")]

    def definition_versions(self, definition_id: str) -> list[StoredDefinition]:
        """Every version of the series `definition_id` belongs to, newest first."""
        series = self.definition(definition_id).series_id
        return [stored_definition(r) for r in self.registry.query(
            "SELECT * FROM definitions WHERE series_id = ? ORDER BY version DESC", (series,))]

    def issuable_definition(self, definition_id: str) -> StoredDefinition:
        """The definition, if new credentials may be issued from it (current version, not archived)."""
        stored = self.definition(definition_id)
        if stored.archived_at is not None:
            raise DefinitionArchived(f"definition {definition_id} is archived", path="/definition_id")
        if stored.replaced_by is not None:
            raise DefinitionSuperseded(f"definition {definition_id} was edited; its current version is "
                                       f"{self._current_id(stored)}", path="/definition_id")
        return stored

    # -- helpers ------------------------------------------------------------------------------------
    def _current_id(self, stored: StoredDefinition) -> str:
        rows = self.registry.query("SELECT id FROM definitions WHERE series_id = ? AND replaced_by IS NULL",
                                   (stored.series_id,))
        return rows[0]["id"] if rows else stored.id

    def _current(self, db: sqlite3.Connection, definition_id: str) -> StoredDefinition:
        row = db.execute("SELECT * FROM definitions WHERE id = ?", (definition_id,)).fetchone()
        if row is None:
            raise DefinitionNotFound(f"no definition {definition_id!r}", path="/definition_id")
        if row["replaced_by"] is not None:
            raise DefinitionSuperseded(f"definition {definition_id} was edited already; edit its current "
                                       "version", path="/definition_id")
        return stored_definition(row)

    def _insert_definition(self, db: sqlite3.Connection, definition_id: str, definition: MicrocredentialDefinition,
                           *, series_id: str, version: int, archived_at: str | None = None) -> None:
        db.execute("INSERT INTO definitions (id, achievement_id, result_description_id, body, created_at, series_id, "
                   "version, archived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (definition_id, f"urn:uuid:{_new_id()}", f"urn:uuid:{_new_id()}", definition.model_dump_json(),
                    self._now(), series_id, version, archived_at))
