"""The typing of an organisation no gazetteer knows, by its head noun."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from spacy.vocab import Vocab

from pipeline.config import PartnerConfig
from pipeline.normalize import fold

# Words of a mention: letters, with inner hyphens and apostrophes ("Croix-Rouge", "aujourd'hui").
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Words skipped before the head noun and between a generic head and its complement.
_FUNCTION_WORDS = frozenset({
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "a", "en", "et",
    "ce", "cet", "cette", "ces", "plusieurs", "divers", "diverses", "differents", "differentes",
    "autres", "autre", "certains", "certaines", "quelques", "tout", "tous", "toutes", "pour",
    "par", "avec", "chez", "sur", "dans"})
# An organisation introduced by one of these belongs to the organiser: not a partner.
POSSESSIVES = frozenset({"notre", "nos", "son", "sa", "ses", "leur", "leurs", "mon", "ma", "mes"})
# Bound on the words of one mention that are looked at.
_MAX_WORDS = 8


def content_words(text: str) -> list[str]:
    """The lower-cased words of `text` from its head noun on, function words dropped; `[]`
    when the mention starts with a possessive (the organiser's own: "notre ludothèque")."""
    words = [w.lower() for w in _WORD_RE.findall(text[:400])][:_MAX_WORDS + 4]
    for word in words:
        if fold(word) in POSSESSIVES:
            return []
        if fold(word) not in _FUNCTION_WORDS:
            break
    return [w for w in words if fold(w) not in _FUNCTION_WORDS][:_MAX_WORDS]


class KindTyper:
    """Types a mention by its head noun: an exact kind word, else the closest kind by word
    vectors (cosine with each kind's words, best word wins) when close enough.

    Prototype vectors are computed once, on first use.
    """

    def __init__(self, vocab: Vocab, config: PartnerConfig) -> None:
        self.vocab = vocab
        self.config = config
        self.lexicon = {fold(w): kind for kind, words in config.kinds.items() for w in words}
        self.abstract = frozenset(fold(w) for w in config.not_kinds)
        self._protos: tuple[np.ndarray, list[str]] | None = None
        self._anti: np.ndarray | None = None

    def is_people(self, text: str) -> bool:
        """True when the mention's head noun names people ("les habitants", "des bénévoles")."""
        words = content_words(text)
        return bool(words) and fold(words[0]) in self.config.people

    def kind(self, text: str) -> str | None:
        """The partner type of a mention such as "la ludothèque municipale", or None when its
        head noun names people, belongs to the organiser, or is close to no kind."""
        words = content_words(text)
        if not words or fold(words[0]) in self.config.people:
            return None
        head, rest = words[0], words[1:]
        if fold(head) in self.config.generic_heads:
            # "le club de pétanque", "les structures d'aide": the complement decides, if any.
            for word in rest[:3]:
                if fold(word) in self.config.people:
                    break
                if (found := self._word_kind(word)) is not None:
                    return found
            return None
        return self._word_kind(head)

    def _word_kind(self, word: str) -> str | None:
        if (folded := fold(word)) in self.lexicon:
            return self.lexicon[folded]
        if folded in self.abstract:
            return None
        vector = self._vector(word)
        if vector is None:
            vector = self._vector(folded)
        if vector is None:
            return None
        matrix, kinds = self._prototypes()
        if not kinds:
            return None
        scores = matrix @ vector
        best = int(np.argmax(scores))
        score = float(scores[best])
        anti = self._anti_prototypes()
        if anti.shape[0] and float(np.max(anti @ vector)) >= score:
            return None  # closer to an activity, a place or a project than to any kind
        return kinds[best] if score >= self.config.similarity else None

    def _vector(self, word: str) -> np.ndarray | None:
        lexeme = self.vocab[word]
        if not lexeme.has_vector:
            return None
        vector = np.asarray(lexeme.vector, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else None

    def _prototypes(self) -> tuple[np.ndarray, list[str]]:
        if self._protos is None:
            rows, kinds = [], []
            for kind, words in self.config.kinds.items():
                # The written form (accents kept) has a vector where the folded one may not.
                for form in {form for w in words for form in (w.lower(), fold(w))}:
                    if (vector := self._vector(form)) is not None:
                        rows.append(vector)
                        kinds.append(kind)
            width = self.vocab.vectors.shape[1] if self.vocab.vectors.shape[0] else 0
            matrix = np.vstack(rows) if rows else np.zeros((0, width), dtype=np.float32)
            self._protos = (matrix, kinds)
        return self._protos


    def _anti_prototypes(self) -> np.ndarray:
        if self._anti is None:
            rows = [v for w in self.config.not_kinds if (v := self._vector(w.lower())) is not None]
            width = self.vocab.vectors.shape[1] if self.vocab.vectors.shape[0] else 0
            self._anti = np.vstack(rows) if rows else np.zeros((0, width), dtype=np.float32)
        return self._anti


@lru_cache(maxsize=8)
def typer_for(vocab: Vocab, config: PartnerConfig) -> KindTyper:
    """The typer for a pipeline's vocabulary and partner config, built once."""
    return KindTyper(vocab, config)
