"""The enrichment run: determinism, cache reuse and invalidation, locks, interruption and resume."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.catalogue import build_catalogue
from pipeline.config import CONFIG_DIR
from pipeline.running.batch import LockError, lock, run
from pipeline.running.cache import ResultCache
from pipeline.running.stages import Settings

pytestmark = pytest.mark.slow


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A private copy of config/, safe to edit."""
    target = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, target)
    return target


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "catalogue.txt"
    path.write_text(build_catalogue(12), encoding="utf-8")
    return path


def test_same_input_gives_byte_identical_output_serial_parallel_and_cached(
        tmp_path, catalogue, config):
    settings = Settings(config_dir=config, model=None)
    outs = [tmp_path / f"out{i}.jsonl" for i in range(3)]
    first = run([str(catalogue)], str(outs[0]), settings, workers=1)
    run([str(catalogue)], str(outs[1]), settings, workers=2)
    cached = run([str(catalogue)], str(outs[2]), settings, cache_dir=str(tmp_path / "c"),
                 workers=1)
    assert first.written == first.read == 12 and first.ok
    assert cached.enriched == 12
    again = run([str(catalogue)], str(outs[2]), settings, cache_dir=str(tmp_path / "c"),
                workers=2)
    assert (again.enriched, again.reused) == (0, 12)
    data = outs[0].read_bytes()
    assert all(o.read_bytes() == data for o in outs[1:])
    record = json.loads(data.splitlines()[0])
    assert not {"seconds", "time", "rate", "started"} & set(record)  # no run metadata
    assert {"budget", "funders", "headcount", "dates", "entities", "suggestions"} <= set(record)


def test_config_change_invalidates_extraction_but_tagger_config_does_not(
        tmp_path, catalogue, config):
    settings = Settings(config_dir=config, model=None)
    cache, out = str(tmp_path / "cache"), str(tmp_path / "out.jsonl")
    assert run([str(catalogue)], out, settings, cache_dir=cache).enriched == 12
    # The tagger's vocabulary is not read by extraction: everything is reused.
    vocabulary = config / "vocabulary.json"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = run([str(catalogue)], out, settings, cache_dir=cache)
    assert (second.enriched, second.reused) == (0, 12)
    # An extraction config file changes: every extraction is redone.
    extraction_config = next(p for p in sorted(config.glob("*.json"))
                             if p.name not in {"vocabulary.json", "thesaurus.json"})
    extraction_config.write_text(extraction_config.read_text(encoding="utf-8") + "\n",
                                 encoding="utf-8")
    third = run([str(catalogue)], out, settings, cache_dir=cache)
    assert (third.enriched, third.reused) == (12, 0)
    with ResultCache(cache) as results:
        assert results.count("extraction") == 24  # both versions kept; lookups are exact


def test_a_second_run_on_the_same_cache_or_output_is_refused(tmp_path, catalogue):
    cache = tmp_path / "cache"
    with lock(cache / "lock", f"cache {cache}"):
        with pytest.raises(LockError, match="in use by another run"):
            run([str(catalogue)], str(tmp_path / "o.jsonl"), Settings(model=None),
                cache_dir=str(cache))
    out = tmp_path / "o.jsonl"
    with lock(tmp_path / ".o.jsonl.lock", "output"):
        with pytest.raises(LockError, match="in use by another run"):
            run([str(catalogue)], str(out), Settings(model=None))
    assert not out.exists()


def _rows(cache: Path) -> int:
    try:
        with sqlite3.connect(cache / ResultCache.FILE_NAME) as db:
            return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killed_run_resumes_without_duplicates_or_gaps(tmp_path, how):
    catalogue = tmp_path / "big.txt"
    catalogue.write_text(build_catalogue(160), encoding="utf-8")
    cache, out = tmp_path / "cache", tmp_path / "out.jsonl"
    out.write_text("previous output\n", encoding="utf-8")
    command = [sys.executable, "-m", "pipeline", "enrich", str(catalogue), "-o", str(out),
               "--cache", str(cache), "--workers", "1", "--quiet", "--no-suggest"]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _rows(cache) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(how)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    if how == signal.SIGTERM:
        assert "interrupted" in stderr
    assert out.read_text(encoding="utf-8") == "previous output\n"  # untouched
    done_before = _rows(cache)
    assert 0 < done_before < 2 * 160

    summary = tmp_path / "summary.json"
    resumed = subprocess.run([*command, "--summary", str(summary)], capture_output=True,
                             text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    facts = json.loads(summary.read_text(encoding="utf-8"))
    with sqlite3.connect(cache / ResultCache.FILE_NAME) as db:
        rows = db.execute("SELECT part, fingerprint, COUNT(*) FROM results "
                          "GROUP BY 1, 2").fetchall()
    assert facts["reused"] > 0 and facts["reused"] + facts["enriched"] == 160, (facts, rows)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source"]["ordinal"] for r in records] == list(range(160))
    assert not list(tmp_path.glob(".out.jsonl.*.tmp"))
