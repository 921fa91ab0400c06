"""Reads enriched JSONL and writes the budget report: CSV, JSON, PNG charts, HTML and xlsx."""

from __future__ import annotations

import base64
import html
import io
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from pipeline.atomic import atomic_folder
from pipeline.reporting.partners import chart_partner_types
from pipeline.reporting.synthesis import (
    BudgetReport,
    ReportError,
    check_record,
    format_eur,
)

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
    "fiches": "fiches.csv",
    "funders": "funders.csv",
    "quality": "quality.csv",
}
CHART_FILES: dict[str, str] = {
    "distribution": "budget_distribution.png",
    "funder_types": "funding_by_funder_type.png",
    "departements": "departements.png",
    "partner_types": "partner_types.png",
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
    "fiches": "Fiches",
    "funders": "Financeurs par fiche",
    "quality": "Qualité des données",
}
TABLE_TITLES: dict[str, str] = {
    "funder_types": "Financement par type de financeur",
    "departements": "Fiches et budgets par département",
    "dimensions": "Fiches et budgets par dimension",
    "statuses": "Fiches et budgets par statut",
    "start_years": "Fiches et budgets par année de début",
}
# French column headings for people (HTML); CSV and xlsx keep the stable names.
LABELS: dict[str, str] = {
    "funder_type": "Type de financeur", "fiches": "Fiches", "fiches_with_amount":
    "Fiches avec montant", "amount_known_eur": "Montant connu", "share_of_known_total":
    "Part du total connu", "departement": "Département", "dimension": "Dimension",
    "status": "Statut", "start_year": "Année de début", "fiches_with_budget": "Fiches avec budget",
    "budget_total_eur": "Budget total", "budget_median_eur": "Budget médian", "title": "Titre",
    "budget_eur": "Budget", "basis": "Base du budget", "approximate": "Approximatif",
    "unit_assumed": "Unité supposée", "inconsistent": "Dépenses ≠ recettes",
    "financial_resources": "Texte du champ budget", "funders": "Financeurs", "line": "Ligne",
    "file": "Fichier", "budget_lines": "Lignes lues",
    "partner_type": "Type de partenaire", "share_of_fiches": "Part des fiches",
}
QUALITY_LABELS: dict[str, str] = {
    "approximate": "Budget approximatif (« environ », « près de »...)",
    "unit_assumed": "Unité supposée (nombre sans « € » lu comme des euros)",
    "inconsistent": "Totaux des dépenses et des recettes incohérents",
    "no_budget": "Sans budget (aucun montant)",
}
BASIS_LABELS: dict[str, str] = {
    "explicit_total": "total explicite", "sum_of_expenses": "somme des dépenses",
    "sum_of_funding": "somme des financements", "single_amount": "montant unique",
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
        table["amount_known_eur"].tolist(), title=title,
        left_title="Fiches financées", right_title="Montant connu (somme des montants cités)",
        right_labels=[f"{_whole_eur(a)} ({_percent(s)})" if a else "non chiffré"
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
        table["budget_total_eur"].tolist(), title=title,
        left_title="Nombre de fiches", right_title="Budget total connu",
        right_labels=[_whole_eur(v) if v else "non chiffré" for v in table["budget_total_eur"]])


def _whole_eur(value: float) -> str:
    """Euros rounded to the unit, for chart labels."""
    return format_eur(float(round(value)))


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
    }


# ---------------------------------------------------------------------------------------------
# HTML: one self-contained page; every text from the records goes through `html.escape`.

_STYLE = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; margin: 2em auto; max-width: 70em;
       color: #222; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; vertical-align: top; }
