"""Where the project's configuration and models live, and reading its JSON config files."""

from __future__ import annotations

import json
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
    """Parse every JSON file of `config_dir`, so a broken file stops a run before it starts
    rather than failing each fiche in a worker.

    Raises:
        ConfigError: the folder is missing, or a file is not valid JSON.
    """
    folder = Path(config_dir)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such config folder")
    for path in sorted(folder.glob("*.json")):
        load_json(path.name, folder)
