"""Pure normalisers for money amounts as French people write them: "1 500,00 €" -> 1500.0."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Spaces people (and word processors) put between digit groups: ordinary, no-break, narrow no-break,
# thin and figure spaces.
_SPACES = " \u00a0\u202f\u2009\u2007"

# One number as written: grouped thousands ("1 500", "14.000", "1 500,50") or a plain run with an
# optional decimal part ("1500", "1,5", "8450.50"). Quantifiers are bounded and the run is fenced
# by digit look-arounds, so a 100 000-digit run is rejected in linear time.
NUMBER = (
    rf"(?<![\d.,])(?:\d{{1,3}}(?:[{_SPACES}]\d{{3}}){{1,4}}(?:,\d{{1,2}})?"
    rf"|\d{{1,3}}(?:\.\d{{3}}){{1,4}}(?:,\d{{1,2}})?"
    rf"|\d{{1,12}}(?:[.,]\d{{1,3}})?)(?![\d])"
)
# A multiplier between the number and the currency: "12 k€", "1,5 M€", "3 millions d'euros".
MULTIPLIER = r"(?:k|K|M|Md|millions?|milliers?|mille)"
# The currency, after an optional space. A bare "e" only after a space and before a non-letter
# ("1000 e)"), so that ordinals ("2e édition") are not money.
CURRENCY = (
    rf"(?:[{_SPACES}]?(?:€|(?i:euros?|eur)\b)|[{_SPACES}]e(?![\w'’]))"
)

AMOUNT_RE = re.compile(
    rf"(?P<number>{NUMBER})"
    rf"(?:[{_SPACES}]?(?P<mult>{MULTIPLIER})(?:[{_SPACES}]?(?:d['’]|de[{_SPACES}]))?)?"
    rf"(?P<currency>{CURRENCY})"
)
BARE_NUMBER_RE = re.compile(NUMBER)
_GROUPED_SPACES_RE = re.compile(rf"[{_SPACES}]")
_DOT_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_COMMA_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+$")

_MULTIPLIERS: dict[str, float] = {
    "k": 1e3, "K": 1e3, "mille": 1e3, "millier": 1e3, "milliers": 1e3,
    "M": 1e6, "million": 1e6, "millions": 1e6, "Md": 1e9,
}


@dataclass(frozen=True)
class Amount:
    """An amount found in a text: character offsets and value in euros."""

    start: int
    end: int
    value: float
    unit_assumed: bool = False


def parse_number(text: str, *, multiplied: bool = False) -> float | None:
    """Read a French-written number: "1 500,50" -> 1500.5, "14.000" -> 14000.0, "1.5" -> 1.5.

    Args:
        text: the digits with their separators, nothing else.
        multiplied: the number is followed by a multiplier ("1,500 M€"), so a comma or dot is
            always decimal.

    Returns:
        The value, or None when `text` is not a number.
    """
    text = _GROUPED_SPACES_RE.sub("", text.strip())
    if not text or not BARE_NUMBER_RE.fullmatch(text):
        return None
    if "," in text and "." in text:
        # Whichever comes last is the decimal mark: "1.500,50" or "1,500.50".
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "." in text:
        if not multiplied and _DOT_THOUSANDS_RE.match(text):
            text = text.replace(".", "")
    elif "," in text:
        if not multiplied and _COMMA_THOUSANDS_RE.match(text) and not text.startswith("0"):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def parse_amount(text: str) -> float | None:
    """The value in euros of one written amount: "1 500,00 €" -> 1500.0, "1,5 M€" -> 1500000.0.

    A text that is nothing but a number ("81190") is read as euros.

    Returns:
        The value, or None when `text` holds no amount.
    """
    match = AMOUNT_RE.search(text)
    if match is None:
        return parse_number(text)
    return _value(match)


def find_amounts(text: str) -> list[Amount]:
    """Every amount with a currency in `text`, left to right, in linear time."""
    found = []
    for match in AMOUNT_RE.finditer(text):
        value = _value(match)
        if value is not None:
            found.append(Amount(match.start(), match.end(), value))
    return found


def _value(match: re.Match[str]) -> float | None:
    mult = match.group("mult")
    number = parse_number(match.group("number"), multiplied=bool(mult))
    if number is None:
        return None
    if mult:
        number *= _MULTIPLIERS[mult]
    return round(number, 2)
