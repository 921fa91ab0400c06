"""One field's budget lines and funders, read clause by clause from its money and org spans."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span

from pipeline.extraction.budget_clauses import ClauseReader
from pipeline.extraction.budget_cues import (
    FINANCING_TRIGGER_RE,
    OWN_BUDGET_RE,
    PER_UNIT_RE,
)
from pipeline.extraction.budget_funders import users_fees
from pipeline.extraction.budget_layout import between, clauses, header_mode, label_above_amount
from pipeline.extraction.budget_lines import AMOUNT_TOLERANCE, Line, make_total
from pipeline.extraction.budget_prices import is_price

# "Fonds de participation des habitants" names a fund, not the users paying.
_FUND_OF_RE = re.compile(r"fonds\s+d(?:e\s+|['’])$", re.IGNORECASE)
# What may open a field before its headline amount: bullets, an estimate word.
_OPENING_RE = re.compile(
    r"[ \t\u00a0\n\-–•*·>~]*(?:(?:environ|env\.?|pr[èe]s\s+de|approximativement"
    r"|[àa]\s+peu\s+pr[èe]s|autour\s+de)[ \t\u00a0]*)?", re.IGNORECASE)
MONEY_KEY = "money"
ORGS_KEY = "orgs"
FUNDER_LABELS = frozenset({"ORG", "PROGRAMME", "USERS"})


def read_field(doc: Doc, field: str, budget_field: bool, every_clause: bool = False,
                ) -> tuple[list[Line], list[dict[str, Any]]]:
    """The budget lines and funders of one field, clause by clause.

    Outside the budget field only financing clauses count (every clause when the budget field
    points to this one: `every_clause`), and bare numbers are not money; per-unit prices are
    never lines.
    """
    text = doc.text
    money = sorted(doc.spans[MONEY_KEY] if MONEY_KEY in doc.spans else [],
                   key=lambda s: s.start_char)
    money = [m for m in money if budget_field or not m._.unit_assumed]
    priced = [is_price(text, m.start_char, m.end_char, float(m._.amount_eur)) for m in money]
    per_unit = [m for m, p in zip(money, priced, strict=True) if p]
    money = [m for m, p in zip(money, priced, strict=True) if not p]
    prices = _price_spans(text, per_unit)
    found = sorted(doc.spans[ORGS_KEY] if ORGS_KEY in doc.spans else [],
                   key=lambda s: s.start_char)
    orgs = [s for s in found if s.label_ in FUNDER_LABELS and getattr(s._, "funder_type", None)
            and not OWN_BUDGET_RE.search(text, max(0, s.start_char - 60), s.start_char)
            and not (s.label_ == "USERS" and _FUND_OF_RE.search(text, max(0, s.start_char - 12),
                                                                 s.start_char))]
    # Gazetteer organisations of no funder type: they give money only when an amount is linked
    # to them ("500 € du Crédit Agricole").
    givers = [s for s in found if s.label_ == "ORG" and s.id_ and not s._.funder_type]
    money_starts = [m.start_char for m in money]
    org_starts = [o.start_char for o in orgs]
    giver_starts = [g.start_char for g in givers]
    lines: list[Line] = []
    funders: list[dict[str, Any]] = users_fees(text, per_unit, field) if per_unit and (
        budget_field or every_clause or FINANCING_TRIGGER_RE.search(text)) else []
    mode: str | None = None
    cut = label_above_amount(clauses(text), text, money_starts, money,
                             lambda a, b: bool(between(orgs, org_starts, a, b)))
    for c_start, c_end in cut:
        c_money = between(money, money_starts, c_start, c_end)
        c_orgs = between(orgs, org_starts, c_start, c_end)
        clause = text[c_start:c_end]
        if not budget_field and not every_clause and not (FINANCING_TRIGGER_RE.search(clause)
                                     or any(o.label_ == "PROGRAMME" for o in c_orgs)):
            continue
        if not c_money:
            mode = header_mode(clause) or mode
        reader = ClauseReader(text, c_start, c_end, field, mode, c_orgs, c_money,
                              between(givers, giver_starts, c_start, c_end), prices)
        reader.read(c_money, lines, funders)
    if budget_field:
        _headline(text, lines)
    return lines, funders


def _price_spans(text: str, per_unit: list[Span]) -> list[tuple[int, int]]:
    """Where each price and its unit stand ("5 € par repas"): they say nothing of the amounts
    after them."""
    spans = []
    for money in per_unit:
        unit = PER_UNIT_RE.match(text, money.end_char, money.end_char + 40)
        spans.append((money.start_char, unit.end() if unit is not None else money.end_char))
    return spans


def _headline(text: str, lines: list[Line]) -> None:
    """An amount that opens the field heads the lines after it: alone on its line ("4.450 €"
    above "Commune : 2 000 €"), or when they add up to no more than it ("Environ mille deux
    cents euros par an ... Nous avons reçu quatre cents euros de la CAF"). It is the total."""
    if len(lines) < 2 or lines[0].kind != "other":
        return
    first = lines[0]
    if _OPENING_RE.fullmatch(text, 0, first.start) is None:
        return
    line_end = text.find("\n", first.end)
    alone = line_end != -1 and not text[first.end:line_end].strip(" \t\u00a0.")
    rest = sum(x.amount for x in lines[1:] if x.kind in ("funding", "other", "expense"))
    if alone or rest <= first.amount + AMOUNT_TOLERANCE:
        make_total(first)
