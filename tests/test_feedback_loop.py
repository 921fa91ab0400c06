"""The retraining loop end to end: suggestions, staff decisions stored, retrain, the rejected
label gone and the accepted one suggested for that fiche; and the champion / challenger guard."""

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.tagging.corpus import apply_feedback, build_corpus
from tests.test_classify import CORPUS, FAST, LABELS, THESAURUS, fiche

runner = CliRunner()
TRAIN = ["train", "--folds", "3", "--no-vectors"]  # vectors take seconds to load
# A fiche of the catalogue nobody has tagged: the thesaurus points to seniors and to culture.
TARGET = fiche(70, "Seniors au spectacle", "Les seniors vont au théâtre et au concert")


def _write_catalogue(path, fiches):
    path.write_text("".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in fiches),
                    encoding="utf-8")


def _suggested(model, catalogue):
    result = runner.invoke(app, ["suggest", str(catalogue), "--model", str(model), "--jsonl",
                                 "--threshold", "0", "--limit", "3"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {row["id"]: [k["label"] for k in row["suggestions"]["keywords"]] for row in rows}


def test_decisions_become_targets_and_negatives():
    target = TARGET
    verdicts = {(target.id, "keyword", "Culture"): "rejected",
                (target.id, "keyword", "Petite Enfance"): "accepted",
                ("unknown", "keyword", "Culture"): "accepted"}
    applied = apply_feedback([*CORPUS, target], verdicts)
    assert applied.applied == 2 and applied.unmatched == 1
    assert applied.fiches[-1].keywords == ["Petite Enfance"]
    assert applied.fiches[-1].id == target.id  # decisions keep referring to it
    corpus = build_corpus(applied.fiches, LABELS, applied.rejected)
    row = [d.id for d in corpus.docs].index(target.id)
    assert corpus.keywords[row].tolist() == [0, 0, 1]
    assert corpus.negatives[row].tolist() == [0, 1, 0]


@pytest.mark.slow
def test_feedback_loop_end_to_end(tmp_path):
    catalogue, model, db = tmp_path / "catalogue.jsonl", tmp_path / "tagger", tmp_path / "fb.db"
    _write_catalogue(catalogue, [*CORPUS, TARGET])
    result = runner.invoke(app, [*TRAIN, str(catalogue), "--out", str(model)])
    assert result.exit_code == 0, result.output
    before = _suggested(model, catalogue)[TARGET.id]
    rejected = before[0]
    accepted = next(label for label in LABELS.keywords if label not in before[:2])
    for label, verdict in ((rejected, "rejected"), (accepted, "accepted")):
        result = runner.invoke(app, ["feedback", "add", str(db), "--fiche", TARGET.id, "--label",
                                     label, "--verdict", verdict, "--who", "ana"])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["feedback", "add", str(db), "--fiche", TARGET.id, "--label",
                                 "Pas un mot-clé", "--verdict", "accepted", "--who", "ana"])
    assert result.exit_code == 1 and "not a keyword of the vocabulary" in result.output
    exported = runner.invoke(app, ["feedback", "export", str(db)])
    rows = [json.loads(line) for line in exported.stdout.splitlines() if line.startswith("{")]
    assert [(r["label"], r["verdict"], r["who"]) for r in rows] == [
        (rejected, "rejected", "ana"), (accepted, "accepted", "ana")]
    result = runner.invoke(app, [*TRAIN, str(catalogue), "--out", str(model), "--feedback",
                                 str(db)])
    assert result.exit_code == 0, result.output
    assert "staff decisions applied: 2" in result.output
    after = _suggested(model, catalogue)[TARGET.id]
    assert rejected not in after and accepted in after
    card = json.loads((model / "card.json").read_text())
    assert card["training_data"]["fiches_with_decisions"] == 1
    assert card["champion_challenger"]["better"] == "not comparable"


@pytest.mark.slow
def test_a_better_current_model_is_kept_unless_forced(tmp_path, monkeypatch):
    catalogue, model = tmp_path / "catalogue.jsonl", tmp_path / "tagger"
    _write_catalogue(catalogue, CORPUS)
    assert runner.invoke(app, [*TRAIN, str(catalogue), "--out", str(model)]).exit_code == 0
    card = (model / "card.json").read_text()
    verdict = {"fiches": 5, "better": "champion", "champion": {"micro_f1": 0.8,
               "precision@1": 0.9}, "challenger": {"micro_f1": 0.5, "precision@1": 0.6}}
    monkeypatch.setattr("pipeline.tagging.crossval.compare", lambda *a, **k: verdict)
    result = runner.invoke(app, [*TRAIN, str(catalogue), "--out", str(model)])
    assert result.exit_code == 1 and "current micro_f1 0.800" in result.output
    assert "new micro_f1 0.500" in result.output and "--force" in result.output
    assert (model / "card.json").read_text() == card  # kept
    result = runner.invoke(app, [*TRAIN, str(catalogue), "--out", str(model), "--force"])
    assert result.exit_code == 0
    recorded = json.loads((model / "card.json").read_text())["champion_challenger"]
    assert recorded["forced"] and recorded["champion"]["micro_f1"] == 0.8


def test_compare_measures_both_on_fiches_new_to_the_current_model():
    from pipeline.tagging.crossval import compare, trained_on
    from pipeline.tagging.tagger import Tagger

    old = build_corpus(CORPUS[:5], LABELS)
    champion = Tagger(LABELS, THESAURUS, FAST).fit_corpus(old)
    corpus = build_corpus(CORPUS, LABELS)
    challenger = Tagger(LABELS, THESAURUS, FAST).fit_corpus(corpus)
    result = compare(champion, challenger, corpus, trained_on(old))
    assert result["fiches"] == 3 and result["better"] in {"champion", "challenger"}
    assert set(result["champion"]) == {"micro_f1", "precision@1"}
    challenger.keywords_.oof_[:] = 0.0  # a challenger that never suggests anything loses
    assert compare(champion, challenger, corpus, trained_on(old))["better"] == "champion"
    assert compare(champion, challenger, corpus, trained_on(corpus))["better"] == \
        "not comparable"
