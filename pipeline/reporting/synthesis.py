"""Budget synthesis of enriched records: pure pandas functions returning DataFrames and dicts."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# ReportError and check_record are re-exported: callers have always found them here.
from pipeline.reporting.checks import ReportError as ReportError
from pipeline.reporting.checks import check_record as check_record
from pipeline.reporting.checks import is_amount, where
from pipeline.reporting.outliers import outlier_reasons

# Label of a missing département, dimension, status or start year in the grouped tables.
UNKNOWN = "(non renseigné)"

BASES = ("explicit_total", "sum_of_expenses", "sum_of_funding", "single_amount")

FICHE_COLUMNS: tuple[str, ...] = (
    "id", "copies", "file", "line", "title", "structure", "departement", "status", "dimension",
    "start", "start_year", "budget_eur", "basis", "approximate", "unit_assumed", "inconsistent",
    "outlier", "outlier_reason", "funders", "budget_fields", "budget_lines", "budget_evidence",
    "financial_resources",
)
FUNDER_COLUMNS: tuple[str, ...] = ("id", "type", "name", "amount_eur")
GROUP_COLUMNS: tuple[str, ...] = (
    "fiches", "fiches_with_budget", "budget_coverage", "budget_total_eur",
    "budget_total_excl_outliers_eur", "budget_median_eur")
FUNDER_SUMS: tuple[str, ...] = (
    "fiches", "fiches_with_amount", "amount_known_eur", "amount_known_excl_outliers_eur")
FUNDER_TYPE_COLUMNS: tuple[str, ...] = ("funder_type", *FUNDER_SUMS, "share_of_known_total")
FUNDER_YEAR_COLUMNS: tuple[str, ...] = ("start_year", "funder_type", *FUNDER_SUMS)
QUALITY_FLAGS: tuple[str, ...] = ("approximate", "unit_assumed", "inconsistent", "outlier")

@dataclass
class BudgetReport:
    """Everything the budget report shows, as plain data.

    Attributes:
        overview: key figures and data-quality counts (see `overview`).
        fiches: one row per distinct fiche (see `fiches_frame`).
        funders: one row per funder mention of a distinct fiche (see `funders_frame`).
        tables: the grouped tables by name: `funder_types`, `departements`, `dimensions`,
            `statuses`, `start_years`, `funder_types_by_year`, `partner_types`,
            `partner_departements`.
    """

    overview: dict[str, Any]
    fiches: pd.DataFrame
    funders: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def quality(self) -> pd.DataFrame:
        """The fiches with at least one data-quality flag, for checking by hand."""
        return quality_fiches(self.fiches)


def distinct_records(records: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """The first record of each `id`, in input order, with how many records share that id.

    The id is a hash of the fiche's content, so it identifies duplicates across input files as
    well as within one (where `duplicate_of` also marks them).

    Raises:
        ReportError: a record fails `check_record`.
    """
    first: dict[str, dict[str, Any]] = {}
    copies: dict[str, int] = {}
    for i, record in enumerate(records):
        check_record(record, where(record, i))
        key = record["id"]
        if key not in first:
            first[key] = record
        copies[key] = copies.get(key, 0) + 1
    return [(record, copies[key]) for key, record in first.items()]


def fiches_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per distinct fiche (first record of each `id`), in input order.

    Columns: `id`, `copies` (records with that id), `file`, `line`, `title`, `structure`,
    `departement`, `status`, `dimension`, `start` (`dates.start`), `start_year`, `budget_eur`
    (`budget.total_eur`, NaN when none), `basis`, `approximate`, `unit_assumed`,
    `inconsistent` (`budget.consistent` is false), `outlier` and `outlier_reason` (see
    `outliers.outlier_reasons`), `funders` ("CAF 1500 €; Commune"), `budget_fields` (the fields
    the budget lines were read from), `budget_lines` (the extracted lines), `budget_evidence`
    (the text of each line, cut from its field), `financial_resources` (the budget field's text).

    Raises:
        ReportError: a record fails `check_record`.
    """
    rows = [_fiche_row(record, copies) for record, copies in distinct_records(records)]
    frame = pd.DataFrame(rows, columns=list(FICHE_COLUMNS))
    types = {name: "str" for name in FICHE_COLUMNS}
    types.update({"copies": "int64", "line": "Int64", "budget_eur": "float64",
                  "approximate": "bool", "unit_assumed": "bool", "inconsistent": "bool",
                  "outlier": "bool"})
    frame = frame.astype(types)
    frame["outlier_reason"] = outlier_reasons(frame)
    frame["outlier"] = frame["outlier_reason"] != ""
    return frame


