"""Benchmark of the dask engine against the local engine; figures measured in one run.

    python bench/bench_cluster.py [--n 400] [--workers 1 2]

For each engine (local process pool, dask local cluster) and worker count, `fiches enrich` is
timed end to end (a fresh process each time, no cache) on a catalogue of one fiche and on one of
N distinct fiches:

- start-up: the one-fiche run (imports, pool or cluster start, every worker loading the model);
- throughput: (N - 1) / (time for N - time for 1), the fiches per second once running.

Then the start-up of a one-fiche run against a standing cluster (`--scheduler`) of the largest
worker count, the first run (its workers load the model) and the next one (they keep it).

Every output is compared with the local engine's, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue import build_catalogue  # noqa: E402
from bench.processes import stop_process  # noqa: E402

ENRICH = [sys.executable, "-m", "pipeline", "enrich", "--quiet"]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    return time.perf_counter() - started


def measure(engine: str, workers: int, one: Path, many: Path, n: int, tmp: Path) -> dict:
    """Start-up and throughput of one engine with `workers` processes."""
    run = [*ENRICH, "--engine", engine, "--workers", str(workers)]
    out = tmp / f"{engine}-{workers}.jsonl"
    startup = timed([*run, str(one), "-o", str(tmp / "one.jsonl")])
    total = timed([*run, str(many), "-o", str(out)])
    return {"engine": engine, "workers": workers, "startup_s": round(startup, 2),
            "total_s": round(total, 2),
            "fiches_per_s": round((n - 1) / max(total - startup, 1e-9), 2),
            "output": out}


@contextmanager
def dask_processes(workers: int, tmp: Path) -> Iterator[str]:
    """A scheduler and `workers` worker processes started with the `dask` command, as on
    several machines (README), on 127.0.0.1; stopped on exit. Yields the scheduler's address."""
    from distributed import Client

    dask, info = str(Path(sys.executable).parent / "dask"), str(tmp / "scheduler.json")
    local = ["--host", "127.0.0.1", "--no-dashboard", "--scheduler-file", info]
    started = [subprocess.Popen([dask, "scheduler", "--port", "0", *local],
                                stderr=subprocess.DEVNULL)]
    try:
        started.append(subprocess.Popen([dask, "worker", "--nworkers", str(workers),
                                         "--nthreads", "1", *local], stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 120
        while not Path(info).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        with Client(scheduler_file=info, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
            yield json.loads(Path(info).read_text(encoding="utf-8"))["address"]
    finally:
        for process in reversed(started):
            stop_process(process, grace=30)


def standing(workers: int, one: Path, tmp: Path) -> dict:
    """Start-up of runs against a cluster that was already running (first and second run)."""
    with dask_processes(workers, tmp) as address:
        run = [*ENRICH, "--engine", "dask", "--scheduler", address, str(one)]
        first = timed([*run, "-o", str(tmp / "standing1.jsonl")])
        second = timed([*run, "-o", str(tmp / "standing2.jsonl")])
    return {"workers": workers, "first_run_startup_s": round(first, 2),
            "next_run_startup_s": round(second, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="fiches in the catalogue")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fiches-bench-cluster-") as tmp_dir:
        tmp = Path(tmp_dir)
        one, many = tmp / "one.txt", tmp / "many.txt"
        one.write_text(build_catalogue(1), encoding="utf-8")
        many.write_text(build_catalogue(args.n), encoding="utf-8")
        print(f"catalogue: {args.n} distinct fiches; cores: {os.cpu_count()}; "
              f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        rows = [measure(engine, workers, one, many, args.n, tmp)
                for workers in args.workers for engine in ("local", "dask")]
        reference = rows[0]["output"].read_bytes()
        for row in rows:
            row["identical_to_local"] = row.pop("output").read_bytes() == reference
        warm = standing(max(args.workers), one, tmp)
    print(json.dumps({"runs": rows, "standing_cluster": warm}, indent=2))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"{'engine':<7}{'workers':>8}{'start-up s':>12}{'fiches/s':>10}{'total s':>9}")
    for row in rows:
        print(f"{row['engine']:<7}{row['workers']:>8}{row['startup_s']:>12.2f}"
              f"{row['fiches_per_s']:>10.2f}{row['total_s']:>9.2f}")
    for workers in args.workers:
        local, dask = (next(r for r in rows if r["engine"] == e and r["workers"] == workers)
                       for e in ("local", "dask"))
        print(f"{workers} worker(s): dask / local throughput "
              f"{dask['fiches_per_s'] / local['fiches_per_s']:.3f}, extra start-up "
              f"{dask['startup_s'] - local['startup_s']:+.2f} s")
    print(f"standing cluster of {warm['workers']}: start-up {warm['first_run_startup_s']:.2f} s "
          f"(first run), {warm['next_run_startup_s']:.2f} s (next run)")


if __name__ == "__main__":
    main()
