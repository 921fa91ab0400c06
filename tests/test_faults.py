"""Faults, each through a real `fiches` process: special and linked outputs, locks, read-only and
full file systems, altered and damaged caches, a run killed with SIGKILL, bad encodings and
hostile JSONL. Nothing lost, nothing left running, no traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.catalogue import build_catalogue
from pipeline.reading.parse import HEADINGS
from pipeline.running.cache import ResultCache
from pipeline.running.output import lock

pytestmark = pytest.mark.slow  # each test runs `fiches` in a process of its own

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "fiches_sample.txt"
ROOT = SAMPLE.parent.parent


def fiches(*args: str | Path, umask: int | None = None, timeout: float = 300,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `fiches ARGS...` in a process of its own; its stderr never holds a traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
        timeout=timeout, cwd=ROOT, env=env,
        preexec_fn=None if umask is None else (lambda: os.umask(umask)))  # noqa: PLW1509
    assert "Traceback" not in done.stderr, done.stderr
    return done


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextmanager
def tmpfs(where: Path, size: str = "64k") -> Iterator[Path]:
    """A small tmpfs mounted at `where`; the test is skipped, saying why, where none can be."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                           str(where)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN: "
                    f"{done.stderr.strip() or done.returncode}): case not run")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A text export of three distinct fiches: enough to go through every stage."""
    path = tmp_path_factory.mktemp("input") / "small.txt"
    path.write_text(build_catalogue(3), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, small) -> tuple[Path, Path]:
    """(cache folder, output) of one enrich run over `small`."""
    folder = tmp_path_factory.mktemp("seeded")
    done = fiches("enrich", small, "-o", folder / "out.jsonl", "--cache", folder / "cache",
                  "--workers", "1", "--no-suggest", "--quiet")
    assert done.returncode == 0, done.stderr
    return folder / "cache", folder / "out.jsonl"


def copy_cache(seeded: tuple[Path, Path], tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    shutil.copytree(seeded[0], cache, ignore=shutil.ignore_patterns("lock"))
    return cache


# ---------------------------------------------------------------------------------------------
# Where the output goes


def test_dev_null_stays_a_device_through_parse_and_enrich(tmp_path, seeded, small):
    before = os.stat("/dev/null")
    assert fiches("parse", SAMPLE, "-o", "/dev/null").returncode == 0
    cache = copy_cache(seeded, tmp_path)
    done = fiches("enrich", small, "-o", "/dev/null", "--cache", cache, "--no-suggest", "-q")
    assert done.returncode == 0, done.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert mode(Path("/dev/null")) == stat.S_IMODE(before.st_mode)
    assert not list(Path("/dev").glob(".null.*"))  # no lock or temporary file beside it


def test_new_outputs_follow_the_umask_existing_ones_keep_their_mode_links_stay_links(
        tmp_path, seeded, small):
    new = tmp_path / "new.jsonl"
    assert fiches("parse", SAMPLE, "-o", new, umask=0o022).returncode == 0
    assert mode(new) == 0o644
    kept = tmp_path / "kept.jsonl"
    kept.write_text("old\n")
    kept.chmod(0o644)
    assert fiches("parse", SAMPLE, "-o", kept, umask=0o077).returncode == 0
    assert mode(kept) == 0o644 and kept.read_text().count("\n") == 25

    target, link = tmp_path / "real" / "enriched.jsonl", tmp_path / "link.jsonl"
    target.parent.mkdir()
    target.write_text("old\n")
    target.chmod(0o640)
    link.symlink_to(target)
    cache = copy_cache(seeded, tmp_path)
    done = fiches("enrich", small, "-o", link, "--cache", cache, "--no-suggest", "-q",
                  umask=0o022)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and mode(target) == 0o640
    assert target.read_bytes() == seeded[1].read_bytes()


def test_parse_honours_the_output_lock(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    with lock(tmp_path / ".out.jsonl.lock", "output"):
        done = fiches("parse", SAMPLE, "-o", out)
    assert done.returncode == 2 and "in use by another run" in done.stderr
    assert out.read_text() == "previous\n"


def test_a_run_with_nothing_written_successfully_keeps_the_previous_output(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": 1}\n{"title": "x"}\n')
    out = tmp_path / "out.jsonl"
    for command in (["parse"], ["enrich", "--no-suggest", "-q"]):
        out.write_text("good\n")
        done = fiches(*command, bad, "-o", out)
        assert done.returncode == 1
        assert f"{out}: no record written successfully: the previous file is kept" in done.stderr
        assert out.read_text() == "good\n"


def test_every_fiche_failing_in_the_nlp_keeps_the_previous_output(tmp_path, small, monkeypatch):
    from pipeline.running import batch, stages

    def broken(self, fiches):
        raise MemoryError("simulated")

    monkeypatch.setattr(stages.Worker, "extract", broken)
    out = tmp_path / "out.jsonl"
    out.write_text("good\n")
    summary = batch.run([str(small)], str(out), stages.Settings(model=None))
    assert len(summary.failed) == 3 and summary.written == 0
    assert "the previous file is kept" in (summary.output_kept or "")
    assert out.read_text() == "good\n"


def test_a_full_device_is_an_error_not_a_traceback():
    done = fiches("parse", SAMPLE, "-o", "/dev/full")
    assert done.returncode == 2 and "/dev/full: cannot write: No space left" in done.stderr


def test_read_only_file_system_output_cache_summary_and_report(tmp_path, seeded, small):
    with tmpfs(tmp_path / "ro") as ro:
        (ro / "report").mkdir()
        (ro / "out.jsonl").write_text("previous\n")
        read_only(ro)
        done = fiches("parse", SAMPLE, "-o", ro / "out.jsonl")
        assert done.returncode == 2 and f"{ro / 'out.jsonl'}: cannot write" in done.stderr
        assert (ro / "out.jsonl").read_text() == "previous\n"

        out = tmp_path / "enriched.jsonl"
        done = fiches("enrich", small, "-o", out, "--cache", ro / "cache", "--summary",
                      ro / "summary.json", "--no-suggest", "-q")
        assert done.returncode == 2, done.stderr
        assert f"{ro / 'cache'}: cannot use as a cache" in done.stderr
        assert f"summary not written: {ro / 'summary.json'}: cannot write" in done.stderr
        assert out.read_bytes() == seeded[1].read_bytes()  # the records are still written

        done = fiches("report", "budgets", out, "--out", ro / "report")
        assert done.returncode == 2 and f"{ro / 'report'}: cannot write the report" in done.stderr


def test_full_file_system_keeps_the_previous_output(tmp_path, seeded, small):
    with tmpfs(tmp_path / "full") as full:
        out = full / "out.jsonl"
        out.write_text("previous\n")
        fd = os.open(full / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            with pytest.raises(OSError, match="No space left"):
                while True:
                    os.write(fd, b"x" * 1024)
        finally:
            os.close(fd)
        for command in (["parse", SAMPLE],
                        ["enrich", small, "--cache", copy_cache(seeded, tmp_path), "-q"]):
            done = fiches(*command, "-o", out)
            assert done.returncode == 2, done.stderr
            assert (f"{out}: cannot write: No space left on device; the previous file is kept"
                    in done.stderr)
            assert out.read_text() == "previous\n"
            assert sorted(p.name for p in full.iterdir() if p.suffix != ".lock") == [
                "filler", "out.jsonl"]


# ---------------------------------------------------------------------------------------------
# Caches altered or damaged on disk


def alter_one_digit(cache: Path) -> None:
    with sqlite3.connect(cache / ResultCache.FILE_NAME) as db:
        fiche_id, payload = db.execute(
            "SELECT fiche_id, payload FROM results WHERE part = 'extraction' "
            "AND payload LIKE '%total_eur\": 1%' LIMIT 1").fetchone()
        altered = payload.replace('total_eur": 1', 'total_eur": 9', 1)
        db.execute("UPDATE results SET payload = ? WHERE fiche_id = ? AND part = 'extraction'",
                   [altered, fiche_id])
    db.close()


def test_an_altered_cache_payload_is_recomputed_counted_and_reported(tmp_path, seeded, small):
    cache = copy_cache(seeded, tmp_path)
    alter_one_digit(cache)
    out = tmp_path / "out.jsonl"
    done = fiches("enrich", small, "-o", out, "--cache", cache, "--no-suggest", "-q")
    assert done.returncode == 0, done.stderr
    assert "was altered (checksum mismatch): recomputed" in done.stderr
    assert "altered cache entries recomputed: 1" in done.stderr
    assert out.read_bytes() == seeded[1].read_bytes()


@pytest.mark.parametrize("damage", ["random bytes mid-file", "truncated"])
def test_a_damaged_cache_file_is_set_aside_and_the_run_finishes(tmp_path, seeded, small, damage):
    cache = copy_cache(seeded, tmp_path)
    path = cache / ResultCache.FILE_NAME
    size = path.stat().st_size
    if damage == "truncated":
        os.truncate(path, size // 2 + 100)
    else:
        with open(path, "r+b") as handle:
            handle.seek(4096)  # page 2: the results table
            handle.write(os.urandom(4096))
    out = tmp_path / "out.jsonl"
    done = fiches("enrich", small, "-o", out, "--cache", cache, "--no-suggest", "-q")
    assert done.returncode == 0, done.stderr
    [aside] = cache.glob(f"{ResultCache.FILE_NAME}.damaged-*")
    assert f"cache {path} is damaged" in done.stderr and f"moved to {aside}" in done.stderr
    assert out.read_bytes() == seeded[1].read_bytes()
    with ResultCache(cache) as fresh:
        assert fresh.count("extraction") == 3


# ---------------------------------------------------------------------------------------------
# A parallel run killed with SIGKILL


def processes_with(marker: str) -> list[int]:
    """Pids of the processes whose environment holds `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_sigkill_of_a_parallel_run_leaves_no_process_behind(tmp_path):
    catalogue = tmp_path / "catalogue.txt"
    catalogue.write_text(build_catalogue(60), encoding="utf-8")
    marker = f"fiches-fault-test-{os.getpid()}-{time.monotonic_ns()}"
    env = {**os.environ, "FICHES_TEST_RUN": marker}
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "enrich", str(catalogue), "-o",
                            str(tmp_path / "out.jsonl"), "--workers", "2", "--no-suggest", "-q"],
                           cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        # The run, the resource tracker, the fork server and two workers.
        while len(processes_with(marker)) < 5 and time.monotonic() < deadline:
            assert run.poll() is None, "the run ended before it could be killed"
            time.sleep(0.2)
        assert len(processes_with(marker)) >= 5
        run.send_signal(signal.SIGKILL)
        run.wait(10)
        deadline = time.monotonic() + 10
        while processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_with(marker) == []
    finally:
        for pid in processes_with(marker):  # a failed test leaves nothing running either
            os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# Encodings and bytes that are not text


def two_fiches(first: str, budget: str = "3 000 euros", second: str = "Atelier cuisine") -> str:
    """A small export of two fiches: `first` (with `budget`) and `second`."""
    def fiche(title: str, money: str) -> str:
        values = {"structure": "- CENTRE SOCIAL DU PARC - Oise", "status": "- En cours",
                  "summary": "Un repas préparé ensemble.", "financial_resources": money}
        lines = ["Actions", title]
        for key, heading in HEADINGS:
            lines += [f"- {heading}", *([values[key]] if key in values else [])]
        return "\n".join(lines) + "\n"
    return ("Les actions des centres sociaux\n" + fiche(first, budget)
            + fiche(second, "500 euros"))


def records(done: subprocess.CompletedProcess[str]) -> list[dict]:
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_latin9_is_told_from_cp1252_by_the_euro_sign_beside_digits(tmp_path):
    path = tmp_path / "latin9.txt"
    path.write_bytes(two_fiches("La fête", "Budget : 1 500 €").encode("iso8859-15"))
    done = fiches("parse", path)
    assert done.returncode == 0, done.stderr
    assert records(done)[0]["financial_resources"] == "Budget : 1 500 €"
    assert "read as ISO-8859-15" in done.stderr
    cp1252 = tmp_path / "cp1252.txt"
    cp1252.write_bytes(two_fiches("La fête – été", "1 500 €").encode("cp1252"))
    done = fiches("parse", cp1252)
    first = records(done)[0]
    assert (first["title"], first["financial_resources"]) == ("La fête – été", "1 500 €")
    assert "CP1252" in done.stderr


def test_an_ambiguous_byte_is_refused_naming_the_encoding_option(tmp_path):
    path = tmp_path / "which.txt"
    path.write_bytes(two_fiches("Le signe ¤ de la fête").encode("latin-1"))
    done = fiches("parse", path)
    assert done.returncode == 1 and records(done) == []
    assert "which.txt:" in done.stderr and "--encoding latin-9" in done.stderr
    done = fiches("parse", path, "--encoding", "latin-9")
    assert done.returncode == 0 and records(done)[0]["title"] == "Le signe € de la fête"
    done = fiches("parse", path, "--encoding", "nonsense")
    assert done.returncode == 2 and "unknown encoding 'nonsense'" in done.stderr


def test_a_cut_utf8_tail_or_a_stray_byte_rejects_only_its_fiche(tmp_path):
    good = two_fiches("Fête d'été").encode("utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_bytes(good + "Actions\nJardin d'été".encode()[:-1])
    done = fiches("parse", cut)
    assert done.returncode == 1
    assert [r["title"] for r in records(done)] == ["Fête d'été", "Atelier cuisine"]
    last = good.count(b"\n") + 2
    assert f"cut.txt:{last}: line {last}: byte 0xC3" in done.stderr
    assert "cut mid-character" in done.stderr

    stray = tmp_path / "stray.txt"
    stray.write_bytes(good.replace(b"Atelier cuisine", b"Atelier \x8f cuisine"))
    done = fiches("parse", stray)
    assert done.returncode == 1 and [r["title"] for r in records(done)] == ["Fête d'été"]
    assert "byte 0x8F at column 9 is not UTF-8" in done.stderr


def test_nul_bytes_early_in_a_file_are_removed_with_a_warning_not_a_refusal(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(two_fiches("Fête\x00 d'été").encode("utf-8"))
    done = fiches("parse", path)
    assert done.returncode == 0, done.stderr
    first = records(done)[0]
    assert first["title"] == "Fête d'été"
    assert any("NUL bytes removed" in w for w in first["warnings"])


def test_hostile_jsonl_lines_are_rejected_one_by_one(tmp_path):
    [good] = [line for line in fiches("parse", SAMPLE).stdout.splitlines()][:1]
    record = json.loads(good)
    lines = [
        '{"source": 1}',
        good.replace('"title": "', '"title": "\\ud800', 1),
        good.replace('"ordinal": 0', '"ordinal": ' + "9" * 5000, 1),
        "[" * 5000 + "]" * 5000,
        "{" + '"a":' * 5000 + "1" + "}" * 5000,
        json.dumps({**record, "id": None, "keywords": 0}),
        good,
        good,
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = fiches("parse", path)
    assert done.returncode == 1
    out = records(done)
    assert len(out) == 2 and out[1]["duplicate_of"] == record["source"]["ordinal"]
    assert "fiches read: 8, written: 2, duplicates: 1, rejected: 6" in done.stderr
    for number in range(1, 7):
        assert f"rejected: hostile.jsonl:{number}: " in done.stderr
    assert "expected a list, got 0" in done.stderr
    assert "lone surrogate" in done.stderr and "nested too deeply" in done.stderr
