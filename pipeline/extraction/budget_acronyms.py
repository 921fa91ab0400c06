"""Acronyms a fiche spells out elsewhere: "CCTT 400 €" in the budget field is the "Communauté de
communes Terres Touloises" of the description, so an Intercommunalité."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from pipeline.extraction.budget_fields import ORGS_KEY
from pipeline.extraction.budget_funders import line_funder
from pipeline.extraction.budget_givers import ACRONYM_RE, OTHER_FAMILY
from pipeline.extraction.budget_lines import Line

# Words an acronym skips: "Communauté de communes Terres Touloises" is CCTT.
_LINK_WORDS = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "et",
                         "en", "sur", "à", "aux"})
# How many words of a name are read, from the start of a known organisation.
_MAX_WORDS = 8


def spell_out_acronyms(lines: list[Line], docs: dict[str, Doc],
                       funders: list[dict[str, Any]]) -> None:
    """Give a line whose label is only an acronym, and that no list knows, the funder type of
    the organisation whose name's initials it is, named anywhere in the fiche; and add that
    funder with the line's amount."""
    for line in lines:
        if line.funder not in (None, OTHER_FAMILY) or line.kind not in ("other", "funding") \
                or not ACRONYM_RE.fullmatch(line.label):
            continue
        family = _spelled_out(line.label, docs)
        if family is not None and line.field in docs:
            if line.entry in funders:  # an unknown giver's initials: "Autre" until spelled out
                funders.remove(line.entry)
            line.kind, line.funder = "funding", family
            line.entry = line_funder(line, docs[line.field].text)
            funders.append(line.entry)


def _spelled_out(acronym: str, docs: dict[str, Doc]) -> str | None:
    for doc in docs.values():
        for span in doc.spans.get(ORGS_KEY, ()):
            family = getattr(span._, "funder_type", None)
            if family and _initials_match(acronym, span):
                return str(family)
    return None


def _initials_match(acronym: str, span: Span) -> bool:
    """True when the acronym is the initials of the name that starts with `span` and goes on
    with capitalised or linking words ("Communauté de communes" + "Terres Touloises")."""
    doc = span.doc
    initials = ""
    for token in doc[span.start:min(len(doc), span.start + _MAX_WORDS)]:
        if token.is_punct or token.like_num or token.is_space:
            break
        if token.i >= span.end and not (token.is_title or token.is_upper
                                        or token.lower_ in _LINK_WORDS):
            break
        if token.lower_ in _LINK_WORDS:
            continue
        initials += token.text[0].upper()
        if initials == acronym:
            return True
        if not acronym.startswith(initials):
            return False
    return False
