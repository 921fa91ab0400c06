"""Budget, funders and entities of one fiche, read from its field Docs' money and org spans."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

from pipeline.extraction.budget_cues import (
    ACTION_SHARE_RE,
    BREAKDOWN_RE,
    EACH_RE,
    EQUAL_SHARES_RE,
    UNKNOWN_FUNDER_RE,
    USERS_FEE_RE,
    USERS_SHARE_RE,
    USERS_WORD_RE,
    funder_family,
    how_many_before,
)

BUDGET_FIELD = "financial_resources"
MONEY_KEY = "money"
ORGS_KEY = "orgs"
FUNDER_LABELS = frozenset({"ORG", "PROGRAMME", "USERS"})

# Words that say what an amount is. They are matched case-insensitively on the field text;
# accents are optional where people drop them ("depenses").
_WORD = r"(?<![\w])(?:{})(?![\w])"
IN_KIND_RE = re.compile(_WORD.format(
    r"contributions?\s+volontaires?|en\s+nature|valoris[ée]\w*|b[ée]n[ée]volat"
    r"|mis[es]*\s+[àa]\s+disposition|mise?s?\s+[àa]\s+disposition|met(?:tent)?\s+[àa]\s+disposition"
    r"|pr[êe]ts?\s+d[e'’]|pr[êe]t[ée]e?s?\s+par"), re.IGNORECASE)
TOTAL_RE = re.compile(_WORD.format(
    r"(?<!sous[- ])total(?:e|es|ité)?|budgets?|co[ûu]ts?\s+(?:total|global|de\s+l['’]action"
    r"|du\s+projet|annuel)|montant\s+(?:total|global)|s['’][ée]l[èe]ve(?:nt)?\s+[àa]"
    r"|enveloppe\s+(?:globale|totale)"), re.IGNORECASE)
EXPENSE_RE = re.compile(_WORD.format(
    r"d[ée]penses?|charges?|personnels?|salaires?|salariale?s?|r[ée]mun[ée]rations?|achats?"
    r"|mat[ée]riels?|fournitures?|prestations?|locations?|loyers?|frais|transports?|alimentation"
    r"|repas|go[ûu]ters?|[ée]ditions?|impressions?|communication|divers|intervenants?"
    r"|honoraires|assurances?|d[ée]placements?|sorties?|[ée]quipements?|investissements?"
    r"|travaux|fonctionnement|formations?|sous[- ]totale?|co[ûu]ts?|animateurs?"), re.IGNORECASE)
FUNDING_RE = re.compile(_WORD.format(
    r"financements?|financ[ée]e?s?|financeurs?|recettes?|ressources?|produits?|subventions?"
    r"|subventionn[ée]e?s?|participations?|aides?|soutiens?|cofinancements?|co-financements?"
    r"|apports?|contributions?|dotations?|fonds\s+propres|autofinancement"), re.IGNORECASE)
# The structure's own money: a funding line, never a funder. Matched before the expense words, so
# that "reste à charge" is not read as a "charge".
OWN_FUNDS_RE = re.compile(_WORD.format(
    r"fonds\s+propres|auto-?financements?|reste\s+[àa]\s+charge(?!\s+des?\s+(?:familles|usagers"
    r"|parents|participants|b[ée]n[ée]ficiaires|adh[ée]rents))"), re.IGNORECASE)
# Money verbs and nouns that make a sentence outside the budget field a financing sentence.
FINANCING_TRIGGER_RE = re.compile(_WORD.format(
    r"(?:co-?)?financ(?:[ée]e?s?|ement|ements|er|ent|era|eront|ait|aient)"
    r"|financeurs?\s*(?::|sont|principaux)|partenaires?\s+financiers?|subventions?|subventionn\w+|soutien\s+financier"
    r"|aides?\s+financi[èe]res?|participation\s+financi[èe]re|cr[ée]dits|vers[ée]e?s?"
    r"|soutien\s+(?:financier\s+)?(?:de|du|des|d['’])|soutenue?s?\s+(?:financi[èe]rement\s+)?par"
    r"|allou[ée]e?s?|octroy[ée]e?s?|accord[ée]e?s?\s+par|pris\s+en\s+charge\s+par"), re.IGNORECASE)
# An organisation in a sentence like these is not giving money to the action.
NEGATION_RE = re.compile(_WORD.format(
    r"n['’]\w+\s+pas|ne\s+\w+\s+pas|n['’]\w+\s+plus|ne\s+\w+\s+plus|aucune?|sans|refus\w*"
    r"|pas\s+de\s+financement|non\s+financ\w+|plus\s+de\s+financement|ni"), re.IGNORECASE)
SOURCE_RE = re.compile(_WORD.format(
    r"donn[ée]es|statistiques?|sources?|d['’]apr[èe]s|chiffres|recueils?\s+(?:de|des)\s+donn\w+"
    r"|enqu[êe]tes?"
    # "selon l'INSEE" names a source; "selon le barème" a rule of payment.
    r"|selon\s+(?:l['’]|les?\s+|la\s+)?(?:insee|donn\w+|chiffres|statisti\w+|enqu\w+|[ée]tudes?"
    r"|sources?|diagnostic\w*|observatoire)"),
    re.IGNORECASE)
PARTNER_RE = re.compile(_WORD.format(
    r"partenaires?|partenariats?|en\s+lien\s+avec|accompagn\w+|rencontres?|coordinat\w+"
    r"|r[ée]unions?|convention\s+de\s+partenariat"), re.IGNORECASE)
# What links an amount to the funder written after it: "2 000 € de la CAF", "500 € versés par",
# "4 000 €, financés par le Département", "3 000 € par an, pris en charge par la Ville".
_SP = r"[ \t\u00a0]"
POSTPOSED_RE = re.compile(
    rf"(?:{_SP}*(?:par{_SP}+an|/{_SP}*an|annuels?|HT|TTC)(?![\w]))?"
    rf"{_SP}*(?:,{_SP}*(?=financ|vers|accord|allou|attribu|apport|pris))?"
    rf"(?:(?:(?:vers|accord|allou|attribu|apport|financ)[ée]e?s?|pris{_SP}+en{_SP}+charge)"
    rf"{_SP}+)?(?:de{_SP}+la{_SP}+part{_SP}+)?"
    rf"(?:de{_SP}+la|de{_SP}+l['’]|du|des|de|d['’]|par{_SP}+(?:la|le|les|l['’])|\()"
    rf"{_SP}*")
# A price per person, session, hour...: not a line of the total ("2 € par enfant", "5 €/séance").
# Periods (par an, par mois) are not units: "3 000 € par an" is a budget.
PER_UNIT_RE = re.compile(
    rf"{_SP}*(?:HT|TTC)?{_SP}*(?:(?:par{_SP}+an|/{_SP}*an|par{_SP}+mois|annuels?),?{_SP}+"
    rf"(?:et{_SP}+)?)?(?:/{_SP}*|par{_SP}+|(?:la|le|les){_SP}+|l['’]|de{_SP}+l['’])"
    r"(?:personnes?|pers\b|enfants?|participants?|familles?|foyers?|jeunes?|adultes?|seniors?"
    r"|parents?|habitants?|adh[ée]rents?|inscrits?|b[ée]n[ée]ficiaires?|[ée]l[èe]ves?"
    r"|stagiaires?|usagers?|s[ée]ances?|cours|ateliers?|heures?|h\b|jours?|journ[ée]es?"
    r"|nuit[ée]?e?s?|repas|places?|entr[ée]es?|tickets?|t[êe]tes?|unit[ée]s?)(?![\w])",
    re.IGNORECASE)
# What between two amounts makes the second restate the first: "1 500 € HT soit 1 800 € TTC",
# "45 x 12 € = 540 €". Only the restatement counts.
RESTATED_RE = re.compile(
    rf"(?:=|(?<![\w])soit(?:{_SP}+(?:un{_SP}+total{_SP}+de|au{_SP}+total|environ))?){_SP}*$",
    re.IGNORECASE)
# The same, when the whole gap is a tax mark: "1 000 € HT (1 200 € TTC)", "1 000 € HT / 1 200 €".
TAX_RESTATED_RE = re.compile(rf"{_SP}*HT{_SP}*[(/]{_SP}*$")
_RESTATED_GAP = 60
# Money asked for but not (yet) given: not mobilised, so neither a funder nor in the total.
UNCONFIRMED_RE = re.compile(_WORD.format(
    r"demand[ée]e?s?|sollicit[ée]e?s?|en\s+attente|demandes?\s+en\s+cours|en\s+cours\s+d['’]instruction"
    r"|non\s+obtenue?s?|non\s+accord[ée]e?s?|non\s+retenue?s?|non\s+confirm[ée]e?s?"
    r"|refus[ée]e?s?|[àa]\s+confirmer|sous\s+r[ée]serve"), re.IGNORECASE)
_STATUS_AFTER = 80
# A funder's share of the total, written after it ("Ville 50 %", "la CAF finance 50 %",
# "CAF : à hauteur de 30 %") or before it ("60 % par la Ville", "50 % de la CAF").
_PCT = r"(?P<pct>\d{1,3}(?:[.,]\d{1,2})?)[ \t\u00a0]?%"
SHARE_AFTER_RE = re.compile(
    rf"[ \t\u00a0:(]*(?:(?:finance|participe|contribue|prend{_SP}+en{_SP}+charge|apporte|couvre)"
    rf"\w*{_SP}+)?(?:(?:[àa]{_SP}+hauteur{_SP}+d[eu]|pour|[àa]){_SP}+)?{_PCT}", re.IGNORECASE)
SHARE_BEFORE_RE = re.compile(
    rf"{_PCT}{_SP}*(?:(?:financ\w*{_SP}+)?(?:par|de|du|des){_SP}+"
    rf"(?:(?:la|le|les){_SP}+|l['’])?)?$", re.IGNORECASE)
_SHARE_WINDOW = 50
# A line that names its payers in a word under a "Recettes" header: the users.
USERS_LABEL_RE = re.compile(
    r"^(?:les\s+)?(?:familles|usagers|parents|adh[ée]rents|participants|b[ée]n[ée]ficiaires)$",
    re.IGNORECASE)
USERS_TYPE = "Familles"
# Where a funder's share (in %) waits, inside its dict, for the total to be known.
_SHARE_KEY = "_share"
# A parenthesised aside: its kind words qualify the line, they do not set its kind.
_PAREN_RE = re.compile(r"\([^()\n]*\)")
# An organisation introduced like this is a partner or a place, not a source of money.
NOT_GIVING_RE = re.compile(
    r"(?<![\w])(?:avec|aupr[èe]s|chez|aux\s+c[ôo]t[ée]s|en\s+lien\s+avec|pour|vers|[àa])"
    r"[ \t\u00a0]+(?:(?:la|le|les|l['’]|des|du|de\s+la|de\s+l['’])[ \t\u00a0]*)?$",
    re.IGNORECASE)
# In-kind words right after an amount: "1 200 € de mise à disposition", "800 € (valorisation)".
IN_KIND_AFTER_RE = re.compile(
    r"[ \t\u00a0]*(?:/[ \t\u00a0]*an[ \t\u00a0]*)?[(,]?[ \t\u00a0]*(?:de[ \t\u00a0]+|d['’])?"
    r"(?:valoris\w*|mise?s?[ \t\u00a0]+[àa][ \t\u00a0]+disposition|en[ \t\u00a0]+nature"
    r"|contributions?[ \t\u00a0]+volontaires?|b[ée]n[ée]volat)", re.IGNORECASE)
# How far after "1 500 € chacune" the funders it is for are looked for.
_EACH_WINDOW = 120
# Clause boundaries: line breaks, sentence ends, semicolons.
CLAUSE_END_RE = re.compile(r"\n|[;!?]|\.(?=\s|$)")


@dataclass
class _Line:
    """One amount and what it is, before conversion to the output dict."""

    label: str
    amount: float
    kind: str
    side: str | None
    funder: str | None
    field: str
    start: int
    end: int
    approximate: bool
    unit_assumed: bool
    funder_cue: _Cue | None = None
    # The action's share of a wider envelope ("dont 15 000 € pour cette action").
    action_share: bool = False


@dataclass
class _Cue:
    start: int
    end: int
    kind: str
    funder: str | None = None


def build_entities(docs: dict[str, Doc]) -> list[dict[str, Any]]:
    """Named entities of every field: `{text, label, field, start, end, id}` (field offsets)."""
    entities = []
    for field, doc in docs.items():
        for ent in doc.ents:
            entities.append({"text": ent.text, "label": ent.label_, "field": field,
                             "start": ent.start_char, "end": ent.end_char,
                             "id": ent.id_ or None})
    return entities


def build_budget(docs: dict[str, Doc]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The budget object and funder list of one fiche.

    The budget is read from the budget field; from financing sentences of the other fields only
    when the budget field states no amount. Funders come from the budget field and from financing
    sentences anywhere, minus organisations named as sources, partners, providers of premises or
    in negated sentences.

    Returns:
        `(budget, funders)`; budget is always an object, funders one entry per funder type.
    """
    lines: list[_Line] = []
    funders: list[dict[str, Any]] = []
    budget_doc = docs.get(BUDGET_FIELD)
    if budget_doc is not None:
        doc_lines, doc_funders = _read_field(budget_doc, BUDGET_FIELD, budget_field=True)
        lines.extend(doc_lines)
        funders.extend(doc_funders)
    for field, doc in docs.items():
        if field == BUDGET_FIELD:
            continue
        doc_lines, doc_funders = _read_field(doc, field, budget_field=False)
        if not lines:
            lines.extend(doc_lines)
        funders.extend(doc_funders)
    budget = _budget(lines)
    return budget, _apply_shares(_dedupe_funders(funders), budget["total_eur"])


