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


def test_enrich_stops_at_once_with_exit_2_on_a_broken_gazetteer(tmp_path):
    config = broken_copy(tmp_path, "organisations.json", {"pattern": []})
    result = CliRunner().invoke(app, ["enrich", SAMPLE, "-o", str(tmp_path / "o.jsonl"), "-q",
                                      "--no-suggest", "--workers", "1", "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert "organisations.json" in result.stderr and "patterns" in result.stderr
    assert not (tmp_path / "o.jsonl").exists()
    assert "failed:" not in result.stderr and "fiches read" not in result.stderr  # no work
