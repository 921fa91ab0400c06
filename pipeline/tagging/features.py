"""Generic features of each (fiche, label) pair, the MLLM idea of Annif: how a label's thesaurus
terms occur in a fiche (how often, how early, in which field, how spread), the text evidence of
the supervised model and the vector scores. Nothing names a label, so one classifier serves them
all and a label without examples is scored by the same rule. The label's training frequency is
left out by default: among a few dozen fiches it says little of another catalogue's labels, and
with it a label frequent in training was suggested to fiches that never mention it."""

from __future__ import annotations

import math

import numpy as np

from pipeline.tagging.backends import Array, LexicalBackend
from pipeline.tagging.text import Document

# Columns of `match_features`, in order.
MATCH_COLUMNS = ("thesaurus", "count", "first", "title", "summary", "spread", "terms", "strength")
# The fields a reader sees first: a match there says more than one deep in the description.
HEAD_FIELDS = {"title": 3, "summary": 4}
# Cosines (mapped to [0, 1]) of a fiche to the labels spread over a few hundredths.
VECTOR_TEMPERATURE = 0.02


def match_features(lexical: LexicalBackend, docs: list[Document]) -> Array:
    """Per document and label, the thesaurus features (documents x labels x columns)."""
    n_labels = len(lexical.labels)
    out = np.zeros((len(docs), n_labels, len(MATCH_COLUMNS)))
    for row, doc in enumerate(docs):
        # One document at a time: its matches are computed once for the score and features.
        out[row, :, 0] = lexical.suggest_batch([doc])[0]
        total = max(sum(len(toks) for _, toks in doc.fields), 1)
        n_fields = max(len(doc.fields), 1)
        per_label: dict[int, list] = {}
        for m in lexical.matches(doc):
            per_label.setdefault(lexical.terms_[m.term].label, []).append(m)
        for label, found in per_label.items():
            fields = {m.field for m in found}
            out[row, label, 1:] = (
                math.log1p(len(found)),
                1.0 - min(m.position for m in found) / total,
                float("title" in fields),
                float("summary" in fields),
                len(fields) / n_fields,
                math.log1p(len({m.term for m in found})),
                max(lexical.terms_[m.term].weight for m in found),
            )
    return out


def row_softmax(scores: Array, temperature: float) -> Array:
    """Each row's scores as shares summing to 1 (sharper for a lower temperature)."""
    z = (scores - scores.max(axis=1, keepdims=True)) / temperature
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def pair_features(matches: Array, supervised: Array, prior: Array | None = None,
                  vectors: Array | None = None) -> Array:
    """All pair features, flattened to one row per (document, label) pair: the thesaurus
    features, the supervised text evidence (0 where there is none or no model), when given the
    label's prior log-odds and the label's share of the fiche's vector similarity."""
    n_docs, n_labels = supervised.shape
    columns = [matches, np.nan_to_num(supervised, nan=0.0)[..., None]]
    if prior is not None:
        p = np.clip(prior, 1e-3, 1 - 1e-3)
        columns.append(np.broadcast_to(np.log(p / (1 - p)), (n_docs, n_labels))[..., None])
    if vectors is not None:
        columns.append(row_softmax(vectors, VECTOR_TEMPERATURE)[..., None])
    return np.concatenate(columns, axis=2).reshape(n_docs * n_labels, -1)


def feature_names(with_vectors: bool, with_prior: bool = False) -> tuple[str, ...]:
    """Names of the `pair_features` columns."""
    return ((*MATCH_COLUMNS, "tfidf") + (("prior",) if with_prior else ())
            + (("vectors",) if with_vectors else ()))
