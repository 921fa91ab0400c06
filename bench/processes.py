"""Stopping a child process politely, then firmly: the one home of the terminate / wait / kill
sequence used by the benchmarks and the tests that start servers or clusters."""

from __future__ import annotations

import subprocess


def stop_process(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """SIGTERM `process`, give it `grace` seconds to exit, then SIGKILL it; always reaped."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