def _apply_shares(funders: list[dict[str, Any]], total: float | None) -> list[dict[str, Any]]:
    """Give funders known only by their share ("Ville 50 %") that share of the total."""
    for funder in funders:
        share = funder.pop(_SHARE_KEY, None)
        if funder["amount_eur"] is None and share is not None and total is not None:
            funder["amount_eur"] = round(total * share / 100, 2)
    return funders


def _read_field(doc: Doc, field: str, budget_field: bool,
                ) -> tuple[list[_Line], list[dict[str, Any]]]:
    """The budget lines and funders of one field, clause by clause.

    Outside the budget field only financing clauses count, and bare numbers are not money;
    per-unit prices are never lines.
    """
    text = doc.text
    money = sorted(doc.spans[MONEY_KEY] if MONEY_KEY in doc.spans else [],
                   key=lambda s: s.start_char)
    money = [m for m in money if budget_field or not m._.unit_assumed]
    priced = [bool(PER_UNIT_RE.match(text, m.end_char, m.end_char + 40)) for m in money]
    per_unit = [m for m, p in zip(money, priced, strict=True) if p]
    money = [m for m, p in zip(money, priced, strict=True) if not p]
    orgs = sorted((s for s in (doc.spans[ORGS_KEY] if ORGS_KEY in doc.spans else [])
                   if s.label_ in FUNDER_LABELS and getattr(s._, "funder_type", None)),
                  key=lambda s: s.start_char)
    money_starts = [m.start_char for m in money]
    org_starts = [o.start_char for o in orgs]
    lines: list[_Line] = []
    funders: list[dict[str, Any]] = _users_fees(text, per_unit, field) if budget_field else []
    mode: str | None = None
    for c_start, c_end in _clauses(text):
        c_money = _between(money, money_starts, c_start, c_end)
        c_orgs = _between(orgs, org_starts, c_start, c_end)
        clause = text[c_start:c_end]
        if not budget_field and not (FINANCING_TRIGGER_RE.search(clause)
                                     or any(o.label_ == "PROGRAMME" for o in c_orgs)):
            continue
        if not c_money:
            mode = _header_mode(clause) or mode
        reader = _ClauseReader(text, c_start, c_end, field, mode, c_orgs, bool(c_money))
        reader.read(c_money, lines, funders)
    return lines, funders


