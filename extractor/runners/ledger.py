"""What the watched inbox has already done, kept beside the outputs (``DIR/.ledger.sqlite3``).

The inbox is keyed by *content*, not by name: clerks re-send the same notice under new names,
and a restarted watcher must not extract again what it already wrote. A row per content sha256
says which output file holds its record, so a duplicate is recognised without parsing and an
output name is never taken over by a different document. Only successes deduplicate; a failed
content is retried when it is dropped again (the pipeline may have been fixed since).

``sightings`` remembers files that stay in the inbox after handling (``--keep``, or a move that
failed) by a cheap stat stamp, so rescans and restarts neither re-hash nor re-log them.

Stdlib sqlite3 in WAL mode: a reader (a clerk's report, a second watcher) never blocks the writer,
and a crash leaves the database consistent. One connection, used by one thread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

LEDGER_NAME = ".ledger.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    sha256      TEXT PRIMARY KEY,
    output      TEXT,                  -- file name inside DIR; NULL while only failures are known
    status      TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    tasks       INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    stage       TEXT,
    first_path  TEXT NOT NULL,         -- where this content was first seen
    first_seen  TEXT NOT NULL,         -- ISO 8601
    updated     TEXT NOT NULL          -- ISO 8601, last outcome
);
CREATE INDEX IF NOT EXISTS documents_output ON documents (output);
CREATE TABLE IF NOT EXISTS sightings (
    path    TEXT PRIMARY KEY,
    stamp   TEXT NOT NULL,             -- size:mtime_ns:ctime_ns:inode when it was handled
    sha256  TEXT
);
"""


@dataclass(frozen=True, slots=True)
class Entry:
    """One known content and its last outcome."""

    sha256: str
    output: str | None
    status: str
    tasks: int
    error: str | None
    stage: str | None
    first_path: str
    first_seen: str
    updated: str


class Ledger:
    """The content-addressed memory of one output folder."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / LEDGER_NAME
        # isolation_level=None: autocommit; each write below is one statement, hence atomic.
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # durable enough in WAL; fsync per checkpoint
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def get(self, sha256: str) -> Entry | None:
        row = self._db.execute(
            "SELECT sha256, output, status, tasks, error, stage, first_path, first_seen, updated"
            " FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return Entry(*row) if row else None

    def owner_of(self, output: str) -> str | None:
        """The content sha256 whose record is stored under ``output``, if any."""
        row = self._db.execute("SELECT sha256 FROM documents WHERE output = ? LIMIT 1", (output,)).fetchone()
        return row[0] if row else None

    def record(self, sha256: str, *, status: str, path: str, when: str, output: str | None = None,
               tasks: int = 0, error: str | None = None, stage: str | None = None) -> None:
        """Store the latest outcome for a content; the first sighting (path, time) is kept."""
        self._db.execute(
            "INSERT INTO documents (sha256, output, status, tasks, error, stage, first_path, first_seen, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (sha256) DO UPDATE SET output = COALESCE(excluded.output, documents.output),"
            " status = excluded.status, tasks = excluded.tasks, error = excluded.error,"
            " stage = excluded.stage, updated = excluded.updated",
            (sha256, output, status, tasks, error, stage, path, when, when))

    def seen(self, path: str, stamp: str) -> bool:
        """True when ``path`` was handled before and has not changed since (same stamp)."""
        row = self._db.execute("SELECT stamp FROM sightings WHERE path = ?", (path,)).fetchone()
        return row is not None and row[0] == stamp

    def remember(self, path: str, stamp: str, sha256: str | None) -> None:
        self._db.execute("INSERT OR REPLACE INTO sightings (path, stamp, sha256) VALUES (?, ?, ?)", (path, stamp, sha256))

    def forget(self, path: str) -> None:
        self._db.execute("DELETE FROM sightings WHERE path = ?", (path,))
