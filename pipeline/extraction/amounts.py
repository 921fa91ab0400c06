"""Pure normalisers for money amounts as French people write them: "1 500,00 €" -> 1500.0."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.normalize import NUMBER_WORDS, words_to_number

# Spaces people (and word processors) put between digit groups: ordinary, no-break, narrow no-break,
# thin and figure spaces.
_SPACES = " \u00a0\u202f\u2009\u2007"

# One number as written: grouped thousands ("1 500", "14.000", "1 500,50") or a plain run with an
# optional decimal part ("1500", "1,5", "8450.50"). Digits glued after letters belong to a code
# ("CD54 600 €" is 600 €, "BOP104"), except after the "x" of a product ("2x300 €"). Quantifiers
# are bounded and the run is fenced by digit look-arounds, so a 100 000-digit run is rejected in
# linear time.
NUMBER = (
    rf"(?<![\d.,])(?<![^\W\dxX_])(?:\d{{1,3}}(?:[{_SPACES}]\d{{3}}){{1,4}}(?:[,.]\d{{1,2}})?"
    rf"|\d{{1,3}}(?:\.\d{{3}}){{1,4}}(?:,\d{{1,2}})?"
    rf"|\d{{1,12}}(?:[.,]\d{{1,3}})?)(?![\d])"
)
# A multiplier between the number and the currency: "12 k€", "1,5 M€", "3 millions d'euros".
MULTIPLIER = r"(?:k|K|M|Md|millions?|milliers?|mille)"
# The currency, after an optional space. A bare "e" only after a space and before a non-letter
# ("1000 e)"), or glued to the number before a bracket, a stop, the line end or a link word of a
# list ("1500e (tissu)", "600e et la commune 400e", "1500e sur l'année"); ordinals ("2e
# édition") are not money, and a glued "e" needs an amount of at least `_MIN_GLUED_E` (see
# find_amounts).
CURRENCY = (
    rf"(?:[{_SPACES}]?(?:€|(?i:euros?|eur)\b)|[{_SPACES}]e(?![\w'’])"
    rf"|(?P<glued>e)(?=[{_SPACES}]{{0,3}}(?:$|[\n(),;:/.+=–-]"
    rf"|(?:et|de|du|des|par|pour|sur|soit|en|au|HT|TTC)(?![\w'’])|[dl]['’]"
    # or any word but the nouns an ordinal goes with: "300e mairie", not "100e anniversaire"
    rf"|(?!(?i:anniversaire|[ée]dition|fois|rang|place|jour|si[èe]cle|arrondissement|[ée]tage"
    rf"|session|promotion|rencontre|saison|ann[ée]e|num[ée]ro|position|r[ée]giment)s?\b)"
    rf"[^\W\d_]{{2,}})))"
)
_MIN_GLUED_E = 100
# A small glued "e" is money after "soit" or "=" ("soit 90e"), or when a unit follows it
# ("2e par personne", "3e/séance").
_SOIT_BEFORE_RE = re.compile(rf"(?:soit|=)[{_SPACES}]*$", re.IGNORECASE)
_PER_UNIT_AFTER_RE = re.compile(
    rf"[{_SPACES}]{{0,3}}(?:par[{_SPACES}]+(?:personne|enfant|adulte|famille|participant|repas"
    rf"|s[ée]ance|atelier|mois|an|jour|semaine|heure|sortie|adh[ée]rent)s?(?![\w])|/)")

# The currency written before the number: "€ 2 500", "EUR 4 800", "€2500". Only the sign and the
# upper-case code, so words ending in "eur" are not money.
PREFIX_CURRENCY = r"(?:€|(?<![\w])EUR)"

AMOUNT_RE = re.compile(
    rf"(?P<number>{NUMBER})"
    rf"(?:[{_SPACES}]?(?P<mult>{MULTIPLIER})(?:[{_SPACES}]?(?:d['’]|de[{_SPACES}]))?)?"
    rf"(?P<currency>{CURRENCY})"
    rf"|{PREFIX_CURRENCY}[{_SPACES}]?(?P<pnumber>{NUMBER})(?:[{_SPACES}]?(?P<pmult>[kK]|M)(?!\w))?"
)
# The lower bound of a range ending right before an amount: "entre 2 000 et", "de 1 500 à",
# "2 000 € à". Searched only in a short window ending at the amount, so it stays linear.
RANGE_LOW_RE = re.compile(
    rf"(?:(?P<intro>(?<![\w])(?:entre|de|d['’]|du))[{_SPACES}]*)?"
    rf"(?P<low>{NUMBER})(?:[{_SPACES}]?(?P<lowmult>[kK])(?!\w))?(?P<lowcur>{CURRENCY})?"
    rf"[{_SPACES}]*(?P<conn>et|à|a|au|-|–)[{_SPACES}]*$",
    re.IGNORECASE,
)
_RANGE_WINDOW = 40
# What must sit right before an upper bound; checked first, it spares most amounts the search.
_RANGE_CONNECTOR_RE = re.compile(rf"(?<![\w])(?:et|à|a|au|-|–)[{_SPACES}]*$", re.IGNORECASE)
# Amounts in words: "mille euros", "deux mille cinq cents euros". Runs are bounded.
_WORD_SEP = rf"(?:[- {_SPACES[1:]}]|[- ]et[- ])"
WORD_AMOUNT_RE = re.compile(
    rf"(?<![\w-])(?P<words>(?:{NUMBER_WORDS})(?:{_WORD_SEP}(?:{NUMBER_WORDS})){{0,8}})"
    rf"[{_SPACES}]+(?:euros?\b|€)",
    re.IGNORECASE,
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
    approximate: bool = False


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
    """Every amount with a currency in `text`, left to right, in linear time.

    A range ("entre 2 000 et 3 000 €") is one approximate amount, its midpoint; amounts written
    in words ("deux mille euros") are read too.
    """
    found: list[Amount] = []
    for match in AMOUNT_RE.finditer(text):
        value = _value(match)
        if value is None or (match.group("glued") and value < _MIN_GLUED_E
                             and not _PER_UNIT_AFTER_RE.match(text, match.end())
                             and not _SOIT_BEFORE_RE.search(text, max(0, match.start() - 8),
                                                            match.start())):
            continue  # "2e édition" is an ordinal; "2e par personne" a price; "soit 90e" money
        amount = Amount(match.start(), match.end(), value)
        ranged = _range(text, amount, _MULTIPLIERS.get(match.group("mult") or "", 1.0))
        if ranged is not None:
            while found and found[-1].end > ranged.start:
                found.pop()  # "2 000 €" of "entre 2 000 € et 3 000 €" is the lower bound
            amount = ranged
        found.append(amount)
    found.extend(_word_amounts(text, found))
    return sorted(found, key=lambda a: a.start)


def _value(match: re.Match[str]) -> float | None:
    if match.group("pnumber") is not None:
        number_text, mult = match.group("pnumber"), match.group("pmult")
    else:
        number_text, mult = match.group("number"), match.group("mult")
    number = parse_number(number_text, multiplied=bool(mult))
    if number is None:
        return None
    if mult:
        number *= _MULTIPLIERS[mult]
    return round(number, 2)


def _range(text: str, high: Amount, high_mult: float) -> Amount | None:
    """The range whose upper bound is `high`, as its midpoint, or None when there is none.

    "entre A et B" and "de A à B" always make a range; a bare "A à B" or "A - B" only when A
    has its own currency or the word "à" links them, and never when A is not below B. A bound
    written without unit shares the upper bound's multiplier ("10 à 15 k€").
    """
    if high.start >= len(text) or not text[high.start].isdigit():
        return None  # "€ 2 500": a prefixed amount is never an upper bound
    if not _RANGE_CONNECTOR_RE.search(text, max(0, high.start - 6), high.start):
        return None
    match = RANGE_LOW_RE.search(text, max(0, high.start - _RANGE_WINDOW), high.start)
    if match is None:
        return None
    intro = (match.group("intro") or "").lower()
    conn = match.group("conn").lower()
    paired = (intro == "entre" and conn == "et") or (
        intro not in ("", "entre") and conn in ("à", "a", "au", "-", "–"))
    bare = not intro and (conn in ("à", "au") or (conn in ("-", "–") and match.group("lowcur")))
    if not (paired or bare):
        return None
    low = parse_number(match.group("low"), multiplied=bool(match.group("lowmult")))
    if low is None:
        return None
    if match.group("lowmult"):
        low *= 1e3
    elif not match.group("lowcur") and low * high_mult < high.value:
        low *= high_mult
    if not 0 <= low < high.value:
        return None
    start = match.start("low")
    return Amount(start, high.end, round((low + high.value) / 2, 2), approximate=True)


def _word_amounts(text: str, found: list[Amount]) -> list[Amount]:
    """Amounts written in words before "euros", outside the amounts already found."""
    words = []
    for match in WORD_AMOUNT_RE.finditer(text):
        if any(a.start < match.end() and match.start() < a.end for a in found):
            continue
        value = words_to_number(match.group("words"))
        if value is None:
            continue
        words.append(Amount(match.start(), match.end(), float(value)))
    return words
