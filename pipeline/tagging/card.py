"""The tagger model's card: library versions and the sha256 of every model file, checked before
anything is read.

Kept apart from the tagger so that checking a model imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

# The model itself: JSON (parameters, vocabulary, thesaurus, small values) and numpy arrays
# (read with allow_pickle=False). Neither format can run code when read.
MODEL_FILES = ("model.json", "arrays.npz")
CARD_FILE = "card.json"
FORMAT = 4
# Libraries whose versions must match for the saved arrays to mean the same thing.
LIBRARIES = ("scikit-learn", "numpy", "scipy")
RETRAIN = "retrain with `fiches train`"


class ModelError(Exception):
    """A model that cannot be used: missing, altered or incompatible. Says to retrain."""


def vectors_version(package: str) -> str:
    """Installed version of a word vectors package, or "absent"."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def library_versions() -> dict[str, str]:
    """Versions of Python (major.minor) and of the libraries the model depends on."""
    versions = {"python": ".".join(platform.python_version_tuple()[:2])}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_card(path: str | Path) -> dict[str, Any]:
    """The card of the model folder `path`, checked against this installation and the sha256 of
    every model file, before any of them is read.

    Raises:
        ModelError: missing or unreadable card, other library versions, a model file missing,
            unlisted or altered.
    """
    folder = Path(path)
    card_path = folder / CARD_FILE
    if not folder.is_dir() or not card_path.is_file():
        raise ModelError(f"{folder}: no tagger model there (expected {CARD_FILE} and "
                         f"{', '.join(MODEL_FILES)}); {RETRAIN}")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{card_path}: unreadable model card ({exc}); {RETRAIN}") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        raise ModelError(f"{card_path}: not a tagger model card of format {FORMAT} (an older "
                         f"model?); {RETRAIN}")
    here = library_versions()
    trained = card.get("libraries") or {}
    diff = [f"{name} {trained.get(name)} (here {version})" for name, version in here.items()
            if trained.get(name) != version]
    if diff:
        raise ModelError(f"{folder}: model made with other library versions: {', '.join(diff)}; "
                         f"{RETRAIN}")
    vectors = card.get("word_vectors") or {}
    if vectors and vectors_version(vectors.get("package", "")) != vectors.get("version"):
        raise ModelError(f"{folder}: model made with word vectors {vectors.get('package')} "
                         f"{vectors.get('version')} (here "
                         f"{vectors_version(vectors.get('package', ''))}); {RETRAIN}")
    files = card.get("files")
    if not isinstance(files, dict) or sorted(files) != sorted(MODEL_FILES):
        raise ModelError(f"{card_path}: the card must list the sha256 of "
                         f"{', '.join(MODEL_FILES)}; {RETRAIN}")
    for name in MODEL_FILES:
        file = folder / name
        if not file.is_file():
            raise ModelError(f"{file}: model file missing; {RETRAIN}")
        if files[name] != sha256_file(file):
            raise ModelError(f"{file}: file does not match the sha256 of its card (altered or "
                             f"corrupted); {RETRAIN}")
    return card
