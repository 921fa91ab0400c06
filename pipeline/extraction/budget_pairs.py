"""How an amount relates to the next one in its clause: restated by it, shared out to it in
percent, or summed up by it with the lines before."""

from __future__ import annotations

import re

from spacy.tokens import Span

from pipeline.extraction.budget_cues import RESTATED_RE, TAX_RESTATED_RE
from pipeline.extraction.budget_lines import Line, same_amount

# How far apart two amounts may be for the second to restate the first.
_RESTATED_GAP = 60
_PERCENT_RE = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)[ \t\u00a0]?%")


def restated(text: str, money: Span, following: Span, more: bool = False) -> bool:
    """True when `following` restates `money` ("1 500 € HT soit 1 800 € TTC", "x 12 € = 540 €",
    "18 000 € sur trois ans, soit 6 000 € pour 2023").

    A smaller amount after "soit" that more amounts follow (`more`) starts a breakdown, not a
    restatement ("a coûté 2 150 €, soit 1 600 € d'intervention et 550 € de matériel")."""
    gap_start = money.end_char
    if following.start_char - gap_start > _RESTATED_GAP or (
            more and float(following._.amount_eur) < 0.8 * float(money._.amount_eur)):
        return False
    if shared_out(text, money, following):
        return False
    return bool(RESTATED_RE.search(text, gap_start, following.start_char)
                or TAX_RESTATED_RE.match(text, gap_start, following.start_char))


def shared_out(text: str, money: Span, following: Span) -> bool:
    """True when `following` is a share of `money` told in percent between them ("9 600 €,
    financée à 80 % par l'ANCT (soit 7 680 €)"): money is the whole, following a part."""
    if following.start_char - money.end_char > _RESTATED_GAP:
        return False
    whole, part = float(money._.amount_eur), float(following._.amount_eur)
    return any(same_amount(whole * float(pct.group(1).replace(",", ".")) / 100, part)
               for pct in _PERCENT_RE.finditer(text, money.end_char, following.start_char))


def sums_up(before: list[Line], money: Span, following: Span) -> bool:
    """True when the amount after "soit" / "=" adds up this one and the lines before it
    in the clause ("CAF 6 400 €, familles 1 600 €, soit 8 000 €"): a total, not a
    restatement of the last amount."""
    return bool(before) and same_amount(sum(x.amount for x in before)
                                        + float(money._.amount_eur),
                                        float(following._.amount_eur))
