"""What a read saw: counts, rejected records with their file and line, notices."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rejection:
    """A record that could not be read, with where and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class ReadStats:
    """What a read saw. Invariant: `found == read + len(rejected)`; files that could not be
    read at all are in `failed_files`."""

    found: int = 0
    read: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    failed_files: list[Rejection] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