def _users_fees(text: str, per_unit: list[Span], field: str) -> list[dict[str, Any]]:
    """The users as a funder, without an amount, when a price per person is their
    participation: "participation : 5 € par personne", "Tarif : 3 € la séance"."""
    found = []
    for money in per_unit:
        floor = max(0, money.start_char - 80)
        floor = text.rfind("\n", floor, money.start_char) + 1 or floor
        fee = USERS_FEE_RE.search(text, floor, money.start_char)
        if fee is not None and not NEGATION_RE.search(text, floor, money.start_char):
            found.append({"type": USERS_TYPE, "name": fee.group().strip(" :\t\u00a0"),
                          "amount_eur": None, "field": field, "start": fee.start(),
                          "end": fee.start() + len(fee.group().rstrip(" :\t\u00a0"))})
    return found


def _between(spans: list[Span], starts: list[int], start: int, end: int) -> list[Span]:
    """The spans (sorted by start, with `starts` their start offsets) starting in [start, end)."""
    return spans[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]


class _ClauseReader:
    """Turns the amounts and cues of one clause into budget lines and funders."""

    def __init__(self, text: str, start: int, end: int, field: str, mode: str | None,
                 orgs: list[Span], has_money: bool) -> None:
        self.text, self.start, self.end, self.field, self.mode = text, start, end, field, mode
        clause = text[start:end]
        # Negated, source and partner clauses name organisations that give nothing; a partner
        # word beside an amount or a money verb does not make the clause a partner list.
        self.excluded = bool(NEGATION_RE.search(clause) or SOURCE_RE.search(clause)
                             or (PARTNER_RE.search(clause) and not has_money
                                 and not FINANCING_TRIGGER_RE.search(clause)))
        self.cues = _cues(text, start, end, orgs)
        self.cue_starts = [c.start for c in self.cues]
        self.parens = [(m.start(), m.end()) for m in _PAREN_RE.finditer(text, start, end)]

    def read(self, money: list[Span], lines: list[_Line],
             funders: list[dict[str, Any]]) -> None:
        """Append the clause's lines and funders to `lines` and `funders`."""
        text = self.text
        seg_start = self.start
        each: float | None = None
        clause_lines: list[_Line] = []
        for i, m in enumerate(money):
            following = money[i + 1] if i + 1 < len(money) else None
            if following is not None and _restated(text, m, following):
                continue  # the next amount restates this one and takes its label
            seg_cues = self._cues_in(seg_start, m.start_char)
            line = _classify(text, seg_start, m, self._kind_cues(seg_cues), field=self.field,
                             mode=self.mode)
            seg_start = m.end_char
            after = _postposed(text, m.end_char, self.cues, self.cue_starts)
            if after is not None and line.kind not in ("total", "in_kind"):
                line.kind, line.funder, seg_start = "funding", after.funder, after.end
                line.funder_cue = after
                line.label = text[after.start:after.end]  # "5 000 € de la CAF": the CAF line
                seg_cues = []
            if line.kind in ("funding", "other") and self._unconfirmed(
                    line, m, following):
                line.kind, line.funder, line.funder_cue = "unconfirmed", None, None
            self._qualify(line, m, following)
            each = self._each(line, m) or each
            if line.kind == "funding" and line.funder and not self.excluded:
                funders.append(_funder(line, text))
            lines.append(line)
            clause_lines.append(line)
            self._amountless(seg_cues, line, funders)
        tail = self._cues_in(seg_start, self.end)
        if not self.excluded and not any(c.kind == "in_kind" for c in tail):
            named = [self._cue_funder(cue) for cue in tail if cue.funder and (
                self.field == BUDGET_FIELD or not _not_giving(text, self.start, cue))]
            self._share_out(named, clause_lines, each)
            funders.extend(named)

    def _qualify(self, line: _Line, money: Span, following: Span | None) -> None:
        """Read what follows an amount: valued in kind ("(valeur 800 €)" is the line's
        label), broken down ("6 000 € dont 2 000 € de la CAF": the whole is a total), or the
        action's share of an envelope ("dont 15 000 € pour cette action")."""
        text = self.text
        if line.kind in ("unconfirmed", "in_kind"):
            return
        stop = following.start_char if following is not None else self.end
        if ACTION_SHARE_RE.match(text, money.end_char, stop):
            line.kind, line.side, line.action_share = "total", "expense", True
            return
        if IN_KIND_AFTER_RE.match(text, money.end_char, min(stop, money.end_char + 60)):
            line.kind, line.funder, line.funder_cue = "in_kind", None, None
            return
        if following is not None and line.funder is None and line.kind != "total" \
                and BREAKDOWN_RE.search(text, money.end_char, stop):
            line.side = "funding" if line.kind == "funding" else "expense"
            line.kind = "total"

    def _each(self, line: _Line, money: Span) -> float | None:
        """For "Deux subventions de 1 500 € chacune (Ville et Département)": the line becomes
        the whole (3 000 €) and the amount each funder gives is returned; else None."""
        if line.kind in ("unconfirmed", "in_kind", "total") or line.funder is not None:
            return None
        if not EACH_RE.match(self.text, money.end_char, self.end):
            return None
        window = min(self.end, money.end_char + _EACH_WINDOW)
        named = sum(1 for c in self._cues_in(money.end_char, window) if c.funder)
        times = how_many_before(self.text, _label_start(self.text, line, money)) or named
        if times < 2:
            return None
        each = line.amount
        line.amount = round(each * times, 2)
        line.kind = "funding"
        return each

    def _share_out(self, named: list[dict[str, Any]], clause_lines: list[_Line],
                   each: float | None) -> None:
        """Give amounts to funders named without one: "1 500 € chacune" each; "à parts
        égales" an equal share of the total; the one amount of a financing sentence that names
        one funder ("Les livres (300 €) sont financés par la Ville")."""
        if not named:
            return
        if each is not None:
            for funder in named:
                funder["amount_eur"] = each
            return
        clause = self.text[self.start:self.end]
        if len(named) > 1 and EQUAL_SHARES_RE.search(clause):
            for funder in named:
                funder[_SHARE_KEY] = round(100 / len(named), 4)
            return
        loose = [x for x in clause_lines if x.kind in ("other", "funding") and x.funder is None]
        if len(named) == 1 and len(clause_lines) == 1 and loose \
                and FINANCING_TRIGGER_RE.search(clause):
            line = loose[0]
            line.kind, line.funder = "funding", named[0]["type"]
            named[0]["amount_eur"] = line.amount

    def _cues_in(self, start: int, end: int) -> list[_Cue]:
        lo = bisect.bisect_left(self.cue_starts, start)
        return self.cues[lo:bisect.bisect_left(self.cue_starts, end, lo)]

    def _kind_cues(self, cues: list[_Cue]) -> list[_Cue]:
        """The cues that decide a line's kind: kind words in brackets qualify the line
        ("Coût salarial (fonds propres) : 3 600 €") unless the line has no other cue."""
        if not self.parens:
            return cues
        outside = [c for c in cues if c.funder or not self._in_parens(c.start)]
        return outside if any(not c.funder for c in outside) else cues

    def _in_parens(self, pos: int) -> bool:
        i = bisect.bisect_right(self.parens, (pos, len(self.text))) - 1
        return i >= 0 and self.parens[i][0] < pos < self.parens[i][1]

    def _unconfirmed(self, line: _Line, money: Span, following: Span | None) -> bool:
        """True when the line's money is asked for, pending or refused: the status words are
        in its label or right after its amount, before the next amount or organisation."""
        label_start = _label_start(self.text, line, money)
        before = UNCONFIRMED_RE.search(self.text, label_start, money.start_char)
        stop = min(self.end, money.end_char + _STATUS_AFTER,
                   following.start_char if following is not None else self.end)
        for cue in self._cues_in(money.end_char, stop):
            if cue.funder and cue is not line.funder_cue:
                stop = cue.start
                break
        return bool(before or UNCONFIRMED_RE.search(self.text, money.end_char, stop))

    def _amountless(self, cues: list[_Cue], line: _Line, funders: list[dict[str, Any]]) -> None:
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

    def _cue_funder(self, cue: _Cue) -> dict[str, Any]:
        funder = _cue_funder(cue, self.text, self.field)
        funder[_SHARE_KEY] = _share(self.text, cue, self.start, self.end)
        return funder


