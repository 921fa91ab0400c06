"""Makes the processes of a parallel run die with it, even when it is killed with SIGKILL.

The workers are forked by multiprocessing's fork server, and each worker keeps the fork server
alive (it holds the server's "alive" pipe), which keeps the resource tracker alive: after a
SIGKILL of the run, nothing would ever tell them to stop. So the fork server asks the kernel to
kill it when the run dies (`PR_SET_PDEATHSIG`), each worker does the same right after it is
forked (and again in its initializer), and the resource tracker ends when the last of them has
closed its pipe.

This module is the fork server's preload: imported there, it applies the request at once. It
does so only in a direct child of the process named by `PARENT_ENV`, so importing it anywhere
else does nothing.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.forkserver
import os
import signal

PR_SET_PDEATHSIG = 1  # prctl(2) option: the signal the kernel sends when the parent dies
PARENT_ENV = "FICHES_FORKSERVER_PARENT"


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux); exit at once if the
    parent (`parent`, by default the current one) is already gone. Elsewhere, do nothing."""
    parent = parent or os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def start_forkserver() -> multiprocessing.context.BaseContext:
    """The forkserver context, its server started from this process with this module preloaded
    (a server already running is kept)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    os.environ[PARENT_ENV] = str(os.getpid())
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        del os.environ[PARENT_ENV]
    return context


def _in_fork_server() -> None:
    """Die with the run; and have every process forked here (the workers) die with this server
    from their first instruction on, before they run any of our code."""
    die_with_parent()
    server = os.getpid()
    os.register_at_fork(after_in_child=lambda: die_with_parent(server))


if os.environ.get(PARENT_ENV) == str(os.getppid()):
    _in_fork_server()
