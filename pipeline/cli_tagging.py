"""The tagger's commands: `fiches train`, `evaluate`, `suggest` and `fiches feedback`. Thin: the
work is in `pipeline.tagging`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.commandline import (
    DEFAULT_MODEL,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    ConfigOption,
    Inputs,
    JsonFlag,
    LimitOption,
    ModelOption,
    OldOut,
    Output,
    ThresholdOption,
    Typer,
    fail,
    old_name,
    report_counts,
    say,
    say_problems,
)
from pipeline.config import CONFIG_DIR
from pipeline.reading.parse import ReadStats, read_many

if TYPE_CHECKING:
    from pipeline.tagging.feedback import Decision


def say_trained(card: dict) -> None:
    data = card["training_data"]
    say(f"trained on {data['fiches']} fiches (duplicates skipped: {data['duplicates_skipped']},"
         f" untagged: {data['untagged_skipped']}, unknown keywords ignored: "
         f"{sum(data['unknown_keywords'].values())}, staff decisions applied: "
         f"{data['decisions_applied']}, on fiches absent from the catalogue: "
         f"{data['decisions_on_unknown_fiches']})")
    metrics = card["cross_validation"]["keywords"]
    if metrics:
        say("cross-validated: " + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items()))
    say(f"keyword parts: vectors {'on' if card['keyword_parts']['vectors'] else 'off'}; "
         f"dimension parts: {', '.join(card['dimension_parts']['parts'])}")


def read_verdicts(path: Path) -> dict[tuple[str, str, str], str]:
    from pipeline.tagging.feedback import FeedbackError, FeedbackStore

    if not path.is_file():
        fail(f"{path}: no feedback file there", EXIT_USAGE)
    try:
        with FeedbackStore(path) as store:
            return dict(store.latest())
    except FeedbackError as exc:
        fail(f"{exc}", EXIT_USAGE)


def challenge(out: Path, tagger: object, corpus: object, force: bool) -> dict:
    """Compare the new model with the one in `out`; exit 1 when the current one is better."""
    from pipeline.tagging.classify import ModelError, load
    from pipeline.tagging.crossval import compare

    if not (out / "card.json").exists():
        return {"better": "no current model"}
    try:
        champion, _ = load(out)
    except ModelError as exc:
        say(f"note: the current model is replaced, it cannot be used: {exc}")
        return {"better": "current model unusable"}
    result = compare(champion, tagger, corpus, champion.trained_on_)  # type: ignore[arg-type]
    if result["better"] == "not comparable":
        say(f"note: models not compared ({result['fiches']} fiches new to the current model)")
        return result
    say(f"on {result['fiches']} fiches new to the current model: current micro_f1 "
        f"{result['champion']['micro_f1']:.3f} P@1 {result['champion']['precision@1']:.3f}, "
         f"new micro_f1 {result['challenger']['micro_f1']:.3f} "
         f"P@1 {result['challenger']['precision@1']:.3f}")
    if result["better"] == "champion" and not force:
        fail(f"the current model in {out} measures better; kept (--force replaces it)",
             EXIT_REJECTED)
    return {**result, "forced": result["better"] == "champion"}


feedback_app = Typer(help="""Staff decisions on suggestions, for retraining.

`add` stores decisions (a label accepted or rejected for a fiche); `export` writes them as
JSONL; `fiches train --feedback DB` learns from them.

Example:

    fiches feedback add feedback.sqlite --fiche 3f2a9c01d4e5b6a7 \\
        --label Famille --verdict accepted --who ana
