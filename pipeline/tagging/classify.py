"""The keyword and dimension tagger: its parts mixed by a stacker, trained, evaluated, saved."""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pipeline.atomic import atomic_folder
from pipeline.config import CONFIG_DIR
from pipeline.records import Fiche
from pipeline.tagging import metrics as ev
from pipeline.tagging.backends import (
    Backend,
    FrequencyBaseline,
    Labels,
    LexicalBackend,
    TfidfBackend,
    TfidfLogRegBaseline,
    VectorBackend,
    load_labels,
    load_thesaurus,
)
from pipeline.tagging.card import (
    CARD_FILE,
    FORMAT,
    MODEL_FILE,
    RETRAIN,
    ModelError,
    library_versions,
    read_card,
    sha256_file,
    vectors_version,
)
from pipeline.tagging.text import (
    Document,
    fiche_document,
)

Array = NDArray[np.float64]


class TrainingError(ValueError):
    """Training data that cannot make a model (no tagged fiche)."""



# ---------------------------------------------------------------------------------------------
# Training corpus


@dataclass
class Corpus:
    """Deduplicated training fiches: documents, keyword targets, dimension targets."""

    docs: list[Document]
    keywords: Array
    dimensions: NDArray[np.int_]
    unknown_keywords: Counter[str] = field(default_factory=Counter)
    unknown_dimensions: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    untagged: int = 0

    def subset(self, rows: Sequence[int] | NDArray[np.int_]) -> Corpus:
        rows = list(rows)
        return Corpus([self.docs[i] for i in rows], self.keywords[rows], self.dimensions[rows])

    def data_hash(self, labels: Labels) -> str:
        """sha256 of the documents' ids and labels, in a canonical order."""
        items = sorted(
            [d.id, [labels.keywords[j] for j in np.flatnonzero(k)],
             labels.dimensions[int(c)] if c >= 0 else None]
            for d, k, c in zip(self.docs, self.keywords, self.dimensions, strict=True))
        return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()


def build_corpus(fiches: Iterable[Fiche], labels: Labels) -> Corpus:
    """Fiches with a known keyword or dimension, each content once (duplicates by `duplicate_of`
    or id are skipped so they cannot leak across folds). Unknown keywords are counted."""
    seen: set[str] = set()
    docs, rows, dims = [], [], []
    unknown_kw: Counter[str] = Counter()
    unknown_dim: Counter[str] = Counter()
    duplicates = untagged = 0
    for fiche in fiches:
        if fiche.duplicate_of is not None or fiche.id in seen:
            duplicates += 1
            continue
        seen.add(fiche.id)
        row = np.zeros(len(labels.keywords))
        for keyword in fiche.keywords:
            j = labels.keyword_index(keyword)
            if j is None:
                unknown_kw[keyword] += 1
            else:
                row[j] = 1.0
        dim = labels.dimension_index(fiche.dimension) if fiche.dimension else None
        if fiche.dimension and dim is None:
            unknown_dim[fiche.dimension] += 1
        if not row.any() and dim is None:
            untagged += 1
            continue
        docs.append(fiche_document(fiche))
        rows.append(row)
        dims.append(-1 if dim is None else dim)
    keywords = np.array(rows) if rows else np.zeros((0, len(labels.keywords)))
    return Corpus(docs, keywords, np.array(dims, dtype=int), unknown_kw, unknown_dim,
                  duplicates, untagged)


def folds(n: int, k: int | None, seed: int = 0) -> list[tuple[NDArray[np.int_], NDArray[np.int_]]]:
    """(train, test) index pairs: leave-one-out when `k` is None or >= n, else shuffled k-fold."""
    if n < 2:
        return []
    order = np.random.default_rng(seed).permutation(n)
    k = n if k is None or k >= n else max(2, k)
    parts = np.array_split(order, k)
    return [(np.sort(np.concatenate(parts[:i] + parts[i + 1:])), np.sort(part))
            for i, part in enumerate(parts)]


