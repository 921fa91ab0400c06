"""The dimension model: one label per fiche, a calibrated choice between the prior and evidence.

Per (fiche, dimension) pair, evidence that carries over to unseen fiches: the dimension-cue
thesaurus, what the fiche's (suggested) keywords say of the dimension (keyword -> dimension
co-occurrence), what its closed answers say (who initiated it, its public), and the label
descriptions in the word-vector space, each as a log-lift (how much it raises a dimension above
its rate). A conditional logit (a softmax over the fiche's dimensions) adds them, with
non-negative weights, to the weighted log prior: with weak evidence the model abstains toward
the prior, and a part only moves the answer in proportion to how well it predicted held-out
fiches. The parts, the regularisation and the prior's weight are chosen together by inner
cross-validation on the likelihood of the right answers (a proper score, steadier than accuracy
on a few dozen fiches); "prior only" is one of the candidates. The card records the prior.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.tagging import metrics as ev
from pipeline.tagging.backends import Array, LexicalBackend
from pipeline.tagging.corpus import Corpus, folds, tuning_rows
from pipeline.tagging.ensemble import Stacker, smoothed_prior
from pipeline.tagging.features import VECTOR_TEMPERATURE, row_softmax
from pipeline.tagging.text import Document
from pipeline.tagging.vectors import VectorBackend

PARTS = ("thesaurus", "keywords", "facets", "vectors")
# Part sets tried, simplest first (ties go to the simpler): none (the prior alone), then the
# thesaurus (which needs no example) and what may be added to it.
CANDIDATES: tuple[tuple[str, ...], ...] = (
    (),
    ("thesaurus",),
    ("thesaurus", "facets"),
    ("thesaurus", "keywords"),
    ("thesaurus", "vectors"),
    ("thesaurus", "keywords", "facets", "vectors"),
)
# Added to each dimension's share of a part's scores before its log is taken, so that a fiche
# matching no cue of a dimension is not taken as proof against it.
SHARE_SMOOTHING = 0.02


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


def _log_share(scores: Array) -> Array:
    """Log of each dimension's (smoothed) share of a fiche's scores: equal where it says
    nothing, so that the softmax sees no evidence there."""
    scores = np.clip(np.nan_to_num(scores), 0.0, None) + SHARE_SMOOTHING
    return np.log(scores / scores.sum(axis=1, keepdims=True))


def conditional_logit(features: Array, offset: Array, y: Array, C: float,
                      scale: Array) -> Array:
    """Weights (>= 0) of a softmax over each fiche's dimensions: P(d) is proportional to
    exp(offset[d] + features[d] @ w), fitted by L2-regularised maximum likelihood on
    `features` (documents x dimensions x parts, divided by `scale`) and 0/1 `y`. Non-negative
    since every part is evidence for the dimension it scores."""
    from scipy.optimize import minimize

    x = features / scale
    k = x.shape[2]
    if not k:
        return np.zeros(0)

    def loss(w: Array) -> tuple[float, Array]:
        z = offset + x @ w
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        value = -C * float((y * log_p).sum()) + 0.5 * float(w @ w)
        grad = -C * np.einsum("ndk,nd->k", x, y - np.exp(log_p)) + w
        return value, grad

    result = minimize(loss, np.zeros(k), jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * k,
                      options={"maxiter": 500})
    return np.asarray(result.x, float) / scale


class DimensionModel:
    """Single-label dimension suggestions; `fit` chooses its parts, their regularisation and
    the prior's weight by cross-validation."""

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
        out = {"thesaurus": _log_share(self.lexical_.suggest_batch(docs))}
        if self.vectors_ is not None:
            out["vectors"] = np.log(row_softmax(self.vectors_.suggest_batch(docs),
                                                VECTOR_TEMPERATURE) + 1e-9)
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
        self.prior_weight_ = 1.0
        self.stacker_ = Stacker(1.0, np.zeros(0), np.ones(0), np.zeros(0), 0.0)
        self.cv_accuracy_: float | None = None
        if len(docs) < 4 or len(set(corpus.dimensions.tolist())) < 2:
            return self
        parts = self._oof_parts(docs, keyword_scores, y, k)
        rows = tuning_rows(len(docs), self.params["tune_max_fiches"])
        names, self.cv_accuracy_, C, self.prior_weight_ = self._choose(
            {name: part[rows] for name, part in parts.items()}, y[rows],
            corpus.dimensions[rows].tolist(), k)
        self.parts_ = names
        self.stacker_ = self._fit_weights(self._features(parts, names), parts["prior"], y, C,
                                          self.prior_weight_)
        return self

    @staticmethod
    def _fit_weights(features: Array, log_prior: Array, y: Array, C: float,
                     prior_weight: float) -> Stacker:
        """The part weights, kept as a Stacker (no intercept, no centring: a constant per fiche
        changes nothing in a softmax)."""
        n_docs, n_dims = y.shape
        x = features.reshape(n_docs, n_dims, -1)
        scale = np.maximum(x.reshape(-1, x.shape[2]).std(axis=0), 1e-6) if x.shape[2] else (
            np.ones(0))
        coef = conditional_logit(x, prior_weight * log_prior, y, C, scale)
        return Stacker(C, np.zeros(x.shape[2]), np.ones(x.shape[2]), coef, 0.0)

    def _choose(self, parts: dict[str, Array], y: Array, truth: list[int], k: int | None
                ) -> tuple[tuple[str, ...], float, float, float]:
        """The part set, C and prior weight whose out-of-fold answers are likeliest ("log_loss")
        or most often right ("accuracy", likelihood breaking ties); and that accuracy."""
        best: tuple[tuple[float, float], tuple[str, ...], float, float, float] | None = None
        for names in CANDIDATES:
            if not all(n in parts for n in names):
                continue
            for C in self.params["dimension_C"] if names else (1.0,):
                for weight in self.params["dimension_prior_weights"]:
                    oof = self._stacked_oof(self._features(parts, names), parts["prior"], y, k,
                                            C, weight)
                    acc = ev.accuracy(truth, oof.argmax(axis=1).tolist())
                    fit = float(np.mean(np.log(
                        row_softmax(oof, 1.0)[np.arange(len(truth)), truth])))
                    key = ((fit, acc) if self.params["dimension_select"] == "log_loss"
                           else (acc, fit))
                    if best is None or key > best[0]:
                        best = (key, names, acc, C, weight)
        assert best is not None
        return best[1], best[2], best[3], best[4]

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
        if not names:
            return np.zeros((parts["prior"].size, 0))
        return np.stack([parts[n].ravel() for n in names], axis=1)

    def _stacked_oof(self, features: Array, log_prior: Array, y: Array, k: int | None,
                     C: float, prior_weight: float) -> Array:
        """Logits of each fiche from weights fitted without it."""
        n_docs, n_dims = y.shape
        pairs = features.reshape(n_docs, n_dims, -1)
        out = prior_weight * log_prior
        if not pairs.shape[2]:
            return out
        out = out.copy()
        for train, test in folds(n_docs, k):
            model = self._fit_weights(pairs[train].reshape(-1, features.shape[1]),
                                      log_prior[train], y[train], C, prior_weight)
            out[test] += model.logits(pairs[test].reshape(-1, features.shape[1])).reshape(
                -1, n_dims)
        return out

    def scores(self, docs: list[Document], keyword_scores: Array) -> Array:
        """Probabilities of each dimension (documents x dimensions, rows sum to 1)."""
        parts = self._parts(docs, keyword_scores)
        logits = self.stacker_.logits(self._features(parts, self.parts_)).reshape(
            -1, len(self.labels))
        return row_softmax(logits + self.prior_weight_ * parts["prior"], 1.0)

    def parts_on(self) -> dict[str, Any]:
        """The parts kept by cross-validation, their weights, the prior and its weight."""
        return {"parts": list(self.parts_) or ["prior only"], "C": self.stacker_.C,
                "cv_accuracy": self.cv_accuracy_, "prior_weight": self.prior_weight_,
                "prior": dict(zip(self.labels, np.round(self.tables_["prior"], 4).tolist(),
                                  strict=True)),
                "weights": {n: round(float(w), 4) for n, w in
                            zip(self.parts_, self.stacker_.coef_, strict=True)}}