def _label_start(text: str, line: _Line, money: Span) -> int:
    """Where the line's label starts (labels are stripped, so found back in the text)."""
    if not line.label:
        return money.start_char
    found = text.rfind(line.label, max(0, money.start_char - 200), money.start_char)
    return found if found != -1 else money.start_char - len(line.label)


def _restated(text: str, money: Span, following: Span) -> bool:
    """True when `following` restates `money` ("1 500 € HT soit 1 800 € TTC", "x 12 € = 540 €")."""
    gap_start = money.end_char
    if following.start_char - gap_start > _RESTATED_GAP:
        return False
    return bool(RESTATED_RE.search(text, gap_start, following.start_char)
                or TAX_RESTATED_RE.match(text, gap_start, following.start_char))


def _share(text: str, cue: _Cue, start: int, end: int) -> float | None:
    """The share of the total (in %) written beside a funder, or None."""
    match = SHARE_AFTER_RE.match(text, cue.end, min(end, cue.end + _SHARE_WINDOW))
    if match is None:
        match = SHARE_BEFORE_RE.search(text, max(start, cue.start - _SHARE_WINDOW), cue.start)
    if match is None:
        return None
    pct = float(match.group("pct").replace(",", "."))
    return pct if 0 < pct <= 100 else None


def _postposed(text: str, end: int, cues: list[_Cue], starts: list[int]) -> _Cue | None:
    """The funding cue written right after an amount and linked to it by "de la", "par"...

    `cues` are sorted by start and `starts` are their start offsets.
    """
    link = POSTPOSED_RE.match(text, end, end + 60)
    if link is None:
        return None
    i = bisect.bisect_left(starts, link.end())
    while i < len(cues) and cues[i].start == link.end():
        if cues[i].kind == "funding":
            return cues[i]
        i += 1
    return None


