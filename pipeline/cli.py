"""The `fiches` command line: thin typer commands over the library. Data to stdout, messages to
stderr."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import MODELS_DIR
from pipeline.parse import ReadStats, read_many

app = typer.Typer(
    help="Enrich and tag the catalogue of fiches action of social centres.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Inputs = Annotated[list[str], typer.Argument(
    help="Text exports or JSONL record files; '-' reads standard input.", metavar="INPUT...")]
Output = Annotated[str, typer.Option("--output", "-o", help="Output JSONL; '-' is stdout.")]
DEFAULT_MODEL = MODELS_DIR / "tagger"


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _report(stats: ReadStats, written: int) -> int:
    """Print notices, rejections and the summary line on stderr; return the exit code."""
    for notice in stats.notices:
        _say(f"note: {notice}")
    for failure in stats.failed_files:
        _say(f"failed: {failure.reason}")
    for rejection in stats.rejected:
        _say(f"rejected: {rejection}")
    _say(f"fiches read: {stats.found}, written: {written}, duplicates: {stats.duplicates}, "
         f"rejected: {len(stats.rejected)}, files failed: {len(stats.failed_files)}")
    return 1 if stats.rejected or stats.failed_files else 0


@app.command("parse")
def parse_cmd(inputs: Inputs, output: Output = "-") -> None:
    """Read fiches into JSONL records (no NLP).

    Example:

        fiches parse data/fiches_sample.txt -o out/fiches.jsonl
    """
    from pipeline.output import write_jsonl

    stats = ReadStats()
    written = write_jsonl((f.to_dict() for f in read_many(inputs, stats)), output)
    raise typer.Exit(_report(stats, written))


@app.command("enrich")
def enrich_cmd(
    inputs: Inputs,
    output: Output = "-",
    cache: Annotated[Path | None, typer.Option(
        help="Result cache folder (SQLite): unchanged fiches are not processed again, and a "
             "killed run resumes where it stopped.")] = None,
    workers: Annotated[int, typer.Option(
        min=1, help="Processes for the NLP; default: the machine's cores.")] = os.cpu_count() or 1,
    model: Annotated[Path, typer.Option(
        help="Tagger model for keyword/dimension suggestions.")] = DEFAULT_MODEL,
    no_suggest: Annotated[bool, typer.Option(
        "--no-suggest", help="Skip suggestions (records get suggestions: null).")] = False,
    threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="Suggest keywords scoring at least this (default: the model's "
                               "tuned threshold).")] = None,
    limit: Annotated[int | None, typer.Option(
        min=0, help="At most this many keywords per fiche (default: the model's).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar (cron).")] = False,
    summary: Annotated[Path | None, typer.Option(
        help="Also write the run summary as JSON to this file.")] = None,
) -> None:
    """Read fiches and write enriched records: entities, budget, funders, headcount, dates,
    keyword and dimension suggestions.

    Output is written to a temporary file and renamed when complete. Exit code 1 when any fiche
    was rejected or failed (the others are written), 2 when another run holds the output or cache.

    Example:

        fiches enrich data/fiches_sample.txt -o out/enriched.jsonl --cache .cache/fiches
    """
    from pipeline.batch import LockError, run
    from pipeline.cache import CacheError
    from pipeline.enrich import Settings

    settings = Settings(model=None if no_suggest else model, threshold=threshold, limit=limit)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with _progress(quiet) as progress:
            result = run(inputs, output, settings, cache_dir=str(cache) if cache else None,
                         workers=workers, progress=progress)
    except (LockError, CacheError) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        _say("interrupted: nothing written; with --cache, the next run resumes")
        raise typer.Exit(130) from None
    for notice in result.notices:
        _say(f"note: {notice}")
    for reason in [*result.files_failed, *result.rejected, *result.failed]:
        _say(f"rejected: {reason}")
    _say(result.line())
    if summary is not None:
        from pipeline.output import write_json

        write_json(result.to_dict(), summary)
    raise typer.Exit(0 if result.ok else 1)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int | None], Callable[[int], None]] | None]:
    """A rich progress bar on stderr (done / total, rate, ETA), or nothing when quiet."""
    if quiet:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("enriching"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        def start(total: int | None) -> Callable[[int], None]:
            task = bar.add_task("enrich", total=total, rate="")

            def advance(n: int) -> None:
                bar.advance(task, n)
                speed = bar.tasks[task].speed
                bar.update(task, rate=f"{speed:.1f} fiches/s" if speed else "")
            return advance
        yield start


report_app = typer.Typer(help="Summaries of enriched records for analysts.", no_args_is_help=True)
app.add_typer(report_app, name="report")


@report_app.command("budgets")
def report_budgets_cmd(
    enriched: Annotated[str, typer.Argument(
        help="Enriched JSONL (from `fiches enrich`); '-' reads standard input.",
        metavar="ENRICHED.jsonl")],
    out: Annotated[str, typer.Option("--out", help="Report folder (created if needed).")],
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Also write every table to "
                                                      "budgets.xlsx.")] = False,
) -> None:
    """Summarise, check and chart the budgets of enriched records: overview.json, CSV tables,
    PNG charts and a self-contained report.html (plus budgets.xlsx with --xlsx).

    Duplicates (same id) count once. Files are written to a temporary folder, then moved.
    Exit code 1 when the input cannot be read or holds records that are not enriched.

    Example:

        fiches report budgets out/enriched.jsonl --out out/report --xlsx
    """
    from pipeline.report import ReportError, build_report
    from pipeline.report_write import HTML_FILE, read_enriched, write_report

    try:
        report = build_report(read_enriched(enriched))
        files = write_report(report, out, source="<stdin>" if enriched == "-" else enriched,
                             xlsx=xlsx)
    except ReportError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from None
    ov = report.overview
    _say(f"fiches: {ov['fiches']} (records: {ov['records']}, duplicates: {ov['duplicates']}), "
         f"with a budget: {ov['fiches_with_budget']}, total: {ov['budget_total_eur']:.2f} EUR")
    _say(f"{len(files)} files written; open {files[0].parent / HTML_FILE}")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="fiches")


if __name__ == "__main__":  # pragma: no cover
    main()
