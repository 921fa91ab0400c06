"""Staff decisions on suggestions (accepted / rejected), kept in an embedded SQLite file.

The command line (`fiches feedback add`), the service (`POST /v1/feedback`) and training
(`fiches train --feedback DB`) all go through `FeedbackStore`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TextIO, get_args

Kind = Literal["keyword", "dimension"]
Verdict = Literal["accepted", "rejected"]
KINDS: tuple[str, ...] = get_args(Kind)
VERDICTS: tuple[str, ...] = get_args(Verdict)
MAX_TEXT = 200  # longest fiche id, label or name kept; longer values are refused

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    fiche_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('keyword', 'dimension')),
    label TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
    who TEXT NOT NULL,
    at TEXT NOT NULL
)
"""


class FeedbackError(Exception):
    """The feedback file cannot be used, or a decision is malformed; the message says which."""


@dataclass(frozen=True)
class Decision:
    """One staff decision on one suggested label of one fiche."""

    fiche_id: str
    kind: Kind
    label: str
    verdict: Verdict
    who: str
    at: str = ""  # ISO 8601 UTC; filled in when stored if empty

    def check(self) -> Decision:
        """This decision, with `at` set, or FeedbackError naming the bad field."""
        for name in ("fiche_id", "label", "who"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
                raise FeedbackError(f"{name}: a non-empty text of at most {MAX_TEXT} characters")
        if self.kind not in KINDS:
            raise FeedbackError(f"kind: one of {', '.join(KINDS)}")
        if self.verdict not in VERDICTS:
            raise FeedbackError(f"verdict: one of {', '.join(VERDICTS)}")
        at = self.at or datetime.now(UTC).isoformat(timespec="seconds")
        return Decision(self.fiche_id.strip(), self.kind, self.label.strip(), self.verdict,
                        self.who.strip(), at)

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


class FeedbackStore:
    """Append-only store of decisions; the latest decision on a (fiche, kind, label) wins."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10)
            self._db.execute(_SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackError(f"{self.path}: cannot open the feedback file: {exc}") from None

    def __enter__(self) -> FeedbackStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def add(self, decisions: Iterable[Decision]) -> int:
        """Check and store `decisions` in one transaction; the number stored."""
        rows = [d.check() for d in decisions]
        try:
            with self._db:
                self._db.executemany(
                    "INSERT INTO decisions (fiche_id, kind, label, verdict, who, at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(d.fiche_id, d.kind, d.label, d.verdict, d.who, d.at) for d in rows])
        except sqlite3.Error as exc:
            raise FeedbackError(f"{self.path}: cannot store decisions: {exc}") from None
        return len(rows)

    def __iter__(self) -> Iterator[Decision]:
        """Every decision, oldest first."""
        try:
            cursor = self._db.execute(
                "SELECT fiche_id, kind, label, verdict, who, at FROM decisions ORDER BY seq")
            for row in cursor:
                yield Decision(*row)
        except sqlite3.Error as exc:
            raise FeedbackError(f"{self.path}: cannot read decisions: {exc}") from None

    def latest(self) -> dict[tuple[str, str, str], Verdict]:
        """The verdict in force per (fiche_id, kind, label): the latest one given."""
        return {(d.fiche_id, d.kind, d.label): d.verdict for d in self}

    def export_jsonl(self, out: TextIO) -> int:
        """Write every decision as a JSON line to `out`; the number written."""
        n = 0
        for decision in self:
            out.write(json.dumps(decision.to_dict(), ensure_ascii=False) + "\n")
            n += 1
        return n
