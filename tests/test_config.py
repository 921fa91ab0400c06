"""Tests for pipeline.config: a config file of the wrong shape stops a command before any work,
naming the file and the entry."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import CONFIG_DIR, ConfigError, check_config

SAMPLE = str(Path("data/fiches_sample.txt").resolve())


def broken_copy(tmp_path: Path, name: str, data: object) -> Path:
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    (config / name).write_text(json.dumps(data), encoding="utf-8")
    return config


@pytest.mark.parametrize(("name", "data", "entry"), [
    ("organisations.json", {"pattern": []}, "missing entry 'patterns'"),
    ("organisations.json", {"patterns": [{"label": "ORG", "pattern": []}], "funder_types": {}},
     r"patterns\[0\]: 'pattern'"),
    ("organisations.json", {"patterns": [{"label": "ORG", "pattern": "caf", "id": 3}],
                            "funder_types": {}}, r"patterns\[0\]: 'id'"),
    ("roles.json", {"professional": ["animateur"], "volunteer": "bénévole", "beneficiary": []},
     "volunteer: expected a list"),
    ("vocabulary.json", {"keywords": ["Famille", ""], "dimensions": []}, "keywords"),
    ("thesaurus.json", {"keywords": {"Famille": {"terms": "famille"}}, "dimensions": {}},
     "keywords.Famille.terms"),
    ("partners.json", {"types": {}, "funding_only": [], "kinds": {"Santé": ["hôpital"]},
                       "people": [], "not_kinds": [], "generic_heads": [], "similarity": "0.5"},
     "similarity"),
])
def test_a_config_entry_of_the_wrong_shape_is_named(tmp_path, name, data, entry):
    with pytest.raises(ConfigError, match=rf"{name}: .*{entry}"):
        check_config(broken_copy(tmp_path, name, data))


def test_a_missing_config_file_is_named(tmp_path):
    config = broken_copy(tmp_path, "roles.json", {})
    (config / "roles.json").unlink()
    with pytest.raises(ConfigError, match="roles.json: missing config file"):
        check_config(config)


def test_the_shipped_config_passes():
    check_config(CONFIG_DIR)


@pytest.mark.parametrize("command", [
    ["enrich", SAMPLE, "-o", "{tmp}/o.jsonl", "-q", "--no-suggest", "--workers", "1"],
    ["train", SAMPLE, "--out", "{tmp}/model"],
    ["evaluate", SAMPLE],
    ["serve", "--port", "0"],
])
def test_every_command_stops_at_once_with_exit_2_on_a_broken_config(tmp_path, command):
    config = broken_copy(tmp_path, "organisations.json", {"pattern": []})
    args = [a.replace("{tmp}", str(tmp_path)) for a in command] + ["--config", str(config)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "organisations.json" in result.stderr and "patterns" in result.stderr
    assert not (tmp_path / "model").exists() and not (tmp_path / "o.jsonl").exists()


def test_the_config_is_read_once_while_its_files_are_unchanged(tmp_path):
    config = broken_copy(tmp_path, "roles.json", json.loads(
        (CONFIG_DIR / "roles.json").read_text(encoding="utf-8")))
    first = check_config(config)
    assert check_config(config) is first
    roles = json.loads((config / "roles.json").read_text(encoding="utf-8"))
    roles["professional"].append("ludothécaire-chef")
    (config / "roles.json").write_text(json.dumps(roles), encoding="utf-8")
    again = check_config(config)
    assert again is not first
    assert "ludothécaire-chef" in again.roles.lists["professional"]


def test_components_take_their_typed_config_from_initialize():
    import spacy

    import pipeline.extraction.components  # noqa: F401  (registers the factories)
    from pipeline.config import Gazetteer

    nlp = spacy.blank("fr")
    ruler = nlp.add_pipe("fiches_organisations")
    partners = check_config(CONFIG_DIR).partners
    ruler.initialize(lambda: [], nlp=nlp, partners=partners, gazetteer=Gazetteer(
        ({"label": "ORG", "pattern": "fondation des lilas", "id": "LILAS"},),
        {"LILAS": "Fondation"}, {}))
    doc = nlp("Une subvention de la Fondation des Lilas.")
    assert [(s.text, s.id_, s._.funder_type) for s in doc.spans["orgs"]] == [
        ("Fondation des Lilas", "LILAS", "Fondation")]
    assert ruler.partners is partners


def test_a_component_used_before_initialize_says_so():
    import spacy

    import pipeline.extraction.components  # noqa: F401  (registers the factories)

    nlp = spacy.blank("fr")
    nlp.add_pipe("fiches_headcounts")
    with pytest.raises(ValueError, match="role word lists"):
        nlp("3 animateurs et 12 bénévoles")
