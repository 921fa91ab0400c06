"""The tagger's parts, in the manner of Annif: thesaurus matcher, TF-IDF model, baselines.

Each backend saves as plain state (`get_state` / `set_state`): numpy arrays and JSON values,
never a pickle. Fitted attributes end in `_` and are listed in `STATE`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple, Self

import numpy as np
from numpy.typing import NDArray

from pipeline.tagging.text import FIELD_WEIGHTS, Document, Token
from pipeline.tagging.vocabulary import compile_terms

Array = NDArray[np.float64]

# ---------------------------------------------------------------------------------------------
# Backends: small classes in the manner of Annif. `fit` returns self; fitted attributes end in _.


class Backend:
    """Base backend: merges parameters, calls `_train` and `_suggest_batch`."""

    DEFAULT_PARAMETERS: dict[str, Any] = {}
    # Fitted attributes saved with the model: arrays or JSON values.
    STATE: tuple[str, ...] = ()

    def __init__(self, labels: Sequence[str], params: dict[str, Any] | None = None) -> None:
        self.labels = tuple(labels)
        self.params = {**self.DEFAULT_PARAMETERS, **(params or {})}

    def fit(self, docs: list[Document], targets: Array) -> Self:
        """Learn from documents and their 0/1 targets (documents x labels); returns self."""
        self._train(docs, np.asarray(targets, dtype=float))
        return self

    def suggest_batch(self, docs: list[Document]) -> Array:
        """Scores in [0, 1] (documents x labels); NaN where the backend has no opinion."""
        if not docs:
            return np.zeros((0, len(self.labels)))
        return self._suggest_batch(docs)

    def explain(self, doc: Document, label: int) -> list[tuple[str, float]]:
        """Words of `doc` that led to `label`, with their weight, strongest first."""
        return self.explain_labels(doc, [label])[0]

    def explain_labels(self, doc: Document, labels: Sequence[int]
                       ) -> list[list[tuple[str, float]]]:
        """`explain` for each of `labels`: what a backend computes of the document alone (its
        matches, its features) is computed once for all of them."""
        return [[] for _ in labels]

    def get_state(self) -> dict[str, Any]:
        """The fitted attributes, as arrays and JSON values."""
        return {name: getattr(self, name) for name in self.STATE}

    def set_state(self, state: dict[str, Any]) -> Self:
        """Restore fitted attributes saved by `get_state`; returns self.

        Raises:
            KeyError: an attribute is missing.
        """
        for name in self.STATE:
            setattr(self, name, state[name])
        self.initialize()
        return self

    def initialize(self) -> None:
        """Prepare what is derived from parameters and state (called after fit and load)."""

    def _train(self, docs: list[Document], targets: Array) -> None:
        raise NotImplementedError

    def _suggest_batch(self, docs: list[Document]) -> Array:
        raise NotImplementedError


def _length(doc: Document) -> float:
    """Field-weighted count of content words."""
    return sum(weight for weight, _ in doc.tokens())


class Match(NamedTuple):
    """One occurrence of a thesaurus term: which term, in which field, where."""

    term: int
    field: str
    position: int  # index of its first word among all the document's words
    field_index: int  # in `Document.fields`
    first: int  # its first and last words in that field
    last: int


class LexicalBackend(Backend):
    """Thesaurus matcher: weighted, saturating counts of label terms found in the text.

    Works with no training example: `_train` only indexes the terms.
    """

    # `length_norm` is BM25's b (0.75 is its usual value): 0 counts matches as found, 1
    # divides them by the fiche's length relative to the average, so that a long fiche does not
    # match every label.
    DEFAULT_PARAMETERS = {"scale": 2.0, "related_weight": 0.5, "length_norm": 0.75}
    STATE = ("specificity_", "mean_length_")

    def __init__(self, labels: Sequence[str], entries: dict[str, Any],
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(labels, params)
        self.entries = entries

    def _train(self, docs: list[Document], targets: Array) -> None:
        """Index the terms, then weigh each by its rarity in the training texts (an IDF, scaled
        to (0, 1]): a term found in every fiche ("habitants") tells little. Labels play no part,
        so this carries over to labels without examples."""
        self.initialize()
        df: Counter[int] = Counter()
        for doc in docs:
            df.update({m.term for m in self.matches(doc)})
        n = len(docs)
        self.mean_length_ = (sum(_length(d) for d in docs) / n) if n else 0.0
        top = math.log(n + 1) + 1
        self.specificity_ = np.array([(math.log((n + 1) / (df[i] + 1)) + 1) / top
                                      for i in range(len(self.terms_))])

    def initialize(self) -> None:
        """Index the terms by first word (exact stems) and keep the prefix-first ones apart."""
        self.terms_ = compile_terms(self.entries, self.labels, self.params["related_weight"])
        self.term_labels_ = np.array([t.label for t in self.terms_], dtype=int)
        self.exact_: dict[str, list[int]] = {}
        self.prefixes_: list[tuple[str, int]] = []
        for i, term in enumerate(self.terms_):
            is_prefix, text = term.patterns[0]
            if is_prefix:
                self.prefixes_.append((text, i))
            else:
                self.exact_.setdefault(text, []).append(i)
        self._prefix_cache: dict[str, list[int]] = {}
        self._last: tuple[Document, list[Match]] | None = None

    def _starting(self, tok: Token) -> list[int]:
        found = self._prefix_cache.get(tok.folded)
        if found is None:
            found = [i for prefix, i in self.prefixes_ if tok.folded.startswith(prefix)]
            if len(self._prefix_cache) < 500_000:
                self._prefix_cache[tok.folded] = found
        return self.exact_.get(tok.stem, []) + found

    def matches(self, doc: Document) -> list[Match]:
        """Every term occurrence in `doc` (the last document's are kept: its labels are scored
        and explained in a row)."""
        last = self._last  # read once: the service may call from several threads
        if last is not None and last[0] is doc:
            return last[1]
        out, offset = [], 0
        for f, (name, toks) in enumerate(doc.fields):
            for start, tok in enumerate(toks):
                for i in self._starting(tok):
                    patterns = self.terms_[i].patterns
                    end = start + len(patterns)
                    if end > len(toks):
                        continue
                    if all(toks[start + k].folded.startswith(text) if is_prefix
                           else toks[start + k].stem == text
                           for k, (is_prefix, text) in enumerate(patterns[1:], start=1)):
                        out.append(Match(i, name, offset + start, f, start, end - 1))
            offset += len(toks)
        self._last = (doc, out)
        return out

    def _raw(self, doc: Document, explain: bool = False
             ) -> tuple[Array, dict[int, dict[str, float]]]:
        """Raw label scores of `doc`; with `explain`, also per label the matched phrases (as
        written) and their weight."""
        per_term: dict[int, float] = {}
        words: dict[int, dict[str, float]] = {}
        for m in self.matches(doc):
            weight = FIELD_WEIGHTS.get(m.field, 1.0)
            per_term[m.term] = per_term.get(m.term, 0.0) + weight
            if explain:
                label_words = words.setdefault(self.terms_[m.term].label, {})
                text = doc.phrase(m.field_index, m.first, m.last)
                label_words[text] = label_words.get(text, 0.0) + (
                    weight * self.terms_[m.term].weight * self.specificity_[m.term])
        raw = np.zeros(len(self.labels))
        b, mean = self.params["length_norm"], self.mean_length_
        norm = 1.0 - b + b * _length(doc) / mean if b and mean else 1.0
        for i, total in per_term.items():
            raw[self.terms_[i].label] += (self.terms_[i].weight * self.specificity_[i]
                                          * math.log1p(total / norm))
        return raw, words

    def _suggest_batch(self, docs: list[Document]) -> Array:
        raw = np.array([self._raw(doc)[0] for doc in docs])
        return 1.0 - np.exp(-raw / self.params["scale"])

    def explain_labels(self, doc: Document, labels: Sequence[int]
                       ) -> list[list[tuple[str, float]]]:
        per_label = self._raw(doc, explain=True)[1]
        return [sorted(((w, float(s)) for w, s in per_label.get(label, {}).items()),
                       key=lambda ws: -ws[1]) for label in labels]


class TfidfBackend(Backend):
    """Supervised: TF-IDF of stems (words and pairs) and a logistic regression per label.

    Multi-label: one binary model per label with at least `min_examples` examples (NaN for the
    others, so the thesaurus alone decides there). Single-label: one multinomial model.
    With `evidence_only` (multi-label), a score says only how much the fiche's words support a
    label, `1 - exp(-max(w.x, 0))`: the intercept (the label's training frequency) is left out
    and a label without a model or without a supporting word scores 0.
    """

    DEFAULT_PARAMETERS = {"C": 3.0, "min_examples": 2, "ngram_max": 2, "max_features": 50_000,
                          "multilabel": True, "class_weight": None, "prior_fill": True,
                          "prior_strength": 2.0, "evidence_only": False}
    STATE = ("vocabulary_", "idf_", "coef_", "intercept_", "has_model_", "multilabel_", "prior_")

    def _vectorizer(self, vocabulary: dict[str, int] | None = None) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(
            token_pattern=r"\S+", lowercase=False, sublinear_tf=True,
            ngram_range=(1, self.params["ngram_max"]), max_features=self.params["max_features"],
            min_df=1, dtype=np.float64, vocabulary=vocabulary)

    def initialize(self) -> None:
        """Rebuild the vectoriser from the saved vocabulary and IDF weights."""
        self.vectorizer_ = self._vectorizer({w: i for i, w in enumerate(self.vocabulary_)})
        self.vectorizer_.idf_ = np.asarray(self.idf_, dtype=np.float64)
        self._names = np.asarray(self.vocabulary_, dtype=object)
        self._last: tuple[tuple[Document, ...], Any] | None = None

    def _train(self, docs: list[Document], targets: Array) -> None:
        from sklearn.linear_model import LogisticRegression

        vectorizer = self._vectorizer()
        if len(docs) >= 200:
            vectorizer.set_params(min_df=2)
        x = vectorizer.fit_transform([d.stem_text() for d in docs])
        self.vocabulary_ = vectorizer.get_feature_names_out().tolist()
        self.idf_ = vectorizer.idf_
        self.initialize()
        n_labels = len(self.labels)
        self.coef_ = np.zeros((n_labels, x.shape[1]))
        self.intercept_ = np.zeros(n_labels)
        self.has_model_ = np.zeros(n_labels, dtype=bool)
        self.multilabel_ = bool(self.params["multilabel"])
        # Smoothed label frequencies, shrunk toward the mean rate: what the model says of labels
        # it has too few examples to learn.
        alpha = self.params["prior_strength"]
        self.prior_ = ((targets.sum(axis=0) + alpha * targets.mean()) / (len(docs) + alpha)
                       if len(docs) else np.zeros(n_labels))
        if self.multilabel_:
            for j in range(n_labels):
                positives = int(targets[:, j].sum())
                if positives < self.params["min_examples"] or positives == len(docs):
                    continue
                model = LogisticRegression(C=self.params["C"], solver="liblinear",
                                           class_weight=self.params["class_weight"])
                model.fit(x, targets[:, j])
                self.coef_[j] = model.coef_[0]
                self.intercept_[j] = model.intercept_[0]
                self.has_model_[j] = True
            return
        self._train_single(x, targets.argmax(axis=1))

    def _train_single(self, x: Any, y: NDArray[np.int_]) -> None:
        """One-vs-rest binary models (liblinear: fast on sparse text, no BLAS threads), turned
        into a distribution by a softmax of their logits when suggesting."""
        from sklearn.linear_model import LogisticRegression

        classes = np.unique(y)
        if len(classes) < 2:
            return
        for cls in classes:
            model = LogisticRegression(C=self.params["C"], solver="liblinear",
                                       class_weight=self.params["class_weight"])
            model.fit(x, (y == cls).astype(float))
            self.coef_[cls], self.intercept_[cls] = model.coef_[0], model.intercept_[0]
            self.has_model_[cls] = True

    def _suggest_batch(self, docs: list[Document]) -> Array:
        x = self._transform(docs)
        self._last = (tuple(docs), x)
        evidence = np.asarray(x @ self.coef_.T)
        if self.multilabel_ and self.params["evidence_only"]:
            return 1.0 - np.exp(-np.maximum(evidence, 0.0))
        logits = evidence + self.intercept_
        if self.multilabel_:
            scores = 1.0 / (1.0 + np.exp(-logits))
        else:
            logits = np.where(self.has_model_, logits, -np.inf)
            if not self.has_model_.any():
                logits = np.zeros_like(logits)
            logits = logits - logits.max(axis=1, keepdims=True)
            scores = np.exp(logits)
            scores /= scores.sum(axis=1, keepdims=True)
        if self.multilabel_ and self.params["prior_fill"]:
            scores[:, ~self.has_model_] = self.prior_[~self.has_model_]
        else:
            scores[:, ~self.has_model_] = np.nan
        return scores

    def explain_labels(self, doc: Document, labels: Sequence[int]
                       ) -> list[list[tuple[str, float]]]:
        """Per label, the fiche's words and pairs with the largest positive contributions
        (TF-IDF weight times coefficient), as written in the fiche, strongest first."""
        if not any(self.has_model_[label] for label in labels):
            return [[] for _ in labels]
        x = self._transformed(doc).tocoo()
        written: dict[str, str | None] = {}  # feature -> its words as written, if any
        out: list[list[tuple[str, float]]] = []
        for label in labels:
            if not self.has_model_[label]:
                out.append([])
                continue
            contrib = x.data * self.coef_[label, x.col]
            positive = np.flatnonzero(contrib > 0)
            top = positive[np.argsort(-contrib[positive], kind="stable")[:5]]
            found = []
            for i in top:
                name = self._names[x.col[i]]
                if name not in written:
                    written[name] = doc.surface_of(name.split())
                words = written[name]
                if words:  # only words as written in the fiche, never a bare stem
                    found.append((words, float(contrib[i])))
            out.append(found)
        return out

    def _transformed(self, doc: Document) -> Any:
        """The TF-IDF row of `doc`: from the last batch scored when it was in it (a fiche's
        labels are explained right after it is scored), else computed."""
        last = self._last  # read once: the service may call from several threads
        if last is not None:
            for row, scored in enumerate(last[0]):
                if scored is doc:
                    return last[1][row]
        return self._transform([doc])

    def _transform(self, docs: list[Document]) -> Any:
        """The documents' TF-IDF rows. The vectoriser's checks of its parameters and of the
        result's finiteness are skipped: this class made both (a third of the cost of a fiche)."""
        import sklearn

        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return self.vectorizer_.transform([d.stem_text() for d in docs])


class FrequencyBaseline(Backend):
    """Baseline: every document gets the training frequency of each label."""

    def _train(self, docs: list[Document], targets: Array) -> None:
        self.frequency_ = targets.mean(axis=0) if len(targets) else np.zeros(len(self.labels))

    def _suggest_batch(self, docs: list[Document]) -> Array:
        return np.tile(self.frequency_, (len(docs), 1))


class TfidfLogRegBaseline(Backend):
    """Baseline: plain TF-IDF of the raw words and a default logistic regression per label."""

    def _train(self, docs: list[Document], targets: Array) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer_ = TfidfVectorizer()
        x = self.vectorizer_.fit_transform([d.raw_text() for d in docs])
        self.models_: list[Any] = []
        for j in range(targets.shape[1]):
            column = targets[:, j]
            if 0 < column.sum() < len(column):
                self.models_.append(LogisticRegression().fit(x, column))
            else:
                self.models_.append(float(column.mean()) if len(column) else 0.0)

    def _suggest_batch(self, docs: list[Document]) -> Array:
        x = self.vectorizer_.transform([d.raw_text() for d in docs])
        columns = [m.predict_proba(x)[:, 1] if not isinstance(m, float)
                   else np.full(len(docs), m) for m in self.models_]
        return np.column_stack(columns)
