"""The enrichment run: streaming, cached, parallel, resumable, locked, with progress and summary."""

from __future__ import annotations

import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pipeline.batching import batched
from pipeline.config import check_config
from pipeline.reading.parse import ReadStats, read_many
from pipeline.records import Fiche
from pipeline.running.cache import CacheError, ResultCache
from pipeline.running.output import LockError, OutputKept, lock, output_lock, write_lines
from pipeline.running.reaper import die_with_parent, start_forkserver
from pipeline.running.stages import (
    Outcome,
    Settings,
    Worker,
    assemble_line,
    extraction_fingerprint,
    suggestion_fingerprint,
)

EXTRACTION, SUGGESTIONS = "extraction", "suggestions"
__all__ = ["LockError", "RunSummary", "Runner", "count_fiches", "lock", "run"]


class EngineError(Exception):
    """The engine asked for cannot run: unknown, not installed, or its cluster is unusable."""


@dataclass
class RunSummary:
    """What a run did. `read == written + rejected + failed`."""

    read: int = 0
    written: int = 0
    enriched: int = 0
    reused: int = 0
    duplicates: int = 0
    rejected: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    files_failed: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # unusable cache location (exit 2)
    bad_cache_payloads: int = 0  # cached results altered on disk, recomputed
    output_kept: str | None = None  # why the previous output was kept
    seconds: float = 0.0
    workers: int = 1
    extraction_fingerprint: str = ""
    suggestion_fingerprint: str = ""

    @property
    def rate(self) -> float:
        """Fiches written per second."""
        return self.written / self.seconds if self.seconds > 0 else 0.0

    @property
    def ok(self) -> bool:
        return not (self.rejected or self.failed or self.files_failed or self.errors)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rate"] = round(self.rate, 3)
        data["seconds"] = round(self.seconds, 3)
        return data

    def line(self) -> str:
        return (f"fiches read: {self.read}, written: {self.written} (enriched: {self.enriched}, "
                f"reused from cache: {self.reused}), duplicates: {self.duplicates}, "
                f"rejected: {len(self.rejected)}, failed: {len(self.failed)}, "
                f"files failed: {len(self.files_failed)}, time: {self.seconds:.1f} s, "
                f"rate: {self.rate:.1f} fiches/s"
                + (f", altered cache entries recomputed: {self.bad_cache_payloads}"
                   if self.bad_cache_payloads else ""))


def count_fiches(paths: list[str]) -> int | None:
    """A quick count of the fiches in `paths` for the progress bar (None when unknowable).

    Streams each file line by line: the count costs no memory whatever the catalogue's size.
    """
    total = 0
    for path in paths:
        if path == "-":
            return None
        jsonl: bool | None = None
        try:
            with open(path, "rb") as handle:
                for line in handle:
                    stripped = line.strip()
                    if not stripped:
                        continue
                    if jsonl is None:
                        jsonl = stripped.startswith(b"{")
                    total += 1 if jsonl else stripped == b"Actions"
        except OSError:
            continue
    return total


_worker: Worker | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _worker = Worker(settings)


def _run_task(task: list[tuple[Fiche, bool, bool]]) -> list[Outcome]:
    assert _worker is not None
    return _worker.process(task)


@dataclass
class _Chunk:
    fiches: list[Fiche]
    extraction: dict[str, str]
    suggestions: dict[str, str]
    future: Future[list[Outcome]] | None = None
    task_ids: list[str] = field(default_factory=list)


