"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest
from spacy.language import Language


@pytest.fixture(scope="session")
def full_nlp() -> Language:
    """The project's whole spaCy pipeline on fr_core_news_md, loaded once per test session (it
    takes seconds) and shared with `pipeline.running.stages`, which caches it per config folder."""
    from pipeline.config import CONFIG_DIR
    from pipeline.running.stages import shared_nlp

    return shared_nlp(CONFIG_DIR)
