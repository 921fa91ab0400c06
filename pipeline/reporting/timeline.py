"""The chart of budgets over time: total budget per start year, and known funding per funder
type per start year, since the national synthesis compares years."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from pipeline.reporting.synthesis import UNKNOWN, format_eur

_USUAL = "#3b6ea5"
_OUTLIER = "#e8b07a"
_NO_DATA = "aucune donnée"


def chart_years(start_years: pd.DataFrame, funder_years: pd.DataFrame) -> Figure:
    """Two stacked panels sharing the years axis (every year from the first to the last).

    Top: total budget of the fiches starting each year, outliers stacked in a lighter colour.
    Bottom: known funding per funder type, stacked. Fiches without a start year are not drawn;
    the title says how many there are and what they hold.

    Args:
        start_years: `by_group(fiches, "start_year")`.
        funder_years: `by_year_and_funder_type(fiches, funders)`.
    """
    title = "Budgets par année de début de l'action"
    dated = start_years[start_years["start_year"] != UNKNOWN]
    undated = start_years[start_years["start_year"] == UNKNOWN]
    if not undated.empty:
        funding = funder_years.loc[funder_years["start_year"] == UNKNOWN, "amount_known_eur"]
        budgets = undated["budget_total_eur"]
        held = [f"{_eur(total.sum())} {words}" for total, words in (
            (budgets, "de budget"), (funding, "de financements cités")) if total.notna().any()]
        title += (f"\n{int(undated['fiches'].sum())} fiche(s) sans année de début non "
                  f"dessinée(s)" + (f" : {', '.join(held)}" if held else ""))
    fig = Figure(figsize=(10, 7), layout="constrained")
    if dated.empty:
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, _NO_DATA, ha="center", va="center", fontsize=14, color="#666666",
                transform=ax.transAxes)
        ax.set_title(title, fontsize=11)
        return fig
    years = _year_range(dated["start_year"])
    top, bottom = fig.subplots(2, 1, sharex=True)
    _budget_panel(top, dated.set_index("start_year").reindex(years))
    _funder_panel(bottom, funder_years[funder_years["start_year"] != UNKNOWN], years)
    fig.suptitle(title, fontsize=12)
    return fig


def _budget_panel(ax: Axes, table: pd.DataFrame) -> None:
    total = table["budget_total_eur"].fillna(0.0)
    usual = table["budget_total_excl_outliers_eur"].fillna(0.0)
    positions = range(len(table))
    ax.bar(positions, usual, color=_USUAL, label="hors valeurs atypiques")
    if (total - usual).any():
        ax.bar(positions, total - usual, bottom=usual, color=_OUTLIER, hatch="//",
               edgecolor="white", label="valeurs atypiques")
    for x, value, count in zip(positions, total, table["fiches_with_budget"].fillna(0),
                               strict=True):
        if value:
            ax.annotate(f"{_eur(value)}\n({int(count)} fiche(s))", (x, value), ha="center",
                        va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    ax.set_ylim(0, max(float(total.max()), 1.0) * 1.3)
    ax.set_title("Budget total des fiches (champ budget)", fontsize=10)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    _euro_axis(ax)


def _funder_panel(ax: Axes, table: pd.DataFrame, years: list[str]) -> None:
    amounts = table.pivot_table(index="start_year", columns="funder_type",
                                values="amount_known_eur", aggfunc="sum")
    amounts = amounts.reindex(years).fillna(0.0)
    order = amounts.sum().sort_values(ascending=False)
    order = order[order > 0].index.tolist()
    bottom = pd.Series(0.0, index=amounts.index)
    positions = range(len(years))
    colours = [f"C{i % 10}" for i in range(len(order))]
    for funder_type, colour in zip(order, colours, strict=True):
        ax.bar(positions, amounts[funder_type], bottom=bottom, color=colour, label=funder_type)
        bottom += amounts[funder_type]
    if not order:
        ax.text(0.5, 0.5, "aucun montant de financeur connu", ha="center", va="center",
                color="#666666", transform=ax.transAxes)
    else:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    ax.set_ylim(0, max(float(bottom.max()), 1.0) * 1.15)
    ax.set_title("Montant connu par type de financeur (somme des montants cités)", fontsize=10)
    ax.set_xticks(list(positions), labels=years)
    ax.set_xlabel("Année de début")
    _euro_axis(ax)


def _euro_axis(ax: Axes) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _eur(v)))
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)


def _year_range(labels: pd.Series) -> list[str]:
    """Every year from the first to the last, so gaps show; labels kept as they are if any is
    not a year."""
    if not all(label.isdigit() for label in labels):
        return sorted(labels)
    first, last = int(min(labels)), int(max(labels))
    if last - first > 60:  # a typo such as 1019 would squash the rest
        return sorted(labels)
    return [str(year) for year in range(first, last + 1)]


def _eur(value: float) -> str:
    return format_eur(float(round(value)))
