"""Tests of the model files: JSON and arrays only, checked by the card, never able to run code."""

import io
import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline.tagging import card as cd
from pipeline.tagging.card import CARD_FILE, MODEL_FILES, ModelError
from pipeline.tagging.persistence import load, load_suggester, model_card, save
from pipeline.tagging.tagger import Tagger
from tests.test_classify import CORPUS, FAST, LABELS, THESAURUS, fiche

NEW = [fiche(60, "Seniors", "EHPAD et théâtre"), fiche(61, "Crèche", "Les tout-petits")]


@pytest.fixture(scope="module")
def fitted():
    return Tagger(LABELS, THESAURUS, FAST).fit(CORPUS)


@pytest.fixture(scope="module")
def model_dir(fitted, tmp_path_factory):
    card = model_card(fitted, "hash", "thesaurus")
    return save(fitted, card, tmp_path_factory.mktemp("m") / "tagger")


def _copy(model_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "copy"
    shutil.copytree(model_dir, out)
    return out


def _reseal(folder: Path) -> None:
    """Update the card to the files' current sha256, as an attacker able to write it would."""
    card = json.loads((folder / CARD_FILE).read_text())
    card["files"] = {name: cd.sha256_file(folder / name) for name in MODEL_FILES}
    (folder / CARD_FILE).write_text(json.dumps(card))


def test_round_trip_gives_the_same_suggestions(fitted, model_dir):
    assert sorted(p.name for p in model_dir.iterdir()) == sorted([CARD_FILE, *MODEL_FILES])
    tagger, card = load(model_dir)
    before = fitted.suggest(NEW, 0.0, 3)
    after = tagger.suggest(NEW, 0.0, 3)
    assert [[s.to_dict() for s in r["keywords"]] for r in before] == \
        [[s.to_dict() for s in r["keywords"]] for r in after]
    assert [r["dimension"].to_dict() for r in before] == [r["dimension"].to_dict() for r in after]
    assert card["examples_per_label"]["keywords"]["Petite Enfance"] == 0
    assert set(card["files"]) == set(MODEL_FILES) and "prior" in card["dimension_parts"]
    with np.load(model_dir / "arrays.npz", allow_pickle=False) as npz:  # no object arrays
        assert all(npz[name].dtype != object for name in npz.files)


def test_suggester_gives_the_public_record_shape(model_dir):
    out = load_suggester(model_dir, threshold=0.0, limit=2).suggest_records(NEW)
    assert len(out) == 2 and len(out[0]["keywords"]) <= 2
    assert set(out[0]["keywords"][0]) == {"label", "score", "evidence"}
    assert set(out[0]["dimension"]) == {"label", "score", "evidence"}
    assert out[0]["model"]["sha256"] and out[0]["model"]["limit"] == 2


class _Payload:
    """Unpickling this creates a file: what a crafted model would do."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.touch, (self.target,))


def test_pickle_payloads_never_run(model_dir, tmp_path):
    marker = tmp_path / "pwned"
    bad = _copy(model_dir, tmp_path)
    payload = pickle.dumps(_Payload(marker))
    for name in MODEL_FILES:
        (bad / name).write_bytes(payload)
    _reseal(bad)
    with pytest.raises(ModelError, match="cannot be read as a tagger.*retrain"):
        load(bad)
    # an npz whose array is a pickled object: numpy refuses it without allow_pickle
    shutil.copy(model_dir / "model.json", bad / "model.json")
    buffer = io.BytesIO()
    np.savez(buffer, evil=np.array([_Payload(marker)], dtype=object))
    (bad / "arrays.npz").write_bytes(buffer.getvalue())
    _reseal(bad)
    with pytest.raises(ModelError, match="retrain"):
        load(bad)
    assert not marker.exists()


def test_tampered_or_incomplete_model_is_refused(model_dir, tmp_path):
    bad = _copy(model_dir, tmp_path)
    state = json.loads((bad / "model.json").read_text())
    state["keywords"]["threshold"] = 0.0
    (bad / "model.json").write_text(json.dumps(state))
    with pytest.raises(ModelError, match="does not match the sha256"):
        load(bad)
    shutil.copy(model_dir / "model.json", bad / "model.json")
    (bad / "arrays.npz").unlink()
    with pytest.raises(ModelError, match="missing"):
        load(bad)


def test_old_or_foreign_model_is_refused(model_dir, tmp_path):
    old = _copy(model_dir, tmp_path)
    card = json.loads((old / CARD_FILE).read_text())
    card["libraries"]["scikit-learn"] = "0.1"
    (old / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="scikit-learn 0.1"):
        load(old)
    card = {"format": 1, "model_file": "model.joblib", "sha256": "x"}
    (old / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="format 4.*retrain with `fiches train`"):
        load(old)


def test_missing_or_garbled_model_is_refused(tmp_path):
    with pytest.raises(ModelError, match="no tagger model"):
        load(tmp_path / "nowhere")
    (tmp_path / CARD_FILE).write_text("{not json")
    with pytest.raises(ModelError, match="unreadable"):
        load(tmp_path)


def test_no_module_unpickles_model_files():
    package = Path(__file__).resolve().parent.parent / "pipeline"
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for call in ("pickle.load", "joblib.load", "allow_pickle=True", "skops"):
            assert call not in source, f"{path}: {call}"
