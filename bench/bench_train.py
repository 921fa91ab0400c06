"""Benchmark of tagger training; prints the time (wall and CPU) and peak memory of `fiches train`
measured in one run per catalogue size.

    python bench/bench_train.py [--sizes 1000 10000] [--jobs 2]

Each catalogue holds N distinct fiches built from the sample (its fiches cycled, titles
numbered). Training runs as an operator runs it (`fiches train CATALOGUE --out DIR --jobs J`),
word vectors included, in a child process whose peak RSS and CPU time (its workers' included)
are read from the kernel. CPU time is printed beside the wall time because on a shared machine
the wall time also counts the time other programs held the cores.
Target: 10 000 fiches in minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project root, not bench/ (whose catalogue.py would shadow spaCy's `catalogue`).
sys.path[0] = str(ROOT)

from bench.catalogue import build_catalogue  # noqa: E402

# Runs a command and prints the peak RSS (KiB) of its largest process and the CPU seconds of all
# its processes, workers included.
RSS_PROBE = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "stderr=subprocess.DEVNULL); "
             "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(u.ru_maxrss, u.ru_utime + u.ru_stime)")


def train_once(n: int, jobs: int, folder: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MiB of training on a catalogue of `n` fiches."""
    catalogue = folder / f"catalogue_{n}.txt"
    catalogue.write_text(build_catalogue(n), encoding="utf-8")
    command = [sys.executable, "-m", "pipeline", "train", str(catalogue), "--out",
               str(folder / f"model_{n}"), "--jobs", str(jobs)]
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", RSS_PROBE, *command], check=True, cwd=ROOT,
                         capture_output=True, text=True).stdout
    seconds = time.perf_counter() - started
    rss, cpu = out.strip().splitlines()[-1].split()
    return seconds, float(cpu), int(rss) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"training with --jobs {args.jobs} on {os.cpu_count()} cores")
    print(f"{'fiches':>8}{'seconds':>10}{'CPU s':>10}{'peak MiB':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            seconds, cpu, mib = train_once(n, args.jobs, Path(tmp))
            print(f"{n:>8}{seconds:>10.1f}{cpu:>10.1f}{mib:>10.0f}", flush=True)


if __name__ == "__main__":
    main()
