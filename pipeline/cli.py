"""The `fiches` command line: thin typer commands over the library. Data to stdout, messages to
stderr. What every command shares (help, options, messages, exit codes) is in `commandline.py`.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.cli_report import report_app
from pipeline.cli_serve import serve_cmd
from pipeline.cli_tagging import evaluate_cmd, feedback_app, suggest_cmd, train_cmd
from pipeline.commandline import (
    DEFAULT_MODEL,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    EXIT_WORKER,
    ConfigOption,
    Inputs,
    LimitOption,
    ModelOption,
    Output,
    ThresholdOption,
    Typer,
    report_counts,
    say_lists,
    tagger_model,
)
from pipeline.commandline import cannot_write as _cannot_write
from pipeline.commandline import check_output_file as _check_output_file
from pipeline.commandline import fail as _fail
from pipeline.commandline import progress as _progress
from pipeline.commandline import say as _say
from pipeline.config import CONFIG_DIR
from pipeline.reading.parse import ReadStats, read_many

if TYPE_CHECKING:
    from pipeline.running.batch import RunSummary
    from pipeline.running.stages import Settings

app = Typer(
    help="""Enrich and tag the catalogue of fiches action of social centres.

Exit codes, on every command: 0 ok; 1 some input rejected or failed (the rest is written);
2 usage, config, model or output location problem; 3 a worker process died.

Example:

    fiches enrich data/fiches_sample.txt -o out/enriched.jsonl
    fiches report budgets out/enriched.jsonl -o out/report --xlsx
