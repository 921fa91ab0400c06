"""Which budgets are outliers: pure pandas rules, each flag with a reason an analyst can read.

One approximate budget can be most of a small catalogue's money and drive every grouped total,
so the report flags such budgets and gives every total with and without them. Two rules:

- far above the others on a log scale (budgets span orders of magnitude, so quartiles of the
  raw amounts would flag every large project): log10(budget) > Q3 + 3 x IQR of log10(budgets);
- one fiche holding over a third of the catalogue's total, or of its département's or
  dimension's total.

The first rule and the catalogue's share need at least `MIN_BUDGETS` budgets (with fewer,
quartiles are meaningless and any fiche is a large share); a group's share needs
`MIN_GROUP_BUDGETS`, since in a group of a few fiches the largest budget is routinely a third of
the total without being out of line (on the sample: 18 000 EUR of a département's 43 406 EUR,
beside budgets of 500 to 9 000 EUR).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

IQR_FACTOR = 3.0
SHARE_LIMIT = 1 / 3
MIN_BUDGETS = 4
MIN_GROUP_BUDGETS = 10
# Groups in which a fiche's share of the total is checked, with the word the reason uses.
SHARE_GROUPS: dict[str, str] = {"departement": "du département", "dimension": "de la dimension"}


def outlier_reasons(fiches: pd.DataFrame) -> pd.Series:
    """The reason each fiche's budget is an outlier ("" when it is not), indexed like `fiches`.

    Args:
        fiches: with columns `budget_eur` (NaN when none) and the `SHARE_GROUPS` columns.
    """
    reasons: dict[int, list[str]] = {index: [] for index in fiches.index}
    budgets = fiches["budget_eur"].dropna()
    for index in _far_above(budgets):
        reasons[index].append("très au-dessus des autres budgets (Q3 + 3 × IQR, échelle log)")
    for index, share in _big_shares(budgets, MIN_BUDGETS):
        reasons[index].append(f"{_percent(share)} du total du catalogue")
    for column, words in SHARE_GROUPS.items():
        if column not in fiches:
            continue
        for key, group in budgets.groupby(fiches.loc[budgets.index, column].fillna("")):
            for index, share in _big_shares(group, MIN_GROUP_BUDGETS):
                name = f" {key}" if key else " (non renseigné)"
                reasons[index].append(f"{_percent(share)} du total {words}{name}")
    return pd.Series({i: "; ".join(r) for i, r in reasons.items()}, index=fiches.index,
                     dtype="str")


def log_fence(budgets: pd.Series) -> float | None:
    """The budget above which `_far_above` flags: 10 ** (Q3 + 3 x IQR) of log10 budgets."""
    positive = budgets[budgets > 0]
    if len(positive) < MIN_BUDGETS:
        return None
    logs = np.log10(positive)
    q1, q3 = logs.quantile(0.25), logs.quantile(0.75)
    return float(10 ** (q3 + IQR_FACTOR * (q3 - q1)))


def _far_above(budgets: pd.Series) -> list[int]:
    fence = log_fence(budgets)
    if fence is None:
        return []
    return [int(i) for i in budgets.index[budgets > fence]]


def _big_shares(budgets: pd.Series, minimum: int) -> list[tuple[int, float]]:
    total = budgets.sum()
    if len(budgets) < minimum or not total > 0:
        return []
    shares = budgets / total
    return [(int(i), float(s)) for i, s in shares[shares > SHARE_LIMIT].items()]


def _percent(share: float) -> str:
    return f"{round(share * 100)}\u00a0%"
