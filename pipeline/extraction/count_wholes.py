"""Counts that are the same people as others on their line: the members a colon lists after a
count, a count of the public over the whole span after its regular core, the parts that add up
to a count."""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.extraction.count_labels import Mention

# A colon right after a count's noun and its qualifiers opens the list of its members: "2
# professionnelles : la référente familles et une psychologue".
_MEMBERS_COLON_RE = re.compile(r"[^\W\d_ \u00a0]*(?:[ \u00a0'’-]+[^\W\d_]+){0,3}[ \u00a0]*:")
_ROLES = ("professionals", "volunteers", "beneficiaries")


def settle_member_lists(text: str, found: list[Mention]) -> list[Mention]:
    """Drops the members a colon lists after a count of people on its line, when they are no
    more than that count: they are the people counted, not more."""
    kept: list[Mention] = []
    skip_until, budget = -1, 0
    for mention in found:
        if mention.start < skip_until and mention.count.high <= budget:
            budget -= mention.count.high
            continue
        kept.append(mention)
        colon = _MEMBERS_COLON_RE.match(text, mention.end)
        if mention.role in _ROLES and mention.head and colon is not None:
            line_end = text.find("\n", colon.end())
            skip_until = line_end if line_end != -1 else len(text)
            budget = mention.count.high
    return kept


# What leads from a count of the public to a count over the span that leaves its noun out: "18
# femmes régulières, 30 sur l'année", "12 enfants chaque mercredi, 25 dans l'année".
# (The mention of a count read from a label may start at the label's words: no gap then.)
_SPAN_GAP_RE = re.compile(r"[^\n.;:()\d]{0,60}?(?:,|\bet|\bmais)[ \u00a0]{0,3}|[ \u00a0]{0,3}",
                          re.IGNORECASE)
_SPAN_AFTER_RE = re.compile(
    r"[ \u00a0]{1,3}(?:(?:sur|dans|pour|durant|pendant)[ \u00a0]+(?:toute[ \u00a0]+)?"
    r"(?:l['’][ \u00a0]?|la[ \u00a0]+)(?:ann[ée]e|saison|action|projet)"
    r"|au[ \u00a0]+total|en[ \u00a0]+tout)"
    r"(?![^\W\d_])", re.IGNORECASE)


def settle_span_wholes(text: str, found: list[Mention]) -> list[Mention]:
    """Drops a count of the public that a larger count after it on its line, with no noun of
    its own, restates over the whole span: "18 femmes régulières, 30 sur l'année" are 30."""
    kept: list[Mention] = []
    for mention in found:
        previous = kept[-1] if kept else None
        if previous is not None and not mention.head and mention.role == "beneficiaries" \
                and previous.role == "beneficiaries" \
                and mention.count.low > previous.count.high \
                and _SPAN_GAP_RE.fullmatch(text, previous.end, mention.start) is not None \
                and _SPAN_AFTER_RE.match(text, mention.end) is not None:
            kept[-1] = mention
            continue
        kept.append(mention)
    return kept


# What leads from a count to the parts that break it down: "Apprenants : 96, 81 femmes et 15
# hommes", "40 jeunes (22 filles, 18 garçons)", "25 inscrits : 15 adultes et 10 enfants".
_PARTS_LEAD_RE = re.compile(r"[ \u00a0]{0,3}(?:[,:(–]|soit|dont)[ \u00a0]{0,3}(?:soit[ \u00a0]+)?",
                            re.IGNORECASE)
_PARTS_GAP_RE = re.compile(r"[^\n\d.;:()]{0,30}?(?:,|\+|\bet|/)[ \u00a0]{0,3}", re.IGNORECASE)


# A breakdown has a few parts: bounded, so a long list of counts costs linear time.
_MAX_PARTS = 12


def settle_breakdowns(text: str, found: list[Mention],
                      is_who: Callable[[Mention], bool]) -> list[Mention]:
    """Drops the parts listed right after a count of the public or volunteers on its line when
    they add up to it: they say who those people are (`is_who`: women and men, adults and
    children), not more people. "Apprenants : 96, 81 femmes et 15 hommes" are 96; "3
    animateurs, 2 jeunes et 1 parent" are six people."""
    dropped: set[int] = set()
    for i, whole in enumerate(found):
        if i in dropped or whole.role not in ("volunteers", "beneficiaries", "total") \
                or i + 1 >= len(found) or not is_who(found[i + 1]) \
                or _PARTS_LEAD_RE.fullmatch(text, whole.end, found[i + 1].start) is None:
            continue
        low, high, j = found[i + 1].count.low, found[i + 1].count.high, i + 2
        while j < min(len(found), i + 1 + _MAX_PARTS) and is_who(found[j]) \
                and high < whole.count.high \
                and _PARTS_GAP_RE.fullmatch(text, found[j - 1].end, found[j].start) is not None:
            low, high, j = low + found[j].count.low, high + found[j].count.high, j + 1
        if j - i > 2 and (low, high) == (whole.count.low, whole.count.high):
            dropped.update(range(i + 1, j))
    return [m for i, m in enumerate(found) if i not in dropped]


# "6 de ces jeunes", "3 d'entre eux", "deux parmi elles": a part of people counted before.
PARTITIVE_RE = re.compile(
    r"[ \u00a0]{1,3}(?:de[ \u00a0]+ces|d['’][ \u00a0]?entre[ \u00a0]+(?:eux|elles|nous)"
    r"|parmi[ \u00a0]+(?:eux|elles|ces))(?![^\W\d_])", re.IGNORECASE)
# "issus de 27 familles": where the people counted before come from, not more people.
ORIGIN_BEFORE_RE = re.compile(
    r"(?<![^\W\d_])(?:issue?s?|venant|provenant|originaires?)[ \u00a0]+"
    r"(?:de[ \u00a0]+|d['’][ \u00a0]?)$", re.IGNORECASE)


def settle_parts(found: list[Mention]) -> list[Mention]:
    """Parts of a count in another role ("12 participantes, dont 2 bénévoles") are people in
    both roles: counted in theirs only when no other count of the field states that role."""
    stated = {m.role for m in found if not m.part}
    return [m for m in found if not m.part or m.role not in stated]


# Counts that share the noun of the last of their list: "devant 90, 120 et 75 spectateurs".
_SHARED_NOUN_RE = re.compile(
    r"(?:[ \u00a0]{0,3},[ \u00a0]{0,3}\d{1,6}(?![\d,.]\d)){0,8}[ \u00a0]{0,3}(?:,|\bet|\+)"
    r"[ \u00a0]{0,3}\d{1,6}(?![\d,.]\d)[ \u00a0]{1,3}(?:de[ \u00a0]+|d['’][ \u00a0]?)?"
    r"(?P<word>[^\W\d_]{3,40})", re.IGNORECASE)


def shared_noun(text: str, start: int, end: int, value: int) -> str | None:
    """The noun a bare count at `start:end` (of `value`) shares with the counts listed after
    it, when the last of them has one ("90, 120 et 75 spectateurs"); else None. A year ("en
    2023, 180 familles") or digits glued to a word ("CM2 et 22 collégiens") share nothing."""
    if text[max(0, start - 1):start].isalpha() or 1900 <= value <= 2100:
        return None
    match = _SHARED_NOUN_RE.match(text, end)
    return match.group("word") if match else None
