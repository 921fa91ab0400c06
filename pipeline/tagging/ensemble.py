"""The keyword model: the parts' scores and the thesaurus match features of every (fiche, label)
pair fed to one logistic regression shared by all labels, with its threshold and limit, all
chosen by cross-validation."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pipeline.tagging import metrics as ev
from pipeline.tagging.backends import Array, LexicalBackend, TfidfBackend
from pipeline.tagging.corpus import Corpus, folds, out_of_fold, tuning_rows
from pipeline.tagging.features import feature_names, match_features, pair_features
from pipeline.tagging.text import Document
from pipeline.tagging.vectors import VectorBackend

THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.05))
# Fiches carry 1 to 10 keywords: how many to suggest is tuned within that range.
LIMITS = tuple(range(1, 11))


def tune_cutoff(scores: Array, truth: Array) -> tuple[float, int, float]:
    """The threshold and limit maximising micro-F1 (like Annif's optimize); ties go to the
    higher threshold and the smaller limit. Returns (threshold, limit, micro-F1)."""
    best = (0.5, 3, -1.0)
    for limit in LIMITS:
        for threshold in THRESHOLDS:
            f1 = ev.micro_f1(truth, ev.predict(scores, threshold, limit))
            if f1 > best[2] + 1e-12 or (abs(f1 - best[2]) <= 1e-12 and threshold > best[0]
                                        and limit <= best[1]):
                best = (threshold, limit, f1)
    return best


@dataclass
class Stacker:
    """A logistic regression over pair features, shared by all labels (pooled (document, label)
    pairs), on standardised features, with non-negative weights (see `_monotone_logistic`).
    Its output is a probability."""

    C: float = 1.0
    mean_: Array = field(default_factory=lambda: np.zeros(0))
    scale_: Array = field(default_factory=lambda: np.ones(0))
    coef_: Array = field(default_factory=lambda: np.zeros(0))
    intercept_: float = 0.0

    def fit(self, features: Array, truth: Array, weights: Array | None = None) -> Stacker:
        """Learn from pair features and the 0/1 truth of the same pairs (optionally weighted
        per pair); returns self."""
        y = np.asarray(truth, float).ravel()
        self.coef_, self.intercept_ = np.zeros(features.shape[1]), -3.0
        if not y.size:  # nothing to learn from (no fiche with a dimension, say)
            self.mean_, self.scale_ = np.zeros(features.shape[1]), np.ones(features.shape[1])
            return self
        self.mean_ = features.mean(axis=0)
        self.scale_ = np.maximum(features.std(axis=0), 1e-6)
        if y.min() == y.max():
            return self
        w = np.ones_like(y) if weights is None else np.asarray(weights, float).ravel()
        self.coef_, self.intercept_ = _monotone_logistic(
            (features - self.mean_) / self.scale_, y, w, self.C)
        return self

    def logits(self, features: Array) -> Array:
        return ((features - self.mean_) / self.scale_) @ self.coef_ + self.intercept_

    def predict(self, features: Array, n_labels: int) -> Array:
        """Probabilities (documents x labels), strictly within [0, 1]."""
        z = self.logits(features)
        return (1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))).reshape(-1, n_labels)

    def get_state(self) -> dict[str, Any]:
        return {"C": self.C, "mean_": self.mean_, "scale_": self.scale_, "coef_": self.coef_,
                "intercept_": self.intercept_}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Stacker:
        return cls(float(state["C"]), np.asarray(state["mean_"]), np.asarray(state["scale_"]),
                   np.asarray(state["coef_"]), float(state["intercept_"]))


def _monotone_logistic(x: Array, y: Array, w: Array, C: float) -> tuple[Array, float]:
    """L2-regularised weighted logistic regression whose weights are all >= 0 (the intercept
    is free and not penalised). Every pair feature is evidence for the label (more matches,
    earlier, in the title, more similar): on a few dozen fiches an unconstrained fit gave some
    a negative weight, which ranks a fiche's best-matched label below others."""
    from scipy.optimize import minimize

    def loss(theta: Array) -> tuple[float, Array]:
        z = x @ theta[1:] + theta[0]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        value = C * float(np.sum(w * (np.logaddexp(0.0, z) - y * z))) + 0.5 * float(
            theta[1:] @ theta[1:])
        g = C * w * (p - y)
        return value, np.concatenate([[g.sum()], x.T @ g + theta[1:]])

    start = np.zeros(x.shape[1] + 1)
    start[0] = math.log(max(y.mean(), 1e-3) / max(1 - y.mean(), 1e-3))
    bounds = [(None, None)] + [(0.0, None)] * x.shape[1]
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds,
                      options={"maxiter": 1000})
    return np.asarray(result.x[1:], float), float(result.x[0])


