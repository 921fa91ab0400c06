"""The service's one NLP thread: loads the models once and runs requests in small batches.

spaCy pipelines and the tagger are not made to be shared between threads, so every call into
them happens on this thread. Requests that arrive while a batch runs are grouped into the next
one (up to `MAX_BATCH`), which is what keeps latency low under concurrent load: a batch of eight
fiches costs far less than eight batches of one.
"""

from __future__ import annotations

import functools
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.records import Fiche
from pipeline.running.stages import Settings, Suggester, Worker, assemble, load_suggester

MAX_BATCH = 16
MAX_SUGGESTERS = 4  # tagger copies kept for threshold / limit overrides (each loads a model)
ENRICH = "enrich"
Key = tuple[str, float | None, int | None]  # (what, threshold, limit)


class NoModel(Exception):
    """Suggestions are asked for but the service runs without a tagger model."""


@dataclass
class _Job:
    key: Key
    fiche: Fiche
    future: Future[dict[str, Any]] = field(default_factory=Future)


class Engine:
    """Owns the Worker (spaCy pipeline and tagger) and the thread that uses it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.worker = Worker(settings)
        self._suggesters: OrderedDict[tuple[float | None, int | None], Suggester] = OrderedDict()
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    @property
    def has_model(self) -> bool:
        return self.worker.suggester is not None

    def start(self) -> None:
        """Load the spaCy pipeline and the tagger, then start the thread.

        Raises:
            ModelError: the tagger model is unusable.
            ConfigError: a config file is missing or malformed.
        """
        _ = self.worker.nlp
        _ = self.worker.suggester
        self._thread = threading.Thread(target=self._loop, name="fiches-nlp", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout=30)
            self._thread = None

    def submit(self, what: str, fiche: Fiche, threshold: float | None = None,
               limit: int | None = None) -> Future[dict[str, Any]]:
        """Queue `fiche` for `what` ("enrich" or "suggest"); the future gets the result."""
        job = _Job((what, threshold, limit), fiche)
        self._jobs.put(job)
        return job.future

    def _loop(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self._jobs.put(None)  # stop after this batch
                    break
                batch.append(job)
            groups: dict[Key, list[_Job]] = {}
            for job in batch:
                groups.setdefault(job.key, []).append(job)
            for key, jobs in groups.items():
                _settle(jobs, functools.partial(self._run, key))

    def _run(self, key: Key, fiches: list[Fiche]) -> list[dict[str, Any]]:
        what, threshold, limit = key
        if what == ENRICH:
            return enrich_many(fiches, self.worker)
        return self.suggester(threshold, limit).suggest_records(fiches)

    def suggester(self, threshold: float | None, limit: int | None) -> Suggester:
        """The tagger with these overrides (the default one when both are None).

        Raises:
            NoModel: the service has no tagger model.
        """
        default = self.worker.suggester
        if default is None:
            raise NoModel("no tagger model loaded: train one with `fiches train`")
        if threshold is None and limit is None:
            return default
        key = (threshold, limit)
        if key not in self._suggesters:
            loaded = load_suggester(replace(self.settings, threshold=threshold, limit=limit))
            assert loaded is not None
            self._suggesters[key] = loaded
            while len(self._suggesters) > MAX_SUGGESTERS:
                self._suggesters.popitem(last=False)
        self._suggesters.move_to_end(key)
        return self._suggesters[key]


def enrich_many(fiches: list[Fiche], worker: Worker) -> list[dict[str, Any]]:
    """The records `fiches enrich` writes for `fiches` (the same stages, in one pass of the NLP),
    or the exception of a fiche that failed (alone: `Worker.process` isolates it)."""
    outcomes = worker.process([(fiche, True, True) for fiche in fiches])
    results: list[Any] = []
    for fiche, outcome in zip(fiches, outcomes, strict=True):
        if outcome.error:
            results.append(RuntimeError(outcome.error))
        else:
            results.append(assemble(fiche, outcome.extraction or "{}",
                                    outcome.suggestions or "null"))
    return results


def _settle(jobs: list[_Job], run: Callable[[list[Fiche]], list[Any]]) -> None:
    """Run a group of jobs together; on failure, run them one by one so a bad fiche fails alone."""
    try:
        results = run([job.fiche for job in jobs])
    except Exception as exc:  # noqa: BLE001  (reported to the request, never raised here)
        if len(jobs) > 1:
            for job in jobs:
                _settle([job], run)
            return
        results = [exc]
    for job, result in zip(jobs, results, strict=True):
        if isinstance(result, BaseException):
            job.future.set_exception(result)
        else:
            job.future.set_result(result)