def out_of_fold(make: Any, docs: list[Document], targets: Array, k: int | None) -> Array:
    """Scores of each document by a backend (from `make()`) trained without it; NaN kept."""
    scores = np.zeros(targets.shape)
    for train, test in folds(len(docs), k):
        backend = make().fit([docs[i] for i in train], targets[train])
        scores[test] = backend.suggest_batch([docs[i] for i in test])
    return scores


# ---------------------------------------------------------------------------------------------
# Ensemble tuning: weights, calibration, threshold and limit, all from cross-validation


THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.05))
LIMITS = (1, 2, 3, 4, 5, 6)


def combine(lexical: Array, supervised: Array, weight: float) -> Array:
    """Weighted mean of the two parts; where the supervised part has no opinion (NaN: a label
    with too few examples), the thesaurus alone."""
    return np.where(np.isnan(supervised), lexical,
                    weight * lexical + (1 - weight) * np.nan_to_num(supervised))


def fit_calibration(scores: Array, truth: Array) -> tuple[float, float]:
    """Slope and intercept of a sigmoid mapping raw scores to the probability of being right,
    fit on all (document, label) pairs pooled: one mapping for every label, so that one threshold
    means the same for all. Falls back to a fixed mapping when the data cannot support a fit."""
    x, y = np.asarray(scores, float).ravel(), np.asarray(truth, float).ravel()
    if len(x) < 4 or y.min() == y.max():
        return 6.0, -3.0
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=100.0).fit(x.reshape(-1, 1), y)
    slope, intercept = float(model.coef_[0, 0]), float(model.intercept_[0])
    if not slope > 0 or not math.isfinite(slope) or not math.isfinite(intercept):
        return 6.0, -3.0
    return slope, intercept


def calibrate(scores: Array, calibration: tuple[float, float]) -> Array:
    """Calibrated scores, strictly within [0, 1]."""
    slope, intercept = calibration
    z = np.clip(slope * np.asarray(scores, float) + intercept, -50, 50)
    return np.clip(1.0 / (1.0 + np.exp(-z)), 0.0, 1.0)


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


def _row_softmax(scores: Array, temperature: float) -> Array:
    z = (scores - scores.max(axis=1, keepdims=True)) / temperature
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def stack_features(parts: dict[str, Array]) -> Array:
    """One row per (document, label) pair, one column per part, in `STACK_PARTS` order: the
    thesaurus and TF-IDF probabilities as they are (TF-IDF falls back to the smoothed label
    frequency for labels with too few examples, so the prior enters here), the vectors as each
    label's share of the document's similarity (a softmax over its labels; raw cosines differ
    little). Nothing names a label, so a label without examples is scored by the same rule."""
    columns = [np.nan_to_num(parts["thesaurus"]), np.nan_to_num(parts["tfidf"], nan=0.0)]
    if "vectors" in parts:
        columns.append(_row_softmax(parts["vectors"], VECTOR_TEMPERATURE))
    return np.stack([c.ravel() for c in columns], axis=1)


STACK_PARTS = ("thesaurus", "tfidf", "vectors")
# Cosines (mapped to [0, 1]) of a fiche to the labels spread over a few hundredths.
VECTOR_TEMPERATURE = 0.02


