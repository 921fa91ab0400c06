"""CLI tests of train, suggest, evaluate and the enrich model checks."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
SAMPLE = "data/fiches_sample.txt"


@pytest.mark.parametrize("command", ["train", "evaluate", "suggest", "feedback add",
                                     "feedback export"])
def test_every_tagger_command_has_help_with_an_example(command):
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0 and "Example" in result.output


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    out = tmp_path_factory.mktemp("models") / "tagger"
    result = runner.invoke(app, ["train", SAMPLE, "--out", str(out), "--folds", "3",
                                 "--no-vectors"])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_train_writes_model_and_card(model):
    card = json.loads((model / "card.json").read_text())
    assert card["training_data"]["fiches"] == 23 and 0 < card["threshold"] < 1
    assert card["limit"] >= 1 and set(card["files"]) == {"model.json", "arrays.npz"}
    assert card["champion_challenger"] == {"better": "no current model"}


@pytest.mark.slow
def test_suggest_prints_text_and_jsonl(model):
    result = runner.invoke(app, ["suggest", SAMPLE, "--model", str(model), "--limit", "2"])
    assert result.exit_code == 0 and "keywords:" in result.output
    result = runner.invoke(app, ["suggest", SAMPLE, "--model", str(model), "--jsonl",
                                 "--threshold", "0"])
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(rows) == 25
    for row in rows:
        keywords = row["suggestions"]["keywords"]
        assert 0 < len(keywords) <= 10 and all(0 <= k["score"] <= 1 for k in keywords)


def test_suggest_refuses_a_missing_model(tmp_path):
    result = runner.invoke(app, ["suggest", SAMPLE, "--model", str(tmp_path / "none")])
    assert result.exit_code == 2 and "retrain with `fiches train`" in result.output
    assert "Traceback" not in result.output


def test_train_without_tags_fails_clearly(tmp_path):
    text = tmp_path / "untagged.txt"
    text.write_text("Actions\nTitre\n- Structure organisatrice\n- X\n- Résumé\nRien\n")
    result = runner.invoke(app, ["train", str(text), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "error:" in result.output


@pytest.mark.slow
def test_evaluate_prints_the_tables():
    result = runner.invoke(app, ["evaluate", SAMPLE, "--folds", "3", "--no-curve",
                                 "--no-vectors"])
    assert result.exit_code == 0, result.output
    for heading in ("precision@5", "recall@5", "ndcg@5", "Per dimension", "most frequent"):
        assert heading in result.stdout


@pytest.mark.parametrize(("command", "options"), [("train", ["-o", "m"]),
                                                  ("evaluate", ["--folds", "3"])])
def test_a_broken_config_file_is_exit_2_on_every_command(tmp_path, monkeypatch, command,
                                                         options):
    import shutil

    config = tmp_path / "config"
    shutil.copytree("config", config)
    (config / "vocabulary.json").write_text('{"keywords": [\n', encoding="utf-8")
    sample = str(Path(SAMPLE).resolve())
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [command, sample, "--config", str(config), *options])
    assert result.exit_code == 2, result.output
    assert "error: " in result.stderr and "vocabulary.json:2" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "m").exists()
