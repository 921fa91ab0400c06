"""Tests for pipeline.enriched: the typed enriched record and its shipped JSON Schema."""

from __future__ import annotations

import copy
import json
from importlib.resources import files

import jsonschema
import pytest

from pipeline.enriched import EnrichedFiche, json_schema
from pipeline.reading.parse import read_fiches
from pipeline.records import RecordError


def shipped(name: str) -> dict:
    return json.loads(files("pipeline").joinpath(name).read_text("utf-8"))


@pytest.fixture(scope="module")
def sample_records(full_nlp) -> list[dict]:
    """What `make run` writes: the sample catalogue enriched with the shipped model."""
    from pipeline.running.stages import enrich

    fiches = list(read_fiches("data/fiches_sample.txt"))
    return list(enrich(fiches))


def test_the_shipped_schema_is_the_one_the_types_generate():
    assert shipped("enriched.schema.json") == json_schema(shipped("fiche.schema.json")), \
        "regenerate pipeline/enriched.schema.json from pipeline.enriched.json_schema"


@pytest.mark.slow
def test_every_record_of_the_sample_run_validates_and_round_trips(sample_records):
    validator = jsonschema.Draft202012Validator(shipped("enriched.schema.json"))
    assert len(sample_records) == 25
    for record in sample_records:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(record)]
        assert errors == [], record["source"]
        assert EnrichedFiche.from_dict(record).to_dict() == record


@pytest.mark.slow
@pytest.mark.parametrize("change, path", [
    (lambda r: r["budget"]["lines"].append({**LINE, "kind": "gift"}), "budget.lines[0].kind"),
    (lambda r: r["funders"].append({**FUNDER, "type": "Mairie"}), "funders[0].type"),
    (lambda r: r["headcount"].pop("volunteers"), "headcount.volunteers"),
    (lambda r: r["dates"].update(years=["2019"]), "dates.years[0]"),
    (lambda r: r["budget"].update(_share=0.5), "budget._share"),
])
def test_a_malformed_part_is_refused_naming_its_path(sample_records, change, path):
    record = copy.deepcopy(next(r for r in sample_records if not r["budget"]["lines"]
                                and not r["funders"]))
    change(record)
    with pytest.raises(RecordError, match=path.replace("[", r"\[").replace("]", r"\]")):
        EnrichedFiche.from_dict(record)
    assert list(jsonschema.Draft202012Validator(shipped("enriched.schema.json"))
                .iter_errors(record))


LINE = {"label": "CAF", "amount_eur": 10.0, "kind": "funding", "funder": "CAF",
        "field": "financial_resources", "start": 0, "end": 3}
FUNDER = {"type": "CAF", "name": "CAF", "amount_eur": None, "field": "description",
          "start": 0, "end": 3}
