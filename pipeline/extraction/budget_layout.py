"""How a budget field is cut into clauses: sentences, lines and semicolons, with a label line
joined to the amount written on the line below it."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from spacy.tokens import Span

from pipeline.extraction.budget_cues import (
    CLAUSE_END_RE,
    EXPENSE_RE,
    FUNDING_RE,
    LIST_LINK_RE,
    PAREN_RE,
    TIMES_BEFORE_RE,
    TOTAL_RE,
)
from pipeline.extraction.budget_lines import LINE_OPENING, Line


def between(spans: list[Span], starts: list[int], start: int, end: int) -> list[Span]:
    """The spans (sorted by start, with `starts` their start offsets) starting in [start, end)."""
    return spans[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]


def clauses(text: str) -> list[tuple[int, int]]:
    """The clauses of a text; a semicolon or a stop inside brackets ends none ("2 750 € (FDVA :
    1 750 € ; fédération : 1 000 €)" is one clause)."""
    spans = []
    start = 0
    parens = [m.span() for m in PAREN_RE.finditer(text)]
    ends = [e for _, e in parens]
    for match in CLAUSE_END_RE.finditer(text):
        i = bisect.bisect_right(ends, match.start())
        if i < len(parens) and parens[i][0] < match.start() and match.group() != "\n":
            continue
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def label_above_amount(clauses: list[tuple[int, int]], text: str, starts: list[int],
                        money: list[Span], names_funder: Callable[[int, int], bool],
                        ) -> list[tuple[int, int]]:
    """Join a label line to the line below it when that line is nothing but its amount, as in
    a table pasted one cell per line ("Département\n8 000 €"), or a label cell to the amount
    cell after its semicolon ("VACAF;3.200 €"). Header lines ("Recettes") stay
    apart, so that they still set the side of the lines under them; a line that names a funder
    or a total is a label, not a header ("Conférence des financeurs", "Total dépenses")."""
    joined: list[tuple[int, int]] = []
    for start, end in clauses:
        if joined and _only_amount(text, start, end, starts, money):
            above_start, above_end = joined[-1]
            above = text[above_start:above_end]
            gap = text[above_end:start].strip(" \t\n;")
            if (gap == "" and not between(money, starts, above_start, above_end)
                    and above.strip() and len(above) <= 120
                    and ("\n" not in text[above_end:start] or header_mode(above) is None
                         or names_funder(above_start, above_end) or TOTAL_RE.search(above))):
                joined[-1] = (above_start, end)
                continue
        joined.append((start, end))
    return joined


def _only_amount(text: str, start: int, end: int, starts: list[int], money: list[Span]) -> bool:
    inside = between(money, starts, start, end)
    if len(inside) != 1:
        return False
    rest = text[start:inside[0].start_char] + text[inside[0].end_char:end]
    return rest.strip(" \t\u00a0:-–.=") == ""


def header_mode(clause: str) -> str | None:
    """The side a header line opens ("Dépenses :", "Recettes :"), if it is one."""
    if len(clause) > 60:
        return None
    if EXPENSE_RE.search(clause) and not FUNDING_RE.search(clause):
        return "expense"
    if FUNDING_RE.search(clause) and not EXPENSE_RE.search(clause):
        return "funding"
    return None


# "DEPENSES RECETTES achats 1 200 € subvention 500 € ...": a two-column table pasted on one
# line, whose cells alternate between the sides.
TWO_SIDES_RE = re.compile(
    r"[\W]*(?:d[ée]penses|charges)[ \t\u00a0]+(?:recettes|produits|ressources)(?![\w])",
    re.IGNORECASE)


def take_side(line: Line, side: str) -> None:
    """Give a cell of a one-line two-column table the side of its column."""
    if line.kind in ("total", "in_kind", "unconfirmed", "passed_on") or line.kind == side:
        return
    if side == "expense":
        line.kind, line.funder, line.funder_cue = "expense", None, None
    else:
        line.kind = "funding"


def after_funding(lines: list[Line]) -> bool:
    """True when the field's last line is a funding line, or the total of the costs above it
    (the resources come after it)."""
    return bool(lines) and (lines[-1].kind == "funding" or lines[-1].kind == "total"
                            and any(x.kind in ("expense", "other") for x in lines[:-1]))


# What closes a list item before the next one: "1 500 € de la CAF, 700 € de la commune".
_ITEM_BREAK_RE = re.compile(r"(?:[,;+]|(?<![\w])et)[ \t\u00a0]*$")


def item_start(text: str, floor: int, start: int) -> int | None:
    """In a list whose items open on their amount, where the item that the amount at `start`
    opens begins: right after the ",", ";", "+" or "et" closing the item before it (after
    `floor`); None when a label stands between."""
    match = _ITEM_BREAK_RE.search(text, floor, start)
    return match.end() if match is not None else None


def times(text: str, floor: int, line: Line, money: Span) -> None:
    """A count of equal amounts written before one: "2 x 10 000 €" is 20 000 €."""
    found = TIMES_BEFORE_RE.search(text, max(floor, money.start_char - 12), money.start_char)
    if found is not None:
        line.amount = round(line.amount * int(found.group(1)), 2)


def opens_item(text: str, seg_start: int, money: Span) -> bool:
    """True when the amount opens its line, an item of a list or a header ("dont 2,5 k€
    CAF et 1,5 k€ CD 93", "3 000 € (FDJ) + 1 500 € CD 93", "Financement : 800 € CAF"): its
    funder may then be written right after it."""
    opening = PAREN_RE.sub(" ", text[seg_start:money.start_char]).strip(LINE_OPENING + ")")
    return LIST_LINK_RE.fullmatch(opening) is not None or (
        opening.endswith(":") and header_mode(opening) is not None)