@dataclass
class Stacker:
    """A small logistic regression over the backends' scores, shared by all labels (pooled
    (document, label) pairs), on standardised features. Its output is a probability."""

    C: float = 1.0
    mean_: Array = field(default_factory=lambda: np.zeros(0))
    scale_: Array = field(default_factory=lambda: np.ones(0))
    coef_: Array = field(default_factory=lambda: np.zeros(0))
    intercept_: float = 0.0

    def fit(self, features: Array, truth: Array) -> Stacker:
        """Learn from pair features and the 0/1 truth of the same pairs; returns self."""
        from sklearn.linear_model import LogisticRegression

        y = np.asarray(truth, float).ravel()
        self.mean_ = features.mean(axis=0)
        self.scale_ = np.maximum(features.std(axis=0), 1e-6)
        self.coef_, self.intercept_ = np.zeros(features.shape[1]), -3.0
        if y.min() == y.max():
            return self
        model = LogisticRegression(C=self.C, max_iter=1000)
        model.fit((features - self.mean_) / self.scale_, y)
        self.coef_, self.intercept_ = model.coef_[0].copy(), float(model.intercept_[0])
        return self

    def predict(self, features: Array, n_labels: int) -> Array:
        """Probabilities (documents x labels), strictly within [0, 1]."""
        z = ((features - self.mean_) / self.scale_) @ self.coef_ + self.intercept_
        return (1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))).reshape(-1, n_labels)

    def weights(self) -> dict[str, float]:
        """Coefficient per part, on standardised features (comparable magnitudes)."""
        return {name: round(float(w), 4) for name, w in zip(STACK_PARTS, self.coef_,
                                                           strict=False)}


def stacked_out_of_fold(features: Array, truth: Array, C: float, k: int | None) -> Array:
    """Stacker scores of each document from a stacker fit without it (documents x labels)."""
    n_docs, n_labels = truth.shape
    pairs = features.reshape(n_docs, n_labels, -1)
    out = np.zeros(truth.shape)
    for train, test in folds(n_docs, k):
        model = Stacker(C).fit(pairs[train].reshape(-1, features.shape[1]), truth[train])
        out[test] = model.predict(pairs[test].reshape(-1, features.shape[1]), n_labels)
    return out


@dataclass
class Suggestion:
    """One suggested label with its calibrated score and the words that led to it."""

    label: str
    score: float
    evidence: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": self.score, "evidence": self.evidence}


