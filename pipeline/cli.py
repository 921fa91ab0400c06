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

from pipeline.config import CONFIG_DIR, MODELS_DIR
from pipeline.reading.parse import ReadStats, read_many

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
    """Enrich and tag the catalogue of fiches action of social centres."""


def _say_problems(stats: ReadStats) -> None:
    """Print what the reader noticed, the files that failed and the rejected records."""
    for notice in stats.notices:
        _say(f"note: {notice}")
    for failure in stats.failed_files:
        _say(f"failed: {failure.reason}")
    for rejection in stats.rejected:
        _say(f"rejected: {rejection}")


def _report(stats: ReadStats, written: int) -> int:
    """Print notices, rejections and the summary line on stderr; return the exit code."""
    _say_problems(stats)
    _say(f"fiches read: {stats.found}, written: {written}, duplicates: {stats.duplicates}, "
         f"rejected: {len(stats.rejected)}, files failed: {len(stats.failed_files)}")
    return 1 if stats.rejected or stats.failed_files else 0


@app.command("parse")
def parse_cmd(inputs: Inputs, output: Output = "-") -> None:
    """Read fiches into JSONL records (no NLP).

    Example:

        fiches parse data/fiches_sample.txt -o out/fiches.jsonl
    """
    from pipeline.running.output import write_jsonl

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
    config: Annotated[Path, typer.Option(
        "--config", help="Config folder (gazetteer, role words, vocabulary, thesaurus).")
    ] = CONFIG_DIR,
    engine: Annotated[str, typer.Option(
        help="local: processes on this machine; dask: a Dask cluster (the 'cluster' extra).")
    ] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="With --engine dask: the scheduler's address (tcp://HOST:8786); default: a local "
             "cluster of --workers processes.")] = None,
) -> None:
    """Read fiches and write enriched records (extraction and suggestions).

    Adds entities, budget, funders, headcount, dates, and keyword and dimension suggestions.

    Output is written to a temporary file and renamed when complete. Exit code 1 when any fiche
    was rejected or failed (the others are written); 2 when another run holds the output or
    cache, or a config file or the model is unusable; 3 when a worker process died.

    Example:

        fiches enrich data/fiches_sample.txt -o out/enriched.jsonl --cache .cache/fiches

        fiches enrich data/fiches_sample.txt -o out/enriched.jsonl --engine dask --workers 2
    """
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.config import ConfigError
    from pipeline.running.batch import EngineError, LockError, run
    from pipeline.running.cache import CacheError
    from pipeline.running.stages import Settings

    settings = Settings(config_dir=config, model=None if no_suggest else _tagger_model(model),
                        threshold=threshold, limit=limit)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with _progress(quiet) as progress:
            result = run(inputs, output, settings, cache_dir=str(cache) if cache else None,
                         workers=workers, progress=progress, engine=engine,
                         scheduler=scheduler)
    except (LockError, CacheError, ConfigError, EngineError) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    except BrokenProcessPool as exc:
        _say(f"error: a worker process died ({exc or 'killed or out of memory'}); nothing "
             "written; with --cache, the next run resumes")
        raise typer.Exit(3) from None
    except KeyboardInterrupt:
        _say("interrupted: nothing written; with --cache, the next run resumes")
        raise typer.Exit(130) from None
    for notice in result.notices:
        _say(f"note: {notice}")
    for reason in [*result.files_failed, *result.rejected, *result.failed]:
        _say(f"rejected: {reason}")
    _say(result.line())
    if summary is not None:
        from pipeline.running.output import write_json

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


Catalogue = Annotated[list[str], typer.Argument(
    help="Tagged fiches: text exports or JSONL records; '-' reads standard input.",
    metavar="CATALOGUE...")]
ConfigDir = Annotated[Path, typer.Option(
    "--config", help="Folder with vocabulary.json and thesaurus.json.")]


def _read_tagged(inputs: list[str]) -> list:
    stats = ReadStats()
    fiches = list(read_many(inputs, stats))
    _say_problems(stats)
    return fiches


@app.command("train")
def train_cmd(
    catalogue: Catalogue,
    out: Annotated[Path, typer.Option("--out", help="Model folder to write.")] = DEFAULT_MODEL,
    config: ConfigDir = CONFIG_DIR,
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds for tuning.")] = 5,
) -> None:
    """Train the keyword and dimension tagger on tagged fiches.

    Learns from every fiche that has keywords or a dimension, tunes the weights, threshold and
    limit by cross-validation, and writes the model folder (model.joblib and card.json).

    Example:

        fiches train data/fiches_sample.txt --out models/tagger
    """
    from pipeline.config import ConfigError
    from pipeline.tagging.classify import TrainingError, save, train

    fiches = _read_tagged(catalogue)
    try:
        tagger, card = train(fiches, config, {"folds": folds})
    except (TrainingError, ConfigError) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from None
    folder = save(tagger, card, out)
    data = card["training_data"]
    _say(f"trained on {data['fiches']} fiches (duplicates skipped: {data['duplicates_skipped']},"
         f" untagged: {data['untagged_skipped']}, unknown keywords ignored: "
         f"{sum(data['unknown_keywords'].values())})")
    metrics = card["cross_validation"]["keywords"]
    if metrics:
        _say("cross-validated: " + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items()))
    _say(f"threshold {card['threshold']}, limit {card['limit']}; written to {folder}")


