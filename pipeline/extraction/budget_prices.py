"""Prices: an amount each user pays per person, unit or period, or a unit price times a
count, is not a line of the budget."""

from __future__ import annotations

import re

from pipeline.extraction.budget_cues import PAYERS, PER_UNIT_RE, USERS_FEE_RE, USERS_PAYING_RE
from pipeline.extraction.budget_words import SP as _SP

# A price times a count: "(5 € x 30)", "12 € × 20 enfants". The price is not a line.
TIMES_AFTER_RE = re.compile(rf"{_SP}*[x×*]{_SP}*\d")
# A period after the users' fee: "participation des familles : 10 € par trimestre" is the rate
# each family pays, not the money the action got.
_MAX_RATE = 150.0
# A small amount per any unit (not a period: "≈ 150 €/an" is a budget), alone in its brackets:
# a rate beside the line's own amount.
_BRACKET_RATE_RE = re.compile(
    rf"{_SP}*(?:/{_SP}*|par{_SP}+|(?:la|le|les){_SP}+|l['’])"
    rf"(?!(?:an|ann[ée]e|mois|trimestre|semestre|saison|exercice)s?\b)[^\W\d_]{{2,20}}{_SP}*\)")
_PERIOD_RE = re.compile(
    rf"{_SP}*(?:/{_SP}*|par{_SP}+)(?:an|ann[ée]e|mois|trimestre|semestre|semaine)(?![\w])",
    re.IGNORECASE)


# "48 séances x 40 €": a count of units times the price of one ("2 x 10 000 €", with no unit,
# is read as two such amounts).
_UNIT_WORD = r"[^\W\d_]{2,20}(?:[-'’][^\W\d_]{2,20})?"  # "demi-journées", "d'heures"
_UNITS_TIMES_RE = re.compile(
    rf"(?<![\w])\d{{1,5}}{_SP}+{_UNIT_WORD}(?:{_SP}+{_UNIT_WORD})?{_SP}*[x×*]{_SP}*$")
# "chaque famille paie une adhésion de 10 €": what each user pays.
_EACH_PAYER_RE = re.compile(rf"(?<![\w])chaque{_SP}+{PAYERS}(?![\w])[^\d\n.;]{{0,50}}$",
                            re.IGNORECASE)


# What each user pays, told in brackets after the amount they all paid: "(tarifs selon QF de
# 2 à 8 €)", "(prix : 3 € la place)".
_PRICE_IN_BRACKETS_RE = re.compile(
    rf"\({_SP}*(?:tarifs?|prix|co[ûu]ts?{_SP}+unitaires?)(?![\w])[^\d()\n]{{0,40}}$", re.IGNORECASE)


def is_price(text: str, start: int, end: int, amount: float) -> bool:
    """True when the amount at [start, end) is a price per person, unit or period paid by each
    user, not a line of the budget. A users' amount per period is a rate when it is small
    ("10 € par trimestre"); a larger one is what they all pay ("3 000 € par an")."""
    if PER_UNIT_RE.match(text, end, end + 40) or TIMES_AFTER_RE.match(text, end, end + 10) \
            or _EACH_PAYER_RE.search(text, max(0, start - 60), start) \
            or _UNITS_TIMES_RE.search(text, max(0, start - 50), start) \
            or _PRICE_IN_BRACKETS_RE.search(text, max(0, start - 50), start):
        return True
    if amount <= _MAX_RATE and _BRACKET_RATE_RE.match(text, end, end + 30):
        return True  # "Participation des usagers (2 € le voyage) : 1 100 €"
    if amount > _MAX_RATE or not _PERIOD_RE.match(text, end, end + 20):
        return False
    floor = max(0, start - 60)
    floor = text.rfind("\n", floor, start) + 1 or floor
    return bool(USERS_FEE_RE.search(text, floor, start)
                or USERS_PAYING_RE.search(text, floor, start))
