"""Where the project's configuration and models live, and reading its JSON config files."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.normalize import fold

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"
MODELS_DIR = ROOT / "models"


class ConfigError(Exception):
    """A config file is missing or malformed; the message names it."""


def load_json(name: str, config_dir: str | Path = CONFIG_DIR) -> Any:
    """Parse `config_dir/name`.

    Raises:
        ConfigError: the file is missing or not valid JSON.
    """
    path = Path(config_dir) / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """`organisations.json`: SpanRuler-style patterns with canonical ids, and the funder type
    and the words that must not follow, per id."""

    patterns: tuple[dict[str, Any], ...]
    funder_types: dict[str, str]
    not_followed_by: dict[str, tuple[str, ...]]


@dataclass(frozen=True, eq=False)
class RoleWords:
    """`roles.json`: word lists per category and cue, and vector prototypes per role."""

    lists: dict[str, tuple[str, ...]]
    prototypes: dict[str, tuple[str, ...]]


@dataclass(frozen=True, eq=False)
class PartnerConfig:
    """`partners.json`; see its `about`."""

    types: dict[str, str]  # gazetteer id -> partner type
    funding_only: frozenset[str]  # folded
    kinds: dict[str, tuple[str, ...]]  # partner type -> its head nouns, as written
    people: frozenset[str]  # folded
    not_kinds: tuple[str, ...]  # abstract nouns, as written
    generic_heads: frozenset[str]  # folded
    similarity: float

    @property
    def partner_types(self) -> frozenset[str]:
        """Every type a partner may have."""
        return frozenset(self.types.values()) | frozenset(self.kinds) | {"Autre"}


@dataclass(frozen=True, eq=False)
class ExtractionConfig:
    """Everything the extraction components are initialised with."""

    gazetteer: Gazetteer
    roles: RoleWords
    partners: PartnerConfig


def check_config(config_dir: str | Path = CONFIG_DIR) -> ExtractionConfig:
    """Read and check every config file of `config_dir` against the shape the stages expect,
    so a broken file stops a command before any work rather than failing each fiche.

    Returns:
        The extraction's typed config, read once per process while the files are unchanged.

    Raises:
        ConfigError: the folder is missing, a file is not valid JSON, or an entry has the wrong
            shape; the message names the file and the entry.
    """
    folder = Path(config_dir).resolve()
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such config folder")
    stamp = []
    for name in sorted(_SHAPES):
        try:
            info = (folder / name).stat()
        except OSError:
            raise ConfigError(f"{folder / name}: missing config file") from None
        stamp.append((name, info.st_mtime_ns, info.st_size))
    return _read_config(str(folder), tuple(stamp))


@lru_cache(maxsize=8)
def _read_config(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> ExtractionConfig:
    """The checked config of `folder`; `stamp` (names, times, sizes) renews the cache."""
    read: dict[str, Any] = {}
    for name, parse in sorted(_SHAPES.items()):
        data = load_json(name, folder)
        try:
            read[name] = parse(data)
        except _Shape as problem:
            raise ConfigError(f"{Path(folder) / name}: {problem}") from None
    return ExtractionConfig(read["organisations.json"], read["roles.json"],
                            read["partners.json"])


class _Shape(Exception):
    """An entry of a config file has the wrong shape (the message names the entry)."""


def _words(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _Shape(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _object(data: Any, required: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _Shape("expected a JSON object")
    missing = [key for key in required if key not in data]
    if missing:
        raise _Shape(f"missing entry {missing[0]!r}")
    return data


def _names(value: Any, where: str, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _Shape(f"{where}: expected an object of id -> {what}")
    return {str(k): v for k, v in value.items()}


def _word_lists(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise _Shape(f"{where}: expected an object of name -> words")
    return {str(k): _words(v, f"{where}.{k}") for k, v in value.items() if k != "about"}


def _organisations(data: Any) -> Gazetteer:
    """`patterns`: SpanRuler-style `{label, pattern, id}`; `funder_types`: id -> type."""
    data = _object(data, ("patterns", "funder_types"))
    if not isinstance(data["patterns"], list) or not data["patterns"]:
        raise _Shape("patterns: expected a non-empty list")
    for i, entry in enumerate(data["patterns"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
            raise _Shape(f"patterns[{i}]: expected an object with a 'label' string")
        pattern = entry.get("pattern")
        token_list = (isinstance(pattern, list) and pattern
                      and all(isinstance(t, dict) and t for t in pattern))
        if not (isinstance(pattern, str) and pattern.strip()) and not token_list:
            raise _Shape(f"patterns[{i}]: 'pattern' must be a phrase or a list of token patterns")
        if not isinstance(entry.get("id", ""), str):
            raise _Shape(f"patterns[{i}]: 'id' must be a string")
    return Gazetteer(tuple(data["patterns"]), _names(data["funder_types"], "funder_types",
                                                     "funder type"),
                     _word_lists(data.get("not_followed_by", {}), "not_followed_by"))


def _roles(data: Any) -> RoleWords:
    """Role word lists, each a list of words ("about" and "prototypes" aside)."""
    data = _object(data, ("professional", "volunteer", "beneficiary"))
    lists = {key: _words(value, key) for key, value in data.items()
             if key not in ("about", "prototypes")}
    return RoleWords(lists, _word_lists(data.get("prototypes", {}), "prototypes"))


def _vocabulary(data: Any) -> None:
    """The form's controlled values: at least the keywords and dimensions."""
    data = _object(data, ("keywords", "dimensions"))
    _words(data["keywords"], "keywords")
    _words(data["dimensions"], "dimensions")


def _thesaurus(data: Any) -> None:
    """Per label, `terms` (and optional `related`): lists of words."""
    data = _object(data, ("keywords", "dimensions"))
    for part in ("keywords", "dimensions"):
        if not isinstance(data[part], dict):
            raise _Shape(f"{part}: expected an object of label -> terms")
        for label, entry in data[part].items():
            if not isinstance(entry, dict):
                raise _Shape(f"{part}.{label}: expected an object with 'terms'")
            for key in ("terms", "related"):
                if key in entry:
                    _words(entry[key], f"{part}.{label}.{key}")


def _partners(data: Any) -> PartnerConfig:
    """Partner types per gazetteer id, kind words per type, word lists, a similarity."""
    data = _object(data, ("types", "funding_only", "kinds", "people", "not_kinds",
                          "generic_heads", "similarity"))
    similarity = data["similarity"]
    if isinstance(similarity, bool) or not isinstance(similarity, int | float):
        raise _Shape("similarity: expected a number")
    return PartnerConfig(
        types=_names(data["types"], "types", "partner type"),
        funding_only=frozenset(fold(w) for w in _words(data["funding_only"], "funding_only")),
        kinds=_word_lists(data["kinds"], "kinds"),
        people=frozenset(fold(w) for w in _words(data["people"], "people")),
        not_kinds=_words(data["not_kinds"], "not_kinds"),
        generic_heads=frozenset(fold(w) for w in _words(data["generic_heads"], "generic_heads")),
        similarity=float(similarity),
    )


# Every file the stages read, and how each is checked and read.
_SHAPES: dict[str, Callable[[Any], Any]] = {
    "organisations.json": _organisations, "roles.json": _roles,
    "vocabulary.json": _vocabulary, "thesaurus.json": _thesaurus, "partners.json": _partners,
}
