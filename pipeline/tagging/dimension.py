"""The dimension model: one label per fiche, from what carries over to unseen fiches.

Per (fiche, dimension) pair: the dimension-cue thesaurus, what the fiche's (suggested) keywords
say of the dimension (keyword -> dimension co-occurrence), what its closed answers say (who
initiated it, its public), and the label descriptions in the word-vector space. One logistic
regression shared by the dimensions mixes the parts that cross-validation keeps. The learned
tables are lifts (how much an item raises a dimension above its rate), so they do not carry the
training catalogue's label distribution. The dimension's prior is no part to learn: it is added
with a small fixed weight, a tie-breaker for a fiche that says nothing of its dimension. (A
TF-IDF model and a learned prior were tried: on a few dozen fiches they learned the majority
class and the sample's wording, and fell to the majority rate on unseen fiches.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.tagging import metrics as ev
from pipeline.tagging.backends import Array, LexicalBackend
from pipeline.tagging.corpus import Corpus, folds
from pipeline.tagging.ensemble import Stacker, smoothed_prior
from pipeline.tagging.features import VECTOR_TEMPERATURE, row_softmax
from pipeline.tagging.text import Document
from pipeline.tagging.vectors import VectorBackend

PARTS = ("thesaurus", "keywords", "facets", "vectors")
# Part sets tried, simplest first (ties go to the simpler); the thesaurus needs no example.
CANDIDATES: tuple[tuple[str, ...], ...] = (
    ("thesaurus",),
    ("thesaurus", "facets"),
    ("thesaurus", "keywords"),
    ("thesaurus", "vectors"),
    ("thesaurus", "keywords", "facets"),
    ("thesaurus", "keywords", "facets", "vectors"),
)


def cooccurrence(weights: Array, dims: Array, strength: float = 1.0) -> Array:
    """P(dimension | item) for each item (rows), smoothed toward the overall dimension rates:
    `weights` is documents x items (how much each document has of each item), `dims` documents
    x dimensions (0/1)."""
    rate = smoothed_prior(dims)
    counts = weights.T @ dims
    return (counts + strength * rate) / (counts.sum(axis=1, keepdims=True) + strength)


def _log_lift(scores: Array, prior: Array) -> Array:
    """log(P(dimension | fiche) / P(dimension)): 0 where the fiche says nothing."""
    scores = np.clip(scores, 1e-6, None)
    return np.log(scores / scores.sum(axis=1, keepdims=True)) - np.log(prior)


class DimensionModel:
    """Single-label dimension suggestions; `fit` chooses its parts by cross-validation."""

    def __init__(self, labels: tuple[str, ...], entries: dict[str, Any],
                 params: dict[str, Any]) -> None:
        self.labels = labels
        self.entries = entries
        self.params = params

    def _tables(self, docs: list[Document], kw: Array, y: Array) -> dict[str, Any]:
        """What is learned from labels: priors and co-occurrence tables."""
        facets = sorted({f for d in docs for f in d.facets})
        return {"prior": smoothed_prior(y), "keywords": cooccurrence(kw, y),
                "facet_names": facets,
                "facets": cooccurrence(self._facet_matrix(docs, facets), y)}

    @staticmethod
    def _facet_matrix(docs: list[Document], facets: list[str]) -> Array:
        index = {f: i for i, f in enumerate(facets)}
        out = np.zeros((len(docs), len(facets)))
        for row, doc in enumerate(docs):
            for f in doc.facets:
                if f in index:
                    out[row, index[f]] = 1.0
        return out

    def _learned(self, docs: list[Document], kw: Array, tables: dict[str, Any]) -> dict[str, Array]:
        n = len(docs)
        facets = self._facet_matrix(docs, tables["facet_names"])
        known = facets.sum(axis=1, keepdims=True)
        facet_scores = np.where(known > 0, (facets @ tables["facets"]) / np.maximum(known, 1),
                                tables["prior"])
        kw_mass = kw.sum(axis=1, keepdims=True)
        kw_scores = np.where(kw_mass > 0, (kw @ tables["keywords"]) / np.maximum(kw_mass, 1e-9),
                             tables["prior"])
        return {"prior": np.tile(np.log(tables["prior"]), (n, 1)),
                "keywords": _log_lift(kw_scores, tables["prior"]),
                "facets": _log_lift(facet_scores, tables["prior"])}

    def _unlearned(self, docs: list[Document]) -> dict[str, Array]:
        lex = self.lexical_.suggest_batch(docs)
        out = {"thesaurus": lex / np.maximum(lex.sum(axis=1, keepdims=True), 1e-9)}
        if self.vectors_ is not None:
            out["vectors"] = row_softmax(self.vectors_.suggest_batch(docs), VECTOR_TEMPERATURE)
        return out

    def fit(self, corpus: Corpus, keyword_scores: Array, k: int | None) -> DimensionModel:
        """Learn from fiches with a dimension; `keyword_scores` are the keyword model's
        out-of-fold scores of the same fiches (what it would say of an unseen fiche)."""
        docs, n_dims = corpus.docs, len(self.labels)
        y = np.zeros((len(docs), n_dims))
        y[np.arange(len(docs)), corpus.dimensions] = 1.0
        self.lexical_ = LexicalBackend(self.labels, self.entries, self.params["lexical"]).fit(
            docs, y)
        self.vectors_: VectorBackend | None = (
            VectorBackend(self.labels, self.entries, self.params["vectors"]).fit(docs, y)
            if self.params["use_vectors"] else None)
        self.tables_ = self._tables(docs, keyword_scores, y)
        self.parts_: tuple[str, ...] = CANDIDATES[0]
        self.stacker_ = Stacker(1.0)
        self.cv_accuracy_: float | None = None
        self.stacker_.fit(self._features(self._parts(docs, keyword_scores), self.parts_), y)
        if len(docs) < 4 or len(set(corpus.dimensions.tolist())) < 2:
            return self
        parts = self._oof_parts(docs, keyword_scores, y, k)
        names, self.cv_accuracy_, C = self._choose(parts, y, corpus.dimensions.tolist(), k)
        self.parts_ = names
        self.stacker_ = Stacker(C).fit(self._features(parts, names), y)
        return self

    def _choose(self, parts: dict[str, Array], y: Array, truth: list[int], k: int | None
                ) -> tuple[tuple[str, ...], float, float]:
        """The part set and stacker C with the best out-of-fold accuracy (the likelihood of
        the right answers breaks ties, or decides alone with "log_loss"); and that accuracy."""
        best: tuple[tuple[float, float], tuple[str, ...], float, float] | None = None
        for names in CANDIDATES:
            if not all(n in parts for n in names):
                continue
            for C in self.params["dimension_C"]:
                oof = self._stacked_oof(self._features(parts, names), parts["prior"], y, k, C)
                acc = ev.accuracy(truth, oof.argmax(axis=1).tolist())
                fit = float(np.mean(np.log(row_softmax(oof, 1.0)[np.arange(len(truth)), truth])))
                key = (fit, acc) if self.params["dimension_select"] == "log_loss" else (acc, fit)
                if best is None or key > best[0]:
                    best = (key, names, acc, C)
        assert best is not None
        return best[1], best[2], best[3]

    def _oof_parts(self, docs: list[Document], kw: Array, y: Array, k: int | None
                   ) -> dict[str, Array]:
        """Every part's scores of each fiche from what was learned without it."""
        parts = self._unlearned(docs)
        learned = {name: np.zeros(y.shape) for name in ("prior", "keywords", "facets")}
        for train, test in folds(len(docs), k):
            tables = self._tables([docs[i] for i in train], kw[train], y[train])
            fold = self._learned([docs[i] for i in test], kw[test], tables)
            for name in learned:
                learned[name][test] = fold[name]
        return {**parts, **learned}

    def _parts(self, docs: list[Document], kw: Array) -> dict[str, Array]:
        return {**self._unlearned(docs), **self._learned(docs, kw, self.tables_)}

    @staticmethod
    def _features(parts: dict[str, Array], names: tuple[str, ...]) -> Array:
        return np.stack([parts[n].ravel() for n in names], axis=1)

    def _stacked_oof(self, features: Array, log_prior: Array, y: Array, k: int | None,
                     C: float) -> Array:
        n_docs, n_dims = y.shape
        pairs = features.reshape(n_docs, n_dims, -1)
        out = np.zeros(y.shape)
        for train, test in folds(n_docs, k):
            model = Stacker(C).fit(
                pairs[train].reshape(-1, features.shape[1]), y[train])
            out[test] = model.logits(pairs[test].reshape(-1, features.shape[1])).reshape(
                -1, n_dims)
        return out + self.params["dimension_prior_weight"] * log_prior

    def scores(self, docs: list[Document], keyword_scores: Array) -> Array:
        """Probabilities of each dimension (documents x dimensions, rows sum to 1)."""
        parts = self._parts(docs, keyword_scores)
        logits = self.stacker_.logits(self._features(parts, self.parts_)).reshape(
            -1, len(self.labels))
        return row_softmax(logits + self.params["dimension_prior_weight"] * parts["prior"], 1.0)

    def parts_on(self) -> dict[str, Any]:
        """The parts kept by cross-validation, the stacker's weights and the prior (with its
        fixed weight)."""
        return {"parts": list(self.parts_), "C": self.stacker_.C, "cv_accuracy": self.cv_accuracy_,
                "prior_weight": self.params["dimension_prior_weight"],
                "prior": dict(zip(self.labels, np.round(self.tables_["prior"], 4).tolist(),
                                  strict=True)),
                "weights": {n: round(float(w), 4) for n, w in
                            zip(self.parts_, self.stacker_.coef_, strict=True)}}
