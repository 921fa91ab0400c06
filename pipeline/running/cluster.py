"""The cluster engine: the same stages on a Dask cluster, results committed to the driver's cache.

The driver reads the fiches, looks them up in its cache and sends only the missing ones, in
batches of plain dicts, to the cluster. Each worker process holds one `stages.Worker` (spaCy
pipeline and tagger loaded once) in a worker plugin and returns plain dicts of JSON text. The
driver's `batch.Runner` commits the results chunk by chunk and writes the records in input order,
so the output is byte-identical to a local run and a killed run resumes from the cache.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import asdict
from typing import Any

from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin, get_worker
from distributed.comm import parse_address, parse_host_port

from pipeline.records import Fiche, RecordError
from pipeline.running.batch import EngineError, Runner, RunSummary
from pipeline.running.cache import ResultCache
from pipeline.running.stages import (
    Outcome,
    Settings,
    Worker,
    extraction_fingerprint,
    suggestion_fingerprint,
)

Fingerprints = tuple[str, str]
Row = tuple[dict[str, Any], bool, bool]


class WorkerLost(BrokenProcessPool):
    """A batch's worker died more often than the scheduler allows (`allowed-failures`)."""


class EnrichPlugin(WorkerPlugin):
    """Holds one `stages.Worker` per worker process, built when the plugin is registered (or when
    a worker joins), after checking that the worker runs the driver's code, config and model.

    Each run registers its own (its `name` is unique) and removes it at the end, so runs with
    other settings can share a cluster; the spaCy pipeline itself is kept by the worker process
    (`stages.shared_nlp`), so a second run on a standing cluster does not load it again.
    """

    def __init__(self, settings: Settings, fingerprints: Fingerprints) -> None:
        self.name = f"fiches-enrich-{uuid.uuid4().hex[:12]}"
        self.settings = settings
        self.fingerprints = fingerprints
        self.worker: Worker | None = None
        self.problem: str | None = None

    async def setup(self, worker: Any) -> None:
        # Loading spaCy takes seconds: off the worker's event loop, which must keep answering.
        await asyncio.get_running_loop().run_in_executor(None, self._load)

    def _load(self) -> None:
        try:
            found = (extraction_fingerprint(self.settings.config_dir),
                     suggestion_fingerprint(self.settings))
        except OSError as exc:
            self.problem = f"cannot read the config or model: {exc}"
            return
        if found != self.fingerprints:
            self.problem = (f"runs other code, config or model than the driver (fingerprints "
                            f"{'/'.join(found)}, driver {'/'.join(self.fingerprints)})")
            return
        try:
            worker = Worker(self.settings)
            worker.nlp, worker.suggester  # noqa: B018  (load both now, once)
        except Exception as exc:  # noqa: BLE001  (reported with every batch sent here)
            self.problem = f"cannot load the pipeline: {type(exc).__name__}: {exc}"
            return
        self.worker = worker

    def ready(self, fingerprints: Fingerprints) -> Worker:
        """The loaded worker, if it was built for these fingerprints.

        Raises:
            EngineError: it was not, or it could not be built.
        """
        if fingerprints != self.fingerprints:
            raise EngineError("the worker's plugin belongs to another run's settings")
        if self.worker is None:
            raise EngineError(self.problem or "the worker's pipeline is not loaded")
        return self.worker


def enrich_batch(rows: list[Row], plugin_name: str,
                 fingerprints: Fingerprints) -> list[dict[str, str | None]]:
    """Run on a worker: the stages each fiche needs, as plain dicts of JSON text.

    Raises:
        EngineError: the worker has no usable pipeline for this run (message names the worker).
    """
    dask_worker = get_worker()
    plugin = dask_worker.plugins.get(plugin_name)
    try:
        if not isinstance(plugin, EnrichPlugin):
            raise EngineError("the fiches plugin is not registered")
        worker = plugin.ready(fingerprints)
    except EngineError as exc:
        raise EngineError(f"worker {dask_worker.address}: {exc}") from None
    try:
        task = [(Fiche.from_dict(record), extract, suggest) for record, extract, suggest in rows]
    except RecordError as exc:  # sent whole by the driver: altered on the way
        raise EngineError(f"worker {dask_worker.address}: a batch arrived altered: {exc}") from None
    return [asdict(outcome) for outcome in worker.process(task)]


