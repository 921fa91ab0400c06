"""Writes JSONL and JSON atomically: a temporary file beside the target, renamed when complete."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO


def dumps(record: dict[str, Any]) -> str:
    """One record as one JSON line (UTF-8 kept readable, key order kept)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


@contextmanager
def atomic_open(out: str | Path) -> Iterator[TextIO]:
    """A text handle on a temporary file in `out`'s folder, renamed to `out` on success.

    On any exception (interruption included) the temporary file is removed and `out` keeps its
    previous content.
    """
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    with atomic_open(out) as handle:
        for line in lines:
            handle.write(line + "\n")
            count += 1
    return count


def write_json(data: Any, out: str | Path) -> None:
    """Write one JSON document atomically."""
    with atomic_open(out) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
