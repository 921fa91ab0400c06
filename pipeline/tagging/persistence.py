"""Training entry point and model files: a folder of JSON and numpy arrays (no pickle, nothing
that can run code when read), with its card, checked before anything is read."""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.atomic import atomic_folder
from pipeline.config import CONFIG_DIR
from pipeline.records import Fiche
from pipeline.tagging.backends import Backend, LexicalBackend
from pipeline.tagging.card import (
    CARD_FILE,
    FORMAT,
    MODEL_FILES,
    RETRAIN,
    ModelError,
    library_versions,
    read_card,
    sha256_file,
    vectors_version,
)
from pipeline.tagging.corpus import Corpus, TrainingError, apply_feedback, build_corpus
from pipeline.tagging.crossval import trained_on
from pipeline.tagging.ensemble import Stacker
from pipeline.tagging.tagger import Tagger
from pipeline.tagging.vectors import VectorBackend
from pipeline.tagging.vocabulary import Labels, load_labels, load_thesaurus

JSON_FILE, ARRAYS_FILE = MODEL_FILES
_ARRAY = "$array"
# Bounds on what a model file may hold: a crafted file cannot make loading take all memory.
MAX_JSON_BYTES = 200 << 20


# ---------------------------------------------------------------------------------------------
# Tagger <-> plain state


def _backend_state(backend: Backend | None) -> dict[str, Any] | None:
    return None if backend is None else backend.get_state()


def tagger_state(tagger: Tagger) -> dict[str, Any]:
    """Everything a fitted tagger needs, as nested JSON values and numpy arrays."""
    kw, dim = tagger.keywords_, tagger.dimension_
    return {
        "labels": {"keywords": list(tagger.labels.keywords),
                   "dimensions": list(tagger.labels.dimensions)},
        "thesaurus": tagger.thesaurus, "params": tagger.params,
        "decisions": tagger.decisions_, "trained_on": tagger.trained_on_,
        "corpus_stats": tagger.corpus_stats_,
        "examples": tagger.examples_,
        "keywords": {"lexical": _backend_state(kw.lexical_),
                     "supervised": _backend_state(kw.supervised_),
                     "vectors": _backend_state(kw.vectors_), "stacker": kw.stacker_.get_state(),
                     "prior": kw.prior_, "threshold": kw.threshold_, "limit": kw.limit_,
                     "cv_metrics": kw.cv_metrics_},
        "dimension": {"lexical": _backend_state(dim.lexical_),
                      "vectors": _backend_state(dim.vectors_), "stacker": dim.stacker_.get_state(),
                      "tables": dim.tables_, "parts": list(dim.parts_),
                      "prior_weight": dim.prior_weight_, "cv_accuracy": dim.cv_accuracy_},
    }


def _restore_keywords(tagger: Tagger, state: dict[str, Any]) -> None:
    model = tagger.keyword_model()
    entries, params = model.entries, tagger.params
    model.lexical_ = LexicalBackend(model.labels, entries, params["lexical"]).set_state(
        state["lexical"])
    model.supervised_ = model._supervised().set_state(state["supervised"])
    model.vectors_ = (None if state["vectors"] is None else VectorBackend(
        model.labels, entries, params["vectors"]).set_state(state["vectors"]))
    model.stacker_ = Stacker.from_state(state["stacker"])
    model.prior_ = np.asarray(state["prior"], dtype=float)
    model.threshold_, model.limit_ = float(state["threshold"]), int(state["limit"])
    model.cv_metrics_ = dict(state["cv_metrics"])
    tagger.keywords_ = model


def _restore_dimension(tagger: Tagger, state: dict[str, Any]) -> None:
    model = tagger.dimension_model()
    entries, params = model.entries, tagger.params
    model.lexical_ = LexicalBackend(model.labels, entries, params["lexical"]).set_state(
        state["lexical"])
    model.vectors_ = (None if state["vectors"] is None else VectorBackend(
        model.labels, entries, params["vectors"]).set_state(state["vectors"]))
    model.stacker_ = Stacker.from_state(state["stacker"])
    model.tables_ = {**state["tables"], "facet_names": list(state["tables"]["facet_names"])}
    model.parts_ = tuple(state["parts"])
    model.prior_weight_ = float(state["prior_weight"])
    model.cv_accuracy_ = state["cv_accuracy"]
    tagger.dimension_ = model


def tagger_from_state(state: dict[str, Any]) -> Tagger:
    """The tagger saved by `tagger_state`.

    Raises:
        KeyError, TypeError, ValueError, IndexError: the state is malformed.
    """
    labels = Labels(tuple(state["labels"]["keywords"]), tuple(state["labels"]["dimensions"]))
    tagger = Tagger(labels, state["thesaurus"], state["params"])
    tagger.decisions_, tagger.trained_on_ = state["decisions"], state["trained_on"]
    tagger.corpus_stats_, tagger.examples_ = state["corpus_stats"], state["examples"]
    _restore_keywords(tagger, state["keywords"])
    _restore_dimension(tagger, state["dimension"])
    return tagger


