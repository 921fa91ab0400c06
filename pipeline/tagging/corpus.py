"""The training corpus: tagged fiches (plus staff decisions) as documents and 0/1 targets, and the
folds that cross-validation splits it into."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pipeline.records import Fiche
from pipeline.tagging.text import Document, fiche_document
from pipeline.tagging.vocabulary import Labels

Array = NDArray[np.float64]


class TrainingError(ValueError):
    """Training data that cannot make a model (no tagged fiche)."""


@dataclass
class Corpus:
    """Deduplicated training fiches: documents, keyword targets, dimension targets, and the
    keywords staff rejected (explicit negatives, 1 where rejected)."""

    docs: list[Document]
    keywords: Array
    dimensions: NDArray[np.int_]
    rejected: Array | None = None
    unknown_keywords: Counter[str] = field(default_factory=Counter)
    unknown_dimensions: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    untagged: int = 0

    def __post_init__(self) -> None:
        if self.rejected is None:
            self.rejected = np.zeros(self.keywords.shape)

    @property
    def negatives(self) -> Array:
        assert self.rejected is not None
        return self.rejected

    def subset(self, rows: Sequence[int] | NDArray[np.int_]) -> Corpus:
        rows = list(rows)
        return Corpus([self.docs[i] for i in rows], self.keywords[rows], self.dimensions[rows],
                      self.negatives[rows])

    def data_hash(self, labels: Labels) -> str:
        """sha256 of the documents' ids and labels, in a canonical order."""
        items = sorted(
            [d.id, [labels.keywords[j] for j in np.flatnonzero(k)],
             labels.dimensions[int(c)] if c >= 0 else None,
             [labels.keywords[j] for j in np.flatnonzero(r)]]
            for d, k, c, r in zip(self.docs, self.keywords, self.dimensions, self.negatives,
                                  strict=True))
        return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()


def build_corpus(fiches: Iterable[Fiche], labels: Labels,
                 rejected: dict[str, set[str]] | None = None) -> Corpus:
    """Fiches with a known keyword or dimension (or a rejected keyword), each content once
    (duplicates by `duplicate_of` or id are skipped so they cannot leak across folds). Unknown
    keywords are counted. `rejected` maps fiche ids to keywords staff rejected for them."""
    rejected = rejected or {}
    seen: set[str] = set()
    docs, rows, dims, negs = [], [], [], []
    unknown_kw: Counter[str] = Counter()
    unknown_dim: Counter[str] = Counter()
    duplicates = untagged = 0
    for fiche in fiches:
        if fiche.duplicate_of is not None or fiche.id in seen:
            duplicates += 1
            continue
        seen.add(fiche.id)
        row, neg = np.zeros(len(labels.keywords)), np.zeros(len(labels.keywords))
        for keyword in fiche.keywords:
            j = labels.keyword_index(keyword)
            if j is None:
                unknown_kw[keyword] += 1
            else:
                row[j] = 1.0
        for keyword in rejected.get(fiche.id, ()):
            if (j := labels.keyword_index(keyword)) is not None:
                neg[j], row[j] = 1.0, 0.0
        dim = labels.dimension_index(fiche.dimension) if fiche.dimension else None
        if fiche.dimension and dim is None:
            unknown_dim[fiche.dimension] += 1
        if not row.any() and dim is None and not neg.any():
            untagged += 1
            continue
        docs.append(fiche_document(fiche))
        rows.append(row)
        negs.append(neg)
        dims.append(-1 if dim is None else dim)
    width = len(labels.keywords)
    keywords = np.array(rows) if rows else np.zeros((0, width))
    negatives = np.array(negs) if negs else np.zeros((0, width))
    return Corpus(docs, keywords, np.array(dims, dtype=int), negatives, unknown_kw, unknown_dim,
                  duplicates, untagged)


@dataclass
class FeedbackApplied:
    """What staff decisions did to a catalogue: the updated fiches and the counts."""

    fiches: list[Fiche]
    rejected: dict[str, set[str]]
    # Verdicts per fiche id, as the tagger keeps them: {"keyword": {label: verdict}, ...}.
    memory: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    applied: int = 0
    unmatched: int = 0  # decisions on fiches the catalogue does not hold


