"""Where the service's NLP runs: worker processes (or one thread), each loading the models once,
fed in small batches.

spaCy pipelines and the tagger are not made to be shared between threads, so each runs on one
thread of one process. Requests that arrive while the workers are busy are grouped into the next
batch (up to `MAX_BATCH`): a batch of eight fiches costs far less than eight batches of one, which
is what keeps latency low under concurrent load. With `workers >= 1`, that many processes share
the cores, as `fiches enrich --workers` does; with 0, one thread of the server does the work.
"""

from __future__ import annotations

import functools
import gc
import itertools
import logging
import multiprocessing
import queue
import signal
import threading
import time
from collections import OrderedDict
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from concurrent.futures.thread import BrokenThreadPool
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.records import Fiche, Source
from pipeline.running.output import dumps
from pipeline.running.stages import Settings, Suggester, Worker, assemble_line, load_suggester

MAX_BATCH = 16
# How long a freed worker waits for more requests while another is busy: under load, requests
# come back in waves (the answers of a batch go out together), and a batch of one costs an
# enrichment about 40% more CPU per fiche than a batch of four (the NER's fixed cost per call).
GATHER_SECONDS = 0.004
WARM_WORDS = 20_000  # the language model's commonest words, tokenized once per process
MAX_SUGGESTERS = 4  # tagger copies kept per process for threshold / limit overrides
ENRICH, SUGGEST = "enrich", "suggest"
Key = tuple[str, float | None, int | None]  # (what, threshold, limit)
log = logging.getLogger("fiches.service")
WARM_UP = Fiche(Source("<warm-up>", 0, 1), title="Jardin partagé",
                description="Les habitants du quartier cultivent un jardin avec la CAF.")


class NoModel(Exception):
    """Suggestions are asked for but the service runs without a tagger model."""


class FicheFailed(Exception):
    """The NLP failed on this fiche (and on it alone)."""


class Runner:
    """The models of one process and the jobs run on them: `fiches enrich`'s stages."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.worker = Worker(settings)
        self._suggesters: OrderedDict[tuple[float | None, int | None], Suggester] = OrderedDict()

    def load(self) -> None:
        """Load the spaCy pipeline and the tagger now rather than on the first request, and
        warm the tokenizer."""
        _ = self.worker.suggester
        warm_tokenizer(self.worker.nlp)

    def run(self, key: Key, fiches: list[Fiche]) -> list[Any]:
        """Per fiche, its result as JSON text or an exception; a fiche that fails fails alone.

        JSON is made here, in the worker, so the server's process only passes text along.
        """
        try:
            return self._run(key, fiches)
        except Exception as exc:  # noqa: BLE001  (returned to the request that sent the fiche)
            if len(fiches) == 1:
                return [exc]
            return [self.run(key, [fiche])[0] for fiche in fiches]

    def _run(self, key: Key, fiches: list[Fiche]) -> list[Any]:
        what, threshold, limit = key
        if what == SUGGEST:
            suggestions = self.suggester(threshold, limit).suggest_records(fiches)
            return [dumps({"id": fiche.id, "title": fiche.title, **s})
                    for fiche, s in zip(fiches, suggestions, strict=True)]
        outcomes = self.worker.process([(fiche, True, True) for fiche in fiches])
        # The very line `fiches enrich` writes for the fiche.
        return [FicheFailed(o.error) if o.error else
                assemble_line(fiche, o.extraction or "{}", o.suggestions or "null")
                for fiche, o in zip(fiches, outcomes, strict=True)]

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


def warm_tokenizer(nlp: Any, words: int = WARM_WORDS) -> None:
    """Tokenize the language model's `words` commonest words once, outside any memory zone.

    Extraction runs each batch in a memory zone, which forgets the words (lexemes) and the
    tokenizer cache entries the batch added, so that no input can grow the service's memory:
    every request paid again for "de", "habitants" or "projet" (a fifth of an enrichment's
    CPU). What is made here stays: a fixed set, a few MB. A token is the same whether it comes
    from the cache or not, so results do not change. The vectors table lists the model's words
    by frequency (its first rows are the words kept with their own vector); any other order
    only makes this less useful.
    """
    strings = nlp.vocab.strings
    common = [strings[key] for key in itertools.islice(nlp.vocab.vectors.key2row, words)
              if key in strings]
    nlp.tokenizer(" ".join(common))


_runner: Runner | None = None


def _init_process(settings: Settings) -> None:
    global _runner
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when to stop
    _runner = Runner(settings)
    _runner.load()


def _process_run(key: Key, fiches: list[Fiche]) -> list[Any]:
    assert _runner is not None
    return _runner.run(key, fiches)


def _shutdown(executor: Executor, grace: float = 10.0) -> None:
    """Stop an executor: queued batches are cancelled; worker processes get `grace` seconds to
    finish the batch in hand, then are terminated."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.terminate()
            process.join(5)
    executor.shutdown(wait=True)  # returns at once now; closes the queues between processes


