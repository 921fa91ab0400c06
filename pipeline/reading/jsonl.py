"""Reads JSONL records back into `Fiche` records, rejecting each bad line with its reason."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from pipeline.reading.stats import ReadStats, Rejection
from pipeline.records import Fiche, RecordError

# A JSONL record longer than this is refused (a record of the catalogue is a few KB).
_MAX_JSONL_LINE = 10_000_000


def read_jsonl(lines: Iterable[str], name: str, stats: ReadStats,
                issues: dict[int, str]) -> Iterator[Fiche]:
    """Records of a JSONL input; a record whose content repeats an earlier one of the same input
    gets that one's ordinal as `duplicate_of` (unless it already names one)."""
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        stats.found += 1
        try:
            fiche = _jsonl_record(line, issues.get(number))
        except RecordError as exc:
            stats.rejected.append(Rejection(name, number, str(exc)))
            continue
        if fiche.id in seen and fiche.duplicate_of is None:
            fiche.duplicate_of = seen[fiche.id]
        seen.setdefault(fiche.id, fiche.source.ordinal)
        if fiche.duplicate_of is not None:
            stats.duplicates += 1
        stats.read += 1
        yield fiche


def _jsonl_record(line: str, issue: str | None) -> Fiche:
    """The fiche of one JSONL line.

    Raises:
        RecordError: the line did not decode, is not JSON (or too deep, or holds a number too
            long to convert), or is not a fiche record; the message says which.
    """
    if issue:
        raise RecordError(issue.split(": ", 1)[-1])
    if len(line) > _MAX_JSONL_LINE:
        raise RecordError(f"a record of {len(line)} characters, over the limit of "
                          f"{_MAX_JSONL_LINE}")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"not JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise RecordError("not JSON that can be read: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise RecordError(f"not JSON that can be read: {str(exc)[:80]}") from None
    try:
        return Fiche.from_dict(data)
    except RecordError as exc:
        raise RecordError(f"not a fiche record: {exc}") from None
