"""One amount of a clause read as a budget line: its kind, its label and the funder it names."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, get_args

from spacy.tokens import Span

from pipeline.enriched import FunderType
from pipeline.extraction.budget_cues import (
    COSTS_BEFORE_RE,
    EXPENSE_RE,
    FUNDING_RE,
    IN_KIND_RE,
    NEGATION_RE,
    NOT_GIVING_RE,
    OWN_FUNDS_RE,
    PAREN_RE,
    RESTATED_RE,
    TAKES_ON_RE,
    TOTAL_RE,
    TOTAL_VERB_RE,
    USERS_LABEL_RE,
    USERS_PAY_RE,
    USERS_PAYING_RE,
    USERS_RATE_RE,
    USERS_TYPE,
    USERS_WORD_RE,
    paid_by,
)
from pipeline.extraction.budget_givers import (
    OTHER_FAMILY,
    UNKNOWN_FUNDER_RE,
    funder_family,
)
from pipeline.extraction.role_lexicon import role_stem

BUDGET_FIELD = "financial_resources"
# A label that is a funder type's own name, in any case, singular or plural ("commune",
# "REGION", "Départements"), names that funder; "ville" is the commune ("autres" is not one,
# and "famille" names who an action is for as often as who pays: see USERS_LABEL_RE).
_FUNDER_NAMES = {role_stem(name): name for name in get_args(FunderType)
                 if name not in (OTHER_FAMILY, USERS_TYPE)} | {"ville": "Commune"} | {
    # and the adjectives of funder types: "subvention municipale", "aide régionale"
    role_stem(adjective): name for name, adjectives in (
        ("Commune", ("municipal", "municipale", "communal", "communale")),
        ("Département", ("départemental", "départementale")),
        ("Région", ("régional", "régionale")),
        ("Intercommunalité", ("intercommunal", "intercommunale", "communautaire")),
        ("Europe", ("européen", "européenne"))) for adjective in adjectives}
# What may come before an amount that opens its line: bullets.
LINE_OPENING = " \t\u00a0-–•*·>"
# How far amounts may be apart and still be read as equal (written rounded to the euro).
AMOUNT_TOLERANCE = 1.0
# A funder in brackets right after another: "Contrat de ville (État)".
_GLOSS_RE = re.compile(r"[ \t\u00a0]*\([ \t\u00a0]*")
# The State's scheme named right after it: "État - politique de la ville", "Etat (contrat de
# ville)", "État : ANCT".
_SCHEME_OF_RE = re.compile(
    r"[ \t\u00a0]*[-–—:(/][ \t\u00a0]*(?:(?:au\s+titre\s+)?d[eu]s?\s+(?:la\s+)?)?")
# Tickets sold: "Billetterie : 212 entrées à 3 €, soit". A bare "Billetterie 1 300 €" may be
# tickets bought for an outing.
_TICKETS_RE = re.compile(r"billetterie\b[^\n]{0,20}?\d+\s+(?:entr[ée]es|places|billets|tickets)"
                         r"\s+(?:[àa]|x|×)\s*\d", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
# How far from an organisation a negation is about it.
_NEGATION_REACH = 80


@dataclass
class Line:
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
    funder_cue: Cue | None = None
    # The action's share of a wider envelope ("dont 15 000 € pour cette action").
    action_share: bool = False
    # The funder entry this line gave, to move an envelope's funder to the action's share.
    entry: dict[str, Any] | None = None


def same_amount(a: float, b: float) -> bool:
    """Whether two amounts are the same to the euro (amounts are written rounded)."""
    return abs(a - b) <= AMOUNT_TOLERANCE


def make_total(line: Line) -> None:
    """The line is the whole of amounts that break it down: a total of its side."""
    line.side = "funding" if line.kind == "funding" else "expense"
    line.kind = "total"


@dataclass
class Cue:
    """A word or organisation in a clause that says what an amount is or who gives it."""

    start: int
    end: int
    kind: str
    funder: str | None = None
    # A verb of giving ("ont pris en charge"): the funder named before it gives the amount,
    # whatever expense it names after ("la Ville a pris en charge les repas (1 200 €)").
    verb: bool = False


def label_start_of(text: str, line: Line, money: Span) -> int:
    """Where the line's label starts (labels are stripped, so found back in the text)."""
    if not line.label:
        return money.start_char
    found = text.rfind(line.label, max(0, money.start_char - 200), money.start_char)
    return found if found != -1 else money.start_char - len(line.label)


