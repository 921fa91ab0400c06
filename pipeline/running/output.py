"""Writes JSONL and JSON records, atomically for a file (see `pipeline.atomic`), under a lock.

A run never leaves a damaged output: a write that fails (read-only folder, full disk) leaves the
previous file as it was, and so does a run that wrote nothing because every input failed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.atomic import atomic_file, is_special, resolve


class LockError(Exception):
    """Another run holds the cache or the output."""


class OutputError(Exception):
    """The output cannot be written there (read-only, full disk...); the message names it."""


class OutputKept(Exception):
    """The run wrote nothing successfully, so the previous output was kept; says so."""


class _UpstreamError(Exception):
    """An OSError raised while producing the lines (reading input), not while writing them."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def dumps(record: dict[str, Any]) -> str:
    """One record as one JSON line (UTF-8 kept readable, key order kept)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


@contextmanager
def lock(path: Path, what: str) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` (released even if the process is killed).

    Raises:
        LockError: another process holds it.
        OSError: the lock file cannot be created (read-only folder...).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115  (closed below)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockError(f"{what} is in use by another run (pid {holder}, lock {path}); "
                            "wait for it to finish") from None
        with contextlib.suppress(OSError):  # the pid only informs; a full disk cannot take it
            os.ftruncate(handle.fileno(), 0)
            os.pwrite(handle.fileno(), str(os.getpid()).encode(), 0)
        yield
    finally:
        handle.close()


@contextmanager
def output_lock(output: str | Path) -> Iterator[None]:
    """Hold the lock of an output file for a run and clear what a killed run left there.

    The lock sits beside the file a rename would replace (symlinks followed), so two runs
    naming one file by different paths still exclude each other; stdout and a device or FIFO
    need none.

    Raises:
        LockError: another run writes the same output.
        OutputError: the output's folder cannot be written.
    """
    target = resolve(output)
    if str(output) == "-" or is_special(target):
        yield
        return
    try:
        with lock(target.parent / f".{target.name}.lock", f"output {output}"):
            for stale in target.parent.glob(f".{target.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            yield
    except OSError as exc:
        raise OutputError(f"{output}: cannot write there: {exc.strerror or exc}; " + (
            "the previous file is kept" if target.exists() else "nothing written")) from None


def write_jsonl(records: Iterable[dict[str, Any]], out: str | Path,
                keep_previous_if: Callable[[int], bool] | None = None) -> int:
    """Write records to `out` (`-` is stdout), atomically for a file; return how many."""
    return write_lines((dumps(record) for record in records), out, keep_previous_if)


def write_lines(lines: Iterable[str], out: str | Path,
                keep_previous_if: Callable[[int], bool] | None = None) -> int:
    """Write JSON lines (without their line end) to `out` (`-` is stdout), atomically for a
    file; return how many.

    Args:
        keep_previous_if: called with the number of lines once all are written; when it says
            True (nothing was written successfully), the new file is discarded.

    Raises:
        OutputKept: `keep_previous_if` said so; `out` is as it was.
        OutputError: `out` cannot be written (read-only, full disk); `out` is as it was.
    """
    count = 0
    if str(out) == "-":
        for line in lines:
            sys.stdout.write(line + "\n")
            count += 1
        sys.stdout.flush()
        return count
    existed = resolve(out).exists()
    try:
        with atomic_file(out) as handle:
            for line in _shielded(lines):
                handle.write(line + "\n")
                count += 1
            if keep_previous_if is not None and keep_previous_if(count):
                raise OutputKept(f"{out}: no record written successfully: " + (
                    "the previous file is kept" if existed else "no file written"))
    except _UpstreamError as wrapped:
        raise wrapped.error from None
    except OSError as exc:
        raise OutputError(f"{out}: cannot write: {exc.strerror or exc}; " + (
            "the previous file is kept" if existed else "nothing written")) from None
    return count


def _shielded(lines: Iterable[str]) -> Iterator[str]:
    """`lines`, with an OSError raised while producing them told apart from a write error."""
    try:
        yield from lines
    except OSError as exc:
        raise _UpstreamError(exc) from exc


def write_json(data: Any, out: str | Path) -> None:
    """Write one JSON document atomically.

    Raises:
        OutputError: `out` cannot be written; it is as it was.
    """
    try:
        with atomic_file(out) as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
    except OSError as exc:
        raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from None
