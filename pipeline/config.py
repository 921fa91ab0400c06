"""Where the project's configuration and models live, and reading its JSON config files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def check_config(config_dir: str | Path = CONFIG_DIR) -> None:
    """Read and check every config file of `config_dir` against the shape the stages expect,
    so a broken file stops a command before any work rather than failing each fiche.

    Raises:
        ConfigError: the folder is missing, a file is not valid JSON, or an entry has the wrong
            shape; the message names the file and the entry.
    """
    folder = Path(config_dir)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such config folder")
    for name in sorted(_SHAPES):
        if not (folder / name).is_file():
            raise ConfigError(f"{folder / name}: missing config file")
    for path in sorted(folder.glob("*.json")):
        data = load_json(path.name, folder)
        check = _SHAPES.get(path.name)
        if check is not None:
            problem = check(data)
            if problem:
                raise ConfigError(f"{path}: {problem}")


def _words(value: Any, where: str) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        return f"{where}: expected a list of non-empty strings"
    return None


def _object(data: Any, required: tuple[str, ...]) -> str | None:
    if not isinstance(data, dict):
        return "expected a JSON object"
    missing = [key for key in required if key not in data]
    return f"missing entry {missing[0]!r}" if missing else None


def _organisations(data: Any) -> str | None:
    """`patterns`: SpanRuler-style `{label, pattern, id}`; `funder_types`: id -> type."""
    if problem := _object(data, ("patterns", "funder_types")):
        return problem
    if not isinstance(data["patterns"], list) or not data["patterns"]:
        return "patterns: expected a non-empty list"
    for i, entry in enumerate(data["patterns"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
            return f"patterns[{i}]: expected an object with a 'label' string"
        pattern = entry.get("pattern")
        token_list = (isinstance(pattern, list) and pattern
                      and all(isinstance(t, dict) and t for t in pattern))
        if not (isinstance(pattern, str) and pattern.strip()) and not token_list:
            return f"patterns[{i}]: 'pattern' must be a phrase or a list of token patterns"
        if not isinstance(entry.get("id", ""), str):
            return f"patterns[{i}]: 'id' must be a string"
    types = data["funder_types"]
    if not isinstance(types, dict) or not all(isinstance(v, str) for v in types.values()):
        return "funder_types: expected an object of id -> funder type"
    return None


def _roles(data: Any) -> str | None:
    """Role word lists, each a list of words ("about" and "prototypes" aside)."""
    if problem := _object(data, ("professional", "volunteer", "beneficiary")):
        return problem
    for key, value in data.items():
        if key not in ("about", "prototypes") and (problem := _words(value, key)):
            return problem
    return None


def _vocabulary(data: Any) -> str | None:
    """The form's controlled values: at least the keywords and dimensions."""
    if problem := _object(data, ("keywords", "dimensions")):
        return problem
    return _words(data["keywords"], "keywords") or _words(data["dimensions"], "dimensions")


def _thesaurus(data: Any) -> str | None:
    """Per label, `terms` (and optional `related`): lists of words."""
    if problem := _object(data, ("keywords", "dimensions")):
        return problem
    for part in ("keywords", "dimensions"):
        if not isinstance(data[part], dict):
            return f"{part}: expected an object of label -> terms"
        for label, entry in data[part].items():
            if not isinstance(entry, dict):
                return f"{part}.{label}: expected an object with 'terms'"
            for key in ("terms", "related"):
                if key in entry and (problem := _words(entry[key], f"{part}.{label}.{key}")):
                    return problem
    return None


def _partners(data: Any) -> str | None:
    """Partner types per gazetteer id, kind words per type, word lists, a similarity."""
    required = ("types", "funding_only", "kinds", "people", "not_kinds", "generic_heads",
                "similarity")
    if problem := _object(data, required):
        return problem
    if not isinstance(data["types"], dict) or not all(
            isinstance(v, str) for v in data["types"].values()):
        return "types: expected an object of id -> partner type"
    if not isinstance(data["kinds"], dict):
        return "kinds: expected an object of type -> words"
    for kind, words in data["kinds"].items():
        if problem := _words(words, f"kinds.{kind}"):
            return problem
    for key in ("funding_only", "people", "not_kinds", "generic_heads"):
        if problem := _words(data[key], key):
            return problem
    similarity = data["similarity"]
    if isinstance(similarity, bool) or not isinstance(similarity, int | float):
        return "similarity: expected a number"
    return None


# Every file the stages read, and the shape each must have.
_SHAPES: dict[str, Callable[[Any], str | None]] = {
    "organisations.json": _organisations, "roles.json": _roles,
    "vocabulary.json": _vocabulary, "thesaurus.json": _thesaurus, "partners.json": _partners,
}