def funders_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per funder mention of each distinct fiche: `id`, `type`, `name`, `amount_eur`.

    Raises:
        ReportError: a record fails `check_record`.
    """
    rows = [
        {"id": record["id"], "type": funder["type"], "name": funder.get("name"),
         "amount_eur": _float(funder.get("amount_eur"))}
        for record, _ in distinct_records(records)
        for funder in record.get("funders") or []
    ]
    frame = pd.DataFrame(rows, columns=list(FUNDER_COLUMNS))
    return frame.astype({"id": "str", "type": "str", "name": "str", "amount_eur": "float64"})


def overview(fiches: pd.DataFrame) -> dict[str, Any]:
    """Key figures of the catalogue, JSON-ready (missing statistics are `None`).

    Keys: `records` (records read), `fiches` (distinct fiches), `duplicates`,
    `fiches_with_budget`, `budget_coverage` (`fiches_with_budget / fiches`, None without
    fiches), `budget_total_eur` (sum of the budgets, 0 when none), `outliers` (fiches whose
    budget is an outlier), `budget_total_excl_outliers_eur` (the sum without them),
    `budget_min_eur`, `budget_q1_eur`, `budget_median_eur`, `budget_q3_eur`, `budget_max_eur`
    (quartiles by linear interpolation, pandas' default), `basis` (fiches per basis of the
    budget), `budget_fields` (fiches with a budget per field its lines were read from), and
    `quality`: fiches whose budget is `approximate`, whose unit was assumed (`unit_assumed`),
    whose stated expense and funding totals disagree (`inconsistent`), that is an `outlier`, and
    with no budget (`no_budget`).
    """
    budgets = fiches["budget_eur"].dropna()
    records = int(fiches["copies"].sum())
    stats = {
        "budget_min_eur": budgets.min(), "budget_q1_eur": budgets.quantile(0.25),
        "budget_median_eur": budgets.median(), "budget_q3_eur": budgets.quantile(0.75),
        "budget_max_eur": budgets.max(),
    }
    with_budget = fiches[fiches["budget_eur"].notna()]
    basis = with_budget["basis"].fillna(UNKNOWN).value_counts()
    fields = with_budget["budget_fields"].str.split("; ").explode()
    fields = fields[fields.notna() & (fields != "")].value_counts()
    return {
        "records": records,
        "fiches": len(fiches),
        "duplicates": records - len(fiches),
        "fiches_with_budget": len(budgets),
        "budget_coverage": len(budgets) / len(fiches) if len(fiches) else None,
        "budget_total_eur": float(budgets.sum()),
        "outliers": int(fiches["outlier"].sum()),
        "budget_total_excl_outliers_eur": float(budgets[~fiches.loc[budgets.index, "outlier"]
                                                        ].sum()),
        **{key: _json_number(value) for key, value in stats.items()},
        "basis": {str(k): int(v) for k, v in sorted(basis.items(), key=_basis_order)},
        "budget_fields": {str(k): int(v) for k, v in sorted(fields.items())},
        "quality": {
            **{flag: int(fiches[flag].sum()) for flag in QUALITY_FLAGS},
            "no_budget": int(fiches["budget_eur"].isna().sum()),
        },
    }


def by_funder_type(fiches: pd.DataFrame, funders: pd.DataFrame) -> pd.DataFrame:
    """Funding by funder type, most money first.

    Columns: `funder_type`; `fiches`, distinct fiches naming that type as a funder;
    `fiches_with_amount`, those of them giving an amount for it; `amount_known_eur`, the sum of
    the amounts given for that type (amounts not stated count for nothing, so this is a floor,
    not the type's real contribution; NaN when no fiche gives one: "non chiffré");
    `amount_known_excl_outliers_eur`, the same without the fiches whose budget is an outlier;
    `share_of_known_total`, `amount_known_eur` divided by the sum of `amount_known_eur` over all
    types (a fraction from 0 to 1, NaN when the type has no amount).

    Args:
        fiches: from `fiches_frame`; its ids keep distinct fiches, its `outlier` flags them.
        funders: from `funders_frame`.
    """
    table = _funder_sums(fiches, funders, ["type"])
    total = table["amount_known_eur"].sum()
    table["share_of_known_total"] = table["amount_known_eur"] / total if total else math.nan
    table = table.sort_values(["amount_known_eur", "fiches", "funder_type"],
                              ascending=[False, False, True], kind="stable")
    return table.reset_index(drop=True)[list(FUNDER_TYPE_COLUMNS)]


def by_year_and_funder_type(fiches: pd.DataFrame, funders: pd.DataFrame) -> pd.DataFrame:
    """Funding by start year and funder type: the columns of `by_funder_type` but the share.

    Sorted by year (`UNKNOWN` last), then most money first.
    """
    table = _funder_sums(fiches, funders, ["start_year", "type"])
    table["_unknown"] = table["start_year"] == UNKNOWN
    table = table.sort_values(["_unknown", "start_year", "amount_known_eur", "funder_type"],
                              ascending=[True, True, False, True], kind="stable")
    return table.reset_index(drop=True)[list(FUNDER_YEAR_COLUMNS)]


def _funder_sums(fiches: pd.DataFrame, funders: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """`FUNDER_SUMS` of the funder mentions of distinct fiches, grouped by `keys`."""
    facts = fiches[["id", "start_year", "outlier"]].copy()
    facts["start_year"] = facts["start_year"].where(facts["start_year"].notna(), UNKNOWN)
    mentions = funders.merge(facts.astype({"start_year": "str"}), on="id", how="inner")
    known = mentions[mentions["amount_eur"].notna()]
    usual = known[~known["outlier"]]
    table = pd.DataFrame({
        "fiches": mentions.groupby(keys)["id"].nunique(),
        "fiches_with_amount": known.groupby(keys)["id"].nunique(),
        "amount_known_eur": known.groupby(keys)["amount_eur"].sum(),
        "amount_known_excl_outliers_eur": usual.groupby(keys)["amount_eur"].sum(),
    }, columns=list(FUNDER_SUMS))
    table = table.fillna({"fiches_with_amount": 0})
    table = table.astype({"fiches": "int64", "fiches_with_amount": "int64",
                          "amount_known_eur": "float64",
                          "amount_known_excl_outliers_eur": "float64"})
    if len(keys) == 1:
        table.index = table.index.astype("str")
    table = table.rename_axis([{"type": "funder_type"}.get(k, k) for k in keys]).reset_index()
    return table.astype({"funder_type": "str"})


def by_group(fiches: pd.DataFrame, column: str, *, order: str = "fiches") -> pd.DataFrame:
    """Fiches and budgets per value of `column`, missing values as `UNKNOWN`.

    Columns: `column`, `fiches` (distinct fiches), `fiches_with_budget`, `budget_coverage`
    (`fiches_with_budget / fiches`), `budget_total_eur` (sum of their budgets, NaN when none),
    `budget_total_excl_outliers_eur` (the same without outliers), `budget_median_eur`.

    Args:
        fiches: from `fiches_frame`.
        column: the column to group by.
        order: `"fiches"` sorts by most fiches then label; `"label"` by label. `UNKNOWN` is last.
    """
    keys = fiches[column].astype("object").where(fiches[column].notna(), UNKNOWN).astype("str")
    grouped = fiches["budget_eur"].groupby(keys)
    usual = fiches["budget_eur"].where(~fiches["outlier"]).groupby(keys)
    table = pd.DataFrame({
        "fiches": grouped.size(),
        "fiches_with_budget": grouped.count(),
        "budget_coverage": grouped.count() / grouped.size(),
        "budget_total_eur": grouped.sum(min_count=1),
        "budget_total_excl_outliers_eur": usual.sum(min_count=1),
        "budget_median_eur": grouped.median(),
    }, columns=list(GROUP_COLUMNS)).astype({"fiches": "int64", "fiches_with_budget": "int64"})
    table = table.astype({c: "float64" for c in GROUP_COLUMNS[2:]})
    table = table.rename_axis(column).reset_index()
    table["_unknown"] = table[column] == UNKNOWN
    by, ascending = (["_unknown", column], [True, True]) if order == "label" else (
        ["_unknown", "fiches", column], [True, False, True])
    table = table.sort_values(by, ascending=ascending, kind="stable").drop(columns="_unknown")
    return table.reset_index(drop=True)


def quality_fiches(fiches: pd.DataFrame) -> pd.DataFrame:
    """The fiches with a data-quality flag (approximate, unit assumed, inconsistent, outlier)."""
    flagged = fiches[list(QUALITY_FLAGS)].any(axis=1)
    columns = ["id", "file", "line", "title", "departement", "budget_eur", "basis",
               *QUALITY_FLAGS, "outlier_reason", "budget_lines", "financial_resources"]
    return fiches.loc[flagged, columns].reset_index(drop=True)


def build_report(records: Iterable[dict[str, Any]]) -> BudgetReport:
    """The whole budget report of a list of enriched records.

    Raises:
        ReportError: a record fails `check_record`.
    """
    from pipeline.reporting.partners import by_partner_type, partner_types_by_departement

    records = list(records)
    fiches = fiches_frame(records)
    funders = funders_frame(records)
    return BudgetReport(
        overview=overview(fiches),
        fiches=fiches,
        funders=funders,
        tables={
            "funder_types": by_funder_type(fiches, funders),
            "departements": by_group(fiches, "departement"),
            "dimensions": by_group(fiches, "dimension"),
            "statuses": by_group(fiches, "status"),
            "start_years": by_group(fiches, "start_year", order="label"),
            "partner_types": by_partner_type(records),
            "partner_departements": partner_types_by_departement(records),
            "funder_types_by_year": by_year_and_funder_type(fiches, funders),
        },
    )


def format_eur(value: float | None) -> str:
    """French euro amount for people: 12000.5 -> "12 000,50 €", NaN or None -> "—"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    decimals = 0 if float(value).is_integer() else 2
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return f"{text}\u00a0€"


def _fiche_row(record: dict[str, Any], copies: int) -> dict[str, Any]:
    budget = record.get("budget") or {}
    source = record.get("source") or {}
    structure = record.get("structure") or {}
    dates = record.get("dates") or {}
    start = dates.get("start") if isinstance(dates, dict) else None
    start = start if isinstance(start, str) else None
    lines = [line for line in budget.get("lines") or [] if isinstance(line, dict)]
    return {
        "id": record["id"],
        "copies": copies,
        "file": source.get("file"),
        "line": source.get("line"),
        "title": record.get("title"),
        "structure": structure.get("name"),
        "departement": structure.get("departement"),
        "status": record.get("status"),
        "dimension": record.get("dimension"),
        "start": start,
        "start_year": start[:4] if start and start[:4].isdigit() else None,
        "budget_eur": _float(budget.get("total_eur")),
        "basis": budget.get("basis"),
        "approximate": budget.get("approximate") is True,
        "unit_assumed": budget.get("unit_assumed") is True,
        "inconsistent": budget.get("consistent") is False,
        "outlier": False,  # set by `fiches_frame` once every budget is known
        "outlier_reason": "",
        "funders": "; ".join(_describe_funder(f) for f in record.get("funders") or []),
        "budget_fields": "; ".join(sorted({str(line.get("field")) for line in lines
                                           if line.get("field")})),
        "budget_lines": "; ".join(_describe_line(line) for line in lines),
        "budget_evidence": " | ".join(e for line in lines if (e := _evidence(record, line))),
        "financial_resources": record.get("financial_resources"),
    }


def _describe_funder(funder: dict[str, Any]) -> str:
    amount = funder.get("amount_eur")
    return funder["type"] if amount is None else f"{funder['type']} {_plain(amount)} €"


def _describe_line(line: dict[str, Any]) -> str:
    label = line.get("label") or ""
    amount = line.get("amount_eur")
    value = "?" if not is_amount(amount) or amount is None else f"{_plain(amount)} €"
    return f"{label}: {value} ({line.get('kind')})" if label else f"{value} ({line.get('kind')})"


def _evidence(record: dict[str, Any], line: dict[str, Any]) -> str | None:
    """The text a budget line was read from, when its field and offsets are valid."""
    text = record.get(line.get("field") or "")
    start, end = line.get("start"), line.get("end")
    if not isinstance(text, str) or not isinstance(start, int) or not isinstance(end, int):
        return None
    if not 0 <= start < end <= len(text):
        return None
    return text[start:end]


def _plain(amount: float) -> str:
    return str(int(amount)) if float(amount).is_integer() else str(amount)


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


def _json_number(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _basis_order(item: tuple[Any, Any]) -> tuple[int, str]:
    key = str(item[0])
    return (BASES.index(key) if key in BASES else len(BASES), key)
