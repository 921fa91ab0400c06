"""The tagger: the keyword and dimension models, trained together, and the suggestions they make
(with the words that led to each, and the staff decisions already given honoured)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.records import Fiche
from pipeline.tagging.backends import Array, Backend
from pipeline.tagging.corpus import Corpus, TrainingError, build_corpus
from pipeline.tagging.dimension import DimensionModel
from pipeline.tagging.ensemble import KeywordModel
from pipeline.tagging.text import Document, fiche_document
from pipeline.tagging.vocabulary import Labels


@dataclass
class Suggestion:
    """One suggested label with its score and the words of the fiche that led to it."""

    label: str
    score: float
    evidence: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": self.score, "evidence": self.evidence}


class Tagger:
    """Keyword model (thesaurus match features, TF-IDF, optional word vectors, one shared
    classifier) and dimension model, each tuned by cross-validation inside `fit`."""

    DEFAULT_PARAMETERS: dict[str, Any] = {
        "folds": 5,
        "n_jobs": 1,
        # Model selection (the stackers' parts and strengths) looks at most at this many fiches
        # (a fixed random subset), so that its cost stops growing with the catalogue; the chosen
        # model is then fitted on every fiche.
        "tune_max_fiches": 2000,
        "lexical": {},
        "supervised": {},
        # Word vectors: "auto" keeps them where cross-validation shows they help; True / False
        # force them on / off.
        "use_vectors": "auto",
        "vectors": {},
        # Inverse regularisation strengths tried for the keyword stacker.
        "stack_C": (0.1, 1.0),
        # Inverse regularisation strengths tried for the dimension's stacker.
        "dimension_C": (0.1, 1.0),
        # How the dimension's parts are chosen: "log_loss" (likelihood of the right answers,
        # accuracy breaking ties) or "accuracy" (see dimension.py).
        "dimension_select": "log_loss",
        # The keyword labels' training frequencies as a feature (and in the TF-IDF part's
        # scores): off, since a few dozen fiches say little of another catalogue's labels.
        "keyword_prior": False,
        # Weights of the dimensions' log prior tried by cross-validation: 1 is Bayes' rule,
        # which trusts the training catalogue's mix of dimensions to be the new fiches' mix. The
        # sample's is not (59 % Citoyenneté, while fiches written elsewhere are mostly
        # Services): at 1.0 the unseen sets' dimension fell to 55 of 126 right, at 0.2 it is
        # 77 (0.0: 73, 0.5: 72). Chosen among by inner CV on 22 fiches, they cost a fiche.
        "dimension_prior_weights": (0.2,),
        # Weight of a keyword staff rejected for a fiche, against 1 for one merely absent.
        "negative_weight": 3.0,
        "evidence": 5,
    }

    def __init__(self, labels: Labels, thesaurus: dict[str, Any],
                 params: dict[str, Any] | None = None) -> None:
        self.labels = labels
        self.thesaurus = thesaurus
        self.params = {**self.DEFAULT_PARAMETERS, **(params or {})}
        # Staff verdicts per fiche id: {"keyword": {label: verdict}, "dimension": {...}}.
        self.decisions_: dict[str, dict[str, dict[str, str]]] = {}
        # Per fiche id learned from, a hash of its labels (see `crossval.trained_on`).
        self.trained_on_: dict[str, str] = {}

    def keyword_model(self) -> KeywordModel:
        return KeywordModel(self.labels.keywords, self.thesaurus["keywords"], self.params)

    def dimension_model(self) -> DimensionModel:
        return DimensionModel(self.labels.dimensions, self.thesaurus["dimensions"], self.params)

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
        kw_rows = np.flatnonzero((corpus.keywords.sum(axis=1) + corpus.negatives.sum(axis=1)) > 0)
        kw = corpus.subset(kw_rows)
        self.keywords_ = self.keyword_model().fit(kw, k)
        self.fit_dimension(corpus.subset(np.flatnonzero(corpus.dimensions >= 0)), k,
                           {doc.id: row for doc, row in zip(kw.docs, self.keywords_.oof_,
                                                            strict=True)})
        return self

    def fit_dimension(self, corpus: Corpus, k: int | None,
                      known: dict[str, Array] | None = None) -> None:
        """Fit the dimension model; keyword scores of its fiches come from `known` (out-of-fold,
        by fiche id) where given, else from the fitted keyword model."""
        known = known or {}
        missing = [d for d in corpus.docs if d.id not in known]
        fresh = dict(zip((d.id for d in missing), self.keywords_.scores(missing), strict=True)
                     ) if missing else {}
        kw = np.array([known.get(d.id, fresh.get(d.id)) for d in corpus.docs]).reshape(
            len(corpus.docs), len(self.labels.keywords))
        self.dimension_ = self.dimension_model().fit(corpus, kw, k)

    # -- suggesting

    def keyword_scores(self, docs: list[Document]) -> dict[str, Array]:
        """Per part, keyword scores (documents x keywords): thesaurus, tfidf, ensemble..."""
        return self.keywords_.parts(docs)

    def _evidence(self, parts: Sequence[Backend | None], doc: Document,
                  labels: list[int]) -> list[list[str]]:
        """Per label, the words that led to it: each part's three strongest, first spelling
        kept. Each part explains all the labels at once, reading the fiche once."""
        seen: list[dict[str, str]] = [{} for _ in labels]  # lowercased -> as written
        for backend in parts:
            if backend is None:
                continue
            for found, explained in zip(seen, backend.explain_labels(doc, labels), strict=True):
                for words, _ in explained[:3]:
                    found.setdefault(words.lower(), words)
        return [list(found.values())[: self.params["evidence"]] for found in seen]

    def _keywords(self, fiche: Fiche, doc: Document, scores: Array, threshold: float,
                  limit: int) -> list[Suggestion]:
        has = {j for k in fiche.keywords if (j := self.labels.keyword_index(k)) is not None}
        verdicts = self.decisions_.get(fiche.id, {}).get("keyword", {})
        order = [int(j) for j in np.argsort(-scores, kind="stable")]
        accepted = [j for j in order if verdicts.get(self.labels.keywords[j]) == "accepted"]
        chosen: list[int] = []
        for j in accepted + [j for j in order if j not in accepted]:
            if len(chosen) >= limit or (scores[j] < threshold and j not in accepted):
                break
            if j in has or verdicts.get(self.labels.keywords[j]) == "rejected":
                continue
            chosen.append(j)
        parts = (self.keywords_.lexical_, self.keywords_.supervised_, self.keywords_.vectors_)
        return [Suggestion(self.labels.keywords[j], round(float(scores[j]), 3), words)
                for j, words in zip(chosen, self._evidence(parts, doc, chosen), strict=True)]

    def suggest(self, fiches: Sequence[Fiche], threshold: float | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
        """Suggestions per fiche: `{"keywords": [Suggestion...], "dimension": Suggestion|None}`.

        Keywords are ranked by score, kept when at least `threshold` (default: the tuned one),
        at most `limit`, leaving out those the fiche already has and those staff rejected for
        it (those staff accepted come first). The dimension is suggested only to fiches without
        one and with some text.
        """
        threshold = self.keywords_.threshold_ if threshold is None else threshold
        limit = self.keywords_.limit_ if limit is None else limit
        docs = [fiche_document(f) for f in fiches]
        kw = self.keywords_.scores(docs)
        dims = self.dimension_.scores(docs, kw) if docs else np.zeros((0, 0))
        dim_parts = (self.dimension_.lexical_, self.dimension_.vectors_)
        out = []
        for row, (fiche, doc) in enumerate(zip(fiches, docs, strict=True)):
            dimension = None
            if not fiche.dimension and any(toks for _, toks in doc.fields):
                c = int(dims[row].argmax())
                dimension = Suggestion(self.labels.dimensions[c], round(float(dims[row, c]), 3),
                                       self._evidence(dim_parts, doc, [c])[0])
            out.append({"keywords": self._keywords(fiche, doc, kw[row], threshold, limit),
                        "dimension": dimension})
        return out