class ClusterRunner(Runner):
    """`batch.Runner` whose batches run on a Dask cluster instead of local processes."""

    def __init__(self, client: Client, plugin: EnrichPlugin, cache: ResultCache | None,
                 summary: RunSummary, advance: Callable[[int], None]) -> None:
        threads = sum(client.nthreads().values())
        super().__init__(plugin.settings, cache, threads, summary, advance)
        summary.workers = threads
        self.client = client
        self.plugin_name = plugin.name
        self.fingerprints = plugin.fingerprints
        self._remote: set[Any] = set()
        self._guard = threading.Lock()

    def _submit(self, task: list[tuple[Fiche, bool, bool]]) -> Future[list[Outcome]]:
        rows = [(fiche.to_dict(), extract, suggest) for fiche, extract, suggest in task]
        remote = self.client.submit(enrich_batch, rows, self.plugin_name, self.fingerprints,
                                    pure=False)
        local: Future[list[Outcome]] = Future()
        with self._guard:
            self._remote.add(remote)  # a dask future dropped is a task cancelled

        def settle(done: Any) -> None:
            with self._guard:
                self._remote.discard(done)
            try:
                local.set_result([Outcome(**outcome) for outcome in done.result()])
            except KilledWorker as exc:
                local.set_exception(WorkerLost(f"a batch's workers died too often: {exc}"))
            except CancelledError as exc:
                local.set_exception(WorkerLost(f"a batch was cancelled by the cluster ({exc})"))
            except EngineError as exc:
                local.set_exception(exc)
            except Exception as exc:  # noqa: BLE001  (the cluster's own failure: rerun)
                local.set_exception(WorkerLost(f"the cluster failed a batch: "
                                               f"{type(exc).__name__}: {_one_line(exc)}"))

        remote.add_done_callback(settle)
        return local

    def close(self) -> None:
        with self._guard:
            remote, self._remote = list(self._remote), set()
        if remote:
            self.client.cancel(remote)


@contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a local cluster of `workers` processes
    bound to 127.0.0.1 (stopped on exit).

    Raises:
        EngineError: the scheduler cannot be reached or the local cluster cannot start.
    """
    if scheduler is not None:
        _check_address(scheduler)
        try:
            client = Client(scheduler, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(f"cannot reach the dask scheduler at {scheduler}: "
                              f"{_one_line(exc)}") from None
        with client:
            yield client
        return
    try:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0",
                               silence_logs=logging.ERROR)
    except (OSError, TimeoutError, RuntimeError) as exc:
        raise EngineError(f"cannot start a local dask cluster: {_one_line(exc)}") from None
    with cluster, Client(cluster, set_as_default=False) as client:
        yield client


def _check_address(scheduler: str) -> None:
    """Refuse what is not a `tcp://HOST:PORT` (or `tls://`, or `HOST:PORT`) address before
    connecting: a malformed one would only fail after the connection timeout."""
    try:
        scheme, location = parse_address(scheduler)
        if scheme not in ("tcp", "tls"):
            raise ValueError(f"unsupported protocol {scheme!r}")
        parse_host_port(location)
    except ValueError as exc:
        raise EngineError(f"--scheduler {scheduler!r} is not an address like "
                          f"tcp://HOST:8786 ({_one_line(exc)})") from None


@contextmanager
def cluster_runner(scheduler: str | None, settings: Settings, cache: ResultCache | None,
                   workers: int, summary: RunSummary,
                   advance: Callable[[int], None]) -> Iterator[Runner]:
    """A runner on the cluster at `scheduler` (or a local one of `workers` processes), its
    workers' pipelines loaded; everything it started is stopped on exit.

    Raises:
        EngineError: the cluster cannot be reached, has no worker, or its workers cannot run
            the driver's code, config and model.
    """
    with connect(scheduler, workers) as client:
        plugin = EnrichPlugin(settings, (summary.extraction_fingerprint,
                                         summary.suggestion_fingerprint))
        try:
            _install(client, plugin)
            runner = ClusterRunner(client, plugin, cache, summary, advance)
            try:
                yield runner
            finally:
                runner.close()
        finally:
            _uninstall(client, plugin.name)


def _install(client: Client, plugin: EnrichPlugin) -> None:
    """Register the plugin on every worker and check that each one loaded its pipeline."""
    if not client.nthreads():
        raise EngineError(f"the dask cluster at {client.scheduler_info()['address']} has no "
                          "worker")
    client.register_plugin(plugin, name=plugin.name)
    problems = client.run(_plugin_problem, plugin.name)
    for address, problem in sorted(problems.items()):
        if problem:
            raise EngineError(f"worker {address}: {problem}")


def _uninstall(client: Client, name: str) -> None:
    """Remove the run's plugin from the workers (a cluster already gone has nothing to remove)."""
    with suppress(Exception):
        client.unregister_worker_plugin(name)


def _plugin_problem(name: str, dask_worker: Any) -> str | None:
    plugin = dask_worker.plugins.get(name)
    if not isinstance(plugin, EnrichPlugin):
        return "the fiches plugin is not registered"
    return None if plugin.worker is not None else (plugin.problem or "pipeline not loaded")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."
