"""Result cache: embedded SQLite of JSON payloads keyed by fiche id, stage and fingerprint."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    fiche_id TEXT NOT NULL,
    part TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (fiche_id, part, fingerprint)
) WITHOUT ROWID;
"""
_LOOKUP_BATCH = 500  # ids per SELECT, under SQLite's bound-parameter limit


class CacheError(Exception):
    """The cache file cannot be opened or is not a cache."""


class ResultCache:
    """Stores what a stage computed for a fiche's content under the stage's fingerprint.

    A fingerprint names everything the result depends on besides the fiche (code version,
    configuration, model hash), so a change to any of them misses exactly the results it
    affects. Payloads are JSON text, never pickles: a cache file is data, not code.
    """

    FILE_NAME = "results.sqlite"

    def __init__(self, directory: str | Path) -> None:
        self.path = Path(directory) / self.FILE_NAME
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise CacheError(f"{self.path}: cannot use as a cache: {exc}") from None

    def get_many(self, ids: Iterable[str], part: str, fingerprint: str) -> dict[str, str]:
        """Payloads found for `ids` under `part` and `fingerprint`, by fiche id."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        for i in range(0, len(wanted), _LOOKUP_BATCH):
            batch = wanted[i:i + _LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT fiche_id, payload FROM results WHERE part = ? AND fingerprint = ? "
                f"AND fiche_id IN ({marks})", [part, fingerprint, *batch])
            found.update(rows.fetchall())
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """Store `(fiche_id, part, fingerprint, payload)` rows in one committed transaction."""
        self._db.execute("BEGIN")
        try:
            self._db.executemany(
                "INSERT OR REPLACE INTO results (fiche_id, part, fingerprint, payload) "
                "VALUES (?, ?, ?, ?)", rows)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def count(self, part: str | None = None) -> int:
        """How many results are stored (for one part, or all)."""
        if part is None:
            return int(self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
        return int(self._db.execute("SELECT COUNT(*) FROM results WHERE part = ?",
                                    [part]).fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
