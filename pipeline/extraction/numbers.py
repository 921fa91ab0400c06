"""Pure normalisers for counts written in French: digits, number words, "une dizaine", ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.normalize import APPROX_BEFORE, NUMBER_WORDS, words_to_number

# A run of number words ("deux", "vingt-cinq", "quatre-vingt-dix", "vingt et un"). Separators
# and repetitions are bounded so a hostile run of spaces or words cannot make it backtrack.
NUMBER_WORDS_RE = re.compile(
    rf"\b(?:{NUMBER_WORDS})"
    rf"(?:(?:[- \u00a0]{{1,3}}|[- \u00a0]et[- \u00a0])(?:{NUMBER_WORDS})){{0,6}}\b",
    re.IGNORECASE,
)
# Digits, with optional thousands groups ("1 200", "1.200"); never part of a longer digit run.
DIGITS_RE = re.compile(
    r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,3}(?![\d,.]\d)"
    r"|(?<![\d.,])\d{1,3}(?:\.\d{3}){1,2}(?![\d,.]\d)|(?<![\d.,])\d{1,6}(?!\d)"
)
_DOT_THOUSANDS_RE = re.compile(r"\d{1,3}(?:\.\d{3}){1,2}")

# "une dizaine", "une bonne vingtaine", "une petite centaine": singular only, plurals are vague.
APPROX_NOUNS: dict[str, int] = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
}
APPROX_NOUN_RE = re.compile(
    r"\b(?:une[ \u00a0]{1,3}(?:(?:bonne|petite|grosse)[ \u00a0]{1,3})?)?"
    r"(?P<noun>dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine"
    r"|soixantaine|centaine)\b(?!s)",
    re.IGNORECASE,
)
# Words before a number that make it an estimate.
# Counts add their own hedges ("au moins 20", "une petite vingtaine") to the shared ones.
APPROX_PREFIX_RE = re.compile(
    rf"(?:{APPROX_BEFORE}|\bpresque|\bplus[ \u00a0]d[e'’]|\bau[ \u00a0]moins"
    r"|\bune?[ \u00a0]petite)[ \u00a0]{0,3}$",
    re.IGNORECASE,
)

_NUM = rf"(?:{DIGITS_RE.pattern}|(?:{NUMBER_WORDS_RE.pattern}))"
# One count: "une vingtaine", "3 à 5", "5-10", "1 ou 2", "entre 10 et 15", "deux", "12".
COUNT_RE = re.compile(
    rf"(?P<approx>{APPROX_NOUN_RE.pattern})"
    rf"|\bentre[ \u00a0]{{1,3}}(?P<lo1>{_NUM})[ \u00a0]{{1,3}}et[ \u00a0]{{1,3}}(?P<hi1>{_NUM})"
    rf"|(?P<lo>{_NUM})(?:[ \u00a0]{{0,3}}(?:à|a|-|–|ou)[ \u00a0]{{0,3}}(?P<hi>{_NUM}))?",
    re.IGNORECASE,
)
_SPACES_RE = re.compile(r"[\s\u00a0\u202f]+")
# Longer than any approximation word with its spaces, and the character before it (for \b).
_PREFIX_WINDOW = 40


@dataclass(frozen=True)
class Count:
    """A count of people: `low == high` for a single number; `approximate` for estimates."""

    low: int
    high: int
    approximate: bool = False


def parse_whole(text: str) -> int | None:
    """A whole number written in digits or French words ("1 200", "vingt-cinq"), else None."""
    text = _SPACES_RE.sub(" ", text.strip())
    if not text:
        return None
    digits = text.replace(" ", "")
    if _DOT_THOUSANDS_RE.fullmatch(digits):
        digits = digits.replace(".", "")  # "1.200": a dot between thousands
    if digits.isascii() and digits.isdigit():  # "²" and other Unicode digits are not numbers
        return int(digits) if len(digits) <= 9 else None
    if not NUMBER_WORDS_RE.fullmatch(text):
        return None
    return words_to_number(text)


def count_from_match(match: re.Match[str]) -> Count | None:
    """The `Count` of a `COUNT_RE` match; None when a part is not a number or a range is reversed.

    A range whose low end is a lone "un"/"une" ("une à deux") is kept; an approximate noun is
    marked approximate.
    """
    if match.group("approx"):
        value = APPROX_NOUNS[match.group("noun").lower()]
        return Count(value, value, approximate=True)
    lo_text = match.group("lo1") or match.group("lo")
    hi_text = match.group("hi1") or match.group("hi")
    low = parse_whole(lo_text) if lo_text else None
    if low is None:
        return None
    high = parse_whole(hi_text) if hi_text else low
    if high is None or high < low:
        return None
    return Count(low, high)


def parse_count(text: str) -> Count | None:
    """Parse a whole count expression: "3 à 5", "environ 20", "une quinzaine", "deux".

    Returns:
        The `Count`, or None when `text` is not exactly one count (with an optional approximation
        word before it).
    """
    text = _SPACES_RE.sub(" ", text.strip())
    approximate = False
    for match in COUNT_RE.finditer(text):
        start = match.start()
        # Only the few characters before the count can hold its approximation word: searching
        # the whole prefix again for every match made a long text quadratic.
        if start and not APPROX_PREFIX_RE.search(text, max(0, start - _PREFIX_WINDOW), start):
            continue
        if start:
            approximate = True
        if match.end() != len(text):
            return None
        count = count_from_match(match)
        if count is None:
            return None
        return Count(count.low, count.high, approximate or count.approximate)
    return None
