"""Fractions of posts: an FTE counts the people it is the time of, at least one each."""

from __future__ import annotations

import re
from bisect import bisect_right

from pipeline.extraction.count_labels import Mention
from pipeline.extraction.numbers import Count

# A post of someone: "0,5 poste d'animatrice" (not "2 postes de travail", which are desks).
POST = r"postes?(?=[ \u00a0]{1,3}(?:de|d['’])(?![ \u00a0]{0,3}travail))"
# Full-time equivalents: "2 ETP", "0,5 ETP", "1 ETP et demi", "1.5 équivalent temps plein",
# "0,5 poste d'animatrice". People are counted, so a fraction stands for at least one person:
# the FTE rounded up.
FTE_RE = re.compile(
    r"(?<![\d.,])(?P<whole>\d{1,2})(?:[.,](?P<frac>\d{1,2}))?[ \u00a0]{0,3}"
    rf"(?:ETP|[ée]quivalents?[ \u00a0]temps[ \u00a0]plein|{POST})(?![^\W\d_])"
    r"(?P<half>[ \u00a0]+et[ \u00a0]+demie?(?![^\W\d_]))?",
    re.IGNORECASE,
)
# What may sit between a person and the FTE that only qualifies them: their noun's complements
# and brackets ("2 agents d'accueil (1,5 ETP)", "1 coordinatrice pédagogique à 0,5 ETP",
# "2 accueillantes (0,3 ETP chacune) soit 0,6 ETP"), but no list mark that opens a new item.
_BRACKETED_RE = re.compile(r"\([^()\n]{0,60}\)")
_QUALIFIER_GAP_RE = re.compile(r"[^\n.;,+/&]{0,60}")
_OPENS_BRACKET_RE = re.compile(r"\([ \u00a0]*(?:(?:soit|=)[ \u00a0]*)?$", re.IGNORECASE)
_NEW_ITEM_RE = re.compile(r"\b(?:et|ainsi[ \u00a0]que|puis)\b", re.IGNORECASE)
# An FTE shared among the people counted after it: "1,5 ETP répartis sur deux animatrices".
_SHARED = r"(?:r[ée]parti|partag[ée]|divis[ée])e?s?[ \u00a0]+(?:sur|entre)[ \u00a0]"
_SHARED_RE = re.compile(r"[ \u00a0]{0,3}" + _SHARED, re.IGNORECASE)
# The same, before the people: their count's role is the FTE's.
FTE_SHARED_RE = re.compile(r"(?:ETP|temps[ \u00a0]plein)[ \u00a0]{1,3}" + _SHARED
                           + r"[ \u00a0]{0,3}$", re.IGNORECASE)
# The bracket or colon right after an FTE, which may break it down into people.
_BREAKDOWN_RE = re.compile(r"[ \u00a0]{0,3}(?:\([^()\n]{0,200}\)?|:[^\n]{0,200})")
# The person whose time an FTE is: "0,2 ETP de la directrice" is the directrice, counted by it.
FTE_OF_RE = re.compile(r"(?:ETP|temps[ \u00a0]plein|postes?)[ \u00a0]{1,3}(?:de|d['’])"
                       r"[ \u00a0]{0,3}$", re.IGNORECASE)


def _mention_end(mention: Mention) -> int:
    return mention.end


def fte_mention(text: str, match: re.Match[str], found: list[Mention],
                articles: list[Mention]) -> Mention | None:
    """A count of professionals from a full-time equivalent (`FTE_RE`), rounded up to whole
    people.

    None when the FTE only qualifies the professionals named just before it, counted
    (`found`) or by an article (`articles`): "1 coordinatrice à 0,5 ETP" is one person,
    "2 agents d'accueil (1,5 ETP)" two, "la coordinatrice (0,2 ETP)" one.
    """
    whole, frac = int(match.group("whole")), int(match.group("frac") or 0)
    people = whole + (1 if frac or match.group("half") else 0)
    if people == 0 or _SHARED_RE.match(text, match.end()):
        return None  # the people it is shared among are counted
    before = bisect_right(articles, match.start(), key=_mention_end)  # in text order
    person = max((m for m in found[-1:] + articles[max(0, before - 1):before]
                  if m.end <= match.start()), key=_mention_end, default=None)
    if person is not None and person.role == "professionals" \
            and qualifies(text[person.end:match.start()]):
        return None
    return Mention(match.start(), match.end(), "professionals", Count(people, people), "")


def qualifies(gap: str) -> bool:
    """Whether the text between a person and an FTE after it keeps the FTE on that person; an
    FTE that opens a bracket is that person's time even after a title joined by "et" ("1
    conseillère en économie sociale et familiale (0,3 ETP)"), and so is one inside a bracket
    that details them ("2 accueillantes (une EJE et une auxiliaire, chacune à 0,3 ETP)")."""
    gap = _BRACKETED_RE.sub(" ", gap)
    opening = gap.rfind("(")
    if opening != -1 and _QUALIFIER_GAP_RE.fullmatch(gap, 0, opening) is not None \
            and _NEW_ITEM_RE.search(gap, 0, opening) is None:
        return True
    if _QUALIFIER_GAP_RE.fullmatch(gap) is None:
        return False
    return _OPENS_BRACKET_RE.search(gap) is not None or _NEW_ITEM_RE.search(gap) is None


def is_fte(text: str, mention: Mention) -> bool:
    """Whether `mention` is a count of posts in FTE."""
    return FTE_RE.fullmatch(text, mention.start, mention.end) is not None


def settle_fte_breakdowns(text: str, found: list[Mention]) -> list[Mention]:
    """An FTE broken down in a bracket or after a colon into the staff it is the time of
    counts those people, not its posts: "2 ETP (une coordinatrice à plein temps, deux
    animatrices à mi-temps)" are three, "1,5 ETP : une animatrice et une secrétaire" two;
    without staff counted in it ("2 ETP (accueil et animation)") it stays."""
    dropped = set()
    for i, mention in enumerate(found):
        bracket = _BREAKDOWN_RE.match(text, mention.end) if is_fte(text, mention) else None
        if bracket is not None and any(
                m.role == "professionals" and bracket.start() < m.start < bracket.end()
                for m in found[i + 1:]):
            dropped.add(i)
    return [m for i, m in enumerate(found) if i not in dropped]
