"""SCAFFOLD: placeholder for dates (to be replaced)."""

from typing import Any

from spacy.tokens import Doc


def build_dates(docs: dict[str, Doc]) -> dict[str, Any]:
    return {"start": None, "end": None, "years": [], "mentions": []}
