"""Extraction over whole fiches: evidence offsets point into the field, hostile input is bounded."""

from __future__ import annotations

import time

import pytest

from pipeline.extraction.extract import MAX_FIELD_CHARS, bounded_text
from pipeline.records import Fiche, Source
from pipeline.running.stages import Settings, enrich


def test_bounded_text_keeps_offsets_and_says_what_changed():
    text = "Budget : 1 500 € " + "(" * 1000 + " fin"
    safe, notes = bounded_text(text)
    assert len(safe) == len(text)
    assert safe[:17] == text[:17] and safe.endswith(" fin")
    assert max(len(run) for run in safe.split()) < 200
    assert notes == ["runs of over 200 characters without a space broken up for extraction"]
    cut, notes = bounded_text("mot " * MAX_FIELD_CHARS)
    assert len(cut) == MAX_FIELD_CHARS and "cut at" in notes[0]
    assert bounded_text("Un texte ordinaire.") == ("Un texte ordinaire.", [])


@pytest.mark.slow
def test_evidence_offsets_point_into_the_field_text():
    fiche = Fiche(
        source=Source("t.txt", 0, 1), title="Jardin",
        description="Depuis mars 2019, l'action est financée par la CAF du Nord et la Ville.",
        financial_resources="Subvention CAF : 2 000 €\nVille : 1 000 €\nTotal : 3 000 €",
        people_mobilised="2 animateurs et une dizaine de bénévoles")
    [record] = enrich([fiche], Settings(model=None))
    fields = fiche.text_fields()
    spans = [*record["entities"], *record["funders"], *record["budget"]["lines"],
             *record["headcount"]["mentions"], *record["dates"]["mentions"]]
    assert spans
    for span in spans:
        text = fields[span["field"]]
        assert 0 <= span["start"] < span["end"] <= len(text)
        if "text" in span:
            assert text[span["start"]:span["end"]] == span["text"]
    assert record["budget"]["total_eur"] == 3000
    assert {f["type"] for f in record["funders"]} == {"CAF", "Commune"}
    assert record["dates"]["start"] == "2019-03"


@pytest.mark.slow
def test_hostile_fields_are_processed_in_bounded_time():
    fiche = Fiche(
        source=Source("t.txt", 0, 1), title="Hostile",
        description="(" * 10_000 + "CAF" + ")" * 10_000,
        financial_resources="1" * 100_000 + " €",
        summary="Financé par la CAF : 1 000 €. " * 170_000,  # about 5 MB
    )
    started = time.perf_counter()
    [record] = enrich([fiche], Settings(model=None))
    assert time.perf_counter() - started < 120
    assert any("summary: cut at" in w for w in record["warnings"])
    assert any("broken up" in w for w in record["warnings"])


def test_assembled_line_is_the_dumped_record():
    import json

    from pipeline.running.output import dumps
    from pipeline.running.stages import assemble, assemble_line

    fiche = Fiche(source=Source("t.txt", 2, 40), title="Été", keywords=["Santé"],
                  warnings=["missing heading: Dimension"])
    extraction = json.dumps({"entities": [], "budget": {"total_eur": 1500.0, "lines": []},
                             "funders": [{"type": "CAF", "name": "Caf"}]}, ensure_ascii=False)
    suggestions = json.dumps({"keywords": [{"label": "Famille", "score": 0.5}]})
    for extra in ("", json.dumps({"extraction_warnings": ["summary: cut"]})[1:-1]):
        payload = extraction[:-1] + (", " + extra if extra else "") + "}"
        for sugg in (suggestions, "null"):
            line = assemble_line(fiche, payload, sugg)
            assert line == dumps(assemble(fiche, payload, sugg))
            assert json.loads(line)["suggestions"] == json.loads(sugg)
    assert assemble_line(fiche, "{}", "null") == dumps(assemble(fiche, "{}", "null"))


def test_a_stage_fingerprint_is_the_hash_of_its_folder(tmp_path, monkeypatch):
    """Editing any module of `tagging/` changes the suggestion fingerprint only, and any module of
    `extraction/` (a new one included) the extraction fingerprint only."""
    import shutil

    import pipeline.running.stages as stages

    package = tmp_path / "pipeline"
    shutil.copytree(stages.PACKAGE_DIR, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stages, "PACKAGE_DIR", package)
    model = tmp_path / "model"
    model.mkdir()
    (model / "card.json").write_text("{}")
    settings = stages.Settings(model=model)

    def prints() -> tuple[str, str]:
        return stages.extraction_fingerprint(), stages.suggestion_fingerprint(settings)

    before = prints()
    (package / "tagging" / "new_backend.py").write_text("X = 1\n")
    after_tagging = prints()
    assert after_tagging[0] == before[0] and after_tagging[1] != before[1]
    (package / "extraction" / "components" / "new_component.py").write_text("X = 1\n")
    after_extraction = prints()
    assert after_extraction[0] != after_tagging[0] and after_extraction[1] == after_tagging[1]
    (package / "reporting" / "synthesis.py").write_text("X = 2\n")
    assert prints() == after_extraction