class Tagger:
    """Ensemble of the thesaurus and TF-IDF backends (word vectors optional), for keywords and
    for the dimension.

    Keywords: a logistic-regression stacker over the parts' out-of-fold scores, then threshold
    and limit, all tuned by cross-validation inside `fit`. Dimension: a weighted mean of the
    parts with a tuned weight and a calibrated top score.
    """

    DEFAULT_PARAMETERS: dict[str, Any] = {
        "folds": 5,
        # The weight of the thesaurus stays within these bounds: with a few dozen fiches, the
        # supervised part can look perfect by memorising, and the thesaurus is what carries
        # over to labels and wordings the training data lacks.
        "weight_grid": (0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
        "lexical": {},
        "supervised": {},
        # The word vectors part is off by default: on the sample it lowered every nested
        # figure (see the card and README); it stays available for larger catalogues.
        "use_vectors": False,
        "vectors": {},
        # Inverse regularisation strengths tried for the keyword stacker, tuned by
        # cross-validation.
        "stack_C": (0.1, 1.0),
        "evidence": 5,
    }

    def __init__(self, labels: Labels, thesaurus: dict[str, Any],
                 params: dict[str, Any] | None = None) -> None:
        self.labels = labels
        self.thesaurus = thesaurus
        self.params = {**self.DEFAULT_PARAMETERS, **(params or {})}

    # -- construction of the parts

    def _lexical(self, dimensions: bool = False) -> LexicalBackend:
        names = self.labels.dimensions if dimensions else self.labels.keywords
        section = self.thesaurus["dimensions" if dimensions else "keywords"]
        return LexicalBackend(names, section, self.params["lexical"])

    def _supervised(self, dimensions: bool = False) -> TfidfBackend:
        names = self.labels.dimensions if dimensions else self.labels.keywords
        return TfidfBackend(names, {**self.params["supervised"], "multilabel": not dimensions})

    def _vectors(self, dimensions: bool = False) -> VectorBackend:
        names = self.labels.dimensions if dimensions else self.labels.keywords
        section = self.thesaurus["dimensions" if dimensions else "keywords"]
        return VectorBackend(names, section, self.params["vectors"])

    def _parts(self, docs: list[Document]) -> dict[str, Array]:
        """Keyword scores of every part (documents x keywords)."""
        parts = {"thesaurus": self.lexical_.suggest_batch(docs),
                 "tfidf": self.supervised_.suggest_batch(docs)}
        if self.vectors_ is not None:
            parts["vectors"] = self.vectors_.suggest_batch(docs)
        return parts

    def _keyword_parts(self) -> tuple[Backend, ...]:
        parts: tuple[Backend, ...] = (self.lexical_, self.supervised_)
        return parts if self.vectors_ is None else (*parts, self.vectors_)

    # -- training

    def fit(self, fiches: Iterable[Fiche]) -> Tagger:
        """Learn from every fiche with a keyword or a dimension; returns self.

        Raises:
            TrainingError: no fiche has a known keyword or dimension.
        """
        corpus = build_corpus(fiches, self.labels)
        if not corpus.docs:
            raise TrainingError("no fiche has a keyword or dimension of the vocabulary")
        return self.fit_corpus(corpus)

    def fit_corpus(self, corpus: Corpus) -> Tagger:
        """Learn from a prepared corpus; returns self."""
        k = self.params["folds"]
        self.corpus_stats_ = {"fiches": len(corpus.docs), "duplicates_skipped": corpus.duplicates,
                              "untagged_skipped": corpus.untagged,
                              "unknown_keywords": dict(corpus.unknown_keywords),
                              "unknown_dimensions": dict(corpus.unknown_dimensions)}
        self.examples_ = {"keywords": dict(zip(self.labels.keywords,
                                               corpus.keywords.sum(axis=0).astype(int).tolist(),
                                               strict=True)),
                          "dimensions": {name: int((corpus.dimensions == i).sum())
                                         for i, name in enumerate(self.labels.dimensions)}}
        kw_rows = np.flatnonzero(corpus.keywords.sum(axis=1) > 0)
        self._fit_keywords(corpus.subset(kw_rows), k)
        dim_rows = np.flatnonzero(corpus.dimensions >= 0)
        self._fit_dimension(corpus.subset(dim_rows), k)
        return self

    def _fit_keywords(self, corpus: Corpus, k: int | None) -> None:
        """Fit the parts on every fiche, then the stacker on out-of-fold part scores: TF-IDF
        scores each fiche from models that never saw it; the thesaurus and vectors learn no
        label from the fiches, so their scores are used as they are."""
        docs, y = corpus.docs, corpus.keywords
        self.lexical_ = self._lexical().fit(docs, y)
        self.supervised_ = self._supervised().fit(docs, y)
        self.vectors_: VectorBackend | None = (self._vectors().fit(docs, y)
                                               if self.params["use_vectors"] else None)
        self.stacker_ = Stacker(self.params["stack_C"][0])
        self.threshold_, self.limit_ = 0.5, 3
        self.cutoffs_: dict[str, tuple[float, int]] = {"thesaurus": (0.3, 3), "tfidf": (0.5, 3),
                                                       "vectors": (0.6, 3)}
        self.cv_metrics_: dict[str, Any] = {}
        if len(docs) < 3:
            self.stacker_.fit(stack_features(self._parts(docs)), y)
            return
        parts = self._parts(docs)
        parts["tfidf"] = out_of_fold(self._supervised, docs, y, k)
        features = stack_features(parts)
        best: tuple[float, float] | None = None
        for C in self.params["stack_C"]:
            oof = stacked_out_of_fold(features, y, C, k)
            objective = (tune_cutoff(oof, y)[2] + ev.ndcg_at_k(y, oof, 5)
                         + ev.precision_at_k(y, oof, 1))
            if best is None or objective > best[0] + 1e-9:
                best = (objective, C)
        assert best is not None
        self.stacker_ = Stacker(best[1]).fit(features, y)
        oof = stacked_out_of_fold(features, y, best[1], k)
        self.threshold_, self.limit_, _ = tune_cutoff(oof, y)
        self.cutoffs_ = {name: tune_cutoff(np.nan_to_num(scores), y)[:2]
                         for name, scores in parts.items()}
        self.cv_metrics_ = ev.summary(y, oof, ev.predict(oof, self.threshold_, self.limit_))

    def _fit_dimension(self, corpus: Corpus, k: int | None) -> None:
        docs = corpus.docs
        y = np.zeros((len(docs), len(self.labels.dimensions)))
        y[np.arange(len(docs)), corpus.dimensions] = 1.0
        self.dim_lexical_ = self._lexical(dimensions=True).fit(docs, y)
        self.dim_supervised_ = self._supervised(dimensions=True).fit(docs, y)
        self.dim_weight_, self.dim_calibration_ = 0.5, (6.0, -3.0)
        self.dim_cv_accuracy_: float | None = None
        if len(docs) < 3:
            return
        lex = self.dim_lexical_.suggest_batch(docs)
        lex = lex / np.maximum(lex.sum(axis=1, keepdims=True), 1e-9)
        sup = out_of_fold(lambda: self._supervised(dimensions=True), docs, y, k)
        truth = corpus.dimensions.tolist()
        best: tuple[float, float, float] | None = None
        for w in self.params["weight_grid"]:
            acc = ev.accuracy(truth, combine(lex, sup, w).argmax(axis=1).tolist())
            key = (acc, -abs(w - 0.5), w)
            if best is None or key > best:
                best = key
        assert best is not None
        self.dim_weight_ = best[2]
        raw = combine(lex, sup, self.dim_weight_)
        top = raw.max(axis=1)
        right = (raw.argmax(axis=1) == corpus.dimensions).astype(float)
        self.dim_calibration_ = fit_calibration(top, right)
        self.dim_cv_accuracy_ = best[0]

    # -- suggesting

    def keyword_scores(self, docs: list[Document]) -> dict[str, Array]:
        """Per part, keyword scores (documents x keywords): thesaurus, tfidf, ensemble."""
        parts = self._parts(docs)
        ens = self.stacker_.predict(stack_features(parts), len(self.labels.keywords))
        return {**parts, "tfidf": np.nan_to_num(parts["tfidf"]), "ensemble": ens}

    def dimension_scores(self, docs: list[Document]) -> dict[str, Array]:
        """Per part, dimension scores (documents x dimensions); ensemble rows are not
        probabilities, only their best value is calibrated (see `suggest`)."""
        lex = self.dim_lexical_.suggest_batch(docs)
        lex = lex / np.maximum(lex.sum(axis=1, keepdims=True), 1e-9)
        sup = self.dim_supervised_.suggest_batch(docs)
        return {"thesaurus": lex, "tfidf": np.nan_to_num(sup),
                "ensemble": combine(lex, sup, self.dim_weight_)}

    def _evidence(self, parts: tuple[Backend, ...], doc: Document, label: int) -> list[str]:
        seen: dict[str, None] = {}
        for backend in parts:
            for word, _ in backend.explain(doc, label)[:3]:
                seen.setdefault(word)
        return list(seen)[: self.params["evidence"]]

    def suggest(self, fiches: Sequence[Fiche], threshold: float | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
        """Suggestions per fiche: `{"keywords": [Suggestion...], "dimension": Suggestion|None}`.

        Keywords are ranked by calibrated score, kept when at least `threshold` (default: the
        tuned one), at most `limit`, leaving out those the fiche already has. The dimension is
        suggested only to fiches without one and with some text.
        """
        threshold = self.threshold_ if threshold is None else threshold
        limit = self.limit_ if limit is None else limit
        docs = [fiche_document(f) for f in fiches]
        kw = self.keyword_scores(docs)["ensemble"]
        dim_raw = self.dimension_scores(docs)["ensemble"]
        out = []
        for row, (fiche, doc) in enumerate(zip(fiches, docs, strict=True)):
            has = {j for k in fiche.keywords if (j := self.labels.keyword_index(k)) is not None}
            keywords: list[Suggestion] = []
            for j in np.argsort(-kw[row], kind="stable"):
                if len(keywords) >= limit or kw[row, j] < threshold:
                    break
                if int(j) in has:
                    continue
                keywords.append(Suggestion(
                    self.labels.keywords[j], round(float(kw[row, j]), 3),
                    self._evidence(self._keyword_parts(), doc, int(j))))
            dimension = None
            if not fiche.dimension and any(toks for _, toks in doc.fields):
                c = int(dim_raw[row].argmax())
                score = float(calibrate(dim_raw[row, c], self.dim_calibration_))
                dimension = Suggestion(
                    self.labels.dimensions[c], round(score, 3),
                    self._evidence((self.dim_lexical_, self.dim_supervised_), doc, c))
            out.append({"keywords": keywords, "dimension": dimension})
        return out


# ---------------------------------------------------------------------------------------------
# Cross-validated evaluation (parts, ensemble, baselines)


def _baseline_predictions(make: Any, train: Corpus, test: Corpus, k: int | None) -> tuple[
        Array, NDArray[np.bool_]]:
    y = train.keywords
    inner = out_of_fold(make, train.docs, y, k)
    threshold, limit, _ = tune_cutoff(inner, y)
    scores = make().fit(train.docs, y).suggest_batch(test.docs)
    return scores, ev.predict(scores, threshold, limit)


def cross_evaluate(fiches: Iterable[Fiche], labels: Labels, thesaurus: dict[str, Any],
                   k: int | None = None, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Nested cross-validation of the ensemble, its parts and two baselines.

    Each outer fold trains a full tagger (which tunes itself by inner cross-validation) on the
    other fiches and scores the held-out ones; baselines tune their threshold and limit the same
    way. `k` folds; 0 for leave-one-out; None for leave-one-out up to 30 fiches, else 5.

    Returns:
        A JSON-ready dict: `keywords` (per system: summary metrics, per-label P/R), `dimension`
        (per system: accuracy, macro-F1), and the corpus counts.

    Raises:
        TrainingError: fewer than 3 fiches with keywords.
    """
    corpus = build_corpus(fiches, labels)
    kw = corpus.subset(np.flatnonzero(corpus.keywords.sum(axis=1) > 0))
    if len(kw.docs) < 3:
        raise TrainingError("cross-validation needs at least 3 fiches with keywords")
    outer_k = None if k == 0 else k if k is not None else (None if len(kw.docs) <= 30 else 5)
    inner_k = (params or {}).get("folds", Tagger.DEFAULT_PARAMETERS["folds"])
    names = ("thesaurus", "tfidf", "vectors") if (params or {}).get("use_vectors") else (
        "thesaurus", "tfidf")
    systems = ("ensemble", *names, "most frequent", "tf-idf + logreg")
    scores = {s: np.zeros(kw.keywords.shape) for s in systems}
    predicted = {s: np.zeros(kw.keywords.shape, dtype=bool) for s in systems}
    started = time.perf_counter()
    for train_rows, test_rows in folds(len(kw.docs), outer_k):
        train, test = kw.subset(train_rows), kw.subset(test_rows)
        tagger = Tagger(labels, thesaurus, params)
        tagger._fit_keywords(train, inner_k)
        parts = tagger.keyword_scores(test.docs)
        cutoffs = {"ensemble": (tagger.threshold_, tagger.limit_), **tagger.cutoffs_}
        for name in ("ensemble", *names):
            scores[name][test_rows] = parts[name]
            predicted[name][test_rows] = ev.predict(parts[name], *cutoffs[name])
        for name, make in (("most frequent", lambda: FrequencyBaseline(labels.keywords)),
                           ("tf-idf + logreg", lambda: TfidfLogRegBaseline(labels.keywords))):
            s, p = _baseline_predictions(make, train, test, inner_k)
            scores[name][test_rows], predicted[name][test_rows] = s, p
    truth = kw.keywords
    result: dict[str, Any] = {
        "fiches": len(kw.docs), "folds": "leave-one-out" if outer_k is None else outer_k,
        "duplicates_skipped": corpus.duplicates,
        "unknown_keywords": dict(corpus.unknown_keywords),
        "labels": list(labels.keywords),
        "keywords": {s: {**ev.summary(truth, scores[s], predicted[s]),
                         "per_label": ev.per_label(truth, predicted[s])} for s in systems},
    }
    result["dimension"] = _evaluate_dimension(corpus, labels, thesaurus, outer_k, inner_k, params)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def _evaluate_dimension(corpus: Corpus, labels: Labels, thesaurus: dict[str, Any],
                        outer_k: int | None, inner_k: int | None,
                        params: dict[str, Any] | None) -> dict[str, Any]:
    dim = corpus.subset(np.flatnonzero(corpus.dimensions >= 0))
    if len(dim.docs) < 3:
        return {}
    systems = ("ensemble", "thesaurus", "tfidf", "most frequent", "tf-idf + logreg")
    guesses: dict[str, list[int]] = {s: [0] * len(dim.docs) for s in systems}
    n = len(labels.dimensions)
    for train_rows, test_rows in folds(len(dim.docs), outer_k):
        train, test = dim.subset(train_rows), dim.subset(test_rows)
        tagger = Tagger(labels, thesaurus, params)
        tagger._fit_dimension(train, inner_k)
        parts = tagger.dimension_scores(test.docs)
        y = np.zeros((len(train.docs), n))
        y[np.arange(len(train.docs)), train.dimensions] = 1.0
        parts["most frequent"] = FrequencyBaseline(labels.dimensions).fit(
            train.docs, y).suggest_batch(test.docs)
        parts["tf-idf + logreg"] = TfidfLogRegBaseline(labels.dimensions).fit(
            train.docs, y).suggest_batch(test.docs)
        for name in systems:
            for row, best in zip(test_rows, parts[name].argmax(axis=1), strict=True):
                guesses[name][row] = int(best)
    truth = dim.dimensions.tolist()
    out: dict[str, Any] = {"fiches": len(dim.docs)}
    for name in systems:
        t = np.zeros((len(truth), n), dtype=bool)
        p = np.zeros((len(truth), n), dtype=bool)
        t[np.arange(len(truth)), truth] = True
        p[np.arange(len(truth)), guesses[name]] = True
        out[name] = {"accuracy": ev.accuracy(truth, guesses[name]), "macro_f1": ev.macro_f1(t, p)}
    return out


# ---------------------------------------------------------------------------------------------
# Persistence: a folder with the pickled tagger and its card, checked before unpickling


def model_card(tagger: Tagger, corpus_hash: str, thesaurus_hash: str) -> dict[str, Any]:
    """The card of a fitted tagger (without the model file's sha256, added by `save`)."""
    return {
        "format": FORMAT,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "libraries": library_versions(),
        "labels": {"keywords": list(tagger.labels.keywords),
                   "dimensions": list(tagger.labels.dimensions)},
        "training_data": {"sha256": corpus_hash, **tagger.corpus_stats_},
        "thesaurus_sha256": thesaurus_hash,
        "examples_per_label": tagger.examples_,
        "cross_validation": {
            "folds": tagger.params["folds"],
            "note": "out-of-fold scores; weight, calibration and cutoffs tuned on the same folds "
                    "(see `fiches evaluate` for nested figures)",
            "keywords": tagger.cv_metrics_,
            "dimension_accuracy": tagger.dim_cv_accuracy_,
        },
        "threshold": tagger.threshold_,
        "limit": tagger.limit_,
        "word_vectors": ({"package": tagger.vectors_.params["package"],
                          "version": vectors_version(tagger.vectors_.params["package"])}
                         if tagger.vectors_ is not None else None),
        "stacker": {"C": tagger.stacker_.C,
                    "weights": tagger.stacker_.weights(),
                    "intercept": round(tagger.stacker_.intercept_, 4),
                    "form": "keyword score = 1 / (1 + exp(-(weights . standardised features "
                            "+ intercept)))"},
        "weights": {"dimension_thesaurus": tagger.dim_weight_},
        "calibration": {"dimension": list(tagger.dim_calibration_),
                        "form": "score = 1 / (1 + exp(-(slope * raw + intercept)))"},
    }


def train(fiches: Iterable[Fiche], config_dir: str | Path = CONFIG_DIR,
          params: dict[str, Any] | None = None) -> tuple[Tagger, dict[str, Any]]:
    """Fit a tagger on `fiches` with the vocabulary and thesaurus of `config_dir`.

    Returns:
        The fitted tagger and its card (without the file sha256).

    Raises:
        ConfigError: vocabulary or thesaurus missing or malformed.
        TrainingError: no fiche has a keyword or dimension of the vocabulary.
    """
    labels = load_labels(config_dir)
    thesaurus = load_thesaurus(config_dir)
    corpus = build_corpus(fiches, labels)
    if not corpus.docs:
        raise TrainingError("no fiche has a keyword or dimension of the vocabulary")
    tagger = Tagger(labels, thesaurus, params).fit_corpus(corpus)
    thesaurus_hash = hashlib.sha256(json.dumps(thesaurus, ensure_ascii=False,
                                               sort_keys=True).encode()).hexdigest()
    return tagger, model_card(tagger, corpus.data_hash(labels), thesaurus_hash)


def save(tagger: Tagger, card: dict[str, Any], out: str | Path) -> Path:
    """Write `out/model.joblib` and `out/card.json` (with the model's sha256) atomically: both go
    to a temporary folder beside `out`, which then replaces it.

    Returns:
        The model folder.
    """
    import joblib

    target = Path(out)
    with atomic_folder(target) as tmp:
        joblib.dump(tagger, tmp / MODEL_FILE, compress=3)
        card = {**card, "model_file": MODEL_FILE, "sha256": sha256_file(tmp / MODEL_FILE)}
        (tmp / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")
    return target


def load(path: str | Path) -> tuple[Tagger, dict[str, Any]]:
    """The tagger of the model folder `path` and its card; checks come before unpickling.

    Raises:
        ModelError: as `read_card`, or a file that does not unpickle into a tagger.
    """
    card = read_card(path)
    import joblib

    try:
        tagger = joblib.load(Path(path) / MODEL_FILE)
    except Exception as exc:  # noqa: BLE001  (a pickle can fail in many ways)
        raise ModelError(f"{path}: model cannot be loaded ({type(exc).__name__}); "
                         f"{RETRAIN}") from None
    if not isinstance(tagger, Tagger):
        raise ModelError(f"{path}: the model file holds no tagger; {RETRAIN}")
    return tagger, card


class Suggester:
    """A loaded tagger as `enrich` uses it: `suggestions` values per fiche."""

    def __init__(self, tagger: Tagger, card: dict[str, Any], threshold: float | None = None,
                 limit: int | None = None) -> None:
        self.tagger = tagger
        self.threshold = card.get("threshold", 0.5) if threshold is None else threshold
        self.limit = card.get("limit", 3) if limit is None else limit
        self.model = {"sha256": str(card.get("sha256", ""))[:16], "created": card.get("created"),
                      "threshold": self.threshold, "limit": self.limit}

    def suggest_records(self, fiches: list[Fiche]) -> list[dict[str, Any]]:
        """`{keywords: [{label, score, evidence}], dimension: {...} | None, model}` per fiche."""
        out = []
        for s in self.tagger.suggest(fiches, self.threshold, self.limit):
            dimension = s["dimension"]
            out.append({"keywords": [k.to_dict() for k in s["keywords"]],
                        "dimension": dimension.to_dict() if dimension else None,
                        "model": self.model})
        return out


def load_suggester(path: str | Path, threshold: float | None = None,
                   limit: int | None = None) -> Suggester:
    """Load and check a model folder for suggesting.

    Raises:
        ModelError: as `load`.
    """
    tagger, card = load(path)
    return Suggester(tagger, card, threshold, limit)
