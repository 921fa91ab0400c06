"""The label set and its thesaurus: the controlled keywords and dimensions, and the French terms
that point to each."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import CONFIG_DIR, load_json
from pipeline.tagging.text import WORD_RE, fold, normalise_word


@dataclass(frozen=True)
class Labels:
    """The controlled keywords and dimensions, spelled as the catalogue spells them."""

    keywords: tuple[str, ...]
    dimensions: tuple[str, ...]

    def keyword_index(self, value: str) -> int | None:
        return _lookup(self.keywords).get(fold(value).strip())

    def dimension_index(self, value: str) -> int | None:
        return _lookup(self.dimensions).get(fold(value).strip())


@functools.lru_cache(maxsize=8)
def _lookup(names: tuple[str, ...]) -> dict[str, int]:
    return {fold(n).strip(): i for i, n in enumerate(names)}


def load_labels(config_dir: str | Path = CONFIG_DIR) -> Labels:
    """The keywords and dimensions of `config_dir/vocabulary.json`.

    Raises:
        ConfigError: the file is missing or malformed.
    """
    vocab = load_json("vocabulary.json", config_dir)
    return Labels(tuple(vocab["keywords"]), tuple(vocab["dimensions"]))


def load_thesaurus(config_dir: str | Path = CONFIG_DIR) -> dict[str, Any]:
    """The `keywords` and `dimensions` sections of `config_dir/thesaurus.json`.

    Raises:
        ConfigError: the file is missing or malformed.
    """
    data = load_json("thesaurus.json", config_dir)
    return {"keywords": data.get("keywords", {}), "dimensions": data.get("dimensions", {})}


@dataclass(frozen=True)
class Term:
    """A thesaurus term: label index, word patterns (is_prefix, text), weight, spelling."""

    label: int
    patterns: tuple[tuple[bool, str], ...]
    weight: float
    text: str


def compile_terms(entries: dict[str, Any], labels: Sequence[str],
                  related_weight: float = 0.5) -> list[Term]:
    """Thesaurus entries -> terms for the labels given; entries for other labels are ignored.

    A word ending in `*` is a prefix (of the folded word); other words match by stem.
    """
    terms = []
    for index, label in enumerate(labels):
        entry = entries.get(label) or {}
        for kind, weight in (("terms", 1.0), ("related", related_weight)):
            for text in entry.get(kind, []):
                patterns = []
                for match in WORD_RE.finditer(text):
                    word = match.group()
                    if word.endswith("*"):
                        prefix = fold(word[:-1])
                        if len(prefix) >= 3:
                            patterns.append((True, prefix))
                    elif (norm := normalise_word(word)) is not None:
                        patterns.append((False, norm[1]))
                if patterns:
                    terms.append(Term(index, tuple(patterns), weight, text))
    return terms
