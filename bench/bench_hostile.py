"""Benchmark of bounded work on hostile input; prints figures measured in one run.

    python bench/bench_hostile.py

1. per fiche: `fiches enrich` (one process, no suggestions) on one fiche whose every free-text
   field is hostile, against the same run on an ordinary fiche; seconds and peak RSS, model
   loading included.
                                            target: peak RSS < 1 GiB for any single fiche
2. `numbers.parse_count` on 1 000, 2 000, 4 000 repeated amounts: seconds (linear, not
   quadratic: doubling the input should about double the time).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue import sample_fiches  # noqa: E402
from pipeline.reading.parse import HEADINGS  # noqa: E402
from pipeline.records import TEXT_FIELDS  # noqa: E402

FICHES = [sys.executable, "-m", "pipeline"]
RSS_PROBE = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")

FIELDS = {
    "ordinary fiche": None,
    "254 KB of nested brackets": "[" * 127_000 + "]" * 127_000,
    "5 MB of budget sentences": ("Le budget est de 1 500 € financé par la CAF et la Ville. "
                                 * 90_000)[:5_000_000],
    "5 MB without a space": "1" * 5_000_000,
    "5 MB of repeated people counts": "2 animateurs, 10 bénévoles; " * 180_000,
}


def fiche_with(field: str | None) -> str:
    """A fiche of the form whose every free-text field holds `field` (each field has its own
    components), or the sample's first fiche when `field` is None."""
    if field is None:
        return sample_fiches()[0]
    lines = ["Actions", "Fiche hostile", "- Structure organisatrice", "- CENTRE SOCIAL - Oise"]
    for key, heading in HEADINGS:
        lines.append(f"- {heading}")
        if key in TEXT_FIELDS:
            lines.append(field)
    return "\n".join(lines) + "\n"


def measure(catalogue: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of enriching `catalogue`."""
    command = [*FICHES, "enrich", str(catalogue), "-o", str(out), "--workers", "1",
               "--no-suggest", "--quiet"]
    started = time.perf_counter()
    probe = subprocess.run([sys.executable, "-c", RSS_PROBE, *command], cwd=ROOT,
                           capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    return seconds, int(probe.stdout.strip().splitlines()[-1]) / 1024


def parse_count_seconds(n: int) -> float:
    from pipeline.extraction.numbers import parse_count

    text = "environ 20 " * n
    started = time.perf_counter()
    parse_count(text)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, field in FIELDS.items():
            catalogue = folder / "one.txt"
            catalogue.write_text("Les actions des centres sociaux\n" + fiche_with(field),
                                 encoding="utf-8")
            seconds, mib = measure(catalogue, folder / "out.jsonl")
            record = json.loads((folder / "out.jsonl").read_text(encoding="utf-8"))
            notes = [w for w in record["warnings"] if "extraction" in w]
            print(f"{name:34s} {seconds:6.1f} s  peak RSS {mib:7.0f} MiB  "
                  f"{'; '.join(notes)[:90]}")
    for n in (1000, 2000, 4000):
        print(f"parse_count on {n} repeated counts: {parse_count_seconds(n):.4f} s")


if __name__ == "__main__":
    main()
