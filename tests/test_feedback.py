"""Tests for pipeline.tagging.feedback: the store of staff decisions on suggestions."""

import io
import json

import pytest

from pipeline.tagging.feedback import Decision, FeedbackError, FeedbackStore


def test_decisions_are_stored_exported_and_the_latest_wins(tmp_path):
    path = tmp_path / "feedback.db"
    with FeedbackStore(path) as store:
        store.add([Decision("f1", "keyword", "Famille", "accepted", "ana"),
                   Decision("f1", "dimension", "Pouvoir d'agir", "rejected", "ana")])
    with FeedbackStore(path) as store:  # persisted across openings
        store.add([Decision("f1", "keyword", "Famille", "rejected", "bob")])
        assert store.latest() == {("f1", "keyword", "Famille"): "rejected",
                                  ("f1", "dimension", "Pouvoir d'agir"): "rejected"}
        out = io.StringIO()
        assert store.export_jsonl(out) == 3
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["who"] for r in rows] == ["ana", "ana", "bob"]
    assert all(r["at"].endswith("+00:00") for r in rows)


@pytest.mark.parametrize("decision, field", [
    (Decision("", "keyword", "Famille", "accepted", "ana"), "fiche_id"),
    (Decision("f1", "tag", "Famille", "accepted", "ana"), "kind"),  # type: ignore[arg-type]
    (Decision("f1", "keyword", "Famille", "maybe", "ana"), "verdict"),  # type: ignore[arg-type]
    (Decision("f1", "keyword", "x" * 201, "accepted", "ana"), "label"),
])
def test_a_malformed_decision_is_refused_naming_its_field_and_nothing_is_stored(
        tmp_path, decision, field):
    with FeedbackStore(tmp_path / "f.db") as store:
        good = Decision("f1", "keyword", "Famille", "accepted", "ana")
        with pytest.raises(FeedbackError, match=field):
            store.add([good, decision])
        assert list(store) == []


def test_an_unusable_feedback_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "feedback.db"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(FeedbackError, match="feedback.db"):
        FeedbackStore(bad)
