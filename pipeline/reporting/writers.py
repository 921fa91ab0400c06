"""Reads enriched JSONL and writes the budget report: CSV, JSON, PNG charts, HTML and xlsx."""

from __future__ import annotations

import io
import json
import math
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from pipeline.atomic import atomic_folder
from pipeline.reporting.page import LABELS, overview_label, percent, render_html
from pipeline.reporting.partners import chart_partner_types
from pipeline.reporting.synthesis import (
    BudgetReport,
    ReportError,
    check_record,
    format_eur,
)
from pipeline.reporting.timeline import chart_years
from pipeline.reporting.workbook import KEY_COLUMN, write_csv
from pipeline.reporting.workbook import write_xlsx as write_workbook

# Output files, by what they hold.
OVERVIEW_FILE = "overview.json"
HTML_FILE = "report.html"
XLSX_FILE = "budgets.xlsx"
CSV_FILES: dict[str, str] = {
    "funder_types": "funder_types.csv",
    "departements": "departements.csv",
    "dimensions": "dimensions.csv",
    "statuses": "statuses.csv",
    "start_years": "start_years.csv",
    "partner_types": "partner_types.csv",
    "partner_departements": "partner_types_by_departement.csv",
    "funder_types_by_year": "funder_types_by_year.csv",
    "fiches": "fiches.csv",
    "funders": "funders.csv",
    "quality": "quality.csv",
}
CHART_FILES: dict[str, str] = {
    "distribution": "budget_distribution.png",
    "funder_types": "funding_by_funder_type.png",
    "departements": "departements.png",
    "partner_types": "partner_types.png",
    "years": "budgets_by_start_year.png",
}
# Workbook sheets (Excel allows 31 characters at most), in order.
SHEETS: dict[str, str] = {
    "funder_types": "Financeurs",
    "departements": "Départements",
    "dimensions": "Dimensions",
    "statuses": "Statuts",
    "start_years": "Années de début",
    "partner_types": "Types de partenaires",
    "partner_departements": "Partenaires par département",
    "funder_types_by_year": "Financeurs par année",
    "fiches": "Fiches",
    "funders": "Financeurs par fiche",
    "quality": "Qualité des données",
}
NO_DATA = "aucune donnée"
# Départements drawn in the chart; the title sums up the others.
MAX_BARS = 25
_DPI = 110
_BAR = "#3b6ea5"
_BAR2 = "#d9822b"


