"""SCAFFOLD: placeholder for budget, funders and entities (to be replaced)."""

from typing import Any

from spacy.tokens import Doc


def build_budget(docs: dict[str, Doc]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    return None, []


def build_entities(docs: dict[str, Doc]) -> list[dict[str, Any]]:
    return []
