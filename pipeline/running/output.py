"""Writes JSONL and JSON records, atomically for a file (see `pipeline.atomic`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.atomic import atomic_file


def dumps(record: dict[str, Any]) -> str:
    """One record as one JSON line (UTF-8 kept readable, key order kept)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def write_jsonl(records: Iterable[dict[str, Any]], out: str | Path) -> int:
    """Write records to `out` (`-` is stdout), atomically for a file; return how many."""
    return write_lines((dumps(record) for record in records), out)


def write_lines(lines: Iterable[str], out: str | Path) -> int:
    """Write JSON lines (without their line end) to `out` (`-` is stdout), atomically for a
    file; return how many."""
    count = 0
    if str(out) == "-":
        for line in lines:
            sys.stdout.write(line + "\n")
            count += 1
        sys.stdout.flush()
        return count
    with atomic_file(out) as handle:
        for line in lines:
            handle.write(line + "\n")
            count += 1
    return count


def write_json(data: Any, out: str | Path) -> None:
    """Write one JSON document atomically."""
    with atomic_file(out) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
