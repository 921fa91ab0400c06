"""`make bench-serve`: the tagging service under load, measured in one run.

Starts `fiches serve` on 127.0.0.1, warms it up, then per endpoint (`/v1/suggest`, then
`/v1/enrich`) sends N requests (default 300) from C concurrent clients (default 8) with httpx:
distinct fiches, those of the sample and of both held-out sets interleaved and cycled, titles
numbered. Prints p50 / p95 / p99 latency, requests per second and errors per endpoint, the CPU
time the server's processes (server + NLP workers) spent per request, which a busy machine
disturbs far less than latency, and the server's RSS after warm-up ("before") and after the
load. The server is stopped at the end, whatever happens.
Targets on the project's 2-core machine: suggest p50 <= 50 ms, enrich p50 <= 200 ms, no error,
RSS after <= 1.1 x before.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.processes import stop_process  # noqa: E402
from pipeline.reading.parse import ReadStats, read_fiches  # noqa: E402

HELDOUT = ROOT / "tests" / "heldout"
CATALOGUES = (ROOT / "data" / "fiches_sample.txt", HELDOUT / "fiches_heldout.txt",
              HELDOUT / "fiches_heldout2.txt")
WARM_UP = 16  # requests per endpoint before "RSS before"
START_TIMEOUT = 180.0
REQUEST_TIMEOUT = 60.0
TARGETS = {"suggest_p50_ms": 50.0, "enrich_p50_ms": 200.0, "rss_ratio": 1.1}


def fiche_records() -> list[dict[str, Any]]:
    """The catalogues' records, interleaved (one of each in turn) so that any run of requests
    mixes the sample with fiches the tagger never saw; duplicates left out."""
    catalogues = [[f.to_dict() for f in read_fiches(path, ReadStats()) if f.duplicate_of is None]
                  for path in CATALOGUES]
    mixed = [c[i] for i in range(max(map(len, catalogues))) for c in catalogues if i < len(c)]
    return mixed


def fiche_bodies(n: int) -> list[dict[str, Any]]:
    """`n` distinct fiches as request bodies: the catalogues' records, cycled, titles numbered."""
    records = fiche_records()
    bodies = []
    for i in range(n):
        record = dict(records[i % len(records)])
        record.pop("id")
        record["title"] = f"{record['title'] or 'Action'} (n° {i})"
        bodies.append({"fiche": record})
    return bodies


