"""Fiche -> enriched record: parsed fields, extraction (entities, budget, headcount, dates)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language

from pipeline.extract import extract_all
from pipeline.records import Fiche


def enrich(fiches: Iterable[Fiche], nlp: Language,
           chunk_size: int = 64) -> Iterator[dict[str, Any]]:
    """Stream one enriched record per fiche, in input order."""
    for fiche, extraction in extract_all(fiches, nlp, chunk_size=chunk_size):
        record = fiche.to_dict()
        record.update(extraction)
        yield record
