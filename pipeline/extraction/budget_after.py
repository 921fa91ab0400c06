"""The funder written after an amount: "5 000 € de la CAF", "2 500 € CARSAT", "4 000 €
(Département)", "1 200 versés par la MSA", "300 € des familles"."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from spacy.tokens import Span

from pipeline.extraction.budget_cues import GIVING_LINK_RE, PAYERS_RE, POSTPOSED_RE, USERS_TYPE
from pipeline.extraction.budget_givers import (
    OTHER_FAMILY,
    UNKNOWN_GIVER_RE,
    funder_family,
)
from pipeline.extraction.budget_lines import Cue, funder_named
from pipeline.extraction.budget_words import SP

# What may stand between an amount that opens its line and its label: "3 000 € CD",
# "4 000 € (Département)", "1 800 € : Ville".
_LABEL_AFTER_RE = re.compile(r"[ \t\u00a0]*[(:–\-]?[ \t\u00a0]*")
_WORD_AT_RE = re.compile(r"[^\W\d_]{4,20}(?![\w])")
# The last cell of a tab-separated row, after its amount: who pays it.
_NEXT_CELL_RE = re.compile(r"[ \u00a0]*(?:€|euros?)?[ \u00a0]*\t+(?=[^\t\n\d]{1,80}(?:\n|$))")
_NEXT_WORD_RE = re.compile(r"[ \t\u00a0]+([^\W\d_]{4,20})(?![\w])")
# Between a money word and who gives it: "subvention mairie", "aide de la CAF".
_GIVER_LINK_RE = re.compile(r"[ \t\u00a0]+(?:[A-Z0-9]{2,10}[ \t\u00a0]+)?"  # "subvention REAAP de"
                            r"(?:(?:de[ \u00a0]+la|de|du|des)[ \u00a0]+"
                            r"|(?:de[ \u00a0]+)?l['’]|d['’])?")
# What an amount is for, told between it and a verb of giving.
_PURPOSE_RE = re.compile(
    rf"{SP}+(?:de|d['’]){SP}*[^\W\d_]{{3,20}}(?:{SP}+[^\W\d_]{{2,20}}){{0,3}}?"
    rf"(?={SP}+(?:pris{SP}+en{SP}+charge|financ|vers[ée]|pay[ée]|accord[ée]|attribu[ée]"
    rf"|couvert))",  # not "offert": a gift of things is no money
    re.IGNORECASE)
_TAKEN_FROM_RE = re.compile(r"(?<![\w])sur(?![\w])", re.IGNORECASE)
# Where a list item ends, and how far its funder is looked for.
_ITEM_END_RE = re.compile(r"[,;+\n]|\d")
_ITEM_WINDOW = 60


def postposed(text: str, end: int, cues: list[Cue], starts: list[int],
              givers: Sequence[Span] = (), line_first: bool = False) -> Cue | None:
    """The funding cue written right after an amount and linked to it by "de la", "par"...

    `cues` are sorted by start and `starts` are their start offsets. An organisation of no
    funder type (an association, a company: `givers`) gives the amount as `Autre` only when so
    linked to it ("500 € du Crédit Agricole"). When the amount opens its line (`line_first`),
    the funder may follow it with no link word: "2 500 € CARSAT", "4 000 € (Département)".
    What the money is for may stand before the verb of giving: "10 000 € de fonctionnement
    pris en charge par la Métropole".
    """
    end = purpose.end() if (purpose := _PURPOSE_RE.match(text, end)) is not None else end
    link = POSTPOSED_RE.match(text, end, end + 60)
    if link is None and line_first:
        link = _LABEL_AFTER_RE.match(text, end, end + 20)
    if link is None:
        link = _NEXT_CELL_RE.match(text, end, end + 20)  # "Location bus<TAB>2 400<TAB>CAF"
    if link is None:
        return None
    if not link.group().strip(" \t\u00a0(:–-"):
        # With no link word, an association or a company after an amount is who is paid
        # ("1 500 € (traiteur)"), not who pays.
        givers = ()
    i = bisect.bisect_left(starts, link.end())
    while i < len(cues) and cues[i].start == link.end():
        if cues[i].kind == "funding":
            return _with_giver(text, _with_adjective(text, cues[i]), cues, starts)
        i += 1
    i = bisect.bisect_left(starts, link.start())
    while i < len(cues) and cues[i].start < link.end():
        if cues[i].funder == USERS_TYPE and cues[i].end > link.end():
            return cues[i]  # "dont 320 € payés par les familles": the cue holds its "par les"
        i += 1
    for giver in givers:
        if giver.start_char == link.end():
            return Cue(giver.start_char, giver.end_char, "funding", OTHER_FAMILY)
    if (word := _WORD_AT_RE.match(text, link.end())) is not None \
            and (named := funder_named(word.group())) is not None:
        return Cue(*word.span(), "funding", named)  # "1 000 € des communes"
    if word is not None and link.group().strip(" \t\u00a0(") \
            and PAYERS_RE.fullmatch(word.group()):
        return Cue(*word.span(), "funding", USERS_TYPE)  # "300 € des familles"
    if _TAKEN_FROM_RE.search(link.group()) and (
            found := _named_in_item(text, link.end(), cues, starts)) is not None:
        return found  # "(770 €) pris sur la prestation CAF": a fund its funder names
    if GIVING_LINK_RE.search(link.group()) and (
            unknown := UNKNOWN_GIVER_RE.match(text, link.end(), link.end() + 80)) is not None:
        # "300 € offerts par la boulangerie Martin": a giver no list knows
        return Cue(*unknown.span("name"), "funding", funder_family(unknown.group("name")))
    return _funder_in_item(text, link.end(), cues, starts) if line_first else None


def _with_adjective(text: str, cue: Cue) -> Cue:
    """A money word's funder told by the adjective after it: "de subvention municipale"."""
    if cue.funder is None and (word := _NEXT_WORD_RE.match(text, cue.end)) is not None \
            and (named := funder_named(word.group(1))) is not None:
        return Cue(cue.start, word.end(), cue.kind, named)
    return cue