def read_enriched(path: str) -> list[dict[str, Any]]:
    """Read enriched JSONL records; `-` is standard input. Blank lines are skipped.

    Raises:
        ReportError: the file cannot be read, a line is not JSON, or a record fails
            `check_record`; the message names the file and line.
    """
    name = "<stdin>" if path == "-" else path
    records: list[dict[str, Any]] = []
    try:
        for number, line in _lines(path):
            if not line.strip():
                continue
            where = f"{name}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReportError(f"{where}: not valid JSON ({exc.msg}, column {exc.colno})"
                                  ) from None
            check_record(record, where)
            records.append(record)
    except OSError as exc:
        raise ReportError(f"{name}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ReportError(f"{name}: not UTF-8 text ({exc.reason})") from None
    return records


def _lines(path: str) -> Iterator[tuple[int, str]]:
    if path == "-":
        stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig")
        yield from enumerate(stream, start=1)
        return
    with open(path, encoding="utf-8-sig") as handle:
        yield from enumerate(handle, start=1)


# ---------------------------------------------------------------------------------------------
# Charts: functions returning matplotlib Figures (no pyplot, so no display and no global state).


def chart_distribution(fiches: pd.DataFrame) -> Figure:
    """Histogram of the budgets on a log scale, with the median marked."""
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.add_subplot()
    budgets = fiches["budget_eur"].dropna()
    positive = budgets[budgets > 0]
    title = "Répartition des budgets des fiches"
    if positive.empty:
        return _no_data(fig, ax, title)
    low = math.floor(math.log10(positive.min()))
    high = max(math.ceil(math.log10(positive.max())), low + 1)
    if 10.0 ** high == positive.max():
        high += 1  # the top edge of the last bin is exclusive
    bins = [10 ** (low + i / 4) for i in range((high - low) * 4 + 1)]
    counts, _, _ = ax.hist(positive, bins=bins, color=_BAR, edgecolor="white")
    ax.set_ylim(0, float(max(counts)) * 1.2)  # headroom for the legend
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _whole_eur(v)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    median = float(budgets.median())
    ax.axvline(median, color=_BAR2, linestyle="--", linewidth=1.5,
               label=f"médiane : {_whole_eur(median)}")
    ax.legend(loc="upper right", frameon=False)
    ax.set_xlabel("Budget de l'action (échelle logarithmique)")
    ax.set_ylabel("Nombre de fiches")
    left_out = len(budgets) - len(positive)
    note = f" ; {left_out} budget(s) à 0 € non représenté(s)" if left_out else ""
    ax.set_title(f"{title}\n{len(budgets)} fiches avec un budget{note}", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def chart_funder_types(table: pd.DataFrame) -> Figure:
    """Fiches funded and known amount per funder type, as two horizontal bar panels."""
    title = "Financement par type de financeur"
    return _two_panel_bars(
        table["funder_type"].tolist(), table["fiches"].tolist(),
        table["amount_known_eur"].fillna(0.0).tolist(), title=title,
        left_title="Fiches financées", right_title="Montant connu (somme des montants cités)",
        right_labels=[f"{_whole_eur(a)} ({percent(s)})" if pd.notna(a) else "non chiffré"
                      for a, s in zip(table["amount_known_eur"], table["share_of_known_total"],
                                      strict=True)])


def chart_departements(table: pd.DataFrame) -> Figure:
    """Fiches and total budget per département, as two horizontal bar panels.

    Only the `MAX_BARS` départements with most fiches are drawn; the title says how many fiches
    and euros the others hold (one "others" bar would dwarf the rest).
    """
    title = "Fiches et budgets par département"
    rest = table.iloc[MAX_BARS:]
    if not rest.empty:
        title += (f"\n{MAX_BARS} départements les plus représentés ; les {len(rest)} autres "
                  f"({rest['fiches'].sum()} fiches, {_whole_eur(rest['budget_total_eur'].sum())})"
                  " ne sont pas dessinés")
    table = table.iloc[:MAX_BARS]
    return _two_panel_bars(
        table["departement"].tolist(), table["fiches"].tolist(),
        table["budget_total_eur"].fillna(0.0).tolist(), title=title,
        left_title="Nombre de fiches", right_title="Budget total connu",
        right_labels=[_whole_eur(v) if pd.notna(v) else "sans budget"
                      for v in table["budget_total_eur"]])


def _whole_eur(value: float) -> str:
    """Euros rounded to the unit, for chart labels ("—" for NaN)."""
    return format_eur(value if math.isnan(value) else float(round(value)))


def _two_panel_bars(labels: list[str], counts: list[int], amounts: list[float], *, title: str,
                    left_title: str, right_title: str, right_labels: list[str]) -> Figure:
    height = max(3.0, 1.4 + 0.34 * len(labels))
    fig = Figure(figsize=(10, height), layout="constrained")
    if not labels:
        return _no_data(fig, fig.add_subplot(), title)
    left, right = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1, 1.4]})
    positions = list(range(len(labels)))
    bars = left.barh(positions, counts, color=_BAR)
    left.bar_label(bars, labels=[str(c) for c in counts], padding=3, fontsize=9)
    left.set_yticks(positions, labels=[_short(label) for label in labels])
    left.invert_yaxis()
    left.set_xlim(0, max(max(counts), 1) * 1.2)
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_title(left_title, fontsize=10)
    bars = right.barh(positions, amounts, color=_BAR2)
    right.bar_label(bars, labels=right_labels, padding=3, fontsize=9)
    right.set_xlim(0, max(max(amounts), 1.0) * 1.75)
    right.xaxis.set_major_locator(MaxNLocator(nbins=3))
    right.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _whole_eur(v)))
    right.set_title(right_title, fontsize=10)
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
    fig.suptitle(title, fontsize=12)
    return fig


