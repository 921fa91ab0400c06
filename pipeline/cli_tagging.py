"""The tagger's command-line helpers: the `fiches feedback` commands, and what `fiches train`
prints and decides about the current model. Thin: the work is in `pipeline.tagging`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.commandline import (
    EXIT_REJECTED,
    EXIT_USAGE,
    ConfigOption,
    Output,
    Typer,
    fail,
    say,
)
from pipeline.config import CONFIG_DIR

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
