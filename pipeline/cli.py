"""The `fiches` command line: thin typer commands over the library. Data to stdout, messages to
stderr.

Conventions every command follows (`tests/test_cli_help.py` checks the help of each):

- a docstring whose first line is the summary, then paragraphs, then `Example:` and an indented
  shell example of at most 76 characters a line (continue with `\\`);
- `INPUT...` arguments, `-o/--output` for what it writes (`Output` for a file),
  `--json` for machine-readable results (`JsonFlag`), `--config` when it reads config
  (`ConfigOption`); a default path is named in the help relative to the project ("default:
  models/tagger in the project", with `show_default=False`), never as a machine's path;
- messages on stderr through `_say`; "rejected: " for bad input, "failed: " for an error while
  processing, "error: " for what stops the command (`_fail`), with one of the `EXIT_*` codes.
"""

from __future__ import annotations

import inspect
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from pipeline.config import CONFIG_DIR, MODELS_DIR
from pipeline.reading.parse import ReadStats, read_many

# Exit codes, the same for the same cause on every command.
EXIT_OK = 0
EXIT_REJECTED = 1  # some input rejected, or failed while processing; the rest is written
EXIT_USAGE = 2  # bad usage, config, model, or an output location that cannot be used
EXIT_WORKER = 3  # a worker process died


class _Argument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the metavar (INPUT...) says it all


def _fence_code(help_text: str) -> str:
    """Help text whose indented (code) blocks are fenced, so the markdown renderer keeps them
    as code whatever typer's own dedenting does (it strips a lone block's indentation)."""
    out: list[str] = []
    code = False
    for line in inspect.cleandoc(help_text).splitlines():
        indented = line.startswith("    ") and (code or not out or not out[-1].strip())
        if indented != code:
            if code:  # the fence closes before the blank line that ended the block
                while out and not out[-1].strip():
                    out.pop()
            out.append("```")
            if not indented:
                out.append("")
            code = indented
        out.append(line[4:] if code else line)
    if code:
        out.append("```")
    return "\n".join(out)


class _HelpMixin:
    """Help that reads `fiches enrich [OPTIONS] INPUT...` and shows no `<bool>` for flags."""

    help: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.help:
            self.help = _fence_code(self.help)

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
                param.metavar = ""
            elif isinstance(param, TyperArgument) and not isinstance(param, _Argument):
                param.__class__ = _Argument
        return params

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        arguments = [p for p in self.get_params(ctx) if isinstance(p, TyperArgument)]
        if not arguments:
            return pieces
        names = [a.metavar or (a.name or "").upper() for a in arguments]
        names = [n + "..." if a.nargs != 1 and not n.endswith("...") else n
                 for a, n in zip(arguments, names, strict=True)]
        return [pieces[0], *names] if pieces else names


class _Command(_HelpMixin, TyperCommand):
    pass


class _Group(_HelpMixin, TyperGroup):
    pass


class _Typer(typer.Typer):
    """`typer.Typer` whose commands and sub-apps render help the project's way."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", _Group)
        kwargs.setdefault("rich_markup_mode", "markdown")  # paragraphs reflow to the terminal
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("pretty_exceptions_enable", False)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _Typer(
    help="""Enrich and tag the catalogue of fiches action of social centres.

Exit codes, on every command: 0 ok; 1 some input rejected or failed (the rest is written);
2 usage, config, model or output location problem; 3 a worker process died.

Example:

    fiches enrich data/fiches_sample.txt -o out/enriched.jsonl
    fiches report budgets out/enriched.jsonl -o out/report --xlsx