def _no_data(fig: Figure, ax: Axes, title: str) -> Figure:
    ax.set_axis_off()
    ax.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=14, color="#666666",
            transform=ax.transAxes)
    ax.set_title(title, fontsize=11)
    return fig


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def render_png(fig: Figure) -> bytes:
    """A figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


def render_charts(report: BudgetReport) -> dict[str, bytes]:
    """The report's charts as PNG bytes, by key of `CHART_FILES`."""
    return {
        "distribution": render_png(chart_distribution(report.fiches)),
        "funder_types": render_png(chart_funder_types(report.tables["funder_types"])),
        "departements": render_png(chart_departements(report.tables["departements"])),
        "partner_types": render_png(chart_partner_types(report.tables["partner_types"])),
        "years": render_png(chart_years(report.tables["start_years"],
                                        report.tables["funder_types_by_year"])),
    }



# ---------------------------------------------------------------------------------------------
# Files: everything is written into a temporary folder, then moved into place.


def report_frames(report: BudgetReport) -> dict[str, pd.DataFrame]:
    """The report's tables by key of `CSV_FILES`."""
    return {**report.tables, "fiches": report.fiches, "funders": report.funders,
            "quality": report.quality()}


def write_xlsx(report: BudgetReport, path: Path) -> None:
    """All tables as one workbook: a "Synthèse" sheet, then one sheet per table, with French
    headers, euros and percentages formatted, a filter and a frozen header on each."""
    summary = pd.DataFrame([(overview_label(key), value, key)
                            for key, value in _flatten(report.overview)],
                           columns=["indicator", "value", KEY_COLUMN])
    sheets = {"Synthèse": summary}
    sheets.update({SHEETS[key]: frame for key, frame in report_frames(report).items()})
    write_workbook(sheets, path, LABELS)


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows += _flatten(value, f"{prefix}{key}.")
        else:
            rows.append((f"{prefix}{key}", value))
    return rows


class OutputError(ReportError):
    """The report folder cannot be written (exists as a file, no permission, disk full)."""


def write_report(report: BudgetReport, out: str | Path, *, source: str, xlsx: bool = False,
                 excel_csv: bool = False, generated: date | None = None) -> list[Path]:
    """Write the whole report into folder `out` and return the files written.

    The files are first written into a temporary folder beside `out`. A new `out` is that folder
    renamed, so it appears complete or not at all; into an existing `out` each file is moved in
    with an atomic rename, so no file is ever half written. Other files in `out` are left alone.

    Args:
        source: the input's name as the page and overview.json show it (a file name, not a
            path).
        xlsx: also write the workbook.
        excel_csv: CSV for a French Excel (BOM, ";", decimal comma) instead of plain CSV.
        generated: the report's date; default: today.

    Raises:
        OutputError: `out` exists and is not a folder, or cannot be written.
    """
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")
    made = {"source": source, "generated": (generated or date.today()).isoformat(),
            "version": _version()}
    try:
        with atomic_folder(target, merge=True) as tmp:
            names = _write_files(report, tmp, made, xlsx=xlsx, excel_csv=excel_csv)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the report: {exc.strerror or exc}") from None
    return [target / name for name in names]


def _version() -> str:
    from pipeline import __version__

    return __version__


def _write_files(report: BudgetReport, folder: Path, made: dict[str, str], *, xlsx: bool,
                 excel_csv: bool) -> list[str]:
    overview = {**made, **report.overview}
    (folder / OVERVIEW_FILE).write_text(json.dumps(overview, ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")
    names = [OVERVIEW_FILE]
    for key, frame in report_frames(report).items():
        write_csv(frame, folder / CSV_FILES[key], excel=excel_csv)
        names.append(CSV_FILES[key])
    charts = render_charts(report)
    for key, png in charts.items():
        (folder / CHART_FILES[key]).write_bytes(png)
        names.append(CHART_FILES[key])
    page = render_html(report, charts, made["source"], date.fromisoformat(made["generated"]))
    (folder / HTML_FILE).write_text(page, encoding="utf-8")
    names.append(HTML_FILE)
    if xlsx:
        write_xlsx(report, folder / XLSX_FILE)
        names.append(XLSX_FILE)
    return names
