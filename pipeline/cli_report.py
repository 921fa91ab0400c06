"""`fiches report`: summaries of enriched records for analysts (thin over `reporting/`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.commandline import EXIT_REJECTED, EXIT_USAGE, OldOut, Typer, fail, say

report_app = Typer(help="""Summaries of enriched records for analysts.

`budgets` writes the budget synthesis: a page to open or print, CSV tables, charts, and a
workbook with --xlsx.

Example:

    fiches report budgets out/enriched.jsonl -o out/report --xlsx
""", no_args_is_help=True)
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
        fail("missing option '-o' / '--output': the report folder", EXIT_USAGE)
    report, files = _budget_report(enriched, folder, xlsx=xlsx, excel=excel)
    if as_json:
        typer.echo((Path(folder) / OVERVIEW_FILE).read_text(encoding="utf-8"), nl=False)
    ov = report.overview
    say(f"fiches: {ov['fiches']} (records: {ov['records']}, duplicates: {ov['duplicates']}), "
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
        fail(str(exc), EXIT_USAGE)
    except ReportError as exc:
        fail(str(exc), EXIT_REJECTED)


def _input_name(path: str) -> str:
    """How the report names its input: the file name, not a path on this machine."""
    return "<stdin>" if path == "-" else Path(path).name