def apply_feedback(fiches: Iterable[Fiche], verdicts: dict[tuple[str, str, str], str]
                   ) -> FeedbackApplied:
    """The catalogue with staff verdicts in force: an accepted keyword is added to the fiche, a
    rejected one removed and kept as an explicit negative; an accepted dimension replaces the
    fiche's, a rejected one is removed. `verdicts` is `FeedbackStore.latest()`."""
    by_fiche: dict[str, list[tuple[str, str, str]]] = {}
    for (fiche_id, kind, label), verdict in verdicts.items():
        by_fiche.setdefault(fiche_id, []).append((kind, label, verdict))
    out: list[Fiche] = []
    rejected: dict[str, set[str]] = {}
    memory: dict[str, dict[str, dict[str, str]]] = {}
    applied, found = 0, set()
    for fiche in fiches:
        decisions = by_fiche.get(fiche.id)
        if not decisions or fiche.duplicate_of is not None:
            out.append(fiche)
            continue
        found.add(fiche.id)
        keywords, dimension = list(fiche.keywords), fiche.dimension
        for kind, label, verdict in decisions:
            applied += 1
            memory.setdefault(fiche.id, {}).setdefault(kind, {})[label] = verdict
            if kind == "keyword" and verdict == "accepted" and label not in keywords:
                keywords.append(label)
            elif kind == "keyword" and verdict == "rejected":
                keywords = [k for k in keywords if k != label]
                rejected.setdefault(fiche.id, set()).add(label)
            elif kind == "dimension" and verdict == "accepted":
                dimension = label
            elif kind == "dimension" and dimension == label:
                dimension = None
        updated = replace(fiche, keywords=keywords, dimension=dimension)
        # Decisions refer to the fiche as read: keep its id (a cached property) unchanged.
        updated.__dict__["id"] = fiche.id
        out.append(updated)
    unmatched = sum(len(v) for k, v in by_fiche.items() if k not in found)
    return FeedbackApplied(out, rejected, memory, applied, unmatched)


def folds(n: int, k: int | None, seed: int = 0) -> list[tuple[NDArray[np.int_], NDArray[np.int_]]]:
    """(train, test) index pairs: leave-one-out when `k` is None or >= n, else shuffled k-fold."""
    if n < 2:
        return []
    order = np.random.default_rng(seed).permutation(n)
    k = n if k is None or k >= n else max(2, k)
    parts = np.array_split(order, k)
    return [(np.sort(np.concatenate(parts[:i] + parts[i + 1:])), np.sort(part))
            for i, part in enumerate(parts)]


def tuning_rows(n: int, cap: int, seed: int = 0) -> NDArray[np.int_]:
    """The rows model selection looks at: all `n` up to `cap`, else a fixed random subset of
    `cap` of them (sorted), so that a search's cost does not grow with the catalogue."""
    if n <= cap:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=cap, replace=False))


def _fold_scores(make: Callable[[], Any], docs: list[Document], targets: Array,
                 train: NDArray[np.int_], test: NDArray[np.int_]) -> Array:
    backend = make().fit([docs[i] for i in train], targets[train])
    return np.asarray(backend.suggest_batch([docs[i] for i in test]))


def out_of_fold(make: Callable[[], Any], docs: list[Document], targets: Array, k: int | None,
                n_jobs: int = 1) -> Array:
    """Scores of each document by a backend (from `make()`) trained without it; NaN kept.
    With `n_jobs` > 1 the folds run in parallel threads (joblib): the fits that take the time
    (liblinear) release the GIL, and threads share the documents where worker processes would
    each receive a pickled copy of them (at 10 000 fiches, 1.4 GB per worker and most of the
    time spent copying)."""
    splits = folds(len(docs), k)
    if n_jobs == 1 or len(splits) < 2:
        results = [_fold_scores(make, docs, targets, tr, te) for tr, te in splits]
    else:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(_fold_scores)(make, docs, targets, tr, te) for tr, te in splits)
    scores = np.zeros(targets.shape)
    for (_, test), result in zip(splits, results, strict=True):
        scores[test] = result
    return scores
