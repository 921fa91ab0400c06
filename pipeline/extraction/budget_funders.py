"""Funders of one fiche: from lines and named organisations, their shares, one entry per type."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

from pipeline.extraction.budget_cues import (
    EACH_RE,
    EQUAL_SHARES_RE,
    FINANCING_TRIGGER_RE,
    GIVING_LINK_RE,
    NEGATION_RE,
    SHARE_AFTER_RE,
    SHARE_BEFORE_RE,
    USERS_FEE_RE,
    USERS_TYPE,
    how_many_before,
)
from pipeline.extraction.budget_lines import (
    AMOUNT_TOLERANCE,
    BUDGET_FIELD,
    Cue,
    Line,
    label_start_of,
    same_amount,
)

# Where a funder's share (in %) waits, inside its dict, for the total to be known.
SHARE_KEY = "_share"
# Marks the funder named as paying the rest ("le solde par la Ville"), until the total is known.
REST_KEY = "_rest"
# How far from a funder its share of the total is looked for.
_SHARE_WINDOW = 50


def apply_shares(funders: list[dict[str, Any]], total: float | None) -> list[dict[str, Any]]:
    """Give funders known only by their share ("Ville 50 %") that share of the total, and the
    one that pays the rest ("le solde est pris en charge par la commune") what the others leave
    of it, when that is more than nothing."""
    for funder in funders:
        share = funder.pop(SHARE_KEY, None)
        if funder["amount_eur"] is None and share is not None and total is not None:
            funder["amount_eur"] = round(total * share / 100, 2)
    rest = [f for f in funders if f.pop(REST_KEY, False) and f["amount_eur"] is None]
    if len(rest) == 1 and total is not None:
        left = total - sum(f["amount_eur"] for f in funders if f["amount_eur"] is not None)
        if left > AMOUNT_TOLERANCE:
            rest[0]["amount_eur"] = round(left, 2)
    return funders


def users_fees(text: str, per_unit: list[Span], field: str) -> list[dict[str, Any]]:
    """The users as a funder, without an amount, when a price per person is their
    participation: "participation : 5 € par personne", "Tarif : 3 € la séance"."""
    found = []
    for money in per_unit:
        floor = max(0, money.start_char - 80)
        floor = text.rfind("\n", floor, money.start_char) + 1 or floor
        fee = USERS_FEE_RE.search(text, floor, money.start_char)
        if fee is not None and not NEGATION_RE.search(text, floor, money.start_char):
            found.append({"type": USERS_TYPE, "name": fee.group().strip(" :\t\u00a0"),
                          "amount_eur": None, "field": field, "start": fee.start(),
                          "end": fee.start() + len(fee.group().rstrip(" :\t\u00a0"))})
    return found


def share_of(text: str, cue: Cue, start: int, end: int) -> float | None:
    """The share of the total (in %) written beside a funder, or None."""
    match = SHARE_AFTER_RE.match(text, cue.end, min(end, cue.end + _SHARE_WINDOW))
    if match is None:
        match = SHARE_BEFORE_RE.search(text, max(start, cue.start - _SHARE_WINDOW), cue.start)
    if match is None:
        return None
    pct = float(match.group("pct").replace(",", "."))
    return pct if 0 < pct <= 100 else None


def line_funder(line: Line, text: str) -> dict[str, Any]:
    """A funder with its amount; `name` and offsets are those of the organisation as written,
    or of the amount when the line names none."""
    cue = line.funder_cue
    if cue is None:
        return {"type": line.funder, "name": line.label or None, "amount_eur": line.amount,
                "field": line.field, "start": line.start, "end": line.end}
    return {"type": line.funder, "name": text[cue.start:cue.end], "amount_eur": line.amount,
            "field": line.field, "start": cue.start, "end": cue.end}


def cue_funder(cue: Cue, text: str, field: str) -> dict[str, Any]:
    return {"type": cue.funder, "name": text[cue.start:cue.end], "amount_eur": None,
            "field": field, "start": cue.start, "end": cue.end}


def dedupe_funders(funders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per type: amounts of the budget field's lines summed, else the first known."""
    by_type: dict[str, dict[str, Any]] = {}
    for funder in funders:
        kept = by_type.get(funder["type"])
        if kept is None:
            by_type[funder["type"]] = dict(funder)
        elif funder["amount_eur"] is None:
            if kept.get(SHARE_KEY) is None:
                kept[SHARE_KEY] = funder.get(SHARE_KEY)
            kept[REST_KEY] = kept.get(REST_KEY) or funder.get(REST_KEY)
        else:
            if kept["amount_eur"] is None:
                by_type[funder["type"]] = dict(funder)
            elif (funder["field"] == kept["field"] == BUDGET_FIELD
                  and funder["start"] != kept["start"]):
                kept["amount_eur"] += funder["amount_eur"]
    return list(by_type.values())


