"""Writes JSONL atomically: a temporary file beside the target, renamed when complete."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def dumps(record: dict[str, Any]) -> str:
    """One record as one JSON line (UTF-8 kept readable, key order kept)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def write_jsonl(records: Iterable[dict[str, Any]], out: str | Path) -> int:
    """Write records to `out` (`-` is stdout) and return how many were written.

    A file is written to a temporary name in the same folder and renamed at the end, so an
    interrupted run leaves any previous output intact.
    """
    if str(out) == "-":
        count = 0
        for record in records:
            sys.stdout.write(dumps(record) + "\n")
            count += 1
        sys.stdout.flush()
        return count
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        count = 0
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for record in records:
                handle.write(dumps(record) + "\n")
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
