"""The `fiches` command line: thin typer commands over the library. Data to stdout, messages to
stderr. What every command shares (help, options, messages, exit codes) is in `commandline.py`.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli_report import report_app
from pipeline.cli_serve import serve_cmd
from pipeline.cli_tagging import challenge, feedback_app, read_verdicts, say_trained
from pipeline.commandline import (
    DEFAULT_MODEL,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    EXIT_WORKER,
    ConfigOption,
    Inputs,
    JsonFlag,
    ModelOption,
    OldOut,
    Output,
    Typer,
    tagger_model,
)
from pipeline.commandline import cannot_write as _cannot_write
from pipeline.commandline import check_output_file as _check_output_file
from pipeline.commandline import fail as _fail
from pipeline.commandline import old_name as _old_name
from pipeline.commandline import progress as _progress
from pipeline.commandline import say as _say
from pipeline.config import CONFIG_DIR
from pipeline.reading.parse import ReadStats, read_many

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
    return EXIT_REJECTED if stats.rejected or stats.failed_files else EXIT_OK


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
    raise typer.Exit(_report(stats, written))


@app.command("enrich")
def enrich_cmd(
    inputs: Inputs,
    output: Output = "-",
    cache: Annotated[Path | None, typer.Option(
        metavar="DIR", help="Result cache folder (SQLite): unchanged fiches are not processed "
                            "again, and a killed run resumes where it stopped.")] = None,
    workers: Annotated[int, typer.Option(
        min=1, metavar="N", show_default=False,
        help="Processes for the NLP; default: the machine's cores.")] = os.cpu_count() or 1,
    model: ModelOption = DEFAULT_MODEL,
    no_suggest: Annotated[bool, typer.Option(
        "--no-suggest", help="Skip suggestions (records get suggestions: null).")] = False,
    threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, metavar="SCORE", help="Suggest keywords scoring at least this "
                                                "(default: the model's tuned threshold).")] = None,
    limit: Annotated[int | None, typer.Option(
        min=0, metavar="N", help="At most this many keywords per fiche (default: the model's).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar (cron).")] = False,
    summary: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Also write the run summary as JSON to this file.")] = None,
    config: ConfigOption = CONFIG_DIR,
    encoding: Encoding = None,
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
    """
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.config import ConfigError
    from pipeline.running.batch import LockError, run
    from pipeline.running.output import OutputError
    from pipeline.running.stages import Settings

    _check_output_file(output)
    settings = Settings(config_dir=config, model=None if no_suggest else tagger_model(model),
                        threshold=threshold, limit=limit)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with _progress(quiet) as progress:
            result = run(inputs, output, settings, cache_dir=str(cache) if cache else None,
                         workers=workers, progress=progress, encoding=encoding)
    except (LockError, OutputError, ConfigError) as exc:
        _fail(str(exc), EXIT_USAGE)
    except OSError as exc:  # inputs are read and reported by the reader: this is the output
        _fail(_cannot_write(output, exc), EXIT_USAGE)
    except BrokenProcessPool as exc:
        _fail(f"a worker process died ({exc or 'killed or out of memory'}); nothing written; "
              "with --cache, the next run resumes", EXIT_WORKER)
    except KeyboardInterrupt:
        _say("interrupted: nothing written; with --cache, the next run resumes")
        raise typer.Exit(130) from None
    for notice in result.notices:
        _say(f"note: {notice}")
    for reason in result.files_failed:
        _say(f"failed: {reason}")
    for reason in result.rejected:
        _say(f"rejected: {reason}")
    for reason in result.failed:
        _say(f"failed: {reason}")
    for problem in [*result.errors, *filter(None, [result.output_kept])]:
        _say(f"error: {problem}")
    _say(result.line())
    code = 2 if result.errors else 0 if result.ok else 1
    if summary is not None:
        from pipeline.running.output import write_json

        try:
            write_json(result.to_dict(), summary)
        except OutputError as exc:
            _say(f"error: summary not written: {exc}")
            code = 2
    raise typer.Exit(code)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


Catalogue = Annotated[list[str], typer.Argument(
    help="Tagged fiches: text exports or JSONL records; '-' reads standard input.",
    metavar="CATALOGUE...")]
ConfigDir = Annotated[Path, typer.Option(
    "--config", metavar="DIR", show_default=False,
    help="Folder with vocabulary.json and thesaurus.json; default: config in the project.")]


def _read_tagged(inputs: list[str]) -> tuple[list, int]:
    """The fiches read, and the exit code their reading calls for."""
    stats = ReadStats()
    fiches = list(read_many(inputs, stats))
    _say_problems(stats)
    return fiches, EXIT_REJECTED if stats.rejected or stats.failed_files else EXIT_OK