th { background: #f0f3f7; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
td.text { max-width: 40em; white-space: pre-wrap; }
img { max-width: 100%; height: auto; display: block; margin: 1em 0; }
p.note { color: #555; font-size: 0.9em; }
"""


def render_html(report: BudgetReport, charts: dict[str, bytes], source: str) -> str:
    """The report as one HTML page with the charts embedded as data URIs.

    Args:
        report: from `build_report`.
        charts: PNG bytes by key of `CHART_FILES` (see `render_charts`).
        source: the input's name, shown in the page.
    """
    ov = report.overview
    esc = html.escape
    key_figures = [
        ("Fiches (distinctes)", str(ov["fiches"])),
        ("Enregistrements lus", f"{ov['records']} (dont {ov['duplicates']} doublons)"),
        ("Fiches avec un budget", str(ov["fiches_with_budget"])),
        ("Budget total", format_eur(ov["budget_total_eur"])),
        ("Premier quartile", format_eur(ov["budget_q1_eur"])),
        ("Médiane", format_eur(ov["budget_median_eur"])),
        ("Troisième quartile", format_eur(ov["budget_q3_eur"])),
        ("Minimum – maximum",
         f"{format_eur(ov['budget_min_eur'])} – {format_eur(ov['budget_max_eur'])}"),
    ]
    key_figures += [(f"Base du budget : {BASIS_LABELS.get(b, b)}", str(n))
                    for b, n in ov["basis"].items()]
    quality_rows = [(QUALITY_LABELS[k], str(v)) for k, v in ov["quality"].items()]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Synthèse des budgets des fiches action</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Synthèse des budgets des fiches action</h1>",
        f"<p class=\"note\">Source : {esc(source)}. Les fiches en double (même contenu) sont "
        "comptées une fois. Le budget d'une fiche est le coût total de l'action lu dans le champ "
        "« Ressources financières mobilisées » ; les contributions en nature n'en font pas "
        "partie.</p>",
        "<h2>Chiffres clés</h2>",
        _pairs_table(key_figures),
        f'<img alt="Répartition des budgets" src="{_data_uri(charts["distribution"])}">',
        "<h2>Qualité des données</h2>",
        _pairs_table(quality_rows),
        "<p class=\"note\">Fiches à vérifier à la main (budget approximatif, unité supposée ou "
        "totaux incohérents) :</p>",
        _frame_table(report.quality().drop(columns=["id"]), empty="Aucune fiche signalée."),
        "<h2>Financement par type de financeur</h2>",
        "<p class=\"note\">« Fiches » : fiches citant ce type de financeur. « Montant connu » : "
        "somme des montants que les fiches attribuent à ce type ; les financements cités sans "
        "montant n'y sont pas, c'est donc un minimum. « Part du total connu » : ce montant "
        "divisé par la somme des montants connus de tous les types.</p>",
        f'<img alt="Financement par type de financeur" '
        f'src="{_data_uri(charts["funder_types"])}">',
        _frame_table(report.tables["funder_types"]),
        "<h2>Fiches et budgets par département</h2>",
        f'<img alt="Fiches et budgets par département" '
        f'src="{_data_uri(charts["departements"])}">',
        _frame_table(report.tables["departements"]),
    ]
    parts += _partner_section(report, charts)
    for key in ("dimensions", "statuses", "start_years"):
        parts += [f"<h2>{esc(TABLE_TITLES[key])}</h2>", _frame_table(report.tables[key])]
    parts += [
        "<h2>Toutes les fiches</h2>",
        "<details><summary>Afficher les fiches (le détail, avec le texte du champ budget, est "
        f"dans {esc(CSV_FILES['fiches'])})</summary>",
        _frame_table(report.fiches[["title", "departement", "budget_eur", "basis", "funders"]]),
        "</details>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _partner_section(report: BudgetReport, charts: dict[str, bytes]) -> list[str]:
    """The partner-type part of the page: chart, table per type, table per département."""
    return [
        "<h2>Types de partenaires</h2>",
        "<p class=\"note\">« Fiches » : fiches qui nomment au moins un partenaire de ce type "
        "(dans le texte, la liste « Partenaires d'action » ou les financeurs). Une fiche compte "
        "une fois par type.</p>",
        f'<img alt="Types de partenaires" src="{_data_uri(charts["partner_types"])}">',
        _frame_table(report.tables["partner_types"]),
        "<h2>Types de partenaires par département</h2>",
        _frame_table(report.tables["partner_departements"]),
    ]


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _pairs_table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{html.escape(k)}</th><td class=\"num\">{html.escape(v)}</td></tr>"
                   for k, v in rows)
    return f"<table>{body}</table>"


def _frame_table(frame: pd.DataFrame, empty: str = "Aucune donnée.") -> str:
    if frame.empty:
        return f"<p class=\"note\">{html.escape(empty)}</p>"
    head = "".join(f"<th>{html.escape(LABELS.get(c, c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            text, css = _cell(column, value)
            cells.append(f'<td class="{css}">{html.escape(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(column: str, value: Any) -> tuple[str, str]:
    """Display text and CSS class of one table cell."""
    if isinstance(value, bool):
        return ("oui" if value else "", "")
    if column.endswith("_eur"):
        return (format_eur(value), "num")
    if column.startswith("share"):
        return (_percent(value), "num")
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ("", "")
    if column == "basis":
        return (BASIS_LABELS.get(value, value), "")
    if isinstance(value, int | float):
        return (str(value), "num")
    return (str(value), "text" if column in ("financial_resources", "budget_lines") else "")


def _percent(value: float) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f"{value * 100:.1f}".replace(".", ",") + "\u00a0%"


# ---------------------------------------------------------------------------------------------
# Files: everything is written into a temporary folder, then moved into place.


def report_frames(report: BudgetReport) -> dict[str, pd.DataFrame]:
    """The report's tables by key of `CSV_FILES`."""
    return {**report.tables, "fiches": report.fiches, "funders": report.funders,
            "quality": report.quality()}


def write_xlsx(report: BudgetReport, path: Path) -> None:
    """All tables as one workbook: a "Synthèse" sheet, then one sheet per table.

    Text from the records is made safe for Excel: characters it refuses are dropped, cells are
    cut at Excel's 32 767 characters, and a text starting with "=" stays text, not a formula.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(value: Any) -> Any:
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_767] if isinstance(value, str) else value

    summary = pd.DataFrame(_flatten(report.overview), columns=["indicateur", "valeur"])
    frames = {"Synthèse": summary}
    frames.update({SHEETS[key]: frame for key, frame in report_frames(report).items()})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for sheet, frame in frames.items():
            text = frame.select_dtypes(include=["object", "string"]).columns
            frame = frame.copy()
            for column in text:
                frame[column] = frame[column].map(clean)
            frame.to_excel(writer, sheet_name=sheet, index=False)
            for row in writer.sheets[sheet].iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows += _flatten(value, f"{prefix}{key}.")
        else:
            rows.append((f"{prefix}{key}", value))
    return rows


def write_report(report: BudgetReport, out: str | Path, *, source: str,
                 xlsx: bool = False) -> list[Path]:
    """Write the whole report into folder `out` and return the files written.

    The files are first written into a temporary folder beside `out`. A new `out` is that folder
    renamed, so it appears complete or not at all; into an existing `out` each file is moved in
    with an atomic rename, so no file is ever half written. Other files in `out` are left alone.

    Raises:
        ReportError: `out` exists and is not a folder.
    """
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise ReportError(f"{target}: exists and is not a folder")
    with atomic_folder(target, merge=True) as tmp:
        names = _write_files(report, tmp, source=source, xlsx=xlsx)
    return [target / name for name in names]


def _write_files(report: BudgetReport, folder: Path, *, source: str, xlsx: bool) -> list[str]:
    overview = {"source": source, **report.overview}
    (folder / OVERVIEW_FILE).write_text(json.dumps(overview, ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")
    names = [OVERVIEW_FILE]
    for key, frame in report_frames(report).items():
        frame.to_csv(folder / CSV_FILES[key], index=False, encoding="utf-8", lineterminator="\n")
        names.append(CSV_FILES[key])
    charts = render_charts(report)
    for key, png in charts.items():
        (folder / CHART_FILES[key]).write_bytes(png)
        names.append(CHART_FILES[key])
    (folder / HTML_FILE).write_text(render_html(report, charts, source), encoding="utf-8")
    names.append(HTML_FILE)
    if xlsx:
        write_xlsx(report, folder / XLSX_FILE)
        names.append(XLSX_FILE)
    return names