def _split(value: Any, path: str, arrays: dict[str, np.ndarray]) -> Any:
    """`value` with every numpy array moved to `arrays` (keyed by its path) and replaced by a
    reference; tuples become lists, numpy scalars Python numbers."""
    if isinstance(value, np.ndarray):
        arrays[path] = value
        return {_ARRAY: path}
    if isinstance(value, dict):
        return {str(k): _split(v, f"{path}.{k}", arrays) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_split(v, f"{path}.{i}", arrays) for i, v in enumerate(value)]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _join(value: Any, arrays: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_ARRAY}:
            return arrays[value[_ARRAY]]
        return {k: _join(v, arrays) for k, v in value.items()}
    if isinstance(value, list):
        return [_join(v, arrays) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# Training, card, files


def train(fiches: Iterable[Fiche], config_dir: str | Path = CONFIG_DIR,
          params: dict[str, Any] | None = None,
          verdicts: dict[tuple[str, str, str], str] | None = None
          ) -> tuple[Tagger, dict[str, Any], Corpus]:
    """Fit a tagger on `fiches` with the vocabulary and thesaurus of `config_dir`, and on the
    staff `verdicts` in force (`FeedbackStore.latest()`): accepted labels are positives,
    rejected keywords explicit negatives, and the tagger remembers them for those fiches.

    Returns:
        The fitted tagger, its card (without the files' sha256) and the training corpus.

    Raises:
        ConfigError: vocabulary or thesaurus missing or malformed.
        TrainingError: no fiche has a keyword or dimension of the vocabulary.
    """
    labels = load_labels(config_dir)
    thesaurus = load_thesaurus(config_dir)
    applied = apply_feedback(fiches, verdicts or {})
    corpus = build_corpus(applied.fiches, labels, applied.rejected)
    if not corpus.docs:
        raise TrainingError("no fiche has a keyword or dimension of the vocabulary")
    tagger = Tagger(labels, thesaurus, params).fit_corpus(corpus)
    tagger.decisions_ = applied.memory
    tagger.trained_on_ = trained_on(corpus)
    tagger.corpus_stats_["decisions_applied"] = applied.applied
    tagger.corpus_stats_["decisions_on_unknown_fiches"] = applied.unmatched
    thesaurus_hash = hashlib.sha256(json.dumps(thesaurus, ensure_ascii=False,
                                               sort_keys=True).encode()).hexdigest()
    return tagger, model_card(tagger, corpus.data_hash(labels), thesaurus_hash), corpus


def model_card(tagger: Tagger, corpus_hash: str, thesaurus_hash: str) -> dict[str, Any]:
    """The card of a fitted tagger (without the files' sha256, added by `save`)."""
    kw, dim = tagger.keywords_, tagger.dimension_
    vectors = kw.vectors_ or dim.vectors_
    return {
        "format": FORMAT,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "libraries": library_versions(),
        "labels": {"keywords": list(tagger.labels.keywords),
                   "dimensions": list(tagger.labels.dimensions)},
        "training_data": {"sha256": corpus_hash, **tagger.corpus_stats_,
                          "fiches_with_decisions": len(tagger.decisions_)},
        "thesaurus_sha256": thesaurus_hash,
        "examples_per_label": tagger.examples_,
        "cross_validation": {
            "folds": tagger.params["folds"],
            "note": "out-of-fold scores; parts, stacker, threshold and limit chosen on the same "
                    "folds (see `fiches evaluate` for nested figures)",
            "keywords": kw.cv_metrics_,
            "dimension_accuracy": dim.cv_accuracy_,
        },
        "threshold": kw.threshold_,
        "limit": kw.limit_,
        "word_vectors": ({"package": vectors.params["package"],
                          "version": vectors_version(vectors.params["package"])}
                         if vectors is not None else None),
        "keyword_parts": kw.parts_on(),
        "dimension_parts": dim.parts_on(),
    }


def save(tagger: Tagger, card: dict[str, Any], out: str | Path) -> Path:
    """Write `out/model.json`, `out/arrays.npz` and `out/card.json` (with the files' sha256)
    atomically: all go to a temporary folder beside `out`, which then replaces it.

    Returns:
        The model folder.
    """
    arrays: dict[str, np.ndarray] = {}
    state = _split(tagger_state(tagger), "", arrays)
    target = Path(out)
    with atomic_folder(target) as tmp:
        (tmp / JSON_FILE).write_text(json.dumps(state, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
        buffer = io.BytesIO()
        np.savez_compressed(buffer, allow_pickle=False, **arrays)  # type: ignore[arg-type]
        (tmp / ARRAYS_FILE).write_bytes(buffer.getvalue())
        card = {**card, "files": {name: sha256_file(tmp / name) for name in MODEL_FILES}}
        (tmp / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")
    return target


def load(path: str | Path) -> tuple[Tagger, dict[str, Any]]:
    """The tagger of the model folder `path` and its card. The card and every file's sha256
    are checked first; the files are then read as JSON and as arrays without pickles, so
    nothing in them can run.

    Raises:
        ModelError: as `read_card`, or files that do not make a tagger.
    """
    card = read_card(path)
    folder = Path(path)
    try:
        if (folder / JSON_FILE).stat().st_size > MAX_JSON_BYTES:
            raise ValueError("model.json too large")
        state = json.loads((folder / JSON_FILE).read_text(encoding="utf-8"))
        with np.load(folder / ARRAYS_FILE, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        tagger = tagger_from_state(_join(state, arrays))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            UnicodeDecodeError) as exc:
        raise ModelError(f"{folder}: model files cannot be read as a tagger "
                         f"({type(exc).__name__}: {str(exc)[:200]}); {RETRAIN}") from None
    return tagger, card


class Suggester:
    """A loaded tagger as `enrich` uses it: `suggestions` values per fiche."""

    def __init__(self, tagger: Tagger, card: dict[str, Any], threshold: float | None = None,
                 limit: int | None = None) -> None:
        self.tagger = tagger
        self.threshold = card.get("threshold", 0.5) if threshold is None else threshold
        self.limit = card.get("limit", 3) if limit is None else limit
        digest = hashlib.sha256(json.dumps(card.get("files", {}), sort_keys=True).encode())
        self.model = {"sha256": digest.hexdigest()[:16], "created": card.get("created"),
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
