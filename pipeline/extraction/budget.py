"""Budget, funders and entities of one fiche, read from its field Docs' money and org spans."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from pipeline.extraction.budget_acronyms import spell_out_acronyms
from pipeline.extraction.budget_cues import POINTER_RE
from pipeline.extraction.budget_fields import FUNDER_LABELS, MONEY_KEY, ORGS_KEY, read_field
from pipeline.extraction.budget_funders import apply_shares, dedupe_funders
from pipeline.extraction.budget_lines import BUDGET_FIELD, Line
from pipeline.extraction.budget_totals import budget_from_lines

__all__ = ["BUDGET_FIELD", "FUNDER_LABELS", "MONEY_KEY", "ORGS_KEY", "build_budget",
           "build_entities"]


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
    lines: list[Line] = []
    funders: list[dict[str, Any]] = []
    budget_doc = docs.get(BUDGET_FIELD)
    if budget_doc is not None:
        doc_lines, doc_funders = read_field(budget_doc, BUDGET_FIELD, budget_field=True)
        lines.extend(doc_lines)
        funders.extend(doc_funders)
    # "voir plus haut", "cf. description": the money is told elsewhere, in any words.
    pointed = budget_doc is not None and not lines and POINTER_RE.match(budget_doc.text)
    for field, doc in docs.items():
        if field == BUDGET_FIELD:
            continue
        doc_lines, doc_funders = read_field(doc, field, budget_field=False,
                                            every_clause=bool(pointed))
        if not lines:
            lines.extend(doc_lines)
        funders.extend(doc_funders)
    spell_out_acronyms(lines, docs, funders)
    budget = budget_from_lines(lines)
    return budget, apply_shares(dedupe_funders(funders), budget["total_eur"])
