"""Checks that a decoded JSON record is an enriched fiche the budget report can read."""

from __future__ import annotations

from typing import Any

ENRICH_HINT = ("these look like parsed records, not enriched ones: run `fiches enrich` first "
               "(fiches enrich data/fiches_sample.txt -o out/enriched.jsonl)")


class ReportError(ValueError):
    """A record that cannot be summarised; the message says which one and why."""


def check_record(record: Any, where: str) -> None:
    """Check that a record is an enriched fiche the report can read.

    Args:
        record: one decoded JSON value.
        where: how to name the record in errors, e.g. `"out/enriched.jsonl:12"`.

    Raises:
        ReportError: the record is not an object, has no `id`, has no `budget` key (a parsed,
            not enriched, record), or its budget or funders have the wrong shape.
    """
    if not isinstance(record, dict):
        raise ReportError(f"{where}: expected a JSON object, got {type(record).__name__}")
    if not isinstance(record.get("id"), str):
        raise ReportError(f"{where}: record has no 'id'")
    if "budget" not in record:
        raise ReportError(f"{where}: record has no 'budget' field; {ENRICH_HINT}")
    budget = record["budget"]
    if budget is not None:
        if not isinstance(budget, dict):
            raise ReportError(f"{where}: 'budget' must be an object or null")
        if not is_amount(budget.get("total_eur")):
            raise ReportError(f"{where}: 'budget.total_eur' must be a number or null")
        if not isinstance(budget.get("lines") or [], list):
            raise ReportError(f"{where}: 'budget.lines' must be a list")
    funders = record.get("funders") or []
    if not isinstance(funders, list):
        raise ReportError(f"{where}: 'funders' must be a list")
    for funder in funders:
        if not isinstance(funder, dict) or not isinstance(funder.get("type"), str):
            raise ReportError(f"{where}: each funder must be an object with a 'type'")
        if not is_amount(funder.get("amount_eur")):
            raise ReportError(f"{where}: 'funders[].amount_eur' must be a number or null")


def where(record: Any, index: int) -> str:
    source = record.get("source") if isinstance(record, dict) else None
    if isinstance(source, dict) and "file" in source:
        return f"record {index + 1} ({source.get('file')}, fiche line {source.get('line')})"
    return f"record {index + 1}"


def is_amount(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
