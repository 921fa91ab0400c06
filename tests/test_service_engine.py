"""How the service's engine forms batches: at once when idle, gathering arrivals while busy."""

from __future__ import annotations

import threading
import time

import pytest

from pipeline.records import Fiche, Source
from pipeline.running.stages import Settings
from pipeline.service import engine as engine_module
from pipeline.service.engine import SUGGEST, Engine, _Job


def job(n: int) -> _Job:
    return _Job((SUGGEST, None, None), Fiche(Source("<test>", n, 1), title=f"Fiche {n}"))


def later(engine: Engine, item: _Job, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, engine._jobs.put, (item,))
    timer.start()
    return timer


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setattr(engine_module, "GATHER_SECONDS", 0.5)
    return Engine(Settings(model=None), workers=2)  # never started: no model, no process


def test_an_idle_engine_dispatches_at_once(engine: Engine) -> None:
    timer = later(engine, job(1), 0.3)
    started = time.monotonic()
    batch, stop = engine._gather(job(0))
    waited = time.monotonic() - started
    timer.join()
    assert len(batch) == 1 and not stop and waited < 0.3


def test_a_busy_engine_gathers_what_arrives_meanwhile(engine: Engine) -> None:
    engine._in_flight = 1  # another worker's batch is running
    engine._jobs.put(job(1))
    timer = later(engine, job(2), 0.05)
    batch, stop = engine._gather(job(0))
    timer.join()
    assert [j.fiche.source.ordinal for j in batch] == [0, 1, 2] and not stop


def test_stop_ends_the_gathering(engine: Engine) -> None:
    engine._in_flight = 1
    engine._jobs.put(None)
    started = time.monotonic()
    batch, stop = engine._gather(job(0))
    assert len(batch) == 1 and stop and time.monotonic() - started < 0.4
