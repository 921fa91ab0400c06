"""Partner-type tables of the report, checked against hand-counted records."""

from __future__ import annotations

from typing import Any

from pipeline.reporting.partners import (
    by_partner_type,
    chart_partner_types,
    partner_types_by_departement,
)
from pipeline.reporting.synthesis import UNKNOWN


def _record(key: str, departement: str | None, *types: str) -> dict[str, Any]:
    return {"id": key, "budget": None, "funders": [],
            "structure": {"name": "CS", "departement": departement},
            "partners": [{"type": t, "name": t, "field": "summary", "start": 0, "end": 1}
                         for t in types]}


RECORDS = [
    _record("a", "Var", "CAF", "Association", "Association"),
    _record("a", "Var", "CAF", "Association"),  # a duplicate: counted once
    _record("b", "Var", "Association"),
    _record("c", "Gard", "Commune", "CAF"),
    _record("d", None),
    {"id": "e", "budget": None, "funders": [], "structure": {"departement": "Gard"}},
]


def test_fiches_per_partner_type_count_distinct_fiches_once_per_type():
    table = by_partner_type(RECORDS)
    assert table.to_dict("records") == [
        {"partner_type": "Association", "fiches": 2, "share_of_fiches": 2 / 5},
        {"partner_type": "CAF", "fiches": 2, "share_of_fiches": 2 / 5},
        {"partner_type": "Commune", "fiches": 1, "share_of_fiches": 1 / 5},
    ]


def test_partner_types_per_departement():
    table = partner_types_by_departement(RECORDS).set_index("departement")
    assert list(table.index) == ["Gard", "Var"]
    assert table.loc["Var"].to_dict() == {"Association": 2, "CAF": 1, "Commune": 0}
    assert table.loc["Gard"].to_dict() == {"Association": 0, "CAF": 1, "Commune": 1}
    unknown = partner_types_by_departement([_record("x", None, "Santé")])
    assert list(unknown["departement"]) == [UNKNOWN]


def test_no_partner_at_all_gives_empty_tables_and_a_chart():
    records = [_record("d", "Var")]
    assert by_partner_type(records).empty
    assert partner_types_by_departement(records).empty
    assert chart_partner_types(by_partner_type(records)) is not None
