"""SCAFFOLD: placeholder for headcounts (to be replaced)."""

from typing import Any

from spacy.tokens import Doc


def build_headcount(docs: dict[str, Doc]) -> dict[str, Any]:
    return {"professionals": None, "volunteers": None, "beneficiaries": None, "total": None,
            "mentions": []}