""", no_args_is_help=True)
FeedbackDb = Annotated[Path, typer.Argument(help="The SQLite file of decisions (created if "
                                                 "needed).", metavar="DB")]


@feedback_app.command("add")
def feedback_add_cmd(
    db: FeedbackDb,
    fiche: Annotated[str | None, typer.Option("--fiche", help="Fiche id (from `fiches parse`"
                                                              " or enrich).")] = None,
    label: Annotated[str | None, typer.Option("--label", help="The suggested label.")] = None,
    verdict: Annotated[str | None, typer.Option(
        "--verdict", help="accepted or rejected.")] = None,
    kind: Annotated[str, typer.Option("--kind", help="keyword or dimension.")] = "keyword",
    who: Annotated[str, typer.Option("--who", help="Who decided.")] = "",
    from_file: Annotated[str | None, typer.Option(
        "--from", help="JSONL of decisions {fiche_id, kind, label, verdict, who}; '-' reads "
                       "standard input.")] = None,
    config: ConfigOption = CONFIG_DIR,
) -> None:
    """Store staff decisions (a label accepted or rejected for a fiche).

    One decision from the options, or many from --from. Labels must be in the vocabulary. The
    latest decision on a (fiche, kind, label) is the one in force.

    Example:

        fiches feedback add fb.db --fiche 3f2a9c01d4e5b6a7 \\
            --label Famille --verdict accepted --who ana
        fiches feedback add feedback.db --from decisions.jsonl
    """
    from pipeline.config import ConfigError
    from pipeline.tagging.feedback import FeedbackError, FeedbackStore
    from pipeline.tagging.vocabulary import load_labels

    try:
        labels = load_labels(config)
        decisions = (_read_decisions(from_file) if from_file is not None
                     else [_decision(fiche, kind, label, verdict, who)])
        for n, d in enumerate(decisions, 1):
            known = labels.keyword_index if d.kind == "keyword" else labels.dimension_index
            if known(d.label) is None:
                raise FeedbackError(f"decision {n}: {d.label!r} is not a {d.kind} of the "
                                    "vocabulary")
        with FeedbackStore(db) as store:
            stored = store.add(decisions)
    except (FeedbackError, ConfigError) as exc:
        fail(str(exc), EXIT_REJECTED if isinstance(exc, FeedbackError) else EXIT_USAGE)
    say(f"decisions stored: {stored} in {db}")


def _decision(fiche: str | None, kind: str, label: str | None, verdict: str | None,
              who: str) -> Decision:
    from pipeline.tagging.feedback import Decision, FeedbackError

    if not fiche or not label or not verdict:
        raise FeedbackError("give --fiche, --label and --verdict (or --from FILE)")
    return Decision(fiche, kind, label, verdict, who).check()  # type: ignore[arg-type]


def _read_decisions(source: str) -> list[Decision]:
    """Decisions of a JSONL file, each checked; FeedbackError names the line."""
    import json
    import sys

    from pipeline.tagging.feedback import Decision, FeedbackError

    out = []
    try:
        handle = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise FeedbackError(f"{source}: cannot read ({exc.strerror})") from None
    with handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                out.append(Decision(row["fiche_id"], row.get("kind", "keyword"), row["label"],
                                    row["verdict"], row.get("who", "")).check())
            except (ValueError, KeyError, TypeError, AttributeError, FeedbackError) as exc:
                raise FeedbackError(f"{source}:{n}: not a decision ({exc})") from None
    return out


@feedback_app.command("export")
def feedback_export_cmd(db: FeedbackDb, output: Output = "-") -> None:
    """Write every stored decision as JSONL, oldest first.

    Example:

        fiches feedback export feedback.db -o out/decisions.jsonl
    """
    import io

    from pipeline.atomic import atomic_file
    from pipeline.tagging.feedback import FeedbackError, FeedbackStore

    if not db.is_file():
        fail(f"{db}: no feedback file there", EXIT_USAGE)
    buffer = io.StringIO()
    try:
        with FeedbackStore(db) as store:
            n = store.export_jsonl(buffer)
    except FeedbackError as exc:
        fail(f"{exc}", EXIT_USAGE)
    if output == "-":
        typer.echo(buffer.getvalue(), nl=False)
    else:
        with atomic_file(output, encoding="utf-8") as handle:
            handle.write(buffer.getvalue())
    say(f"decisions exported: {n}")


Catalogue = Annotated[list[str], typer.Argument(
    help="Tagged fiches: text exports or JSONL records; '-' reads standard input.",
    metavar="CATALOGUE...")]


def _read_tagged(inputs: list[str]) -> tuple[list, int]:
    """The fiches read, and the exit code their reading calls for."""
    stats = ReadStats()
    fiches = list(read_many(inputs, stats))
    say_problems(stats)
    return fiches, EXIT_REJECTED if stats.rejected or stats.failed_files else EXIT_OK


FoldsOption = Annotated[int, typer.Option(
    min=2, metavar="N", help="Cross-validation folds for tuning.")]
FeedbackOption = Annotated[Path | None, typer.Option(
    "--feedback", metavar="DB", show_default=False,
    help="Staff decisions (`fiches feedback add`) to learn from.")]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="Replace the current model even when it measures better.")]
JobsOption = Annotated[int, typer.Option("--jobs", min=1, metavar="N",
                                         help="Parallel processes.")]
VectorsOption = Annotated[bool, typer.Option(
    "--vectors/--no-vectors", help="Try the word vectors; --no-vectors is faster.")]


def train_cmd(
    catalogue: Catalogue,
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="DIR", show_default=False,
        help="Model folder to write; default: models/tagger in the project.")] = DEFAULT_MODEL,
    config: ConfigOption = CONFIG_DIR,
    folds: FoldsOption = 5,
    feedback: FeedbackOption = None,
    force: ForceOption = False,
    jobs: JobsOption = 1,
    vectors: VectorsOption = True,
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

    from pipeline.tagging.classify import save

    output = Path(old_name(output, out, DEFAULT_MODEL))
    fiches, code = _read_tagged(catalogue)
    verdicts = read_verdicts(feedback) if feedback is not None else None
    params = {"folds": folds, "n_jobs": jobs, "use_vectors": "auto" if vectors else False}
    tagger, card, corpus = _train(fiches, config, params, verdicts)
    card["champion_challenger"] = challenge(output, tagger, corpus, force)
    try:
        folder = save(tagger, card, output)
    except OSError as exc:
        fail(f"{output}: cannot write the model: {exc.strerror or exc}", EXIT_USAGE)
    if as_json:
        typer.echo(json.dumps(card, ensure_ascii=False, indent=2))
    say(f"threshold {card['threshold']}, limit {card['limit']}; written to {folder}")
    raise typer.Exit(code)


def _train(fiches: list, config: Path, params: dict, verdicts: dict | None) -> tuple:
    """`classify.train`, its errors as messages and exit codes; prints what it learned from."""
    from pipeline.config import ConfigError
    from pipeline.tagging.classify import TrainingError, train

    try:
        result = train(fiches, config, params, verdicts)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    except TrainingError as exc:
        fail(str(exc), EXIT_REJECTED)
    say_trained(result[1])
    return result


def evaluate_cmd(
    catalogue: Catalogue,
    as_json: JsonFlag = False,
    folds: Annotated[int | None, typer.Option(
        min=0, metavar="N", help="Outer folds; 0 for leave-one-out; default: leave-one-out up "
                                 "to 30 fiches, else 5.")] = None,
    config: ConfigOption = CONFIG_DIR,
    curve: Annotated[bool, typer.Option("--curve/--no-curve", help="Learning curve.")] = True,
    vectors: VectorsOption = True,
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
        fail(str(exc), EXIT_USAGE)
    except TrainingError as exc:
        fail(str(exc), EXIT_REJECTED)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json
               else format_report(result))
    raise typer.Exit(code)


def suggest_cmd(
    inputs: Inputs,
    model: ModelOption = DEFAULT_MODEL,
    threshold: ThresholdOption = None,
    limit: LimitOption = None,
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
        fail(str(exc), EXIT_USAGE)
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
    raise typer.Exit(report_counts(stats, len(fiches)))
