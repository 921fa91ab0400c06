"""Reads the role of a counted noun no list knows, from its word vector, its form and its count."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from spacy.vocab import Vocab

# French suffixes that make nouns of persons: agents and trades (-eur, -euse, -rice, -iste,
# -logue, -aire, -ier, -ien), present participles used as nouns (-ant: apprenant, aidant).
PERSON_SUFFIX_RE = re.compile(
    r"(?:eur|euse|rice|eure|iste|logue|aire|ier|i[èe]re|ien|ienne|ant|ante)s?$", re.IGNORECASE)
# Classes of prototype words; "thing" stands for every noun that is not a person.
CLASSES = ("professional", "beneficiary", "volunteer", "thing")
_TOP = 3
# Below this mean cosine with every person class a word is no person noun (verbs, adverbs).
_MIN_PERSON = 0.3
# Finite verbs that follow a count ("9 ont obtenu", "20 participent"): the count is of people
# named before, not of this word.
_SHORT_VERBS = frozenset({"ont", "sont", "font", "vont", "viennent", "étaient", "avaient"})
# How much a person must beat a thing (in mean cosine) when the form says nothing.
_THING_MARGIN_WITH_SUFFIX = 0.1
# Suffixes that make persons, almost never things (-iste, -logue, -ien): with a vector close
# enough to the persons, the form wins over things that share the trade's field ("1
# projectionniste du cinéma" is near films and concerts).
_AGENT_SUFFIX_RE = re.compile(r"(?:iste|logue|ien|ienne|trice)s?$", re.IGNORECASE)
_AGENT_PERSON = 0.45
# A noun closing a list of the actors is their public when its vector is this near the persons
# and no farther from them than this from the things ("80 convives" is near "repas").
_LISTED_PERSON = 0.35
_LISTED_THING_MARGIN = 0.15
# ... and this much farther when its form is a noun of person ("festivaliers" is near "concert").
_LISTED_SUFFIX_MARGIN = 0.05
# A noun alone on its line after an article names a trade when its vector is this near the
# professionals, by this margin over the public, and at most this farther than the things.
_TRADE = 0.35
_TRADE_MARGIN = 0.05
_TRADE_THING_MARGIN = 0.1
# A count is itself evidence: a centre mobilises one or two of a trade, and the people it
# serves come by the dozen. Added to the professional-minus-beneficiary similarity.
_COUNT_PRIOR = ((2, 0.1), (5, 0.0))
_LARGE_COUNT_PRIOR = -0.3


class RoleReader:
    """Places an unknown noun against a few prototype words per role, in the model's vectors.

    Args:
        vocab: a spaCy vocab with static word vectors (fr_core_news_md's); without vectors the
            reader knows nothing and `category` always returns None.
        prototypes: class name -> prototype words (singular), classes as in `CLASSES`.
    """

    def __init__(self, vocab: Vocab, prototypes: Mapping[str, Sequence[str]]) -> None:
        self.vocab = vocab
        self.prototypes = prototypes
        self._matrices: dict[str, np.ndarray] | None = None

    @property
    def enabled(self) -> bool:
        """Whether the vocab has vectors and every class at least one prototype."""
        return bool(self.vocab.vectors.shape[0]) and all(self.prototypes.get(c) for c in CLASSES)

    def _class_matrices(self) -> dict[str, np.ndarray]:
        if self._matrices is None:
            self._matrices = {}
            for name in CLASSES:
                rows = [_unit(np.asarray(self.vocab[w].vector)) for w in self.prototypes[name]
                        if self.vocab[w].has_vector]
                self._matrices[name] = np.array(rows) if rows else np.zeros((1, 1))
        return self._matrices

    def scores(self, word: str) -> dict[str, float] | None:
        """Mean cosine of `word` (singularised) with its `_TOP` nearest prototypes per class;
        None when the word has no vector."""
        lexeme = self.vocab[self._singular(word)]
        if not lexeme.has_vector:
            return None
        vector = _unit(np.asarray(lexeme.vector))
        found = {}
        for name, matrix in self._class_matrices().items():
            sims = np.sort(matrix @ vector) if matrix.shape[1] == vector.shape[0] else np.zeros(1)
            found[name] = float(sims[-_TOP:].mean())
        return found

    def category(self, word: str, count: int, cued: bool = False) -> str | None:
        """The role category of a counted `word`: "professional", "beneficiary", "volunteer",
        or None when it is no person (a thing, an event) or cannot be told.

        Args:
            word: the noun after the count, as written.
            count: the count's upper value, a prior on the role.
            cued: a beneficiary cue follows ("accompagnés", "inscrits"), so the noun names
                people even when its vector leans to things.
        """
        if not self.enabled or len(word) < 3 or self._is_verb(word):
            return None
        scores = self.scores(word)
        suffix = bool(PERSON_SUFFIX_RE.search(word))
        if scores is None:  # a word the model does not know: its form, or a public cue
            return "professional" if suffix and count <= 5 else "beneficiary" if cued else None
        person = max(scores["professional"], scores["beneficiary"], scores["volunteer"])
        margin = _THING_MARGIN_WITH_SUFFIX if suffix else 0.0
        agent = person >= _AGENT_PERSON and _AGENT_SUFFIX_RE.search(word) is not None
        thing = scores["thing"] > person + margin or person < _MIN_PERSON
        if thing and not (cued or agent):
            return None
        if scores["volunteer"] >= person:
            return "volunteer"
        lean = scores["professional"] - scores["beneficiary"] + _prior(count)
        return "professional" if lean > 0 and not cued else "beneficiary"

    def near_person(self, word: str) -> bool:
        """Whether `word`'s vector is near enough the persons to name the public closing a list
        of the actors."""
        scores = self.scores(word) if self.enabled and not self._is_verb(word) else None
        if scores is None:
            return False
        person = max(scores["professional"], scores["beneficiary"], scores["volunteer"])
        margin = _LISTED_THING_MARGIN + (_LISTED_SUFFIX_MARGIN if PERSON_SUFFIX_RE.search(word)
                                         else 0.0)
        return person >= _LISTED_PERSON and scores["thing"] - person <= margin

    def trade(self, word: str) -> bool:
        """Whether `word` names a trade: its vector near the professionals, nearer them than
        the public and not much nearer the things of its trade ("boulanger" is near "pain")."""
        scores = self.scores(word) if self.enabled and not self._is_verb(word) else None
        return scores is not None and scores["professional"] >= _TRADE \
            and scores["professional"] - scores["beneficiary"] >= _TRADE_MARGIN \
            and scores["thing"] - scores["professional"] <= _TRADE_THING_MARGIN

    def _is_verb(self, word: str) -> bool:
        """A third-person plural verb: "ont", "participent" (whose infinitive in -er exists)."""
        lower = word.lower()
        if lower in _SHORT_VERBS or lower.endswith("aient"):
            return True
        return lower.endswith("ent") and self.vocab[lower[:-3] + "er"].has_vector

    def _singular(self, word: str) -> str:
        lower = word.lower()
        if len(lower) > 3 and lower[-1] in "sx" and self.vocab[lower[:-1]].has_vector:
            return lower[:-1]
        return lower


def _prior(count: int) -> float:
    for limit, value in _COUNT_PRIOR:
        if count <= limit:
            return value
    return _LARGE_COUNT_PRIOR


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