def _clauses(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in CLAUSE_END_RE.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _header_mode(clause: str) -> str | None:
    """The side a header line opens ("Dépenses :", "Recettes :"), if it is one."""
    if len(clause) > 60:
        return None
    if EXPENSE_RE.search(clause) and not FUNDING_RE.search(clause):
        return "expense"
    if FUNDING_RE.search(clause) and not EXPENSE_RE.search(clause):
        return "funding"
    return None


def _cues(text: str, start: int, end: int, orgs: list[Span]) -> list[_Cue]:
    cues = [_Cue(o.start_char, o.end_char, "funding", o._.funder_type) for o in orgs]
    cues.extend(_unknown_funders(text, start, end, cues))
    taken = sorted((c.start, c.end) for c in cues)
    for kind, regex in (("funding", OWN_FUNDS_RE), ("in_kind", IN_KIND_RE),
                        ("total", TOTAL_RE), ("expense", EXPENSE_RE), ("funding", FUNDING_RE)):
        found = []
        for match in regex.finditer(text, start, end):
            i = bisect.bisect_right(taken, (match.start(), end)) - 1
            if i < 0 or match.start() >= taken[i][1]:
                found.append(_Cue(match.start(), match.end(), kind))
        cues.extend(found)
        if regex is OWN_FUNDS_RE:
            taken = sorted([*taken, *((c.start, c.end) for c in found)])
    return sorted(cues, key=lambda c: (c.start, c.funder is None))


def _unknown_funders(text: str, start: int, end: int, known: list[_Cue]) -> list[_Cue]:
    """Funders the gazetteer lacks, named after a money word ("subvention de la Fondation X",
    "don d'Intermarché"), typed by the nouns of their name; and the users' share ("reste à
    charge des familles")."""
    spans = sorted((c.start, c.end) for c in known)
    starts = [s for s, _ in spans]

    def free(s: int, e: int) -> bool:
        # Entities never overlap one another, so only the last one starting before `e` can.
        i = bisect.bisect_left(starts, e) - 1
        return i < 0 or spans[i][1] <= s

    found = []
    for match in UNKNOWN_FUNDER_RE.finditer(text, start, end):
        if free(*match.span("name")):
            found.append(_Cue(*match.span("name"), "funding", funder_family(match.group("name"))))
    for match in USERS_SHARE_RE.finditer(text, start, end):
        if free(*match.span()):
            found.append(_Cue(match.start(), match.end(), "funding", USERS_TYPE))
    return found


def _classify(text: str, seg_start: int, money: Span, cues: list[_Cue], field: str,
              mode: str | None) -> _Line:
    kinds = {c.kind for c in cues}
    side = None
    funder = None
    funder_cue = None
    if "in_kind" in kinds:
        kind = "in_kind"
    elif "total" in kinds:
        kind = "total"
        after_total = [c for c in cues if c.start >= _first(cues, "total").start]
        sides = [c.kind for c in after_total if c.kind in ("expense", "funding")]
        side = sides[0] if sides else "expense"
    elif cues:
        last = cues[-1]
        kind = last.kind
        if kind == "funding":
            # The funder is the last organisation after the last expense word.
            for cue in reversed(cues):
                if cue.kind == "expense":
                    break
                if cue.funder:
                    funder, funder_cue = cue.funder, cue
                    break
    else:
        kind = mode or "other"
    label_start = cues[0].start if cues else seg_start
    label = text[label_start:money.start_char].strip(" \t:-–()\u00a0,|")
    if kind == "funding" and funder is None and (USERS_LABEL_RE.match(label)
                                                 or USERS_WORD_RE.search(label)):
        funder = USERS_TYPE  # "- familles : 800 €" under "Recettes :"
    return _Line(label=label, amount=float(money._.amount_eur), kind=kind, side=side,
                 funder=funder, field=field, start=money.start_char, end=money.end_char,
                 approximate=bool(money._.approximate),
                 unit_assumed=bool(money._.unit_assumed), funder_cue=funder_cue)


def _first(cues: list[_Cue], kind: str) -> _Cue:
    return next(c for c in cues if c.kind == kind)


def _not_giving(text: str, clause_start: int, cue: _Cue) -> bool:
    """True when the organisation is introduced as a partner or a place ("avec le bailleur")."""
    return NOT_GIVING_RE.search(text, max(clause_start, cue.start - 30), cue.start) is not None


def _funder(line: _Line, text: str) -> dict[str, Any]:
    """A funder with its amount; `name` and offsets are those of the organisation as written,
    or of the amount when the line names none."""
    cue = line.funder_cue
    if cue is None:
        return {"type": line.funder, "name": line.label or None, "amount_eur": line.amount,
                "field": line.field, "start": line.start, "end": line.end}
    return {"type": line.funder, "name": text[cue.start:cue.end], "amount_eur": line.amount,
            "field": line.field, "start": cue.start, "end": cue.end}


def _cue_funder(cue: _Cue, text: str, field: str) -> dict[str, Any]:
    return {"type": cue.funder, "name": text[cue.start:cue.end], "amount_eur": None,
            "field": field, "start": cue.start, "end": cue.end}


def _dedupe_funders(funders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per type: amounts of the budget field's lines summed, else the first known."""
    by_type: dict[str, dict[str, Any]] = {}
    for funder in funders:
        kept = by_type.get(funder["type"])
        if kept is None:
            by_type[funder["type"]] = dict(funder)
        elif funder["amount_eur"] is None:
            if kept.get(_SHARE_KEY) is None:
                kept[_SHARE_KEY] = funder.get(_SHARE_KEY)
        else:
            if kept["amount_eur"] is None:
                by_type[funder["type"]] = dict(funder)
            elif (funder["field"] == kept["field"] == BUDGET_FIELD
                  and funder["start"] != kept["start"]):
                kept["amount_eur"] += funder["amount_eur"]
    return list(by_type.values())


def _budget(lines: list[_Line]) -> dict[str, Any]:
    budget: dict[str, Any] = {"total_eur": None, "basis": None, "approximate": None,
                              "unit_assumed": None, "consistent": None,
                              "lines": [_line_dict(line) for line in lines]}
    # In-kind and unconfirmed money is not spent on the action. A zero counts only when no
    # amount is above it: "Coût : 0 €" is a total of 0, "Transport : 0 €" beside others adds
    # nothing.
    spent = [line for line in lines if line.kind not in ("in_kind", "unconfirmed")]
    counted = [line for line in spent if line.amount > 0] or spent
    if not counted:
        return budget
    # The action's share of a wider envelope is its total, whatever else is stated.
    totals = [line for line in counted if line.action_share] \
        or [line for line in counted if line.kind == "total"]
    other = [line for line in counted if line.kind == "other"]
    expenses = [line for line in counted if line.kind == "expense"]
    funding = [line for line in counted if line.kind == "funding"]
    if not totals and (implied := _implied_total(other, expenses, funding)) is not None:
        totals = [implied]
        other.remove(implied)
    expense_totals = [t for t in totals if t.side != "funding"]
    funding_totals = [t for t in totals if t.side == "funding"]
    # Lines of unknown kind ("Neotoa : 1 000 €") side with the expenses if there are any, else
    # with the funding lines they are listed among.
    if expenses or not funding:
        expenses += other
    else:
        funding += other
    used: list[_Line]
    if expense_totals or funding_totals:
        best = max(expense_totals or funding_totals, key=lambda t: t.amount)
        used, basis, total = [best], "explicit_total", best.amount
    elif len(counted) == 1:
        used, basis, total = counted, "single_amount", counted[0].amount
    elif expenses:
        used, basis, total = expenses, "sum_of_expenses", sum(x.amount for x in expenses)
    else:
        used, basis, total = funding, "sum_of_funding", sum(x.amount for x in funding)
    if expense_totals and funding_totals:
        exp = max(t.amount for t in expense_totals)
        fund = max(t.amount for t in funding_totals)
        budget["consistent"] = abs(exp - fund) <= 1.0
    budget.update(total_eur=round(total, 2), basis=basis,
                  approximate=any(x.approximate for x in used),
                  unit_assumed=any(x.unit_assumed for x in used))
    return budget


def _implied_total(other: list[_Line], expenses: list[_Line],
                   funding: list[_Line]) -> _Line | None:
    """An amount of no stated kind that the lines of one side add up to ("25 500 euros" above
    funding lines of 8 000, 9 000, 5 500 and 3 000 €) is their total, not one more line."""
    for side in (funding, expenses):
        whole = sum(x.amount for x in side)
        for line in other:
            if side and abs(line.amount - whole) <= 1.0:
                return line
    return None


def _line_dict(line: _Line) -> dict[str, Any]:
    return {"label": line.label, "amount_eur": line.amount, "kind": line.kind,
            "funder": line.funder, "field": line.field, "start": line.start, "end": line.end}