def _doc_rows(features: Array, n_docs: int, rows: NDArray[np.int_]) -> Array:
    """The pair features (one row per (document, label)) of the documents `rows`."""
    if len(rows) == n_docs:
        return features
    return features.reshape(n_docs, -1, features.shape[1])[rows].reshape(-1, features.shape[1])


def stacked_out_of_fold(features: Array, truth: Array, C: float, k: int | None,
                        weights: Array | None = None) -> Array:
    """Stacker scores of each document from a stacker fit without it (documents x labels)."""
    n_docs, n_labels = truth.shape
    pairs = features.reshape(n_docs, n_labels, -1)
    out = np.zeros(truth.shape)
    for train, test in folds(n_docs, k):
        w = None if weights is None else weights[train]
        model = Stacker(C).fit(pairs[train].reshape(-1, features.shape[1]), truth[train], w)
        out[test] = model.predict(pairs[test].reshape(-1, features.shape[1]), n_labels)
    return out


def smoothed_prior(targets: Array, strength: float = 2.0) -> Array:
    """Label frequencies shrunk toward the mean rate (a label never seen is not impossible)."""
    n = len(targets)
    if not n:
        return np.full(targets.shape[1], 0.05)
    return (targets.sum(axis=0) + strength * targets.mean()) / (n + strength)


def prior_out_of_fold(targets: Array, k: int | None) -> Array:
    """Each document's label priors from the other folds (documents x labels)."""
    out = np.tile(smoothed_prior(targets), (len(targets), 1))
    for train, test in folds(len(targets), k):
        out[test] = smoothed_prior(targets[train])
    return out


