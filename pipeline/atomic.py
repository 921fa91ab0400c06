"""The project's one way to write a file or a folder so that it appears whole or not at all.

A temporary file (or folder) is made beside the target and renamed over it when complete. The
result gets the permissions a plain `open()` would give under the process's umask (an existing
file keeps its own mode); a symlink is followed, so the link's target is replaced, not the link;
a target that is not a regular file (a device such as /dev/null, a FIFO) is written to directly,
since renaming over it would destroy it.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(target: Path, default: int) -> int:
    """The mode the finished file should have: the existing target's, else `default` less the
    umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return default & ~_umask()


def resolve(path: str | Path) -> Path:
    """`path` with symlinks followed (the file a rename must replace), missing parts allowed."""
    return Path(os.path.realpath(path))


def is_special(path: Path) -> bool:
    """True for an existing target that is not a regular file or folder (device, FIFO, socket)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextmanager
def atomic_file(out: str | Path, mode: str = "w", **open_args: Any) -> Iterator[IO[Any]]:
    """A handle on a temporary file beside `out`, renamed to `out` when the block ends cleanly.

    On any exception (interruption included) the temporary file is removed and `out` keeps its
    previous content. `mode` is "w" (text; `encoding` defaults to UTF-8 and `newline` to "\\n")
    or "wb".

    Raises:
        OSError: the folder cannot be written (read-only, full disk...); `out` is untouched.
    """
    target = resolve(out)
    if "b" not in mode:
        open_args.setdefault("encoding", "utf-8")
        open_args.setdefault("newline", "\n")
    if is_special(target):
        with open(target, mode, **open_args) as handle:
            yield handle
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    final_mode = _mode_for(target, 0o666)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, **open_args) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, final_mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(out: str | Path, *, merge: bool = False) -> Iterator[Path]:
    """A temporary folder beside `out` to fill; it becomes `out` when the block ends cleanly.

    Without `merge`, an existing `out` is replaced whole (it is moved aside, then removed once
    the new folder is in place). With `merge`, each file of the new folder is renamed into an
    existing `out` and other files there are left alone. On any exception the temporary folder
    is removed and `out` is untouched.

    Raises:
        OSError: the parent folder cannot be written; `out` is untouched.
    """
    target = resolve(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    final_mode = _mode_for(target, 0o777)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        for path in tmp.rglob("*"):
            if path.is_file():
                os.chmod(path, 0o666 & ~_umask())
        os.chmod(tmp, final_mode)
        if merge and target.is_dir():
            for path in sorted(tmp.iterdir()):
                os.replace(path, target / path.name)
            tmp.rmdir()
        elif target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old",
                                        dir=target.parent))
            os.replace(target, old / target.name)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