@app.command("train")
def train_cmd(
    catalogue: Catalogue,
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="DIR", show_default=False,
        help="Model folder to write; default: models/tagger in the project.")] = DEFAULT_MODEL,
    config: ConfigDir = CONFIG_DIR,
    folds: Annotated[int, typer.Option(
        min=2, metavar="N", help="Cross-validation folds for tuning.")] = 5,
    feedback: Annotated[Path | None, typer.Option(
        "--feedback", metavar="DB", show_default=False,
        help="Staff decisions (`fiches feedback add`) to learn from.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the current model even when it measures better.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", min=1, metavar="N",
                                      help="Parallel processes.")] = 1,
    vectors: Annotated[bool, typer.Option(
        "--vectors/--no-vectors", help="Try the word vectors; --no-vectors is faster.")] = True,
    as_json: JsonFlag = False,
    out: OldOut = None,
) -> None:
    """Train the keyword and dimension tagger on tagged fiches (and staff decisions).

    Learns from tagged fiches and from the decisions in --feedback (accepted labels are
    positives, rejected ones negatives). Parts, threshold and limit are chosen by
    cross-validation, and the model folder is written (model.json, arrays.npz, card.json). A
    better current model in the output folder is kept (exit 1, both figures printed) unless
    --force. With --json, prints the model card on stdout.

    Exit code 1 when some input was rejected (the model is trained on the rest), training
    failed or the current model is better; 2 when a config file or the feedback file is
    unusable or the model folder cannot be written.

    Example:

        fiches train data/fiches_sample.txt --feedback feedback.sqlite \\
            -o models/tagger
    """
    import json

    from pipeline.config import ConfigError
    from pipeline.tagging.classify import TrainingError, save, train

    output = Path(_old_name(output, out, DEFAULT_MODEL))
    fiches, code = _read_tagged(catalogue)
    verdicts = read_verdicts(feedback) if feedback is not None else None
    try:
        params = {"folds": folds, "n_jobs": jobs, "use_vectors": "auto" if vectors else False}
        tagger, card, corpus = train(fiches, config, params, verdicts)
    except ConfigError as exc:
        _fail(str(exc), EXIT_USAGE)
    except TrainingError as exc:
        _fail(str(exc), EXIT_REJECTED)
    say_trained(card)
    card["champion_challenger"] = challenge(output, tagger, corpus, force)
    try:
        folder = save(tagger, card, output)
    except OSError as exc:
        _fail(f"{output}: cannot write the model: {exc.strerror or exc}", EXIT_USAGE)
    if as_json:
        typer.echo(json.dumps(card, ensure_ascii=False, indent=2))
    _say(f"threshold {card['threshold']}, limit {card['limit']}; written to {folder}")
    raise typer.Exit(code)


@app.command("evaluate")
def evaluate_cmd(
    catalogue: Catalogue,
    as_json: JsonFlag = False,
    folds: Annotated[int | None, typer.Option(
        min=0, metavar="N", help="Outer folds; 0 for leave-one-out; default: leave-one-out up "
                                 "to 30 fiches, else 5.")] = None,
    config: ConfigDir = CONFIG_DIR,
    curve: Annotated[bool, typer.Option("--curve/--no-curve", help="Learning curve.")] = True,
    vectors: Annotated[bool, typer.Option(
        "--vectors/--no-vectors", help="Try the word vectors; --no-vectors is faster.")] = True,
) -> None:
    """Cross-validate the tagger against baselines on tagged fiches (nested).

    Prints P@1, P@3, P@5, R@5, micro and macro F1, NDCG@5 and per-label precision / recall of
    the ensemble, its parts and two baselines; the dimension's accuracy and per-class precision
    / recall against the majority class; the learning curve (trained on 5, 10, 15, all).

    Example:

        fiches evaluate data/fiches_sample.txt --folds 5 --json > out/eval.json
    """
    import json

    from pipeline.config import ConfigError
    from pipeline.tagging.classify import TrainingError, cross_evaluate, load_labels, load_thesaurus
    from pipeline.tagging.metrics import format_report

    fiches, code = _read_tagged(catalogue)
    try:
        result = cross_evaluate(fiches, load_labels(config), load_thesaurus(config), k=folds,
                                params=None if vectors else {"use_vectors": False}, curve=curve)
    except ConfigError as exc:
        _fail(str(exc), EXIT_USAGE)
    except TrainingError as exc:
        _fail(str(exc), EXIT_REJECTED)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json
               else format_report(result))
    raise typer.Exit(code)


@app.command("suggest")
def suggest_cmd(
    inputs: Inputs,
    model: ModelOption = DEFAULT_MODEL,
    threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, metavar="SCORE", help="Minimum keyword score (default: the model's).")
    ] = None,
    limit: Annotated[int | None, typer.Option(
        min=0, metavar="N", help="At most this many keywords (default: the model's).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per fiche and line (id, source, title, suggestions)."
    )] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", hidden=True, help="Former name of --json.")
    ] = False,
) -> None:
    """Suggest keywords and a dimension for fiches, leaving out those they already have.

    Scores are calibrated probabilities (0..1); evidence names the words that led there.

    Example:

        fiches suggest data/fiches_sample.txt --limit 3
        fiches parse new.txt | fiches suggest - --json
    """
    import json

    from pipeline.tagging.classify import ModelError, load_suggester

    try:
        suggester = load_suggester(model, threshold, limit)
    except ModelError as exc:
        _fail(str(exc), EXIT_USAGE)
    stats = ReadStats()
    fiches = list(read_many(inputs, stats))
    for fiche, sug in zip(fiches, suggester.suggest_records(fiches), strict=True):
        if as_json or jsonl:
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


app.add_typer(report_app, name="report")
app.command("serve")(serve_cmd)
app.add_typer(feedback_app, name="feedback")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="fiches")


if __name__ == "__main__":  # pragma: no cover
    main()
