"""One clause of a budget text read into budget lines and funders: amounts, the cues around
them, breakdowns, shares and funders named without an amount."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from spacy.tokens import Span

from pipeline.extraction.budget_after import postposed
from pipeline.extraction.budget_brackets import Brackets
from pipeline.extraction.budget_cues import (
    ACTION_SHARE_BEFORE_RE,
    ACTION_SHARE_RE,
    BREAKDOWN_RE,
    EACH_BEFORE_RE,
    EQUAL_SHARES_RE,
    FINANCING_TRIGGER_RE,
    FUNDING_HEAD_RE,
    GLOSS_AFTER_RE,
    HEADS_LIST_RE,
    OWN_BUDGET_AFTER_RE,
    OWN_FUNDS_AFTER_RE,
    OWN_FUNDS_RE,
    PARTNER_RE,
    PASSED_ON_RE,
    REST_AFTER_RE,
    REST_BEFORE_RE,
    SOURCE_RE,
    TOTAL_AFTER_RE,
    UNCONFIRMED_RE,
    WAGE_COST_AFTER_RE,
    in_kind_after,
)
from pipeline.extraction.budget_funders import (
    REST_KEY,
    SHARE_KEY,
    cue_funder,
    each_amount,
    line_funder,
    share_of,
    share_out,
)
from pipeline.extraction.budget_givers import GAVE_RE, OTHER_FAMILY, funder_family, unknown_giver
from pipeline.extraction.budget_layout import (
    TWO_SIDES_RE,
    after_funding,
    item_start,
    opens_item,
    take_side,
    times,
)
from pipeline.extraction.budget_lines import (
    BUDGET_FIELD,
    Cue,
    Line,
    classify,
    clause_cues,
    label_start_of,
    make_total,
    negated,
    not_giving,
    same_amount,
    without_glosses,
)
from pipeline.extraction.budget_pairs import restated, shared_out, sums_up

# How far after an amount its status words ("demandée", "en attente") are looked for.
_STATUS_AFTER = 80
# How far after "1 500 € chacune" the funders it is for are looked for.
_EACH_WINDOW = 120


class ClauseReader:
    """Turns the amounts and cues of one clause into budget lines and funders."""

    def __init__(self, text: str, start: int, end: int, field: str, mode: str | None,
                 orgs: list[Span], money: list[Span], givers: list[Span],
                 prices: Sequence[tuple[int, int]] = ()) -> None:
        self.text, self.start, self.end, self.field, self.mode = text, start, end, field, mode
        clause = text[start:end]
        # the words of a price's unit ("5 € par repas") are no cue of the amounts around it
        self.cues = without_glosses(text, [c for c in clause_cues(text, start, end, orgs)
                                            if not any(a <= c.start < b for a, b in prices)])
        self.cue_starts = [c.start for c in self.cues]
        # Negated, source and partner clauses name organisations that give nothing; a partner
        # word beside an amount or a money verb does not make the clause a partner list.
        self.excluded = bool(negated(text, start, end, self.cues, money) or SOURCE_RE.search(clause)
                             or (PARTNER_RE.search(clause) and not money
                                 and not FINANCING_TRIGGER_RE.search(clause)))
        self.brackets = Brackets(text, start, end)
        # Organisations of no funder type, which give only when an amount is linked to them.
        self.givers = givers
        # "DEPENSES RECETTES achats 1 200 € subvention 500 € ...": a two-column table pasted on
        # one line, whose cells alternate between the sides (the cells start after the headers).
        sides = TWO_SIDES_RE.match(text, start, end)
        self.cells_start = sides.end() if sides is not None else start
        self.alternating = sides is not None and self._cells_alternate(money)

    def read(self, money: list[Span], lines: list[Line],
             funders: list[dict[str, Any]]) -> None:
        """Append the clause's lines and funders to `lines` and `funders`."""
        text = self.text
        seg_start = self.start
        each: float | None = None
        clause_lines: list[Line] = []
        if self.alternating:
            seg_start = self.cells_start
        amount_first = False
        for i, m in enumerate(money):
            following = money[i + 1] if i + 1 < len(money) else None
            if i == 0:
                amount_first = opens_item(text, seg_start, m)
            elif amount_first and (item := item_start(text, seg_start, m.start_char)):
                seg_start = item  # "1 500 € de la CAF, 700 € de la commune": items open on amounts
            if following is not None and (self.brackets.aside(m, following) or (
                    restated(text, m, following, i + 2 < len(money))
                    and not sums_up(clause_lines, m, following))):
                continue  # the next amount restates this one, or this one is an aside
            seg_cues = self._cues_in(seg_start, m.start_char)
            line = classify(text, seg_start, m, self._kind_cues(seg_cues, m), field=self.field,
                             mode=self.mode)
            if self.alternating:
                take_side(line, "funding" if len(clause_lines) % 2 else "expense")
            first = opens_item(text, seg_start, m)
            seg_start = m.end_char
            times(text, self.start, line, m)
            self._name_giver(line, lines, m)
            seg_start, seg_cues = self._link_after(line, m, money[i + 1:], first, seg_cues,
                                                   seg_start)
            if line.kind in ("funding", "other") and self._unconfirmed(
                    line, m, following):
                line.kind, line.funder, line.funder_cue = "unconfirmed", None, None
            self._qualify(line, m, following)
            if line.kind == "total" and (told := TOTAL_AFTER_RE.match(text, m.end_char)):
                seg_start = max(seg_start, told.end())  # "au total" is no label of what follows
            self._relate(line, m, clause_lines)
            if self._each_before(line, m, seg_cues, funders):
                seg_cues = []
            each = self._each(line, m) or each
            if line.kind in ("funding", "expense") and line.funder and not self.excluded:
                line.entry = line_funder(line, text)
                funders.append(line.entry)
            lines.append(line)
            clause_lines.append(line)
            self._amountless(seg_cues, line, funders)
        self.brackets.totals(clause_lines)
        funders.extend(self._named_after(seg_start, clause_lines, each))

    def _link_after(self, line: Line, money: Span, rest: list[Span], first: bool,
                    seg_cues: list[Cue], seg_start: int) -> tuple[int, list[Cue]]:
        """Read what links the amount to the `rest` of the clause's amounts (a share of it in
        percent, a list of its parts after a colon: it is the whole; or its funder); return
        where the next label starts and the label cues left for funders without an amount."""
        named_before = line.funder
        following = rest[0] if rest else None
        if following is not None and shared_out(self.text, money, following) or (
                len(rest) > 1 and HEADS_LIST_RE.match(self.text, money.end_char)
                and same_amount(sum(float(x._.amount_eur) for x in rest), line.amount)):
            # the share's funder, named between them, is the next line's; "9 000 € : Fonds X
            # 6 000 €, Y Habitat 3 000 €" lists the parts of the whole
            make_total(line)
            line.funder = line.funder_cue = None
        elif (linked := self._funder_after(line, money, following, first)) is not None:
            # The label's own funder, if another, is one without an amount ("Financé à 50 %
            # par la Fondation X, 1 200 € par la banque"); one in brackets glosses the funder
            # before it ("par le contrat de ville (DDETS), 2 000 € par la Ville").
            return linked, [] if named_before in (None, line.funder) else [
                c for c in seg_cues if self.brackets.of(c.start) is None]
        return seg_start, seg_cues

    def _named_after(self, seg_start: int, clause_lines: list[Line],
                     each: float | None) -> list[dict[str, Any]]:
        """The funders named after the clause's last amount, with what they give of it."""
        tail = self._cues_in(seg_start, self.end)
        if self.excluded or any(c.kind == "in_kind" for c in tail):
            return []
        cues = [cue for cue in tail if cue.funder and (
            self.field == BUDGET_FIELD or not not_giving(self.text, self.start, cue))]
        named = [self._cue_funder(cue) for cue in cues]
        # "Budget : 4 000 € (Métropole X, appel à projets)": the one funder in the brackets
        # right after the clause's only amount
        paren = self.brackets.of(cues[0].start) if cues else None
        after_amount = bool(paren and clause_lines and not self.text[
            clause_lines[-1].end:paren[0]].strip(" \t\u00a0"))
        share_out(self.text, self.start, self.end, named, clause_lines, each, after_amount)
        return named

    def _funder_after(self, line: Line, money: Span, following: Span | None,
                      first: bool) -> int | None:
        """Give the line the funder written after its amount ("5 000 € de la CAF": the CAF
        line); where the line's label then ends, or None when no funder follows."""
        text = self.text
        after = postposed(text, money.end_char, self.cues, self.cue_starts, self.givers, first)
        if after is not None and (self.brackets.breaks_down(after, following)
                                  or self.brackets.owns_next(after, following)):
            # "8 000 € (Région 5 000 €, Ville 3 000 €)": the brackets break the amount down;
            # "18 500 €, financés par la Fondation X (12 000 €) et ...": so does the funder's own
            # amount written right after it.
            if line.kind not in ("total", "in_kind"):
                make_total(line)
            return None
        if after is None or line.kind in ("total", "in_kind") \
                or self.brackets.shared(after, following, self.cues):
            return None
        if after.funder is None and line.funder is not None:
            return None  # "les clients paient : 6 500 € de recettes": the payer is named before
        paren = self.brackets.of(after.start)
        # "Coupes et goûters : 300 € (don du Carrefour)": a cost its funder paid
        if not (line.kind == "expense" and paren is not None and after.funder is not None):
            line.kind, line.label = "funding", text[after.start:after.end]
        line.funder, line.funder_cue = after.funder, after
        if paren is None and (gloss := GLOSS_AFTER_RE.match(text, after.end, self.end)):
            paren = self.brackets.of(gloss.end())  # "de l'intercommunalité (Cœur d'Agglo)"
        return paren[1] if paren is not None else after.end  # "3 000 € (Fondation FDJ)"

    def _relate(self, line: Line, money: Span, clause_lines: list[Line]) -> None:
        """Read a line against the one before it in the clause: the action's share of an
        envelope takes the envelope's funder ("L'enveloppe contrat de ville (36 000 €) ...
        dont 12 000 € pour cette action"); in-kind value inside a stated total comes off it
        ("9 600 € (dont 2 600 € de bénévolat valorisé)")."""
        if not clause_lines:
            return
        previous = clause_lines[-1]
        if line.action_share and previous.entry is not None:
            line.funder = previous.funder
            previous.entry["amount_eur"] = line.amount
        if line.kind == "in_kind" and previous.kind == "total" \
                and BREAKDOWN_RE.search(self.text, previous.end, money.start_char):
            previous.amount = round(previous.amount - line.amount, 2)

    def _qualify(self, line: Line, money: Span, following: Span | None) -> None:
        """Read what follows an amount: valued in kind ("(valeur 800 €)" is the line's
        label), broken down ("6 000 € dont 2 000 € de la CAF": the whole is a total), or the
        action's share of an envelope ("dont 15 000 € pour cette action")."""
        text = self.text
        if line.kind in ("unconfirmed", "in_kind"):
            return
        stop = following.start_char if following is not None else self.end
        if PASSED_ON_RE.search(text, label_start_of(text, line, money), stop):
            line.kind, line.funder, line.funder_cue = "passed_on", None, None
            return
        if ACTION_SHARE_RE.match(text, money.end_char, stop) or line.kind != "funding" \
                and ACTION_SHARE_BEFORE_RE.search(text, label_start_of(text, line, money),
                                                  money.start_char):
            line.kind, line.side, line.action_share = "total", "expense", True
            return
        if line.kind != "total" and OWN_FUNDS_AFTER_RE.match(text, money.end_char, stop):
            line.kind, line.funder, line.funder_cue = "funding", None, None
            return
        if line.kind != "total" and WAGE_COST_AFTER_RE.match(text, money.end_char, stop):
            line.kind, line.funder, line.funder_cue = "expense", None, None
            return
        if in_kind_after(text, money.end_char, min(stop, money.end_char + 60)):
            line.kind, line.funder, line.funder_cue = "in_kind", None, None
            return
        if line.funder is None and line.kind != "total" and (
                TOTAL_AFTER_RE.match(text, money.end_char, stop)  # "3 k€ en tout"
                or following is not None and BREAKDOWN_RE.search(text, money.end_char, stop)):
            make_total(line)

    def _each(self, line: Line, money: Span) -> float | None:
        """For "Deux subventions de 1 500 € chacune (Ville et Département)", see each_amount."""
        window = min(self.end, money.end_char + _EACH_WINDOW)
        named = sum(1 for c in self._cues_in(money.end_char, window) if c.funder)
        return each_amount(self.text, self.end, line, money, named)

    def _each_before(self, line: Line, money: Span, cues: list[Cue],
                     funders: list[dict[str, Any]]) -> bool:
        """Amounts shared by the funders named before them: "la Région et la Ville ont apporté
        chacune 7 500 €" (each gives it; the line is their sum), "la CAF et le Département ont
        pris en charge 9 000 € à parts égales" (each gives a share). True when so read."""
        # One per funder: "la CAF (dispositif VACAF)" is one funder.
        named = list({c.funder: c for c in reversed(cues) if c.funder}.values())[::-1]
        if line.kind != "funding" or len(named) < 2 or self.excluded:
            return False
        if EACH_BEFORE_RE.search(self.text, max(self.start, money.start_char - 30),
                                 money.start_char):
            each = line.amount
            line.amount = round(each * len(named), 2)
        elif EQUAL_SHARES_RE.match(self.text, money.end_char, min(self.end, money.end_char + 30)):
            each = round(line.amount / len(named), 2)
        else:
            return False
        for cue in named:
            funder = self._cue_funder(cue)
            funder["amount_eur"] = each
            funders.append(funder)
        line.funder = line.funder_cue = None
        return True

    def _cells_alternate(self, money: list[Span]) -> bool:
        """True when the cells' own words mostly follow the two columns' order (all but one
        of the cells that name their side), so that the order can decide the others."""
        agree = disagree = 0
        start = self.cells_start
        for i, m in enumerate(money):
            kind = classify(self.text, start, m, self._kind_cues(self._cues_in(start, m.start_char),
                                                                  m), self.field, None).kind
            start = m.end_char
            if kind in ("expense", "funding"):
                same = kind == ("funding" if i % 2 else "expense")
                agree, disagree = agree + same, disagree + (not same)
        return disagree <= 1 and agree > disagree

    def _name_giver(self, line: Line, lines: list[Line], money: Span) -> None:
        """A line of no stated kind whose label is only who gives: a known association or
        company ("Comité des fêtes : 80 €"), or, among funding lines, a proper name or a
        business no list knows ("Fonds Culture et Lien 1 500 €", "et le Super U (600 €)")."""
        # Only among funding lines or before a verb of giving: an organisation heading the
        # first line is who is paid ("Compagnie Les Voix Mêlées : 5 400 €").
        gave = GAVE_RE.search(line.label)
        if line.kind not in ("other", "funding") or line.funder is not None \
                or OWN_FUNDS_RE.search(line.label) \
                or OWN_BUDGET_AFTER_RE.match(self.text, money.end_char) or not (
                    gave or self.mode == "funding" or after_funding(lines)
                    or FUNDING_HEAD_RE.match(line.label)
                    or (self.alternating and line.kind == "funding")):
            return
        if (giver := self._giver_label(line)) is not None:
            line.kind, line.funder = "funding", OTHER_FAMILY
            line.funder_cue = Cue(giver.start_char, giver.end_char, "funding", OTHER_FAMILY)
            return
        if (unknown := unknown_giver(line.label)) is not None:
            family = funder_family(unknown.group("name"))
            start = label_start_of(self.text, line, money) + unknown.start("name")
            line.kind, line.funder = "funding", family
            line.funder_cue = Cue(start, start + len(unknown.group("name")), "funding", family)

    def _giver_label(self, line: Line) -> Span | None:
        """The association or company that is the line's whole label, maybe with its name
        after it ("association Génération 2000"), with no word saying what the money is."""
        return next((g for g in self.givers if line.label.startswith(g.text) and not any(
            c.islower() for c in line.label[len(g.text):])), None)

    def _cues_in(self, start: int, end: int) -> list[Cue]:
        lo = bisect.bisect_left(self.cue_starts, start)
        return self.cues[lo:bisect.bisect_left(self.cue_starts, end, lo)]

    def _kind_cues(self, cues: list[Cue], money: Span) -> list[Cue]:
        """The cues that decide a line's kind: kind words in brackets qualify the line
        ("Coût salarial (fonds propres) : 3 600 €") unless the line has no other cue, or
        unless the amount is in the same brackets ("(valorisation estimée à 3 200 €)"): then
        they are about the amount itself."""
        if not self.brackets.spans:
            return cues
        own = self.brackets.of(money.start_char)
        if own is not None and any(c.kind == "in_kind" and self.brackets.of(c.start) == own
                                   for c in cues):
            return [c for c in cues if self.brackets.of(c.start) == own]
        outside = [c for c in cues if c.funder or self.brackets.of(c.start) is None]
        return outside or cues

    def _unconfirmed(self, line: Line, money: Span, following: Span | None) -> bool:
        """True when the line's money is asked for, pending or refused: the status words are
        in its label or right after its amount, before the next amount or organisation."""
        label_start = label_start_of(self.text, line, money)
        before = UNCONFIRMED_RE.search(self.text, label_start, money.start_char)
        stop = min(self.end, money.end_char + _STATUS_AFTER,
                   following.start_char if following is not None else self.end)
        for cue in self._cues_in(money.end_char, stop):
            if cue.funder and cue is not line.funder_cue:
                stop = cue.start
                break
        return bool(before or UNCONFIRMED_RE.search(self.text, money.end_char, stop))

    def _amountless(self, cues: list[Cue], line: Line, funders: list[dict[str, Any]]) -> None:
        """Funders named before an amount that is not theirs.

        In a flattened two-column table a funder label directly followed by an expense label
        is an empty cell, not a funder; a funder followed by another funder shares a list
        ("la CAF et la Ville : 3 000 €") and is kept without an amount.
        """
        if self.excluded or line.kind in ("in_kind", "total", "unconfirmed"):
            return
        owner = line.funder
        for i, cue in enumerate(cues):
            if not cue.funder or cue.funder == owner:
                continue
            if any(c.kind == "expense" for c in cues[i + 1:]):
                continue
            funders.append(self._cue_funder(cue))

    def _cue_funder(self, cue: Cue) -> dict[str, Any]:
        funder = cue_funder(cue, self.text, self.field)
        funder[SHARE_KEY] = share_of(self.text, cue, self.start, self.end)
        if REST_BEFORE_RE.search(self.text, max(self.start, cue.start - 60), cue.start) \
                or REST_AFTER_RE.match(self.text, cue.end, self.end):
            funder[REST_KEY] = True  # "le solde est pris en charge par la commune"
        return funder
