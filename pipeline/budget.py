"""Budget, funders and entities of one fiche, read from its field Docs' money and org spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

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
# Money verbs and nouns that make a sentence outside the budget field a financing sentence.
FINANCING_TRIGGER_RE = re.compile(_WORD.format(
    r"(?:co-?)?financ(?:[ée]e?s?|ement|ements|er|ent|era|eront|ait|aient)"
    r"|financeurs?\s*(?::|sont|principaux)|partenaires?\s+financiers?|subventions?|subventionn\w+|soutien\s+financier"
    r"|aides?\s+financi[èe]res?|participation\s+financi[èe]re|cr[ée]dits|vers[ée]e?s?"
    r"|allou[ée]e?s?|octroy[ée]e?s?|accord[ée]e?s?\s+par|pris\s+en\s+charge\s+par"), re.IGNORECASE)
# An organisation in a sentence like these is not giving money to the action.
NEGATION_RE = re.compile(_WORD.format(
    r"n['’]\w+\s+pas|ne\s+\w+\s+pas|n['’]\w+\s+plus|ne\s+\w+\s+plus|aucune?|sans|refus\w*"
    r"|pas\s+de\s+financement|non\s+financ\w+|plus\s+de\s+financement|ni"), re.IGNORECASE)
SOURCE_RE = re.compile(_WORD.format(
    r"donn[ée]es|statistiques?|sources?|selon|d['’]apr[èe]s|chiffres|recueil|enqu[êe]tes?"),
    re.IGNORECASE)
PARTNER_RE = re.compile(_WORD.format(
    r"partenaires?|partenariats?|en\s+lien\s+avec|accompagn\w+|rencontres?|coordinat\w+"
    r"|r[ée]unions?|convention\s+de\s+partenariat"), re.IGNORECASE)
# What links an amount to the funder written after it: "2 000 € de la CAF", "500 € versés par".
POSTPOSED_RE = re.compile(
    r"[ \t\u00a0]*(?:(?:vers[ée]e?s?|accord[ée]e?s?|allou[ée]e?s?|attribu[ée]e?s?|apport[ée]e?s?)"
    r"[ \t\u00a0]+)?(?:de[ \t\u00a0]+la[ \t\u00a0]+part[ \t\u00a0]+)?"
    r"(?:de[ \t\u00a0]+la|de[ \t\u00a0]+l['’]|du|des|de|d['’]|par[ \t\u00a0]+(?:la|le|les|l['’]))"
    r"[ \t\u00a0]*")
# An organisation introduced like this is a partner or a place, not a source of money.
NOT_GIVING_RE = re.compile(
    r"(?<![\w])(?:avec|aupr[èe]s|chez|aux\s+c[ôo]t[ée]s|en\s+lien\s+avec|pour|vers|[àa])"
    r"[ \t\u00a0]+(?:(?:la|le|les|l['’]|des|du|de\s+la|de\s+l['’])[ \t\u00a0]*)?$",
    re.IGNORECASE)
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
    return _budget(lines), _dedupe_funders(funders)


def _read_field(doc: Doc, field: str, budget_field: bool,
                ) -> tuple[list[_Line], list[dict[str, Any]]]:
    text = doc.text
    money = sorted(doc.spans[MONEY_KEY] if MONEY_KEY in doc.spans else [],
                   key=lambda s: s.start_char)
    if not budget_field:
        money = [m for m in money if not m._.unit_assumed]
    orgs = [s for s in (doc.spans[ORGS_KEY] if ORGS_KEY in doc.spans else [])
            if s.label_ in FUNDER_LABELS and getattr(s._, "funder_type", None)]
    lines: list[_Line] = []
    funders: list[dict[str, Any]] = []
    mode: str | None = None
    for c_start, c_end in _clauses(text):
        clause = text[c_start:c_end]
        c_money = [m for m in money if c_start <= m.start_char < c_end]
        c_orgs = [o for o in orgs if c_start <= o.start_char < c_end]
        if not budget_field and not (FINANCING_TRIGGER_RE.search(clause)
                                     or any(o.label_ == "PROGRAMME" for o in c_orgs)):
            continue
        excluded = bool(NEGATION_RE.search(clause) or SOURCE_RE.search(clause)
                        or (PARTNER_RE.search(clause) and not c_money
                            and not FINANCING_TRIGGER_RE.search(clause)))
        if not c_money:
            mode = _header_mode(clause) or mode
        cues = _cues(text, c_start, c_end, c_orgs)
        seg_start = c_start
        for m in c_money:
            seg_cues = [c for c in cues if seg_start <= c.start < m.start_char]
            line = _classify(text, seg_start, m, seg_cues, field, mode)
            seg_start = m.end_char
            if (after := _postposed(text, m.end_char, cues)) is not None and line.kind not in (
                    "total", "in_kind"):
                line.kind, line.funder, seg_start = "funding", after.funder, after.end
                line.funder_cue = after
                line.label = text[after.start:after.end]  # "5 000 € de la CAF": the CAF line
                seg_cues = []
            if line.kind == "funding" and line.funder and not excluded:
                funders.append(_funder(line, text))
            lines.append(line)
            _amountless(seg_cues, line, excluded, text, field, funders)
        tail = [c for c in cues if c.start >= seg_start]
        if not excluded and not any(c.kind == "in_kind" for c in tail):
            for cue in tail:
                if cue.funder and (budget_field or not _not_giving(text, c_start, cue)):
                    funders.append(_cue_funder(cue, text, field))
    return lines, funders


def _postposed(text: str, end: int, cues: list[_Cue]) -> _Cue | None:
    """The funding cue written right after an amount and linked to it by "de la", "par"..."""
    link = POSTPOSED_RE.match(text, end, end + 60)
    if link is None:
        return None
    return next((c for c in cues if c.start == link.end() and c.kind == "funding"), None)


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
    org_cues = [_Cue(o.start_char, o.end_char, "funding", o._.funder_type) for o in orgs]
    taken = [(c.start, c.end) for c in org_cues]
    cues = list(org_cues)
    for kind, regex in (("in_kind", IN_KIND_RE), ("total", TOTAL_RE),
                        ("expense", EXPENSE_RE), ("funding", FUNDING_RE)):
        for match in regex.finditer(text, start, end):
            if not any(s <= match.start() < e for s, e in taken):
                cues.append(_Cue(match.start(), match.end(), kind))
    return sorted(cues, key=lambda c: (c.start, c.funder is None))


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
    label = text[label_start:money.start_char].strip(" \t:-–()\u00a0,")
    return _Line(label=label, amount=float(money._.amount_eur), kind=kind, side=side,
                 funder=funder, field=field, start=money.start_char, end=money.end_char,
                 approximate=bool(money._.approximate),
                 unit_assumed=bool(money._.unit_assumed), funder_cue=funder_cue)


def _first(cues: list[_Cue], kind: str) -> _Cue:
    return next(c for c in cues if c.kind == kind)


def _amountless(cues: list[_Cue], line: _Line, excluded: bool, text: str, field: str,
                funders: list[dict[str, Any]]) -> None:
    """Funders named before an amount that is not theirs.

    In a flattened two-column table a funder label directly followed by an expense label is an
    empty cell, not a funder; a funder followed by another funder shares a list ("la CAF et la
    Ville : 3 000 €") and is kept without an amount.
    """
    if excluded or line.kind in ("in_kind", "total"):
        return
    owner = line.funder
    for i, cue in enumerate(cues):
        if not cue.funder:
            continue
        later = cues[i + 1:]
        if any(c.kind == "expense" for c in later):
            continue
        if cue.funder == owner:
            continue
        funders.append(_cue_funder(cue, text, field))


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
        elif funder["amount_eur"] is not None:
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
    counted = [line for line in lines if line.kind != "in_kind"]
    if not counted:
        return budget
    totals = [line for line in counted if line.kind == "total"]
    expense_totals = [t for t in totals if t.side != "funding"]
    funding_totals = [t for t in totals if t.side == "funding"]
    expenses = [line for line in counted if line.kind in ("expense", "other")]
    funding = [line for line in counted if line.kind == "funding"]
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


def _line_dict(line: _Line) -> dict[str, Any]:
    return {"label": line.label, "amount_eur": line.amount, "kind": line.kind,
            "funder": line.funder, "field": line.field, "start": line.start, "end": line.end}