""",
    no_args_is_help=True,
)

Inputs = Annotated[list[str], typer.Argument(
    help="Text exports or JSONL record files; '-' reads standard input.", metavar="INPUT...")]
Output = Annotated[str, typer.Option(
    "--output", "-o", metavar="FILE", help="Output JSONL; '-' is stdout.")]
JsonFlag = Annotated[bool, typer.Option(
    "--json", help="Print the results as JSON on stdout.")]
ConfigOption = Annotated[Path, typer.Option(
    "--config", metavar="DIR", show_default=False,
    help="Config folder (gazetteer, role words, vocabulary, thesaurus); default: config in "
         "the project.")]
DEFAULT_MODEL = MODELS_DIR / "tagger"
ModelOption = Annotated[Path, typer.Option(
    "--model", metavar="DIR", show_default=False,
    help="Tagger model folder; default: models/tagger in the project.")]


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _fail(message: str, code: int) -> NoReturn:
    """Print "error: message" on stderr and exit with `code`, one of the `EXIT_*` codes."""
    _say(f"error: {message}")
    raise typer.Exit(code)


def _old_name(value: Any, old: Any, default: Any) -> Any:
    """The value of an option, or of its hidden former name when only that one was given."""
    return old if old is not None and value == default else value


OldOut = Annotated[str | None, typer.Option("--out", hidden=True, help="Former name of -o.")]


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
def parse_cmd(inputs: Inputs, output: Output = "-") -> None:
    """Read fiches into JSONL records (no NLP).

    Example:

        fiches parse data/fiches_sample.txt -o out/fiches.jsonl
    """
    from pipeline.running.output import write_jsonl

    _check_output_file(output)
    stats = ReadStats()
    try:
        written = write_jsonl((f.to_dict() for f in read_many(inputs, stats)), output)
    except OSError as exc:
        _fail(_cannot_write(output, exc), EXIT_USAGE)
    raise typer.Exit(_report(stats, written))


def _check_output_file(output: str) -> None:
    """Exit 2 before any work when the output file cannot be one (it is a folder)."""
    if output != "-" and Path(output).is_dir():
        _fail(f"{output}: is a folder; -o names the file to write", EXIT_USAGE)


def _cannot_write(output: str, exc: OSError) -> str:
    return f"cannot write {output}: {exc.strerror or exc}" + (
        f" ({exc.filename})" if exc.filename and str(exc.filename) != output else "")


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
) -> None:
    """Read fiches and write enriched records (extraction and suggestions).

    Adds entities, budget, funders, headcount, dates, and keyword and dimension suggestions.

    Output is written to a temporary file and renamed when complete. Exit code 1 when any fiche
    was rejected or failed (the others are written); 2 when another run holds the output or
    cache, or a config file or the model is unusable; 3 when a worker process died.

    Example:

        fiches enrich data/fiches_sample.txt -o out/enriched.jsonl \\
            --cache .cache/fiches
    """
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.config import ConfigError
    from pipeline.running.batch import LockError, run
    from pipeline.running.cache import CacheError
    from pipeline.running.stages import Settings

    _check_output_file(output)
    settings = Settings(config_dir=config, model=None if no_suggest else _tagger_model(model),
                        threshold=threshold, limit=limit)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with _progress(quiet) as progress:
            result = run(inputs, output, settings, cache_dir=str(cache) if cache else None,
                         workers=workers, progress=progress)
    except (LockError, CacheError, ConfigError) as exc:
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
    _say(result.line())
    if summary is not None:
        from pipeline.running.output import write_json

        write_json(result.to_dict(), summary)
    raise typer.Exit(EXIT_OK if result.ok else EXIT_REJECTED)


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
    as_json: JsonFlag = False,
    out: OldOut = None,
) -> None:
    """Train the keyword and dimension tagger on tagged fiches.

    Learns from every fiche that has keywords or a dimension, tunes the weights, threshold and
    limit by cross-validation, and writes the model folder (model.joblib and card.json). With
    --json, prints the model card on stdout.

    Exit code 1 when some input was rejected (the model is trained on the rest) or training
    failed; 2 when a config file is unusable or the model folder cannot be written.

    Example:

        fiches train data/fiches_sample.txt -o models/tagger
    """
    import json

    from pipeline.config import ConfigError
    from pipeline.tagging.classify import TrainingError, save, train

    output = Path(_old_name(output, out, DEFAULT_MODEL))
    fiches, code = _read_tagged(catalogue)
    try:
        tagger, card = train(fiches, config, {"folds": folds})
    except ConfigError as exc:
        _fail(str(exc), EXIT_USAGE)
    except TrainingError as exc:
        _fail(str(exc), EXIT_REJECTED)
    try:
        folder = save(tagger, card, output)
    except OSError as exc:
        _fail(f"{output}: cannot write the model: {exc.strerror or exc}", EXIT_USAGE)
    if as_json:
        typer.echo(json.dumps(card, ensure_ascii=False, indent=2))
    _say_trained(card, folder)
    raise typer.Exit(code)


def _say_trained(card: dict[str, Any], folder: Path) -> None:
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
    as_json: JsonFlag = False,
    folds: Annotated[int | None, typer.Option(
        min=0, metavar="N", help="Outer folds; 0 for leave-one-out; default: leave-one-out up "
                                 "to 30 fiches, else 5.")] = None,
    config: ConfigDir = CONFIG_DIR,
) -> None:
    """Cross-validate the tagger against two baselines on tagged fiches.

    Prints precision@1, precision@3, micro and macro F1, NDCG@5 and per-label precision /
    recall, for the ensemble, its parts and two baselines (most frequent labels; TF-IDF +
    logistic regression); dimension accuracy too.

    Example:

        fiches evaluate data/fiches_sample.txt --folds 5 --json > out/eval.json
    """
    import json

    from pipeline.config import ConfigError
    from pipeline.tagging.classify import TrainingError, cross_evaluate, load_labels, load_thesaurus
    from pipeline.tagging.metrics import format_report

    fiches, code = _read_tagged(catalogue)
    try:
        result = cross_evaluate(fiches, load_labels(config), load_thesaurus(config), k=folds)
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
        _fail(str(exc), EXIT_USAGE)
    return model


report_app = _Typer(help="""Summaries of enriched records for analysts.

