"""Runs the spaCy pipeline over each fiche's fields and turns the spans into record fields."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.batching import batched
from pipeline.extraction.budget import build_budget, build_entities
from pipeline.extraction.components.organisations import OrganisationRuler
from pipeline.extraction.dates import build_dates
from pipeline.extraction.headcount import build_headcount
from pipeline.extraction.nlp import profile_for
from pipeline.extraction.partners import PartnerReader
from pipeline.records import TEXT_FIELDS, Fiche

# A field longer than this is cut before NLP (and a warning is added): bounded work per input.
# Real fields are a few hundred to two thousand characters; at 200 000 a field of punctuation
# (one token per character) took minutes and gigabytes.
MAX_FIELD_CHARS = 20_000
# What NLP reads of one fiche, all fields together (fields past it are cut).
MAX_FICHE_CHARS = 40_000
# The NER's memory grows by about 17 KB per token of a doc: 20 000 characters of punctuation
# (one token each) took 1 GiB. So fields and fiches are also bounded in tokens (a real fiche
# has a few thousand), and an `nlp.pipe` batch holds at most MAX_BATCH_TOKENS.
MAX_FIELD_TOKENS = 5_000
MAX_FICHE_TOKENS = 12_000
MAX_BATCH_TOKENS = 12_000
# spaCy's tokenizer peels prefixes and suffixes off a whitespace-free run one at a time, which is
# quadratic on runs like 10 000 nested brackets. Such runs are never words: every `_RUN_STEP`-th
# character of a run longer than `_LONG_RUN` becomes a space, which keeps every offset unchanged.
_LONG_RUN = re.compile(r"\S{200,}")
_RUN_STEP = 100


def bounded_text(text: str, limit: int = MAX_FIELD_CHARS) -> tuple[str, list[str]]:
    """The text NLP may safely run on, same offsets as `text` up to the cut, and what was done.

    Returns:
        `(text, notes)`: the text cut at `limit` characters with long runs broken up; `notes`
        says what changed, for the record's warnings.
    """
    notes = []
    if len(text) > limit:
        notes.append(f"cut at {limit} of {len(text)} characters for extraction")
        text = text[:limit]

    def breakup(match: re.Match[str]) -> str:
        run = list(match.group())
        for i in range(_RUN_STEP - 1, len(run), _RUN_STEP):
            run[i] = " "
        return "".join(run)

    broken = _LONG_RUN.sub(breakup, text)
    if broken != text:
        notes.append("runs of over 200 characters without a space broken up for extraction")
    return broken, notes


def analyse_fields(fiches: list[Fiche], nlp: Language, batch_size: int = 64,
                   notes: list[list[str]] | None = None) -> list[dict[str, Doc]]:
    """One Doc per non-empty text field of each fiche, each field run with only its profile.

    Args:
        notes: if given, a list parallel to `fiches` that receives what `bounded_text` changed.

    Returns a list parallel to `fiches` of `{field: Doc}`.
    """
    docs: list[dict[str, Doc]] = [{} for _ in fiches]
    by_profile: dict[tuple[str, ...], list[tuple[Doc, tuple[int, str]]]] = {}
    for i, fiche in enumerate(fiches):
        chars, tokens = MAX_FICHE_CHARS, MAX_FICHE_TOKENS
        for name, text in fiche.text_fields().items():
            doc, changed = _bounded_doc(nlp, text, min(MAX_FIELD_CHARS, chars),
                                        min(MAX_FIELD_TOKENS, tokens))
            chars, tokens = chars - len(doc.text), tokens - len(doc)
            if notes is not None:
                notes[i].extend(f"{name}: {note}" for note in changed)
            by_profile.setdefault(profile_for(name), []).append((doc, (i, name)))
    for profile, items in by_profile.items():
        with nlp.select_pipes(enable=list(profile)):
            for batch in batched(items, batch_size, cost=lambda item: len(item[0]),
                                 budget=MAX_BATCH_TOKENS):
                for doc, (i, name) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
                    docs[i][name] = doc
    return docs


def _bounded_doc(nlp: Language, text: str, max_chars: int,
                 max_tokens: int) -> tuple[Doc, list[str]]:
    """The tokenized text NLP may run on (`bounded_text`, then cut at `max_tokens`), and what
    was changed. Tokenizing costs little next to the NER, and is not done again."""
    safe, changed = bounded_text(text, max_chars)
    doc = nlp.make_doc(safe)
    if len(doc) > max_tokens:
        cut = doc[max_tokens].idx
        changed.append(f"cut at {max_tokens} tokens ({cut} characters) for extraction")
        doc = nlp.make_doc(safe[:cut])
    return doc, changed


def extract(docs: dict[str, Doc], fiche: Fiche | None = None,
            partners: PartnerReader | None = None) -> dict[str, Any]:
    """The extraction fields of one fiche from its field Docs; `partners` too when the fiche
    (its structure and "Partenaires d'action" list) and a partner reader are given.

    Fields are read in form order whatever order `docs` comes in (it depends on how a batch
    grouped the fields), so a fiche gets the same record alone or in any batch."""
    docs = {name: docs[name] for name in TEXT_FIELDS if name in docs}
    budget, funders = build_budget(docs)
    result = {
        "entities": build_entities(docs),
        "budget": budget,
        "funders": funders,
        "headcount": build_headcount(docs),
        "dates": build_dates(docs, fiche.title if fiche is not None else None),
    }
    if fiche is not None and partners is not None:
        result["partners"] = partners.read(docs, fiche, funders)
    return result


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
    notes: list[list[str]] = [[] for _ in chunk]
    reader = PartnerReader(cast(OrganisationRuler, nlp.get_pipe("fiches_organisations")))
    with nlp.memory_zone():
        results = [extract(d, fiche, reader) for fiche, d in
                   zip(chunk, analyse_fields(chunk, nlp, notes=notes), strict=True)]
    for result, note in zip(results, notes, strict=True):
        if note:
            result["extraction_warnings"] = note
    yield from zip(chunk, results, strict=True)