def _with_giver(text: str, cue: Cue, cues: list[Cue], starts: list[int]) -> Cue:
    """A money word's funder named right after it: "subvention mairie", "aide CAF"."""
    if cue.funder is not None:
        return cue
    i = bisect.bisect_right(starts, cue.start)
    while i < len(cues) and cues[i].start <= cue.end:
        i += 1
    if i < len(cues) and cues[i].funder and _GIVER_LINK_RE.fullmatch(text, cue.end, cues[i].start):
        return Cue(cue.start, cues[i].end, cue.kind, cues[i].funder)
    return cue


def _item_cues(text: str, start: int, cues: list[Cue],
               starts: list[int]) -> tuple[list[Cue], bool]:
    """The cues of the list item that starts at `start`, and whether a number ends it."""
    item = _ITEM_END_RE.search(text, start, start + _ITEM_WINDOW)
    stop = item.start() if item is not None else min(len(text), start + _ITEM_WINDOW)
    return (cues[bisect.bisect_left(starts, start):bisect.bisect_left(starts, stop)],
            item is not None and item.group().isdigit())


def _named_in_item(text: str, start: int, cues: list[Cue], starts: list[int]) -> Cue | None:
    """The first funder named in the list item that starts at `start`."""
    return next((cue for cue in _item_cues(text, start, cues, starts)[0] if cue.funder), None)


def _funder_in_item(text: str, start: int, cues: list[Cue], starts: list[int]) -> Cue | None:
    """The funder named further on in the list item an amount opens, after a programme's name
    and before any word of expense: "1 000 € Quartiers d'été (ANCT)"."""
    in_item, numbered = _item_cues(text, start, cues, starts)
    if numbered:
        return None  # "8 K€ : Fonds X (Département) 4 K€": the funder has its own amount
    for cue in in_item:
        if cue.kind != "funding":
            return None
        if cue.funder:
            return cue
    return None
