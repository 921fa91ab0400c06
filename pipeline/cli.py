"""The `fiches` command line: thin typer commands over the library. Data to stdout, messages to
stderr."""

from __future__ import annotations

from typing import Annotated

import typer

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
def enrich_cmd(inputs: Inputs, output: Output = "-") -> None:
    """Read fiches and write enriched records: entities, budget, funders, headcount, dates.

    Example:

        fiches enrich data/fiches_sample.txt -o out/enriched.jsonl
    """
    from pipeline.enrich import enrich
    from pipeline.nlp import build_nlp
    from pipeline.output import write_jsonl

    stats = ReadStats()
    nlp = build_nlp()
    written = write_jsonl(enrich(read_many(inputs, stats), nlp), output)
    raise typer.Exit(_report(stats, written))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="fiches")


if __name__ == "__main__":  # pragma: no cover
    main()
