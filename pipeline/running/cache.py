"""Result cache: embedded SQLite of JSON payloads keyed by fiche id, stage and fingerprint.

A cache file is untrusted data: each payload carries the sha256 of its text, checked before the
payload is used (a bad one is recomputed and counted); a file SQLite finds damaged is set aside
under another name and a fresh cache is started, so the run finishes either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

SCHEMA_VERSION = 2  # 2: payloads carry a checksum
SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    fiche_id TEXT NOT NULL,
    part TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    payload TEXT NOT NULL,
    checksum TEXT NOT NULL,
    PRIMARY KEY (fiche_id, part, fingerprint)
) WITHOUT ROWID;
"""
_LOOKUP_BATCH = 500  # ids per SELECT, under SQLite's bound-parameter limit
# SQLite primary result codes that mean the file itself is damaged or is not a database.
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_NAMED_BAD_PAYLOADS = 10  # altered payloads named one by one in the notices; the rest counted


class CacheError(Exception):
    """The cache location cannot be used (cannot be created, read-only, full disk)."""


def checksum(payload: str) -> str:
    """The sha256 (hex) of a payload's text, stored beside it."""
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _damaged(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _DAMAGED
    return "malformed" in str(exc) or "not a database" in str(exc)


class ResultCache:
    """Stores what a stage computed for a fiche's content under the stage's fingerprint.

    A fingerprint names everything the result depends on besides the fiche (code version,
    configuration, model hash), so a change to any of them misses exactly the results it
    affects. Payloads are JSON text, never pickles: a cache file is data, not code.

    `notices` collects what the cache did about damage (for the run's summary); `bad_payloads`
    counts payloads whose checksum did not match (they are recomputed).
    """

    FILE_NAME = "results.sqlite"

    def __init__(self, directory: str | Path) -> None:
        self.path = Path(directory) / self.FILE_NAME
        self.notices: list[str] = []
        self.bad_payloads = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(f"{self.path.parent}: cannot create the cache folder: "
                             f"{exc.strerror or exc}") from None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if not (_damaged(exc) and self.path.exists()):
                raise CacheError(f"{self.path}: cannot use as a cache: {exc}") from None
            self._db = self._start_afresh(exc)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            # Reads every page once: a damaged file is found now, not halfway through the run.
            problem = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if problem != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed: {problem}")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'results'").fetchone():
                    self.notices.append(f"cache {self.path} was made by an older version "
                                        "(no checksums): its results are recomputed")
                db.execute("DROP TABLE IF EXISTS results")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.executescript(SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _start_afresh(self, exc: sqlite3.Error) -> sqlite3.Connection:
        """Move the damaged file (and its journal) aside and open a new, empty cache.

        Raises:
            CacheError: the damaged file cannot be moved, or the new cache cannot be made.
        """
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            db = self._open()
        except (OSError, sqlite3.Error) as again:
            raise CacheError(f"{self.path}: damaged ({exc}) and cannot be replaced: "
                             f"{again}") from None
        self.notices.append(f"cache {self.path} is damaged ({exc}): moved to {aside}; a fresh "
                            "cache was started")
        return db

    def _recover(self, exc: sqlite3.Error) -> None:
        """After a query failed: start afresh if the file is damaged, else give up with a
        CacheError (disk full, read-only...)."""
        if not _damaged(exc):
            raise CacheError(f"{self.path}: cannot use as a cache: {exc}") from None
        self._db.close()
        self._db = self._start_afresh(exc)

    def get_many(self, ids: Iterable[str], part: str, fingerprint: str) -> dict[str, str]:
        """Payloads found for `ids` under `part` and `fingerprint`, by fiche id; a payload whose
        checksum does not match is left out (and counted in `bad_payloads`).

        Raises:
            CacheError: the cache can no longer be read (a damaged file is replaced instead).
        """
        wanted = list(dict.fromkeys(ids))
        try:
            rows = self._select(wanted, part, fingerprint)
        except sqlite3.Error as exc:
            self._recover(exc)
            return {}
        found: dict[str, str] = {}
        for fiche_id, payload, stored in rows:
            if isinstance(payload, str) and checksum(payload) == stored:
                found[fiche_id] = payload
            else:
                self.bad_payloads += 1
                if self.bad_payloads <= _NAMED_BAD_PAYLOADS:
                    self.notices.append(f"cache {self.path}: the {part} result of fiche "
                                        f"{fiche_id} was altered (checksum mismatch): "
                                        "recomputed")
        return found

    def _select(self, wanted: list[str], part: str, fingerprint: str) -> list[tuple[str, ...]]:
        rows: list[tuple[str, ...]] = []
        for i in range(0, len(wanted), _LOOKUP_BATCH):
            batch = wanted[i:i + _LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            rows += self._db.execute(
                f"SELECT fiche_id, payload, checksum FROM results WHERE part = ? AND "
                f"fingerprint = ? AND fiche_id IN ({marks})", [part, fingerprint, *batch])
        return rows

    def put_many(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """Store `(fiche_id, part, fingerprint, payload)` rows in one committed transaction.

        Raises:
            CacheError: the cache cannot be written (full disk, read-only); a damaged file is
                replaced and the rows written to the fresh one.
        """
        signed = [(*row, checksum(row[3])) for row in rows]
        try:
            self._insert(signed)
        except sqlite3.Error as exc:
            self._recover(exc)
            try:
                self._insert(signed)
            except sqlite3.Error as again:
                raise CacheError(f"{self.path}: cannot write: {again}") from None

    def _insert(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        self._db.execute("BEGIN")
        try:
            self._db.executemany(
                "INSERT OR REPLACE INTO results (fiche_id, part, fingerprint, payload, checksum) "
                "VALUES (?, ?, ?, ?, ?)", rows)
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            raise

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
