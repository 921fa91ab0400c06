"""The dask engine on a local cluster: same bytes as the local engine, resume after the driver is
killed, a worker killed mid-run, and a clear error when the scheduler cannot be reached."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from bench.catalogue import SAMPLE, build_catalogue
from pipeline.running.batch import EngineError, RunSummary, run
from pipeline.running.cache import ResultCache
from pipeline.running.cluster import EnrichPlugin
from pipeline.running.stages import Settings

pytestmark = pytest.mark.slow

N = 96  # three chunks of 32 on two workers: the third runs after the first is committed
FICHES = [sys.executable, "-m", "pipeline", "enrich", "--quiet"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """Two worker processes (a nanny each, which restarts a killed worker), on 127.0.0.1 only;
    closed, workers and all, whatever the tests do."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster: LocalCluster) -> Iterator[Client]:
    """The tests' own view of the cluster (to find and kill workers)."""
    with Client(cluster, set_as_default=False) as view:
        yield view


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cluster") / "catalogue.txt"
    path.write_text(build_catalogue(N), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(catalogue: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The local engine's output for the catalogue (in this process, one worker)."""
    out = tmp_path_factory.mktemp("reference") / "local.jsonl"
    summary = run([str(catalogue)], str(out), Settings(), workers=1)
    assert summary.ok and summary.written == N
    return out.read_bytes()


def _rows(cache: Path) -> int:
    try:
        with sqlite3.connect(cache / ResultCache.FILE_NAME) as db:
            return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
    except sqlite3.Error:
        return 0


def _check_cache(cache: Path) -> None:
    """One extraction and one suggestion per fiche, no more."""
    with sqlite3.connect(cache / ResultCache.FILE_NAME) as db:
        parts = dict(db.execute("SELECT part, COUNT(DISTINCT fiche_id) FROM results GROUP BY 1"))
        total = db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    assert parts == {"extraction": N, "suggestions": N} and total == 2 * N


def test_cluster_output_is_byte_identical_and_cached_fiches_are_not_sent(
        cluster, client, catalogue, reference, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dask.jsonl"
    first = run([str(catalogue)], str(out), Settings(), cache_dir=str(cache), engine="dask",
                scheduler=cluster.scheduler_address)
    assert (first.written, first.enriched, first.workers) == (N, N, 2) and first.ok
    assert out.read_bytes() == reference
    _check_cache(cache)

    before = _processed(client)
    again = run([str(catalogue)], str(out), Settings(), cache_dir=str(cache), engine="dask",
                scheduler=cluster.scheduler_address)
    assert (again.enriched, again.reused) == (0, N)
    assert _processed(client) == before  # nothing went to the cluster
    assert out.read_bytes() == reference


def _processed(client: Client) -> int:
    """Tasks the workers have run so far."""
    counts = client.run(lambda dask_worker: len(dask_worker.state.log))
    return sum(counts.values())


def test_without_scheduler_a_local_cluster_is_started_and_stopped(tmp_path):
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert run([str(SAMPLE)], str(local), Settings(), workers=1).ok
    done = subprocess.run([*FICHES, str(SAMPLE), "-o", str(dask), "--engine", "dask",
                           "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert dask.read_bytes() == local.read_bytes()
    assert done.stderr.strip().count("\n") == 0 and "fiches read: 25" in done.stderr


def test_driver_killed_mid_run_resumes_to_the_same_bytes(cluster, catalogue, reference, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dask.jsonl"
    command = [*FICHES, str(catalogue), "-o", str(out), "--cache", str(cache), "--engine", "dask",
               "--scheduler", cluster.scheduler_address]
    driver = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while _rows(cache) == 0 and driver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert driver.poll() is None, "the run ended before it could be killed"
        driver.send_signal(signal.SIGKILL)
    finally:
        driver.kill()
        driver.wait(timeout=60)
    assert not out.exists()
    done_before = _rows(cache)
    assert 0 < done_before < 2 * N

    summary = tmp_path / "summary.json"
    resumed = subprocess.run([*command, "--summary", str(summary)], capture_output=True,
                             text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    facts = json.loads(summary.read_text(encoding="utf-8"))
    assert facts["reused"] == done_before // 2 and facts["enriched"] == N - done_before // 2
    assert out.read_bytes() == reference
    _check_cache(cache)


def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    for address in (f"tcp://127.0.0.1:{port}", "no-port-here"):
        done = subprocess.run([*FICHES, str(SAMPLE), "-o", str(tmp_path / "o.jsonl"),
                               "--engine", "dask", "--scheduler", address],
                              capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and address in lines[0], lines
    assert not (tmp_path / "o.jsonl").exists()


def test_engine_mistakes_are_refused(tmp_path):
    out = str(tmp_path / "o.jsonl")
    with pytest.raises(EngineError, match="unknown engine"):
        run([str(SAMPLE)], out, Settings(model=None), engine="spark")
    with pytest.raises(EngineError, match="needs --engine dask"):
        run([str(SAMPLE)], out, Settings(model=None), scheduler="tcp://127.0.0.1:8786")


def test_a_worker_with_other_code_config_or_model_refuses_batches(tmp_path):
    settings = Settings(model=None)
    plugin = EnrichPlugin(settings, ("driver-extraction", "driver-suggestions"))
    plugin._load()  # what `setup` runs on a worker: its fingerprints differ from the driver's
    with pytest.raises(EngineError, match="other code, config or model than the driver"):
        plugin.ready(("driver-extraction", "driver-suggestions"))
    with pytest.raises(EngineError, match="another run"):
        plugin.ready(("other", "run"))
    missing = EnrichPlugin(Settings(config_dir=tmp_path / "nowhere", model=None), ("a", "b"))
    missing._load()
    with pytest.raises(EngineError, match="other code|cannot read"):
        missing.ready(("a", "b"))


def test_a_worker_killed_mid_run_has_its_batch_retried(cluster, client, catalogue, reference,
                                                       tmp_path):
    """Runs last: it leaves the cluster with a restarted worker."""
    cache, out = tmp_path / "cache", tmp_path / "dask.jsonl"
    result: dict[str, RunSummary | BaseException] = {}

    def drive() -> None:
        try:
            result["summary"] = run([str(catalogue)], str(out), Settings(), cache_dir=str(cache),
                                    engine="dask", scheduler=cluster.scheduler_address)
        except BaseException as exc:  # noqa: BLE001  (re-raised by the test below)
            result["error"] = exc

    driver = threading.Thread(target=drive, daemon=True)
    driver.start()
    victim = _kill_a_busy_worker(client, driver)
    driver.join(timeout=300)
    assert not driver.is_alive() and "error" not in result, result
    summary = result["summary"]
    assert isinstance(summary, RunSummary) and summary.ok
    assert (summary.written, summary.enriched) == (N, N)
    assert out.read_bytes() == reference
    _check_cache(cache)
    assert victim not in client.run(os.getpid).values()  # the nanny started a new process


def _kill_a_busy_worker(client: Client, driver: threading.Thread) -> int:
    """SIGKILL the process of a worker that is running a batch; return its pid."""
    deadline = time.monotonic() + 240
    while driver.is_alive() and time.monotonic() < deadline:
        busy = [address for address, keys in client.processing().items()
                if any(str(key).startswith("enrich_batch") for key in keys)]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            return pid
        time.sleep(0.05)
    pytest.fail("no worker was seen running a batch")