`budgets` writes the budget synthesis: a page to open or print, CSV tables, charts, and a
workbook with --xlsx.

Example:

    fiches report budgets out/enriched.jsonl -o out/report --xlsx
""", no_args_is_help=True)
app.add_typer(report_app, name="report")


@report_app.command("budgets")
def report_budgets_cmd(
    enriched: Annotated[str, typer.Argument(
        help="Enriched JSONL (from `fiches enrich`); '-' reads standard input.",
        metavar="ENRICHED.jsonl")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="DIR", help="Report folder (created if needed).",
        show_default=False)] = None,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Also write every table to "
                                                      "budgets.xlsx.")] = False,
    excel: Annotated[bool, typer.Option(
        "--excel", help="CSV for a French Excel: UTF-8 with BOM, ';' between fields, decimal "
                        "comma.")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the key figures (overview.json) on stdout.")] = False,
    out: OldOut = None,
) -> None:
    """Summarise, check and chart the budgets of enriched records.

    Writes overview.json, CSV tables, PNG charts and a self-contained report.html (plus
    budgets.xlsx with --xlsx). Outlier budgets are flagged and every total is also given
    without them. Duplicates (same id) count once. Files are written to a temporary folder,
    then moved.

    Exit code 1 when the input cannot be read or holds records that are not enriched; 2 when
    the output folder cannot be written.

    Example:

        fiches report budgets out/enriched.jsonl -o out/report --xlsx
    """
    from pipeline.reporting.writers import HTML_FILE, OVERVIEW_FILE

    folder = output or out
    if folder is None:
        _fail("missing option '-o' / '--output': the report folder", EXIT_USAGE)
    report, files = _budget_report(enriched, folder, xlsx=xlsx, excel=excel)
    if as_json:
        typer.echo((Path(folder) / OVERVIEW_FILE).read_text(encoding="utf-8"), nl=False)
    ov = report.overview
    _say(f"fiches: {ov['fiches']} (records: {ov['records']}, duplicates: {ov['duplicates']}), "
         f"with a budget: {ov['fiches_with_budget']}, total: {ov['budget_total_eur']:.2f} EUR, "
         f"outliers: {ov['outliers']}; {len(files)} files written; open "
         f"{files[0].parent / HTML_FILE}")


def _budget_report(enriched: str, folder: str, *, xlsx: bool, excel: bool) -> tuple[Any, list]:
    """Build and write the budget report; exit 1 on unusable input, 2 on an unusable folder."""
    from pipeline.reporting.synthesis import ReportError, build_report
    from pipeline.reporting.writers import OutputError, read_enriched, write_report

    try:
        report = build_report(read_enriched(enriched))
        return report, write_report(report, folder, source=_input_name(enriched), xlsx=xlsx,
                                    excel_csv=excel)
    except OutputError as exc:
        _fail(str(exc), EXIT_USAGE)
    except ReportError as exc:
        _fail(str(exc), EXIT_REJECTED)


def _input_name(path: str) -> str:
    """How the report names its input: the file name, not a path on this machine."""
    return "<stdin>" if path == "-" else Path(path).name


def main() -> None:
    """Console-script entry point."""
    app(prog_name="fiches")


if __name__ == "__main__":  # pragma: no cover
    main()
