"""Measuring the tagger: nested cross-validation against baselines, the learning curve, and the
champion / challenger comparison that guards `fiches train`."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pipeline.records import Fiche
from pipeline.tagging import metrics as ev
from pipeline.tagging.backends import Array, Backend, FrequencyBaseline, TfidfLogRegBaseline
from pipeline.tagging.corpus import Corpus, TrainingError, build_corpus, folds, out_of_fold
from pipeline.tagging.ensemble import tune_cutoff
from pipeline.tagging.tagger import Tagger
from pipeline.tagging.vocabulary import Labels

LEARNING_SIZES = (5, 10, 15)


def _baseline(make: Callable[[], Backend], train: Corpus, test: Corpus, k: int | None
              ) -> tuple[Array, NDArray[np.bool_]]:
    y = train.keywords
    threshold, limit, _ = tune_cutoff(out_of_fold(make, train.docs, y, k), y)
    scores = make().fit(train.docs, y).suggest_batch(test.docs)
    return scores, ev.predict(scores, threshold, limit)


def _outer(k: int | None, n: int) -> int | None:
    return None if k == 0 else k if k is not None else (None if n <= 30 else 5)


def keyword_cv(kw: Corpus, labels: Labels, thesaurus: dict[str, Any], outer_k: int | None,
               params: dict[str, Any] | None) -> dict[str, Any]:
    """Nested cross-validation of the keyword ensemble, its parts and two baselines."""
    inner_k = (params or {}).get("folds", Tagger.DEFAULT_PARAMETERS["folds"])
    scores: dict[str, Array] = {}
    predicted: dict[str, NDArray[np.bool_]] = {}
    for train_rows, test_rows in folds(len(kw.docs), outer_k):
        train, test = kw.subset(train_rows), kw.subset(test_rows)
        model = Tagger(labels, thesaurus, params).keyword_model().fit(train, inner_k)
        parts = model.parts(test.docs)
        for name, values in parts.items():
            cutoff = ((model.threshold_, model.limit_) if name == "ensemble"
                      else tune_cutoff(_part_oof(model, name, train, inner_k), train.keywords)[:2])
            _put(scores, predicted, name, test_rows, values, ev.predict(values, *cutoff),
                 kw.keywords.shape)
        for name, make in (("most frequent", lambda: FrequencyBaseline(labels.keywords)),
                           ("tf-idf + logreg", lambda: TfidfLogRegBaseline(labels.keywords))):
            s, p = _baseline(make, train, test, inner_k)
            _put(scores, predicted, name, test_rows, s, p, kw.keywords.shape)
    truth = kw.keywords
    order = ["ensemble", *[s for s in scores if s != "ensemble"]]
    return {s: {**ev.summary(truth, scores[s], predicted[s]),
                "per_label": ev.per_label(truth, predicted[s])} for s in order}


def _part_oof(model: Any, name: str, train: Corpus, k: int | None) -> Array:
    """A part's scores of its training fiches, for tuning its own cutoffs: out-of-fold for the
    supervised part, as they are for the parts that learn no label."""
    if name == "tfidf":
        return np.nan_to_num(out_of_fold(model._supervised, train.docs, train.keywords, k))
    return model.parts(train.docs)[name]


def _put(scores: dict[str, Array], predicted: dict[str, NDArray[np.bool_]], name: str,
         rows: NDArray[np.int_], s: Array, p: NDArray[np.bool_], shape: tuple[int, ...]) -> None:
    scores.setdefault(name, np.zeros(shape))[rows] = s
    predicted.setdefault(name, np.zeros(shape, dtype=bool))[rows] = p


def dimension_cv(dim: Corpus, labels: Labels, thesaurus: dict[str, Any], outer_k: int | None,
                 params: dict[str, Any] | None) -> dict[str, Any]:
    """Nested cross-validation of the dimension model against the majority class and a plain
    TF-IDF + logistic regression: accuracy, macro-F1, per-class precision and recall."""
    inner_k = (params or {}).get("folds", Tagger.DEFAULT_PARAMETERS["folds"])
    n = len(labels.dimensions)
    guesses: dict[str, list[int]] = {}
    for train_rows, test_rows in folds(len(dim.docs), outer_k):
        train, test = dim.subset(train_rows), dim.subset(test_rows)
        tagger = Tagger(labels, thesaurus, params)
        kw_rows = np.flatnonzero(train.keywords.sum(axis=1) > 0)
        tagger.keywords_ = tagger.keyword_model().fit(train.subset(kw_rows), inner_k)
        tagger.fit_dimension(train, inner_k, {train.docs[i].id: row for i, row in
                                              zip(kw_rows, tagger.keywords_.oof_, strict=True)})
        parts = {"ensemble": tagger.dimension_.scores(test.docs,
                                                      tagger.keywords_.scores(test.docs))}
        y = np.zeros((len(train.docs), n))
        y[np.arange(len(train.docs)), train.dimensions] = 1.0
        for name, backend in (("most frequent", FrequencyBaseline(labels.dimensions)),
                              ("tf-idf + logreg", TfidfLogRegBaseline(labels.dimensions))):
            parts[name] = backend.fit(train.docs, y).suggest_batch(test.docs)
        for name, values in parts.items():
            for row, best in zip(test_rows, values.argmax(axis=1), strict=True):
                guesses.setdefault(name, [0] * len(dim.docs))[row] = int(best)
    truth = dim.dimensions.tolist()
    out: dict[str, Any] = {"fiches": len(dim.docs), "labels": list(labels.dimensions)}
    t = np.eye(n, dtype=bool)[truth]
    for name, guess in guesses.items():
        p = np.eye(n, dtype=bool)[guess]
        out[name] = {"accuracy": ev.accuracy(truth, guess), "macro_f1": ev.macro_f1(t, p),
                     "per_label": ev.per_label(t, p)}
    return out


def cross_evaluate(fiches: Iterable[Fiche], labels: Labels, thesaurus: dict[str, Any],
                   k: int | None = None, params: dict[str, Any] | None = None,
                   curve: bool = True) -> dict[str, Any]:
    """Nested cross-validation of the tagger, its parts and baselines, and its learning curve.

    Each outer fold trains a full model (which tunes itself by inner cross-validation) on the
    other fiches and scores the held-out ones; baselines tune their cutoffs the same way. `k`
    folds; 0 for leave-one-out; None for leave-one-out up to 30 fiches, else 5.

    Returns:
        A JSON-ready dict: `keywords` (per system: summary metrics, per-label P/R), `dimension`
        (per system: accuracy, macro-F1, per-class P/R), `learning_curve`, corpus counts.

    Raises:
        TrainingError: fewer than 3 fiches with keywords.
    """
    started = time.perf_counter()
    corpus = build_corpus(fiches, labels)
    kw = corpus.subset(np.flatnonzero(corpus.keywords.sum(axis=1) > 0))
    if len(kw.docs) < 3:
        raise TrainingError("cross-validation needs at least 3 fiches with keywords")
    outer_k = _outer(k, len(kw.docs))
    result: dict[str, Any] = {
        "fiches": len(kw.docs), "folds": "leave-one-out" if outer_k is None else outer_k,
        "duplicates_skipped": corpus.duplicates, "unknown_keywords": dict(corpus.unknown_keywords),
        "labels": list(labels.keywords),
        "keywords": keyword_cv(kw, labels, thesaurus, outer_k, params)}
    dim = corpus.subset(np.flatnonzero(corpus.dimensions >= 0))
    result["dimension"] = (dimension_cv(dim, labels, thesaurus, outer_k, params)
                           if len(dim.docs) >= 4 else {})
    if curve:
        result["learning_curve"] = learning_curve(corpus, labels, thesaurus, params)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def learning_curve(corpus: Corpus, labels: Labels, thesaurus: dict[str, Any],
                   params: dict[str, Any] | None, k: int = 5) -> list[dict[str, Any]]:
    """Keyword micro-F1 and P@1, dimension accuracy, of the tagger trained on 5, 10, 15 and all
    of each training part of the same `k` folds (a random subset, the same for every size)."""
    n = len(corpus.docs)
    rng = np.random.default_rng(0)
    sizes = [s for s in LEARNING_SIZES if s < n * (k - 1) / k] + [0]
    rows: list[dict[str, Any]] = []
    splits = [(rng.permutation(tr), te) for tr, te in folds(n, k)]
    for size in sizes:
        kw_scores, kw_pred, truth, dim_right, dims = [], [], [], 0, 0
        for train_rows, test_rows in splits:
            chosen = np.sort(train_rows[:size] if size else train_rows)
            train, test = corpus.subset(chosen), corpus.subset(test_rows)
            if not (train.keywords.sum(axis=1) > 0).any():
                continue
            tagger = Tagger(labels, thesaurus, params).fit_corpus(train)
            scores = tagger.keywords_.scores(test.docs)
            kw_scores.append(scores)
            kw_pred.append(ev.predict(scores, tagger.keywords_.threshold_,
                                      tagger.keywords_.limit_))
            truth.append(test.keywords)
            has_dim = test.dimensions >= 0
            if has_dim.any():
                guess = tagger.dimension_.scores(test.docs, scores).argmax(axis=1)
                dim_right += int((guess[has_dim] == test.dimensions[has_dim]).sum())
                dims += int(has_dim.sum())
        t, s, p = np.vstack(truth), np.vstack(kw_scores), np.vstack(kw_pred)
        rows.append({"trained_on": size or "all", "micro_f1": ev.micro_f1(t, p),
                     "precision@1": ev.precision_at_k(t, s, 1),
                     "dimension_accuracy": dim_right / dims if dims else None})
    return rows


# ---------------------------------------------------------------------------------------------
# Champion and challenger


def trained_on(corpus: Corpus) -> dict[str, str]:
    """Per fiche id, a short hash of the labels the model learned for it."""
    out = {}
    for doc, k, d, r in zip(corpus.docs, corpus.keywords, corpus.dimensions, corpus.negatives,
                            strict=True):
        key = json.dumps([np.flatnonzero(k).tolist(), int(d), np.flatnonzero(r).tolist()])
        out[doc.id] = hashlib.sha256(key.encode()).hexdigest()[:12]
    return out


def compare(champion: Tagger, challenger: Tagger, corpus: Corpus,
            champion_seen: dict[str, str], minimum: int = 3) -> dict[str, Any]:
    """Keyword micro-F1 and P@1 of the current model (as it is) and of the new one (out-of-fold)
    on the same fiches: those of the training corpus the current model never learned with
    these labels (new fiches, or fiches whose labels staff changed).

    Returns:
        `{"fiches", "champion", "challenger", "better"}`; `better` is "challenger",
        "champion", or "not comparable" (fewer than `minimum` such fiches, or other labels).
    """
    if champion.labels != challenger.labels:
        return {"fiches": 0, "better": "not comparable", "reason": "other label set"}
    now = trained_on(corpus)
    oof = {d.id: row for d, row in zip(_keyword_docs(corpus), challenger.keywords_.oof_,
                                       strict=True)}
    rows = [i for i, d in enumerate(corpus.docs)
            if d.id in oof and champion_seen.get(d.id) != now[d.id]
            and corpus.keywords[i].any()]
    out: dict[str, Any] = {"fiches": len(rows)}
    if len(rows) < minimum:
        return {**out, "better": "not comparable"}
    truth = corpus.keywords[rows]
    docs = [corpus.docs[i] for i in rows]
    for name, model, scores in (
            ("champion", champion, champion.keywords_.scores(docs)),
            ("challenger", challenger, np.array([oof[d.id] for d in docs]))):
        predicted = ev.predict(scores, model.keywords_.threshold_, model.keywords_.limit_)
        out[name] = {"micro_f1": round(ev.micro_f1(truth, predicted), 4),
                     "precision@1": round(ev.precision_at_k(truth, scores, 1), 4)}
    better = out["champion"]["micro_f1"] > out["challenger"]["micro_f1"] + 1e-9
    return {**out, "better": "champion" if better else "challenger"}


def _keyword_docs(corpus: Corpus) -> list[Any]:
    rows = np.flatnonzero((corpus.keywords.sum(axis=1) + corpus.negatives.sum(axis=1)) > 0)
    return [corpus.docs[i] for i in rows]
