"""Partner types of enriched records: fiches per type and per département (pure pandas), and
their chart."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from pipeline.reporting.synthesis import UNKNOWN, distinct_records

PARTNER_TYPE_COLUMNS: tuple[str, ...] = ("partner_type", "fiches", "share_of_fiches")
_BAR = "#4c72b0"


def partner_types_of(record: dict[str, Any]) -> set[str]:
    """The partner types of one record (none when it has no `partners` field)."""
    partners = record.get("partners")
    if not isinstance(partners, list):
        return set()
    return {str(p["type"]) for p in partners if isinstance(p, dict) and p.get("type")}


def _rows(records: Iterable[dict[str, Any]]) -> tuple[pd.DataFrame, int]:
    """One row per (distinct fiche, partner type), and the number of distinct fiches."""
    rows, count = [], 0
    for record, _ in distinct_records(records):
        count += 1
        structure = record.get("structure") or {}
        departement = structure.get("departement") if isinstance(structure, dict) else None
        for kind in sorted(partner_types_of(record)):
            rows.append({"id": record["id"], "departement": departement or UNKNOWN,
                         "partner_type": kind})
    return pd.DataFrame(rows, columns=["id", "departement", "partner_type"]), count


def by_partner_type(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Fiches per partner type, most first.

    Columns: `partner_type`; `fiches`, distinct fiches naming at least one partner of that type;
    `share_of_fiches`, that count divided by the number of distinct fiches (0 to 1).
    """
    rows, count = _rows(records)
    table = rows.groupby("partner_type")["id"].nunique().rename("fiches").reset_index()
    table["fiches"] = table["fiches"].astype("int64")
    table["share_of_fiches"] = table["fiches"] / count if count else 0.0
    table = table.sort_values(["fiches", "partner_type"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)[list(PARTNER_TYPE_COLUMNS)]


def partner_types_by_departement(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Distinct fiches per département (rows) and partner type (columns, most frequent first);
    a missing département is `UNKNOWN`, listed last."""
    rows, _ = _rows(records)
    if rows.empty:
        return pd.DataFrame(columns=["departement"])
    table = pd.crosstab(rows["departement"], rows["partner_type"],
                        values=rows["id"], aggfunc="nunique").fillna(0).astype("int64")
    table = table[table.sum().sort_values(ascending=False, kind="stable").index]
    order = sorted(table.index, key=lambda d: (d == UNKNOWN, d))
    table = table.loc[order].rename_axis(index="departement", columns=None)
    return table.reset_index()


def chart_partner_types(table: pd.DataFrame) -> Figure:
    """Fiches per partner type, as horizontal bars labelled with count and share."""
    title = "Types de partenaires : nombre de fiches"
    height = max(3.0, 1.4 + 0.34 * len(table))
    fig = Figure(figsize=(9, height), layout="constrained")
    ax = fig.add_subplot()
    if table.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "Aucune donnée", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(title)
        return fig
    positions = list(range(len(table)))
    bars = ax.barh(positions, table["fiches"].tolist(), color=_BAR)
    ax.bar_label(bars, padding=3, fontsize=9, labels=[
        f"{n} ({share:.0%})" for n, share in zip(table["fiches"], table["share_of_fiches"],
                                                  strict=True)])
    ax.set_yticks(positions, labels=table["partner_type"].tolist())
    ax.invert_yaxis()
    ax.set_xlim(0, max(int(table["fiches"].max()), 1) * 1.25)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=12)
    return fig
