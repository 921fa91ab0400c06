"""The budget object of one fiche: its lines and the total they state or add up to."""

from __future__ import annotations

import re
from typing import Any

from pipeline.extraction.budget_cues import COSTS_BEFORE_RE, FUNDING_HEAD_RE, WIDER_SCOPE_RE
from pipeline.extraction.budget_lines import AMOUNT_TOLERANCE, Line, same_amount


def budget_from_lines(lines: list[Line]) -> dict[str, Any]:
    _demote_small_totals(lines)
    _scope_down(lines)
    budget: dict[str, Any] = {"total_eur": None, "basis": None, "approximate": None,
                              "unit_assumed": None, "consistent": None,
                              "lines": [_line_dict(line) for line in lines]}
    # In-kind, unconfirmed and passed-on money is not spent on the action. A zero counts only
    # when no amount is above it: "Coût : 0 €" is a total of 0, "Transport : 0 €" beside
    # others adds nothing.
    spent = [line for line in lines if line.kind not in ("in_kind", "unconfirmed", "passed_on")]
    counted = [line for line in spent if line.amount > 0] or spent
    if not counted:
        return budget
    # The action's share of a wider envelope is its total, whatever else is stated.
    totals = [line for line in counted if line.action_share] \
        or [line for line in counted if line.kind == "total"]
    other = [line for line in counted if line.kind == "other"]
    expenses = [line for line in counted if line.kind == "expense"]
    funding = [line for line in counted if line.kind == "funding"]
    if not totals and (implied := _implied_total(other, expenses, funding)) is not None:
        totals = [implied]
        other.remove(implied)
    elif not totals and (whole := _balancing_cost(expenses, funding + other)) is not None:
        totals = [whole]
        expenses.remove(whole)
    expense_totals = [t for t in totals if t.side != "funding"]
    funding_totals = [t for t in totals if t.side == "funding"]
    # Lines of unknown kind ("Neotoa : 1 000 €") side with the expenses if there are any, or if
    # they add up to the funding lines (a balanced budget: "Outils : 3 K€" then "Région 2 K€ +
    # usagers 1 K€"), else with the funding lines they are listed among.
    if expenses or not funding or _balanced(other, funding) or _costs_first(other, funding):
        expenses += other
    else:
        funding += other
    used, basis, total = _total(totals, counted, expenses, funding)
    if expense_totals and funding_totals:
        exp = max(t.amount for t in expense_totals)
        fund = max(t.amount for t in funding_totals)
        budget["consistent"] = same_amount(exp, fund)
    budget.update(total_eur=round(total, 2), basis=basis,
                  approximate=any(x.approximate for x in used),
                  unit_assumed=any(x.unit_assumed for x in used))
    return budget


def _total(totals: list[Line], counted: list[Line], expenses: list[Line],
           funding: list[Line]) -> tuple[list[Line], str, float]:
    """The lines the total is made of, its basis and its amount, in the gold README's order of
    preference: a stated total (or the action's share of an envelope: of a funder's, with what
    other funders add to it; of a wider cost, alone), a single amount, the sum of the expenses,
    the sum of the funding."""
    if shares := [line for line in totals if line.action_share]:
        share = max(shares, key=lambda t: t.amount)
        if share.funder is None:  # the action's part of a wider cost: its funders are in it
            return [share], "explicit_total", share.amount
        more = [x for x in funding if x.funder and x.funder != share.funder]
        return [share, *more], "explicit_total", share.amount + sum(x.amount for x in more)
    expense_totals = [t for t in totals if t.side != "funding"]
    if totals:
        best = max(expense_totals or totals, key=lambda t: t.amount)
        return [best], "explicit_total", best.amount
    if len(counted) == 1:
        return counted, "single_amount", counted[0].amount
    if expenses:
        return expenses, "sum_of_expenses", sum(x.amount for x in expenses)
    return funding, "sum_of_funding", sum(x.amount for x in funding)


def _demote_small_totals(lines: list[Line]) -> None:
    """A cost total below one of the field's expense lines is none: its total word names
    something else ("Préparation, ateliers budget" above 1 800 € under a 14 200 € line)."""
    biggest = max((x.amount for x in lines if x.kind == "expense"), default=0.0)
    for line in lines:
        if line.kind == "total" and line.side != "funding" and not line.action_share \
                and line.amount < biggest - AMOUNT_TOLERANCE:
            line.kind, line.side = "expense", None


def _scope_down(lines: list[Line]) -> None:
    """After a total of a wider scope ("Le budget global du secteur jeunesse est de 62 000 €"),
    an amount told as what something costs ("Le chantier de l'été représente 5 400 €") is the
    action's share of it, so its total."""
    for i, wide in enumerate(lines):
        if wide.kind != "total" or wide.action_share or not WIDER_SCOPE_RE.search(wide.label):
            continue
        for line in lines[i + 1:]:
            if line.field == wide.field and line.kind in ("other", "expense", "total") \
                    and line.funder is None and line.amount < wide.amount \
                    and COSTS_BEFORE_RE.search(line.label):
                line.kind, line.side, line.action_share = "total", "expense", True
                return


def _implied_total(other: list[Line], expenses: list[Line],
                   funding: list[Line]) -> Line | None:
    """An amount of no stated kind that the lines of one side add up to ("25 500 euros" above
    funding lines of 8 000, 9 000, 5 500 and 3 000 €) is their total, not one more line."""
    for side in (funding, expenses):
        whole = sum(x.amount for x in side)
        for line in other:
            if len(side) >= 2 and same_amount(line.amount, whole):
                return line
    return None


# Who gave, told by a verb ("la MSA a donné", "les familles ont payé"), misspelt or not.
_GIVING_VERB_RE = re.compile(
    r"(?<![\w])(?:a|ont)\s+(?:donn|pay|vers|financ|apport|offert|particip)\w*", re.IGNORECASE)


def _costs_first(other: list[Line], funding: list[Line]) -> bool:
    """True when the lines of unknown kind all come before the funding, which a funding word
    or a verb of giving heads ("Machines et tissus : 1 450 €" then "Financement : Délégation
    ... 1 000 €", "bus 1500e" then "la MSA a donné 500e"): the first block is the costs."""
    first = min(funding, key=lambda x: (x.field, x.start))
    headed = FUNDING_HEAD_RE.match(first.label) or _GIVING_VERB_RE.search(first.label)
    return bool(other) and headed is not None and all(
        x.field == first.field and x.start < first.start for x in other)


def _balanced(other: list[Line], funding: list[Line]) -> bool:
    """True when the lines of unknown kind add up to the funding lines: they are the costs."""
    return bool(other) and same_amount(sum(x.amount for x in other),
                                       sum(x.amount for x in funding))


def _balancing_cost(expenses: list[Line], funding: list[Line]) -> Line | None:
    """The one expense line that the funding lines add up to is the cost of the whole action
    ("Coût du séjour 4 450 €" above 1 650 + 1 200 + 1 000 + 600 €), not one more expense."""
    if len(expenses) != 1 or len(funding) < 2:
        return None
    return expenses[0] if same_amount(expenses[0].amount, sum(x.amount for x in funding)) \
        else None


def _line_dict(line: Line) -> dict[str, Any]:
    return {"label": line.label, "amount_eur": line.amount, "kind": line.kind,
            "funder": line.funder, "field": line.field, "start": line.start, "end": line.end}
