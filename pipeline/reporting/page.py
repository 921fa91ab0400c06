"""The report as one self-contained HTML page, and the French words people read in it."""

from __future__ import annotations

import base64
import html
import math
from datetime import date
from typing import Any

import pandas as pd

from pipeline.reporting.synthesis import BudgetReport, format_eur

FICHES_CSV = "fiches.csv"  # where the page sends readers for every detail
TABLE_TITLES: dict[str, str] = {
    "funder_types": "Financement par type de financeur",
    "departements": "Fiches et budgets par département",
    "dimensions": "Fiches et budgets par dimension",
    "statuses": "Fiches et budgets par statut",
    "start_years": "Fiches et budgets par année de début",
    "funder_types_by_year": "Financement par année de début et type de financeur",
}
# French column headings for people (HTML and xlsx); CSV keeps the stable names.
LABELS: dict[str, str] = {
    "funder_type": "Type de financeur", "fiches": "Fiches", "fiches_with_amount":
    "Fiches avec montant", "amount_known_eur": "Montant connu", "share_of_known_total":
    "Part du total connu", "departement": "Département", "dimension": "Dimension",
    "status": "Statut", "start_year": "Année de début", "fiches_with_budget": "Fiches avec budget",
    "budget_total_eur": "Budget total", "budget_median_eur": "Budget médian", "title": "Titre",
    "budget_eur": "Budget", "basis": "Base du budget", "approximate": "Approximatif",
    "unit_assumed": "Unité supposée", "inconsistent": "Dépenses ≠ recettes",
    "financial_resources": "Texte du champ budget", "funders": "Financeurs", "line": "Ligne",
    "file": "Fichier", "budget_lines": "Lignes lues", "budget_coverage": "Part avec budget",
    "budget_total_excl_outliers_eur": "Budget total hors valeurs atypiques",
    "amount_known_excl_outliers_eur": "Montant connu hors valeurs atypiques",
    "outlier": "Valeur atypique", "outlier_reason": "Pourquoi atypique", "id": "Identifiant",
    "copies": "Exemplaires", "structure": "Structure", "start": "Début",
    "budget_fields": "Champs du budget", "budget_evidence": "Texte des lignes lues",
    "partner_type": "Type de partenaire", "share_of_fiches": "Part des fiches",
    "type": "Type de financeur", "name": "Nom écrit", "amount_eur": "Montant",
    "fiche": "Fiche", "flags": "Signalements", "indicator": "Indicateur", "value": "Valeur",
    "key": "Clé (overview.json)",
}
QUALITY_LABELS: dict[str, str] = {
    "approximate": "Budget approximatif (« environ », « près de »...)",
    "unit_assumed": "Unité supposée (nombre sans « € » lu comme des euros)",
    "inconsistent": "Totaux des dépenses et des recettes incohérents",
    "outlier": "Valeur atypique (très au-dessus des autres, ou plus d'un tiers d'un total)",
    "no_budget": "Sans budget (aucun montant)",
}
# Short words for the flags, in the tables of fiches.
QUALITY_WORDS: dict[str, str] = {
    "approximate": "approximatif", "unit_assumed": "unité supposée",
    "inconsistent": "dépenses ≠ recettes", "outlier": "valeur atypique",
}
BASIS_LABELS: dict[str, str] = {
    "explicit_total": "total explicite", "sum_of_expenses": "somme des dépenses",
    "sum_of_funding": "somme des financements", "single_amount": "montant unique",
}


# ---------------------------------------------------------------------------------------------
# HTML: one self-contained page; every text from the records goes through `html.escape`.

_STYLE = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; margin: 2em auto; max-width: 70em;
       color: #222; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
