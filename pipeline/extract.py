"""Runs the spaCy pipeline over each fiche's fields and turns the spans into record fields."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.budget import build_budget, build_entities
from pipeline.dates import build_dates
from pipeline.headcount import build_headcount
from pipeline.nlp import profile_for
from pipeline.records import Fiche

# A field longer than this is cut before NLP (and a warning is added): bounded work per input.
MAX_FIELD_CHARS = 200_000


def analyse_fields(fiches: list[Fiche], nlp: Language,
                   batch_size: int = 64) -> list[dict[str, Doc]]:
    """One Doc per non-empty text field of each fiche, each field run with only its profile.

    Returns a list parallel to `fiches` of `{field: Doc}`.
    """
    docs: list[dict[str, Doc]] = [{} for _ in fiches]
    by_profile: dict[tuple[str, ...], list[tuple[str, tuple[int, str]]]] = {}
    for i, fiche in enumerate(fiches):
        for name, text in fiche.text_fields().items():
            by_profile.setdefault(profile_for(name), []).append(
                (text[:MAX_FIELD_CHARS], (i, name)))
    for profile, items in by_profile.items():
        with nlp.select_pipes(enable=list(profile)):
            for doc, (i, name) in nlp.pipe(items, as_tuples=True, batch_size=batch_size):
                docs[i][name] = doc
    return docs


def extract(docs: dict[str, Doc]) -> dict[str, Any]:
    """The extraction fields of one fiche from its field Docs."""
    budget, funders = build_budget(docs)
    return {
        "entities": build_entities(docs),
        "budget": budget,
        "funders": funders,
        "headcount": build_headcount(docs),
        "dates": build_dates(docs),
    }


def extract_all(fiches: Iterable[Fiche], nlp: Language,
                chunk_size: int = 64) -> Iterator[tuple[Fiche, dict[str, Any]]]:
    """Stream `(fiche, extraction)` pairs, processing `chunk_size` fiches at a time."""
    chunk: list[Fiche] = []
    for fiche in fiches:
        chunk.append(fiche)
        if len(chunk) >= chunk_size:
            yield from _extract_chunk(chunk, nlp)
            chunk = []
    if chunk:
        yield from _extract_chunk(chunk, nlp)


def _extract_chunk(chunk: list[Fiche], nlp: Language) -> Iterator[tuple[Fiche, dict[str, Any]]]:
    # The memory zone frees the strings each chunk adds, so a long run keeps a flat footprint;
    # results are plain dicts built inside it.
    with nlp.memory_zone():
        results = [extract(d) for d in analyse_fields(chunk, nlp)]
    yield from zip(chunk, results, strict=True)
