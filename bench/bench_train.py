"""Benchmark of tagger training; prints the time and peak memory of `fiches train` measured in
one run per catalogue size.

    python bench/bench_train.py [--sizes 1000 10000] [--jobs 2]

Each catalogue holds N distinct fiches built from the sample (its fiches cycled, titles
numbered). Training runs as an operator runs it (`fiches train CATALOGUE --out DIR --jobs J`),
word vectors included, in a child process whose peak RSS is read from the kernel.
Target: 10 000 fiches in minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project root, not bench/ (whose catalogue.py would shadow spaCy's `catalogue`).
sys.path[0] = str(ROOT)

from bench.catalogue import build_catalogue  # noqa: E402

# Runs a command and prints the peak RSS (KiB) of its largest process, workers included.
RSS_PROBE = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "stderr=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def train_once(n: int, jobs: int, folder: Path) -> tuple[float, float]:
    """Seconds and peak MiB of training on a catalogue of `n` fiches."""
    catalogue = folder / f"catalogue_{n}.txt"
    catalogue.write_text(build_catalogue(n), encoding="utf-8")
    command = [sys.executable, "-m", "pipeline", "train", str(catalogue), "--out",
               str(folder / f"model_{n}"), "--jobs", str(jobs)]
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", RSS_PROBE, *command], check=True, cwd=ROOT,
                         capture_output=True, text=True).stdout
    seconds = time.perf_counter() - started
    return seconds, int(out.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"{'fiches':>8}{'seconds':>10}{'peak MiB':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            seconds, mib = train_once(n, args.jobs, Path(tmp))
            print(f"{n:>8}{seconds:>10.1f}{mib:>10.0f}", flush=True)


if __name__ == "__main__":
    main()
