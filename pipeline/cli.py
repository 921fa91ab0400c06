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