def process_tree(pid: int) -> list[Path]:
    """/proc folders of process `pid` and all its descendants (NLP workers, forkserver)."""
    found, todo = [], [pid]
    while todo:
        proc = Path(f"/proc/{todo.pop()}")
        try:
            for task in (proc / "task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended meanwhile
        found.append(proc)
    return found


def rss_mib(pid: int) -> float:
    """Resident set size of the server's process tree in MiB (Linux /proc)."""
    total = 0
    for proc in process_tree(pid):
        with contextlib.suppress(FileNotFoundError, StopIteration):
            total += next(int(line.split()[1]) for line in
                          (proc / "status").read_text().splitlines() if line.startswith("VmRSS:"))
    return total / 1024


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system) used so far by the server's process and by its descendants
    (the NLP workers)."""
    ticks = [0, 0]
    for proc in process_tree(pid):
        with contextlib.suppress(FileNotFoundError):
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            ticks[proc.name != str(pid)] += int(fields[11]) + int(fields[12])
    return ticks[0] / os.sysconf("SC_CLK_TCK"), ticks[1] / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, feedback: Path, workers: int | None) -> subprocess.Popen[bytes]:
    extra = [] if workers is None else ["--workers", str(workers)]
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--port", str(port), "--feedback",
         str(feedback), *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.25)
    stop_process(process)
    raise SystemExit("error: fiches serve did not start")


async def load(url: str, bodies: list[dict[str, Any]], concurrency: int) -> dict[str, Any]:
    """Send every body once from `concurrency` clients; latencies in ms, errors, rate."""
    latencies: list[float] = []
    errors: list[str] = []
    pending = iter(bodies)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client(http: httpx.AsyncClient) -> None:
        for body in pending:  # shared iterator: each body is sent once
            started = time.perf_counter()
            try:
                response = await http.post(url, json=body)
                if response.status_code != 200:
                    errors.append(f"{response.status_code}: {response.text[:200]}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            latencies.append((time.perf_counter() - started) * 1000)

    async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": len(errors), "first_errors": errors[:3],
            "seconds": round(seconds, 2), "rps": round(len(latencies) / seconds, 1),
            **{f"p{q}_ms": round(percentile(latencies, q), 1) for q in (50, 95, 99)}}


def percentile(sorted_values: list[float], q: float) -> float:
    """The q-th percentile, linear between ranks."""
    if not sorted_values:
        return float("nan")
    rank = (len(sorted_values) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def run(n: int, concurrency: int, workers: int | None) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        process = start_server(port, Path(tmp) / "feedback.sqlite", workers)
        try:
            warm = fiche_bodies(WARM_UP)
            for path in ("/v1/suggest", "/v1/enrich"):
                asyncio.run(load(base + path, warm, concurrency))
            before = rss_mib(process.pid)
            bodies = fiche_bodies(n)
            results = {}
            for name in ("suggest", "enrich"):
                cpu = cpu_seconds(process.pid)
                results[name] = asyncio.run(load(f"{base}/v1/{name}", bodies, concurrency))
                server, workers_ = (b - a for a, b in zip(cpu, cpu_seconds(process.pid),
                                                         strict=True))
                results[name].update({
                    "server_cpu_ms_per_request": round((server + workers_) / n * 1000, 1),
                    "main_cpu_ms_per_request": round(server / n * 1000, 1),
                    "workers_cpu_ms_per_request": round(workers_ / n * 1000, 1)})
            after = rss_mib(process.pid)
        finally:
            stop_process(process)
    return {"requests_per_endpoint": n, "concurrency": concurrency, "cores": os.cpu_count(),
            "workers": "default (cores)" if workers is None else workers,
            "load_average": round(os.getloadavg()[0], 1),
            **results, "rss_before_mib": round(before, 1), "rss_after_mib": round(after, 1),
            "rss_ratio": round(after / before, 3)}


def report(r: dict[str, Any]) -> bool:
    """Print the figures and whether each target is met; True when all are."""
    print(f"{r['requests_per_endpoint']} requests per endpoint, concurrency {r['concurrency']}, "
          f"{r['cores']} cores, server on 127.0.0.1 (--workers {r['workers']}); load average "
          f"{r['load_average']} at the end")
    print(f"{'endpoint':<12} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7} {'errors':>6}"
          f" {'server CPU ms/req':>18} {'(main + workers)':>17}")
    for name in ("suggest", "enrich"):
        e = r[name]
        split = f"({e['main_cpu_ms_per_request']} + {e['workers_cpu_ms_per_request']})"
        print(f"/v1/{name:<8} {e['p50_ms']:>8} {e['p95_ms']:>8} {e['p99_ms']:>8} "
              f"{e['rps']:>7} {e['errors']:>6} {e['server_cpu_ms_per_request']:>18} {split:>17}")
        for error in e["first_errors"]:
            print(f"  error: {error}")
    print(f"server RSS: {r['rss_before_mib']} MiB after warm-up, {r['rss_after_mib']} MiB after "
          f"the load (x{r['rss_ratio']})")
    checks = {
        f"suggest p50 <= {TARGETS['suggest_p50_ms']:.0f} ms":
            r["suggest"]["p50_ms"] <= TARGETS["suggest_p50_ms"],
        f"enrich p50 <= {TARGETS['enrich_p50_ms']:.0f} ms":
            r["enrich"]["p50_ms"] <= TARGETS["enrich_p50_ms"],
        "no error": r["suggest"]["errors"] == 0 and r["enrich"]["errors"] == 0,
        f"RSS after <= {TARGETS['rss_ratio']} x before": r["rss_ratio"] <= TARGETS["rss_ratio"],
    }
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'MISS'} {name}")
    return all(checks.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, help="`fiches serve --workers` (default: its own)")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()
    if not 1 <= args.concurrency <= 64 or not 1 <= args.requests <= 10_000:
        raise SystemExit("error: --requests 1..10000, --concurrency 1..64")
    results = run(args.requests, args.concurrency, args.workers)
    ok = report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