@app.command("evaluate")
def evaluate_cmd(
    catalogue: Catalogue,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    folds: Annotated[int | None, typer.Option(
        min=0, help="Outer folds; 0 for leave-one-out; default: leave-one-out up to 30 "
                    "fiches, else 5.")] = None,
    config: ConfigDir = CONFIG_DIR,
) -> None:
    """Cross-validate the tagger against two baselines on tagged fiches.

    Prints precision@1, precision@3, micro and macro F1, NDCG@5 and per-label precision /
    recall, for the ensemble, its parts and two baselines (most frequent labels; TF-IDF +
    logistic regression); dimension accuracy too.

    Example:

        fiches evaluate data/fiches_sample.txt --folds 5 --json > out/evaluation.json
    """
    import json

    from pipeline.config import ConfigError
    from pipeline.tagging.classify import TrainingError, cross_evaluate, load_labels, load_thesaurus
    from pipeline.tagging.metrics import format_report

    fiches = _read_tagged(catalogue)
    try:
        result = cross_evaluate(fiches, load_labels(config), load_thesaurus(config), k=folds)
    except (TrainingError, ConfigError) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from None
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json
               else format_report(result))


@app.command("suggest")
def suggest_cmd(
    inputs: Inputs,
    model: Annotated[Path, typer.Option(help="Tagger model folder.")] = DEFAULT_MODEL,
    threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="Minimum keyword score (default: the model's).")] = None,
    limit: Annotated[int | None, typer.Option(
        min=0, help="At most this many keywords (default: the model's).")] = None,
    jsonl: Annotated[bool, typer.Option(
        "--jsonl", help="One JSON object per fiche (id, source, title, suggestions).")] = False,
) -> None:
    """Suggest keywords and a dimension for fiches, leaving out those they already have.

    Scores are calibrated probabilities (0..1); evidence names the words that led there.

    Example:

        fiches suggest data/fiches_sample.txt --limit 3
        fiches parse new.txt | fiches suggest - --jsonl
    """
    import json

    from pipeline.tagging.classify import ModelError, load_suggester

    try:
        suggester = load_suggester(model, threshold, limit)
    except ModelError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    stats = ReadStats()
    fiches = list(read_many(inputs, stats))
    for fiche, sug in zip(fiches, suggester.suggest_records(fiches), strict=True):
        if jsonl:
            typer.echo(json.dumps({"id": fiche.id, "source": fiche.source.__dict__,
                                   "title": fiche.title, "suggestions": sug},
                                  ensure_ascii=False))
            continue
        typer.echo(f"{fiche.title or '(untitled)'}  [{fiche.source.file}:{fiche.source.line}]")
        kws = "; ".join(f"{k['label']} {k['score']:.2f} ({', '.join(k['evidence'])})"
                        for k in sug["keywords"]) or "-"
        typer.echo(f"  keywords: {kws}")
        dim = sug["dimension"]
        typer.echo(f"  dimension: {dim['label']} {dim['score']:.2f} "
                   f"({', '.join(dim['evidence'])})" if dim else "  dimension: -")
    raise typer.Exit(_report(stats, len(fiches)))


def _tagger_model(model: Path) -> Path | None:
    """The model folder for enrich once checked; None (with a notice) when the default model is
    absent; exits with a message when a model is unusable."""
    from pipeline.tagging.card import ModelError, read_card

    try:
        read_card(model)
    except ModelError as exc:
        if model == DEFAULT_MODEL and not model.exists():
            _say(f"note: no tagger model at {model}: suggestions are null "
                 "(train one with `fiches train`)")
            return None
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    return model


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
    """Summarise, check and chart the budgets of enriched records.

    Writes overview.json, CSV tables, PNG charts and a self-contained report.html (plus
    budgets.xlsx with --xlsx).

    Duplicates (same id) count once. Files are written to a temporary folder, then moved.
    Exit code 1 when the input cannot be read or holds records that are not enriched.

    Example:

        fiches report budgets out/enriched.jsonl --out out/report --xlsx
    """
    from pipeline.reporting.synthesis import ReportError, build_report
    from pipeline.reporting.writers import HTML_FILE, read_enriched, write_report

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