class Runner:
    """Streams fiches through cache lookups and workers, yielding records in input order."""

    def __init__(self, settings: Settings, cache: ResultCache | None, workers: int,
                 summary: RunSummary, advance: Callable[[int], None],
                 chunk_size: int = 32) -> None:
        self.settings = settings
        self.cache = cache
        self.workers = max(1, workers)
        self.summary = summary
        self.advance = advance
        self.chunk_size = chunk_size
        self.ext_fp = summary.extraction_fingerprint
        self.sug_fp = summary.suggestion_fingerprint
        self._local: Worker | None = None
        self._pool: ProcessPoolExecutor | None = None

    def _submit(self, task: list[tuple[Fiche, bool, bool]]) -> Future[list[Outcome]]:
        if self.workers == 1:
            self._local = self._local or Worker(self.settings)
            done: Future[list[Outcome]] = Future()
            done.set_result(self._local.process(task))
            return done
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=start_forkserver(),
                initializer=_init_worker, initargs=(self.settings,))
        return self._pool.submit(_run_task, task)

    def close(self) -> None:
        if self._pool is not None:
            # Workers still busy after an interruption are stopped, not waited for.
            processes = list((getattr(self._pool, "_processes", None) or {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            self._pool = None

    def _start(self, fiches: list[Fiche]) -> _Chunk:
        ids = [f.id for f in fiches]
        extraction = self._lookup(ids, EXTRACTION, self.ext_fp)
        suggestions = self._lookup(ids, SUGGESTIONS, self.sug_fp)
        chunk = _Chunk(fiches, extraction, suggestions)
        task: list[tuple[Fiche, bool, bool]] = []
        for fiche in fiches:
            if fiche.id in chunk.task_ids:
                continue  # a duplicate within the chunk is computed once
            need_ext, need_sug = fiche.id not in extraction, fiche.id not in suggestions
            if need_ext or need_sug:
                task.append((fiche, need_ext, need_sug))
                chunk.task_ids.append(fiche.id)
        if task:
            chunk.future = self._submit(task)
        return chunk

    def _lookup(self, ids: list[str], part: str, fingerprint: str) -> dict[str, str]:
        if self.cache is None:
            return {}
        try:
            return self.cache.get_many(ids, part, fingerprint)
        except CacheError as exc:
            self._drop_cache(exc)
            return {}

    def _drop_cache(self, exc: CacheError) -> None:
        """The cache stopped working mid-run (full disk...): go on without it, and say so."""
        self.summary.errors.append(f"{exc}; the run went on without the cache")
        self.cache = None

    def _finish(self, chunk: _Chunk) -> Iterator[str]:
        rows: list[tuple[str, str, str, str]] = []
        errors: dict[str, str] = {}
        if chunk.future is not None:
            for fiche_id, outcome in zip(chunk.task_ids, chunk.future.result(), strict=True):
                if outcome.error:
                    errors[fiche_id] = outcome.error
                    continue
                if outcome.extraction is not None:
                    chunk.extraction[fiche_id] = outcome.extraction
                    rows.append((fiche_id, EXTRACTION, self.ext_fp, outcome.extraction))
                if outcome.suggestions is not None:
                    chunk.suggestions[fiche_id] = outcome.suggestions
                    rows.append((fiche_id, SUGGESTIONS, self.sug_fp, outcome.suggestions))
        if self.cache is not None and rows:
            try:
                self.cache.put_many(rows)  # committed before the records go out: resumable
            except CacheError as exc:
                self._drop_cache(exc)
        fresh = set(chunk.task_ids)
        for fiche in chunk.fiches:
            if fiche.id in errors:
                self.summary.failed.append(
                    f"{fiche.source.file}:{fiche.source.line}: {fiche.title!r}: {errors[fiche.id]}")
                continue
            if fiche.id in fresh:
                self.summary.enriched += 1
            else:
                self.summary.reused += 1
            yield assemble_line(fiche, chunk.extraction[fiche.id], chunk.suggestions[fiche.id])
        self.advance(len(chunk.fiches))

    def records(self, fiches: Iterator[Fiche]) -> Iterator[str]:
        """Enriched records for `fiches` as JSON lines, in order; a few chunks in flight."""
        pending: deque[_Chunk] = deque()
        in_flight = 2 * self.workers
        for batch in batched(fiches, self.chunk_size):
            pending.append(self._start(batch))
            while pending and (len(pending) > in_flight or _ready(pending[0])):
                yield from self._finish(pending.popleft())
        while pending:
            yield from self._finish(pending.popleft())


def _ready(chunk: _Chunk) -> bool:
    return chunk.future is None or chunk.future.done()


def _open_cache(stack: ExitStack, cache_dir: str | None,
                summary: RunSummary) -> ResultCache | None:
    """The run's cache, locked; None when there is none or its location cannot be used (then
    noted in `summary.errors`: the run goes on without it).

    Raises:
        LockError: another run holds the cache.
    """
    if cache_dir is None:
        return None
    try:
        stack.enter_context(lock(Path(cache_dir) / "lock", f"cache {cache_dir}"))
        return stack.enter_context(ResultCache(cache_dir))
    except OSError as exc:
        summary.errors.append(f"{cache_dir}: cannot use as a cache: {exc.strerror or exc}; "
                              "the run went on without a cache")
    except CacheError as exc:
        summary.errors.append(f"{exc}; the run went on without a cache")
    return None


def _write(records: Iterator[str], output: str, summary: RunSummary, stats: ReadStats) -> None:
    """Write the records; a run that wrote none successfully while something failed keeps the
    previous output (`summary.output_kept` says so)."""
    def nothing_good(written: int) -> bool:
        return written == 0 and bool(summary.failed or stats.rejected or stats.failed_files)

    try:
        summary.written = write_lines(records, output, keep_previous_if=nothing_good)
    except OutputKept as exc:
        summary.output_kept = str(exc)


@contextmanager
def open_runner(engine: str, scheduler: str | None, settings: Settings,
                cache: ResultCache | None, workers: int, summary: RunSummary,
                advance: Callable[[int], None]) -> Iterator[Runner]:
    """The runner of `engine`: "local" (processes on this machine) or "dask" (a cluster at
    `scheduler`, or a local one of `workers` processes); stopped on exit.

    Raises:
        EngineError: unknown engine, the cluster extra not installed, or an unusable cluster.
    """
    if engine == "local":
        if scheduler is not None:
            raise EngineError("--scheduler needs --engine dask")
        runner = Runner(settings, cache, workers, summary, advance)
        try:
            yield runner
        finally:
            runner.close()
        return
    if engine != "dask":
        raise EngineError(f"unknown engine {engine!r}: use local or dask")
    try:
        from pipeline.running.cluster import cluster_runner
    except ImportError as exc:
        raise EngineError(f"the dask engine needs the cluster extra (pip install -e "
                          f"'.[cluster]'): {exc}") from None
    with cluster_runner(scheduler, settings, cache, workers, summary, advance) as runner:
        yield runner




def run(inputs: list[str], output: str, settings: Settings, cache_dir: str | None = None,
        workers: int = 1, progress: Callable[[int | None], Callable[[int], None]] | None = None,
        stderr: TextIO | None = None, encoding: str | None = None, engine: str = "local",
        scheduler: str | None = None) -> RunSummary:
    """Enrich `inputs` into `output` (JSONL, `-` for stdout).

    Args:
        inputs: text exports or JSONL record files; `-` is stdin.
        output: the output path, written to a temporary file and renamed when complete.
        settings: config and model locations, suggestion overrides.
        cache_dir: where the result cache lives; None for no cache.
        workers: processes for the NLP (1 runs it in this process).
        progress: given the expected total, returns a callback taking the number of fiches done.
        encoding: the inputs' encoding as named by the user; None to decide from the bytes.
        engine: "local" or "dask" (see `open_runner`); `scheduler` is the dask scheduler's
            address, None to start a local cluster of `workers` processes.

    A cache location that cannot be used (read-only, full disk) is noted in `errors` and the
    run goes on without it; a damaged cache file is set aside and a fresh one started. When no
    record is written successfully and something failed, the previous output is kept
    (`output_kept` says so).

    Raises:
        LockError: another run holds the cache or the output.
        OutputError: the output cannot be written there; a previous file is as it was.
        ConfigError: a config file is missing or malformed.
        BrokenProcessPool: a worker process died (killed, out of memory); rerun to resume.
        EngineError: the engine cannot run (see `open_runner`).
    """
    started = time.perf_counter()
    check_config(settings.config_dir)
    summary = RunSummary(workers=max(1, workers),
                         extraction_fingerprint=extraction_fingerprint(settings.config_dir),
                         suggestion_fingerprint=suggestion_fingerprint(settings))
    stats = ReadStats()
    with ExitStack() as stack:
        stack.enter_context(output_lock(output))
        cache = _open_cache(stack, cache_dir, summary)
        advance = progress(count_fiches(inputs)) if progress else (lambda n: None)
        runner = stack.enter_context(
            open_runner(engine, scheduler, settings, cache, workers, summary, advance))
        _write(runner.records(read_many(inputs, stats, encoding=encoding)), output, summary,
               stats)
        if cache is not None:
            summary.bad_cache_payloads = cache.bad_payloads
    return _finish(summary, stats, cache, started)


def _finish(summary: RunSummary, stats: ReadStats, cache: ResultCache | None,
            started: float) -> RunSummary:
    """`summary` completed with what the reader counted and noticed, and the time taken."""
    summary.read = stats.found
    summary.duplicates = stats.duplicates
    summary.rejected = [str(r) for r in stats.rejected]
    summary.files_failed = [r.reason for r in stats.failed_files]
    summary.notices = list(stats.notices) + (cache.notices if cache is not None else [])
    summary.seconds = time.perf_counter() - started
    return summary