def each_amount(text: str, end: int, line: Line, money: Span, named: int) -> float | None:
    """For "Deux subventions de 1 500 € chacune (Ville et Département)": the line becomes
    the whole (3 000 €) and the amount each funder gives is returned; else None. `named` is
    how many funders are named after the amount."""
    if line.kind in ("unconfirmed", "in_kind", "total") or line.funder is not None:
        return None
    if not EACH_RE.match(text, money.end_char, end):
        return None
    times = how_many_before(text, label_start_of(text, line, money)) or named
    if times < 2:
        return None
    each = line.amount
    line.amount = round(each * times, 2)
    line.kind = "funding"
    return each


def _whole(lines: list[Line]) -> bool:
    """Whether the clause's lines are one total, alone or with its parts, no funder's ("Coût :
    3 600 € (vacations 2 880 €, frais 720 €), pris en charge par X")."""
    parts = lines[1:]
    return bool(lines) and lines[0].kind == "total" and (not parts or all(
        x.funder is None for x in parts) and same_amount(sum(x.amount for x in parts),
                                                         lines[0].amount))


def share_out(text: str, start: int, end: int, named: list[dict[str, Any]],
              clause_lines: list[Line], each: float | None, bracketed: bool = False) -> None:
    """Give amounts to funders named without one: "1 500 € chacune" each; "à parts
    égales" an equal share of the total; the one amount of a financing sentence that names
    one funder ("Les livres (300 €) sont financés par la Ville"), or of a total whose one
    funder is in brackets right after it (`bracketed`)."""
    if not named:
        return
    if each is not None:
        for funder in named:
            funder["amount_eur"] = each
        return
    clause = text[start:end]
    one = len({f["type"] for f in named}) == 1  # "subvention REAAP de la Caf": one funder
    if len(named) > 1 and EQUAL_SHARES_RE.search(clause):
        for funder in named:
            funder[SHARE_KEY] = round(100 / len(named), 4)
        return
    if one and _whole(clause_lines) and named[0].get(SHARE_KEY) is None \
            and (bracketed or FINANCING_TRIGGER_RE.search(clause)):
        named[0]["amount_eur"] = clause_lines[0].amount  # "Budget : 350 €, financés par X"
        return
    # "coût : 1 920 € ... pris en charge par l'ARS": the cost is what the funder pays
    loose = [x for x in clause_lines if x.funder is None and (
        x.kind in ("other", "funding") or x.kind == "expense"
        and GIVING_LINK_RE.search(text, x.end, end))]
    # two names of one funder give the amount of no named cost ("1500e, subvention REAAP de
    # la Caf"); one of a cost and the funder of its post may be another's ("charges de
    # personnel 17 900 € (un adulte relais financé par l'Etat)")
    if (len(named) == 1 or one and loose and loose[0].kind != "expense") \
            and len(clause_lines) == 1 and loose \
            and FINANCING_TRIGGER_RE.search(clause):
        line = loose[0]
        line.kind, line.funder = "funding", named[0]["type"]
        named[0]["amount_eur"] = line.amount