""",
    no_args_is_help=True,
)

CORES = os.cpu_count() or 1
CacheOption = Annotated[Path | None, typer.Option(
    metavar="DIR", help="Result cache folder (SQLite): unchanged fiches are not processed again, "
                        "and a killed run resumes where it stopped.")]
WorkersOption = Annotated[int, typer.Option(
    min=1, metavar="N", show_default=False,
    help="Processes for the NLP; default: the machine's cores.")]
NoSuggestOption = Annotated[bool, typer.Option(
    "--no-suggest", help="Skip suggestions (records get suggestions: null).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar (cron).")]
SummaryOption = Annotated[Path | None, typer.Option(
    metavar="FILE", help="Also write the run summary as JSON to this file.")]
EngineOption = Annotated[str, typer.Option(
    metavar="ENGINE",
    help="local: processes on this machine; dask: a Dask cluster (the 'cluster' extra).")]
SchedulerOption = Annotated[str | None, typer.Option(
    metavar="ADDRESS", show_default=False,
    help="With --engine dask: the scheduler's address (tcp://HOST:8786); default: a local "
         "cluster of --workers processes.")]


def _check_encoding(value: str | None) -> str | None:
    if value is not None:
        from pipeline.reading.decode import codec_name

        try:
            codec_name(value)
        except LookupError:
            raise typer.BadParameter(f"unknown encoding {value!r} (try utf-8, cp1252, "
                                     "latin-9)") from None
    return value


Encoding = Annotated[str | None, typer.Option(
    callback=_check_encoding, metavar="ENCODING",
    help="The inputs' encoding (utf-8, cp1252, latin-9...); default: decided from the bytes.")]


def _show_version(value: bool) -> None:
    if value:
        from pipeline import __version__

        typer.echo(f"fiches {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    pass


@app.command("parse")
def parse_cmd(inputs: Inputs, output: Output = "-", encoding: Encoding = None) -> None:
    """Read fiches into JSONL records (no NLP).

    Exit code 1 when any fiche was rejected (the others are written; when none is, a previous
    output is kept); 2 when the output cannot be written or another run holds it.

    Example:

        fiches parse data/fiches_sample.txt -o out/fiches.jsonl
    """
    from pipeline.running.output import LockError, OutputError, OutputKept, output_lock, write_jsonl

    _check_output_file(output)
    stats = ReadStats()
    records = (f.to_dict() for f in read_many(inputs, stats, encoding=encoding))
    try:
        with output_lock(output):
            written = write_jsonl(records, output, keep_previous_if=lambda n: n == 0 and bool(
                stats.rejected or stats.failed_files))
    except (LockError, OutputError) as exc:
        _fail(str(exc), EXIT_USAGE)
    except OutputKept as exc:
        written = 0
        _say(f"error: {exc}")
    raise typer.Exit(report_counts(stats, written))


@app.command("enrich")
def enrich_cmd(
    inputs: Inputs,
    output: Output = "-",
    cache: CacheOption = None,
    workers: WorkersOption = CORES,
    model: ModelOption = DEFAULT_MODEL,
    no_suggest: NoSuggestOption = False,
    threshold: ThresholdOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
    summary: SummaryOption = None,
    config: ConfigOption = CONFIG_DIR,
    encoding: Encoding = None,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
) -> None:
    """Read fiches and write enriched records (extraction and suggestions).

    Adds entities, budget, funders, headcount, dates, and keyword and dimension suggestions.

    Output is written to a temporary file and renamed when complete. Exit code 1 when any fiche
    was rejected or failed (the others are written; when none is, a previous output is kept);
    2 when another run holds the output or cache, the output, cache or summary location cannot
    be written (records are still written where they can be), or a config file or the model is
    unusable; 3 when a worker process died.

    Example:

        fiches enrich data/fiches_sample.txt -o out/enriched.jsonl \\
            --cache .cache/fiches
        fiches enrich data/fiches_sample.txt -o out/enriched.jsonl \\
            --engine dask --workers 2
    """
    from pipeline.running.stages import Settings

    _check_output_file(output)
    settings = Settings(config_dir=config, model=None if no_suggest else tagger_model(model),
                        threshold=threshold, limit=limit)
    result = _run(inputs, output, settings, quiet, cache=str(cache) if cache else None,
                  workers=workers, encoding=encoding, engine=engine, scheduler=scheduler)
    raise typer.Exit(_say_run(result, summary))


def _run(inputs: list[str], output: str, settings: Settings, quiet: bool, *, cache: str | None,
         workers: int, encoding: str | None, engine: str, scheduler: str | None) -> RunSummary:
    """`batch.run` with a progress bar; what stops it becomes a message and an exit code."""
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.config import ConfigError
    from pipeline.running.batch import EngineError, LockError, run
    from pipeline.running.output import OutputError

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with _progress(quiet) as progress:
            return run(inputs, output, settings, cache_dir=cache, workers=workers,
                       progress=progress, encoding=encoding, engine=engine, scheduler=scheduler)
    except (LockError, OutputError, ConfigError, EngineError) as exc:
        _fail(str(exc), EXIT_USAGE)
    except OSError as exc:  # inputs are read and reported by the reader: this is the output
        _fail(_cannot_write(output, exc), EXIT_USAGE)
    except BrokenProcessPool as exc:
        _fail(f"a worker process died ({exc or 'killed or out of memory'}); nothing written; "
              "with --cache, the next run resumes", EXIT_WORKER)
    except KeyboardInterrupt:
        _say("interrupted: nothing written; with --cache, the next run resumes")
        raise typer.Exit(130) from None


def _say_run(result: RunSummary, summary: Path | None) -> int:
    """Print what the run noticed, rejected and failed, and its summary line (also as JSON to
    `summary`); the exit code it calls for."""
    from pipeline.running.output import OutputError, write_json

    say_lists(result.notices, result.files_failed, result.rejected, result.failed)
    for problem in [*result.errors, *filter(None, [result.output_kept])]:
        _say(f"error: {problem}")
    _say(result.line())
    code = EXIT_USAGE if result.errors else EXIT_OK if result.ok else EXIT_REJECTED
    if summary is not None:
        try:
            write_json(result.to_dict(), summary)
        except OutputError as exc:
            _say(f"error: summary not written: {exc}")
            code = EXIT_USAGE
    return code


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


app.command("train")(train_cmd)
app.command("evaluate")(evaluate_cmd)
app.command("suggest")(suggest_cmd)
app.add_typer(report_app, name="report")
app.command("serve")(serve_cmd)
app.add_typer(feedback_app, name="feedback")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="fiches")


if __name__ == "__main__":  # pragma: no cover
    main()