class KeywordModel:
    """Thesaurus, TF-IDF and (when cross-validation keeps them) word vectors, mixed per pair."""

    def __init__(self, labels: tuple[str, ...], entries: dict[str, Any],
                 params: dict[str, Any]) -> None:
        self.labels = labels
        self.entries = entries
        self.params = params

    def _lexical(self) -> LexicalBackend:
        return LexicalBackend(self.labels, self.entries, self.params["lexical"])

    def _supervised(self) -> TfidfBackend:
        """The TF-IDF part, as text evidence only unless the prior is a feature too."""
        prior = self.params["keyword_prior"]
        return TfidfBackend(self.labels, {**self.params["supervised"], "multilabel": True,
                                          "evidence_only": not prior, "prior_fill": prior})

    def fit(self, corpus: Corpus, k: int | None) -> KeywordModel:
        """Fit the parts on every fiche, then choose the parts and the stacker's C by
        cross-validation, fit the stacker on out-of-fold part scores and tune the cutoffs."""
        docs, y = corpus.docs, corpus.keywords
        # Staff rejections weigh more than a label merely absent from a fiche.
        weights = 1.0 + (self.params["negative_weight"] - 1.0) * corpus.negatives
        self.lexical_ = self._lexical().fit(docs, y)
        self.supervised_ = self._supervised().fit(docs, y)
        use = self.params["use_vectors"]
        self.vectors_: VectorBackend | None = (
            VectorBackend(self.labels, self.entries, self.params["vectors"]).fit(docs, y)
            if use else None)
        self.prior_ = smoothed_prior(y)
        self.threshold_, self.limit_, self.cv_metrics_ = 0.5, 3, {}
        self.oof_ = np.zeros(y.shape)
        matches = match_features(self.lexical_, docs)
        if len(docs) < 3:
            self.stacker_ = Stacker(self.params["stack_C"][0]).fit(
                self._features(matches, self.supervised_.suggest_batch(docs), docs), y, weights)
            return self
        sup = out_of_fold(self._supervised, docs, y, k, self.params["n_jobs"])
        prior = prior_out_of_fold(y, k) if self.params["keyword_prior"] else None
        vec = self.vectors_.suggest_batch(docs) if self.vectors_ is not None else None
        best: tuple[float, float, bool] | None = None
        # The search looks at a bounded subset of the fiches (all of them up to the budget).
        rows = tuning_rows(len(docs), self.params["tune_max_fiches"])
        for with_vectors in ((False, True) if vec is not None and use == "auto"
                             else (vec is not None,)):
            features = _doc_rows(pair_features(matches, sup, prior, vec if with_vectors
                                               else None), len(docs), rows)
            for C in self.params["stack_C"]:
                oof = stacked_out_of_fold(features, y[rows], C, k, weights[rows])
                objective = (tune_cutoff(oof, y[rows])[2] + ev.ndcg_at_k(y[rows], oof, 5)
                             + ev.precision_at_k(y[rows], oof, 1))
                if best is None or objective > best[0] + 1e-9:
                    best = (objective, C, with_vectors)
        assert best is not None
        if not best[2]:
            self.vectors_ = None
        features = pair_features(matches, sup, prior, vec if best[2] else None)
        self.stacker_ = Stacker(best[1]).fit(features, y, weights)
        self.oof_ = stacked_out_of_fold(features, y, best[1], k, weights)
        self.threshold_, self.limit_, _ = tune_cutoff(self.oof_, y)
        self.cv_metrics_ = ev.summary(y, self.oof_, ev.predict(self.oof_, self.threshold_,
                                                               self.limit_))
        return self

    def _features(self, matches: Array, supervised: Array, docs: list[Document]) -> Array:
        vec = self.vectors_.suggest_batch(docs) if self.vectors_ is not None else None
        prior = self.prior_ if self.params["keyword_prior"] else None
        return pair_features(matches, supervised, prior, vec)

    def parts(self, docs: list[Document]) -> dict[str, Array]:
        """Per part, keyword scores (documents x keywords): thesaurus, tfidf, [vectors,]
        ensemble."""
        matches = match_features(self.lexical_, docs)
        sup = self.supervised_.suggest_batch(docs)
        features = self._features(matches, sup, docs)
        out = {"thesaurus": matches[..., 0], "tfidf": np.nan_to_num(sup)}
        if self.vectors_ is not None:
            out["vectors"] = self.vectors_.suggest_batch(docs)
        out["ensemble"] = self.stacker_.predict(features, len(self.labels))
        return out

    def scores(self, docs: list[Document]) -> Array:
        """Ensemble probabilities (documents x keywords)."""
        return self.parts(docs)["ensemble"]

    def parts_on(self) -> dict[str, Any]:
        """Which parts the model uses and the stacker's weight on each feature."""
        names = feature_names(self.vectors_ is not None, self.params["keyword_prior"])
        return {"thesaurus_matches": True, "tfidf": "text evidence only" if not
                self.params["keyword_prior"] else True, "prior": self.params["keyword_prior"],
                "vectors": self.vectors_ is not None,
                "stacker": {"C": self.stacker_.C, "intercept": round(self.stacker_.intercept_, 4),
                            "weights": {n: round(float(w), 4) for n, w in
                                        zip(names, self.stacker_.coef_, strict=True)}}}
