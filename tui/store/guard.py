"""Damage found while an index is read: one clear error, and the index rebuilt at the next open.

Every connection to an index is a :class:`GuardedConnection`: an error from a query or from
fetching its rows that says the file is damaged (a malformed page, text that is not UTF-8, a
missing table) becomes :class:`IndexDamaged`, and the damaged file is removed, so that the
next open builds it again instead of failing the same way. Errors that say nothing of the
file (a busy database, a full disk, a mistake in a query) pass through unchanged.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable
from typing import Any

__all__ = ["GuardedConnection", "IndexDamaged", "is_damage"]

_NOT_DAMAGE = ("locked", "busy", "interrupt", "disk is full", "readonly", "read-only", "unable to open")


class IndexDamaged(sqlite3.DatabaseError):
    """The index is damaged: it was removed and the next open rebuilds it."""


def is_damage(error: BaseException) -> bool:
    """Whether a database error says the index file is damaged."""
    if isinstance(error, IndexDamaged):
        return True
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    if isinstance(error, sqlite3.ProgrammingError | sqlite3.IntegrityError | sqlite3.NotSupportedError):
        return False
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        return not any(part in text for part in _NOT_DAMAGE)
    return True


class GuardedCursor(sqlite3.Cursor):
    """A cursor whose fetching turns damage into :class:`IndexDamaged`."""

    connection: GuardedConnection

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.DatabaseError as error:
            raise self.connection.damaged(error) from error

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as error:
            raise self.connection.damaged(error) from error

    def fetchmany(self, size: int | None = 1) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.DatabaseError as error:
            raise self.connection.damaged(error) from error

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as error:
            raise self.connection.damaged(error) from error


class GuardedConnection(sqlite3.Connection):
    """A connection to an index file whose queries turn damage into :class:`IndexDamaged`."""

    path = ""
    """The index file (set by :func:`tui.store.schema.connect`)."""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        cursor = self.cursor(GuardedCursor)
        try:
            return cursor.execute(sql, parameters)
        except sqlite3.DatabaseError as error:
            raise self.damaged(error) from error

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except sqlite3.DatabaseError as error:
            raise self.damaged(error) from error

    def damaged(self, error: sqlite3.DatabaseError) -> sqlite3.DatabaseError:
        """The error to raise for ``error``: :class:`IndexDamaged` (the file removed) for damage."""
        if isinstance(error, IndexDamaged) or not is_damage(error):
            return error
        removed = False
        if self.path:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
                removed = True
        then = "it is rebuilt at the next start" if removed else "run 'povtui index --rebuild'"
        return IndexDamaged(f"the index {self.path} is damaged ({error}): {then}")