def clause_cues(text: str, start: int, end: int, orgs: list[Span]) -> list[Cue]:
    cues = [Cue(o.start_char, o.end_char, "funding", o._.funder_type) for o in orgs]
    cues.extend(_unknown_funders(text, start, end, cues))
    taken = sorted((c.start, c.end) for c in cues)
    for kind, regex in (("funding", OWN_FUNDS_RE), ("funding", USERS_PAY_RE),
                        ("funding", TAKES_ON_RE),
                        ("in_kind", IN_KIND_RE),
                        ("total", TOTAL_RE), ("expense", EXPENSE_RE), ("funding", FUNDING_RE)):
        found = []
        for match in regex.finditer(text, start, end):
            i = bisect.bisect_right(taken, (match.start(), end)) - 1
            if i < 0 or match.start() >= taken[i][1]:
                found.append(Cue(match.start(), match.end(), kind, verb=regex is TAKES_ON_RE))
        cues.extend(found)
        if regex in (OWN_FUNDS_RE, USERS_PAY_RE, TAKES_ON_RE):
            taken = sorted([*taken, *((c.start, c.end) for c in found)])
    return sorted(cues, key=lambda c: (c.start, c.funder is None))


def without_glosses(text: str, cues: list[Cue]) -> list[Cue]:
    """The cues less a funder in brackets right after another one: it glosses the scheme
    before it ("Contrat de ville (État)" is the contrat de ville's money, CGET); and less the
    State named right before its politique de la ville scheme ("État - contrat de ville")."""
    kept: list[Cue] = []
    for cue in cues:
        if cue.funder and kept and kept[-1].funder \
                and _GLOSS_RE.fullmatch(text, kept[-1].end, cue.start):
            continue
        if cue.funder == "CGET" and kept and kept[-1].funder == "État" \
                and _SCHEME_OF_RE.fullmatch(text, kept[-1].end, cue.start):
            # "État - politique de la ville" is politique de la ville money
            kept[-1] = Cue(kept[-1].start, cue.end, cue.kind, cue.funder)
            continue
        kept.append(cue)
    return kept


def _unknown_funders(text: str, start: int, end: int, known: list[Cue]) -> list[Cue]:
    """Funders the gazetteer lacks, named after a money word ("subvention de la Fondation X",
    "don d'Intermarché"), typed by the nouns of their name; and the users paying ("reste à
    charge des familles", "participation adhérents", "les clients paient")."""
    spans = sorted((c.start, c.end) for c in known)
    starts = [s for s, _ in spans]

    def free(s: int, e: int) -> bool:
        # Entities never overlap one another, so only the last one starting before `e` can.
        i = bisect.bisect_left(starts, e) - 1
        return i < 0 or spans[i][1] <= s

    found = []
    for match in UNKNOWN_FUNDER_RE.finditer(text, start, end):
        if match.group("takes") and not _DIGIT_RE.search(text, start, end):
            continue  # "Interventions : prises en charge par le CIDFF": a service, no money
        if free(*match.span("name")):
            found.append(Cue(*match.span("name"), "funding", funder_family(match.group("name"))))
    for match in USERS_PAYING_RE.finditer(text, start, end):
        if free(*match.span()) and paid_by(text, start, match):
            found.append(Cue(match.start(), match.end(), "funding", USERS_TYPE))
    return found


def classify(text: str, seg_start: int, money: Span, cues: list[Cue], field: str,
              mode: str | None) -> Line:
    if any(c.funder for c in cues):
        # "la participation des familles s'élève à 1 200 €": a funder's amount, not a total.
        cues = [c for c in cues if not (c.kind == "total"
                                        and TOTAL_VERB_RE.fullmatch(text, c.start, c.end))]
    cues = _without_purposes(text, cues)
    kinds = {c.kind for c in cues}
    side = None
    funder = None
    funder_cue = _funder_before_verb(cues)
    if funder_cue is not None and "in_kind" not in kinds:
        kind, funder = "funding", funder_cue.funder
    elif "in_kind" in kinds:
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
    label = text[label_start:money.start_char].strip(" \t\n:-–()\u00a0,;.|")
    if kind == "funding" and cues and cues[0].kind == "expense" \
            and COSTS_BEFORE_RE.search(label):
        kind, funder = "expense", None  # "Les deux postes d'adultes-relais représentent" a cost
    kind, funder = _by_label(kind, funder, label, text[label_start:money.start_char])
    return Line(label=label, amount=float(money._.amount_eur), kind=kind, side=side,
                 funder=funder, field=field, start=money.start_char, end=money.end_char,
                 approximate=bool(money._.approximate),
                 unit_assumed=bool(money._.unit_assumed), funder_cue=funder_cue)


