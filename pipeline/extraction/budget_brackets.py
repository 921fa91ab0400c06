"""The brackets of one budget clause and what they say of the amounts around them:
breakdowns, shared funders, a funder's own amount, asides."""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Span

from pipeline.extraction.budget_cues import PAREN_RE
from pipeline.extraction.budget_lines import Cue, Line, make_total, same_amount

# What may stand between a funder's name and its own amount: "la Fondation X (12 000 €)",
# "par la CAF à hauteur de 4 000 €", "pour un montant de".
_OWN_AMOUNT_RE = re.compile(
    r"[ \t\u00a0]*(?:[(:]|,?[ \t\u00a0]*(?:[àa][ \t\u00a0]+hauteur[ \t\u00a0]+d[eu]"
    r"|pour[ \t\u00a0]+un[ \t\u00a0]+montant[ \t\u00a0]+de))[ \t\u00a0]*", re.IGNORECASE)
_OPENS_PAREN_RE = re.compile(r"[ \t\u00a0]*(?:HT|TTC)?[ \t\u00a0]*\(")


class Brackets:
    """The bracketed asides of the clause [start, end) of `text`."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.spans = [(m.start(), m.end()) for m in PAREN_RE.finditer(text, start, end)]

    def of(self, pos: int) -> tuple[int, int] | None:
        """The brackets `pos` is in, if any."""
        i = bisect.bisect_right(self.spans, (pos, len(self.text))) - 1
        if i >= 0 and self.spans[i][0] < pos < self.spans[i][1]:
            return self.spans[i]
        return None


    def breaks_down(self, after: Cue, following: Span | None) -> bool:
        """True when the funder after an amount opens brackets that hold the next amount."""
        paren = self.of(after.start)
        return paren is not None and following is not None \
            and paren[0] < following.start_char < paren[1]


    def shared(self, after: Cue, following: Span | None, cues: list[Cue]) -> bool:
        """True when the brackets the funder opens name other funders and no amount: "1 500 €
        (Caf PS jeunes + Ville)" is theirs together, split in no stated way."""
        paren = self.of(after.start)
        if paren is None or (following is not None and following.start_char < paren[1]):
            return False
        return any(c.funder and c.funder != after.funder
                   for c in cues if paren[0] <= c.start < paren[1])


    def totals(self, clause_lines: list[Line]) -> None:
        """A line whose amount the amounts in the brackets right after it add up to is their
        total: "Dépenses : 6,5 k€ (intervenants 4 k€, salle 2,5 k€)"."""
        for line in clause_lines:
            opened = _OPENS_PAREN_RE.match(self.text, line.end)
            paren = self.of(opened.end()) if opened is not None else None
            if paren is None or line.funder is not None \
                    or line.kind in ("total", "in_kind", "unconfirmed", "passed_on"):
                continue
            inside = [x for x in clause_lines if paren[0] < x.start < paren[1]]
            if len(inside) >= 2 and same_amount(sum(x.amount for x in inside), line.amount):
                make_total(line)


    def owns_next(self, after: Cue, following: Span | None) -> bool:
        """True when the funder after an amount has its own amount right after its name."""
        return following is not None and _OWN_AMOUNT_RE.fullmatch(
            self.text, after.end, following.start_char) is not None


    def aside(self, money: Span, following: Span) -> bool:
        """True when `money` is a bracketed aside of the label of the amount right after the
        bracket: "participation des stagiaires (50 €/mois) 4 000 €" is a line of 4 000 €."""
        paren = self.of(money.start_char)
        if paren is None or following.start_char < paren[1]:
            return False
        return self.text[paren[1]:following.start_char].strip(" \t\u00a0:=") == ""