@dataclass
class _Job:
    key: Key
    fiche: Fiche
    future: Future[str] = field(default_factory=Future)


class Engine:
    """Queues fiches, batches them and hands the batches to the workers."""

    def __init__(self, settings: Settings, workers: int = 0) -> None:
        self.settings = settings
        self.workers = max(0, workers)
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._slots = threading.BoundedSemaphore(max(1, self.workers))
        self._in_flight = 0  # batches handed to the workers and not settled
        self._lock = threading.Lock()
        self._executor: Executor | None = None
        self._thread: threading.Thread | None = None
        self._broken = False

    @property
    def has_model(self) -> bool:
        return self.settings.model is not None

    def start(self) -> None:
        """Load the models in every worker, then start taking jobs.

        Raises:
            ModelError, ConfigError: the tagger model or a config file is unusable (in-thread).
            RuntimeError: a worker process could not load the models.
        """
        if self.workers == 0:
            runner = Runner(self.settings)
            runner.load()
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="fiches-nlp")
            self._call: Any = runner.run
        else:
            self._executor = self._pool()
            self._call = _process_run
            warm = [self._executor.submit(_process_run, (ENRICH, None, None), [WARM_UP])
                    for _ in range(self.workers)]
            for future in warm:
                try:
                    future.result()
                except Exception as exc:
                    self.stop()
                    raise RuntimeError(f"a worker could not load the models: {exc}") from None
        self._thread = threading.Thread(target=self._dispatch, name="fiches-dispatch",
                                        daemon=True)
        self._thread.start()

    def _pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("forkserver"),
            initializer=_init_process, initargs=(self.settings,))

    def stop(self) -> None:
        """Stop taking jobs and stop the workers (busy ones are not waited for)."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout=10)
            self._thread = None
        if self._executor is not None:
            _shutdown(self._executor)
            self._executor = None
            gc.collect()  # frees the queues' semaphores now, not in a warning at exit

    def submit(self, what: str, fiche: Fiche, threshold: float | None = None,
               limit: int | None = None) -> Future[str]:
        """Queue `fiche` for `what` (ENRICH or SUGGEST); the future gets the result as JSON."""
        job = _Job((what, threshold, limit), fiche)
        self._jobs.put(job)
        return job.future

    def _dispatch(self) -> None:
        while (first := self._jobs.get()) is not None:
            self._slots.acquire()  # while every worker is busy, jobs gather into the next batch
            batch, stop = self._gather(first)
            groups: dict[Key, list[_Job]] = {}
            for job in batch:
                groups.setdefault(job.key, []).append(job)
            for i, (key, jobs) in enumerate(groups.items()):
                if i:
                    self._slots.acquire()
                self._submit(key, jobs)
            if stop:
                return

    def _gather(self, first: _Job) -> tuple[list[_Job], bool]:
        """The batch starting with `first`: the jobs queued, and while another batch is running
        those arriving within `GATHER_SECONDS` (an idle service answers at once); and whether
        `stop` came."""
        with self._lock:
            deadline = time.monotonic() + (GATHER_SECONDS if self._in_flight else 0.0)
        batch = [first]
        while len(batch) < MAX_BATCH:
            try:
                job = self._jobs.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if job is None:
                return batch, True
            batch.append(job)
        return batch, False

    def _submit(self, key: Key, jobs: list[_Job]) -> None:
        assert self._executor is not None
        broken = self._broken or getattr(self._executor, "_broken", False)
        if broken and self.workers:  # a worker process died: start afresh
            log.error("a worker process died; starting new ones")
            _shutdown(self._executor)
            self._executor, self._broken = self._pool(), False
        with self._lock:
            self._in_flight += 1
        try:
            future = self._executor.submit(self._call, key, [job.fiche for job in jobs])
        except RuntimeError as exc:  # shutting down
            with self._lock:
                self._in_flight -= 1
            self._slots.release()
            for job in jobs:
                job.future.set_exception(exc)
            return
        future.add_done_callback(functools.partial(self._settle, jobs))

    def _settle(self, jobs: list[_Job], future: Future[list[Any]]) -> None:
        with self._lock:
            self._in_flight -= 1
        self._slots.release()
        try:
            results = future.result()
        except BaseException as exc:  # noqa: BLE001  (a dead worker: every job gets the error)
            self._broken = self._broken or isinstance(exc, BrokenProcessPool | BrokenThreadPool)
            results = [exc] * len(jobs)
        for job, result in zip(jobs, results, strict=True):
            if isinstance(result, BaseException):
                job.future.set_exception(result)
            else:
                job.future.set_result(result)