def _by_label(kind: str, funder: str | None, label: str, before: str) -> tuple[str, str | None]:
    """A line's kind and funder as its label alone tells them, when its cues did not; `before`
    is the text from the label's start to the amount."""
    if kind == "other" and RESTATED_RE.fullmatch(label):
        return "total", funder  # "...; soit 1 350 €": what the lines before it add up to
    if kind == "funding" and funder is None and (
            USERS_LABEL_RE.match(label) or USERS_WORD_RE.search(label)
            or USERS_RATE_RE.search(before)):
        return kind, USERS_TYPE  # "- familles : 800 €" under "Recettes :"
    if kind == "other" and (USERS_LABEL_RE.match(label) or _TICKETS_RE.match(label)):
        return "funding", USERS_TYPE  # "familles 1 200 €", "Billetterie : 9 entrées à 3 €"
    if kind in ("other", "funding") and funder is None \
            and (named := funder_named(label)) is not None:
        return "funding", named  # "commune 600 €", "subvention commune 500 €"
    return kind, funder


# What a funder's money is for, between the funder and an expense word: "Subvention CAF pour le
# matériel", "Participation des familles aux sorties", "Aide de la Région pour l'achat de".
_PURPOSE_RE = re.compile(r"[^\d\n:;,€]{0,25}?(?<![\w])(?:pour|aux?|à|en\s+faveur\s+d[eu'’]s?)"
                         r"(?![\w])[^\d\n:;,€]{0,25}", re.IGNORECASE)
# How a named funder's amount is worked out, after a colon: "participation des familles : 10 %
# du coût, soit", "VACAF : 45 € par jour et par famille x 6 jours".
_WORKED_OUT_RE = re.compile(r"[ \t\u00a0]*:[^\n;]{0,80}")


def _without_purposes(text: str, cues: list[Cue]) -> list[Cue]:
    """The cues without the expense words that only say what a funder's money pays for, or
    how a named funder's amount is worked out."""
    kept: list[Cue] = []
    for cue in cues:
        giver = next((c for c in reversed(kept) if c.kind == "funding"), None)
        if cue.kind == "expense" and giver is not None and (
                _PURPOSE_RE.fullmatch(text, giver.end, cue.start)
                or giver.funder and _WORKED_OUT_RE.fullmatch(text, giver.end, cue.start)):
            continue
        kept.append(cue)
    return kept


def funder_named(label: str) -> str | None:
    """The funder a label names by its type's own name, the whole label, its last word or its
    first before "de" ("Bailleur social", "commune", "complément ville", "Communes de X et Y")."""
    label = PAREN_RE.sub("", label + ")" if label.count("(") > label.count(")") else label)
    words = label.split()  # "Communes (5 x 400 €)": the brackets say how it adds up
    return _FUNDER_NAMES.get(role_stem(label.strip())) or (
        _FUNDER_NAMES.get(role_stem(words[-1])) if words else None) or (
        _FUNDER_NAMES.get(role_stem(words[0])) if len(words) > 2 and words[1] in ("de", "du")
        else None)


def _funder_before_verb(cues: list[Cue]) -> Cue | None:
    """The funder named just before a verb of giving, if the segment has one."""
    for i, cue in enumerate(cues):
        if cue.verb:
            named = [c for c in cues[:i] if c.funder]
            return named[-1] if named else None
    return None


def _first(cues: list[Cue], kind: str) -> Cue:
    return next(c for c in cues if c.kind == kind)


def not_giving(text: str, clause_start: int, cue: Cue) -> bool:
    """True when the organisation is introduced as a partner or a place ("avec le bailleur")."""
    return NOT_GIVING_RE.search(text, max(clause_start, cue.start - 30), cue.start) is not None


def negated(text: str, start: int, end: int, cues: list[Cue], money: Sequence[Span]) -> bool:
    """True when a negation is said of an organisation of the clause: near it, with no
    amount between them ("la Région n'a pas donné suite", "aucune aide de la CAF"). One
    said of something else is not ("4 500 € au total (sans compter les tablettes)")."""
    funders = [c for c in cues if c.funder]
    for match in NEGATION_RE.finditer(text, start, end):
        for cue in funders:
            lo, hi = sorted((match.start(), cue.start))
            if hi - lo <= _NEGATION_REACH and not any(
                    lo < m.start_char < hi for m in money):
                return True
    return False