table.wide { width: 100%; font-size: 0.8em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; vertical-align: top; }
th { background: #f0f3f7; text-align: left; }
td { overflow-wrap: break-word; }
td.num { text-align: right; white-space: nowrap; }
td.text { min-width: 6em; max-width: 40em; white-space: pre-wrap; }
img { max-width: 100%; height: auto; display: block; margin: 1em 0; }
p.note { color: #555; font-size: 0.9em; }
p.lead { font-size: 1.15em; font-weight: 600; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9pt; }
  h2 { break-after: avoid; } tr, img { break-inside: avoid; } table.wide { font-size: 7.5pt; }
}
"""


_HEAD = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Synthèse des budgets des fiches action</title>
<style>{_STYLE}</style></head><body>
<h1>Synthèse des budgets des fiches action</h1>"""


# The overview's keys in words, for the workbook's summary sheet.
OVERVIEW_LABELS: dict[str, str] = {
    "records": "Enregistrements lus", "fiches": "Fiches (distinctes)", "duplicates": "Doublons",
    "fiches_with_budget": "Fiches avec un budget",
    "budget_coverage": "Part des fiches avec un budget", "budget_total_eur": "Budget total",
    "outliers": "Valeurs atypiques",
    "budget_total_excl_outliers_eur": "Budget total hors valeurs atypiques",
    "budget_min_eur": "Budget minimum", "budget_q1_eur": "Premier quartile",
    "budget_median_eur": "Médiane", "budget_q3_eur": "Troisième quartile",
    "budget_max_eur": "Budget maximum",
}


def overview_label(key: str) -> str:
    """French words for a (flattened) overview key: "basis.single_amount" -> "Base du budget :
    montant unique"; the key itself when there are none."""
    group, _, item = key.partition(".")
    if group == "basis" and item:
        return f"Base du budget : {BASIS_LABELS.get(item, item)}"
    if group == "budget_fields" and item:
        from pipeline.reading.parse import HEADINGS

        return f"Budgets lus dans : {dict(HEADINGS).get(item, item)}"
    if group == "quality" and item:
        return f"Qualité : {QUALITY_LABELS.get(item, item)}"
    return OVERVIEW_LABELS.get(key, key)


def render_html(report: BudgetReport, charts: dict[str, bytes], source: str,
                generated: date | None = None) -> str:
    """The report as one HTML page with the charts embedded as data URIs.

    Args:
        report: from `build_report`.
        charts: PNG bytes by key of `CHART_FILES` (see `render_charts`).
        source: the input's name, shown in the page.
        generated: the date shown as the report's date; default: today.
    """
    ov = report.overview
    esc = html.escape
    quality_rows = [(QUALITY_LABELS[k], str(v)) for k, v in ov["quality"].items()]
    parts = [
        _HEAD,
        f'<p class="lead">{esc(coverage_sentence(ov))}</p>',
        _provenance(ov, source, generated or date.today()),
        "<h2>Chiffres clés</h2>",
        _pairs_table(_key_figures(ov)),
        f'<img alt="Répartition des budgets" src="{_data_uri(charts["distribution"])}">',
        "<h2>Qualité des données</h2>",
        _pairs_table(quality_rows),
        "<p class=\"note\">Fiches à vérifier à la main (budget approximatif, unité supposée, "
        "totaux incohérents ou valeur atypique) :</p>",
        _frame_table(_flagged_view(report.quality()), empty="Aucune fiche signalée."),
        *_funder_section(report, charts),
        "<h2>Fiches et budgets par département</h2>",
        f'<img alt="Fiches et budgets par département" '
        f'src="{_data_uri(charts["departements"])}">',
        _frame_table(report.tables["departements"]),
        "<h2>Budgets par année de début</h2>\n"
        f'<img alt="Budgets par année de début" src="{_data_uri(charts["years"])}">',
        *_partner_section(report, charts),
    ]
    for key in ("dimensions", "statuses", "start_years", "funder_types_by_year"):
        parts += [f"<h2>{esc(TABLE_TITLES[key])}</h2>", _frame_table(report.tables[key])]
    parts += [
        "<h2>Toutes les fiches</h2>",
        f"<p class=\"note\">Le détail, avec le texte du champ budget et les lignes lues, est "
        f"dans {FICHES_CSV}.</p>",
        _frame_table(_fiche_view(report.fiches)),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _funder_section(report: BudgetReport, charts: dict[str, bytes]) -> list[str]:
    """The funder-type part of the page: what the figures mean, the chart, the table."""
    return [
        "<h2>Financement par type de financeur</h2>",
        "<p class=\"note\">« Fiches » : fiches citant ce type de financeur. « Montant connu » : "
        "somme des montants que les fiches attribuent à ce type ; les financements cités sans "
        "montant n'y sont pas, c'est donc un minimum (« non chiffré » : aucun montant cité). "
        "« Part du total connu » : ce montant divisé par la somme des montants connus de tous "
        "les types.</p>",
        f'<img alt="Financement par type de financeur" '
        f'src="{_data_uri(charts["funder_types"])}">',
        _frame_table(report.tables["funder_types"]),
    ]


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


def coverage_sentence(overview: dict[str, Any]) -> str:
    """"14 fiches sur 23 ont un budget (61 %)" from the overview."""
    coverage = overview["budget_coverage"]
    share = f" ({round(coverage * 100)}\u00a0%)" if coverage is not None else ""
    return f"{overview['fiches_with_budget']} fiches sur {overview['fiches']} ont un budget{share}"


def _key_figures(ov: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [
        ("Fiches (distinctes)", str(ov["fiches"])),
        ("Enregistrements lus", f"{ov['records']} (dont {ov['duplicates']} doublons)"),
        ("Fiches avec un budget", str(ov["fiches_with_budget"])),
        ("Budget total", format_eur(ov["budget_total_eur"])),
        (f"Budget total hors valeurs atypiques ({ov['outliers']} fiche(s))",
         format_eur(ov["budget_total_excl_outliers_eur"])),
        ("Premier quartile", format_eur(ov["budget_q1_eur"])),
        ("Médiane", format_eur(ov["budget_median_eur"])),
        ("Troisième quartile", format_eur(ov["budget_q3_eur"])),
        ("Minimum – maximum",
         f"{format_eur(ov['budget_min_eur'])} – {format_eur(ov['budget_max_eur'])}"),
    ]
    return rows + [(f"Base du budget : {BASIS_LABELS.get(b, b)}", str(n))
                   for b, n in ov["basis"].items()]


def _provenance(ov: dict[str, Any], source: str, generated: date) -> str:
    from pipeline import __version__
    from pipeline.reading.parse import HEADINGS

    headings = dict(HEADINGS)
    fields = "; ".join(f"« {headings.get(f, f)} » ({n} fiches)"
                       for f, n in ov["budget_fields"].items()) or "aucun"
    return (f"<p class=\"note\">Source : {html.escape(source)}. Établi le "
            f"{generated.strftime('%d/%m/%Y')} par fiches {html.escape(__version__)}. Budgets "
            f"lus dans : {html.escape(fields)}. Les fiches en double (même contenu) sont comptées "
            "une fois. Le budget d'une fiche est le coût total de l'action ; les contributions en "
            "nature n'en font pas partie.</p>")


def _flags(row: Any) -> str:
    words = [QUALITY_WORDS[flag] for flag in QUALITY_WORDS if getattr(row, flag)]
    if row.outlier_reason:
        words[-1] += f" ({row.outlier_reason})"
    return "; ".join(words)


def _flagged_view(quality: pd.DataFrame) -> pd.DataFrame:
    """The flagged fiches as the page shows them: 6 columns, so the table fits a page."""
    return pd.DataFrame({
        "fiche": [f"{t}\n{f}:{n}" for t, f, n in zip(quality["title"], quality["file"],
                                                     quality["line"], strict=True)],
        "budget_eur": quality["budget_eur"],
        "basis": quality["basis"],
        "flags": [_flags(row) for row in quality.itertuples()],
        "budget_lines": quality["budget_lines"],
        "financial_resources": quality["financial_resources"],
    })


def _fiche_view(fiches: pd.DataFrame) -> pd.DataFrame:
    view = fiches[["title", "departement", "start_year", "budget_eur", "basis", "funders"]]
    return view.assign(flags=[_flags(row) for row in fiches.itertuples()])


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
    wide = ' class="wide"' if len(frame.columns) > 5 else ""
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            text, css = _cell(column, value)
            cells.append(f'<td class="{css}">{html.escape(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table{wide}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
            "</table>")


def _cell(column: str, value: Any) -> tuple[str, str]:
    """Display text and CSS class of one table cell."""
    if isinstance(value, bool):
        return ("oui" if value else "", "")
    if column.startswith(("amount_known", "share")) and pd.isna(value):
        return ("non chiffré", "num")
    if column.endswith("_eur"):
        return (format_eur(value), "num")
    if column.startswith("share") or column.endswith("_coverage"):
        return (percent(value), "num")
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ("", "")
    if column == "basis":
        return (BASIS_LABELS.get(value, value), "")
    if isinstance(value, int | float):
        return (str(value), "num")
    return (str(value), "text" if column in _TEXT_COLUMNS else "")


_TEXT_COLUMNS = frozenset({"financial_resources", "budget_lines", "fiche", "flags", "funders",
                           "title"})


def percent(value: float) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f"{value * 100:.1f}".replace(".", ",") + "\u00a0%"
