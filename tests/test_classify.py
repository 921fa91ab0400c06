"""Tests of the tagger: normalisation, thesaurus matching, training, calibration, model files."""

import json

import numpy as np
import pytest

from pipeline.records import Fiche, Source
from pipeline.tagging import backends as b
from pipeline.tagging import classify as c
from pipeline.tagging import text as tx

LABELS = b.Labels(keywords=("Viellissement", "Culture", "Petite Enfance"),
                  dimensions=("Citoyenneté", "Services"))
THESAURUS = {
    "keywords": {
        "Viellissement": {"terms": ["personnes âgées", "seniors", "EHPAD", "vieill*"]},
        "Culture": {"terms": ["théâtre", "musique*", "spectacle*"]},
        "Petite Enfance": {"terms": ["crèche*", "tout-petits"], "related": ["éveil"]},
    },
    "dimensions": {"Citoyenneté": {"terms": ["citoyen*", "débat*"]},
                   "Services": {"terms": ["permanence*", "accueil"]}},
}


def fiche(i, title, summary, keywords=(), dimension=None):
    return Fiche(source=Source("t.txt", i, i + 1), title=title, summary=summary,
                 keywords=list(keywords), dimension=dimension)


CORPUS = [
    fiche(0, "Bien vieillir", "Ateliers pour les seniors et visites en EHPAD", ["Viellissement"],
          "Services"),
    fiche(1, "Repas des aînés", "Les personnes âgées du quartier se retrouvent", ["Viellissement"],
          "Citoyenneté"),
    fiche(2, "Théâtre", "Un spectacle de théâtre avec les habitants", ["Culture"], "Citoyenneté"),
    fiche(3, "Fête de la musique", "Concert et musiciens amateurs", ["Culture"], "Citoyenneté"),
    fiche(4, "Vieillissement actif", "Prévention pour seniors, permanence", ["Viellissement"],
          "Services"),
    fiche(5, "Spectacle vivant", "Débat citoyen après le spectacle", ["Culture", "inconnu"],
          "Citoyenneté"),
    fiche(6, "Accueil seniors", "Permanence d'accueil des retraités", ["Viellissement"],
          "Services"),
    fiche(7, "Musique au parc", "Des musiciens jouent pour tous", ["Culture"], "Citoyenneté"),
]


def test_normalisation_folds_and_strips_endings():
    assert tx.fold("Âgées ŒUVRE") == "agees oeuvre"
    assert tx.light_stem("agees") == tx.light_stem("age") == "age"
    assert tx.light_stem("sociaux") == "social"
    assert tx.light_stem("culturelles") == tx.light_stem("culturel")
    stems = [t.stem for t in tx.tokenize("Les personnes âgées, à l'EHPAD")]
    assert stems == [tx.light_stem("personne"), "age", "ehpad"]


def test_tokenize_hostile_input_is_linear():
    text = "a" * 1_000_000 + " " + "9" * 100_000
    assert len(tx.tokenize(text)) == 2


def test_thesaurus_matches_multiword_prefix_and_stems():
    lex = b.LexicalBackend(LABELS.keywords, THESAURUS["keywords"]).fit([], np.zeros((0, 3)))
    doc = tx.fiche_document(fiche(0, "Crèches", "Une Personne Âgée et des vieillards au théâtre"))
    found = {lex.terms_[i].text for i, _, _ in lex.matches(doc)}
    assert found == {"personnes âgées", "vieill*", "théâtre", "crèche*"}
    scores = lex.suggest_batch([doc])[0]
    assert scores[0] > scores[1] > 0 and scores[2] > 0
    assert lex.explain(doc, 0)[0][0] in {"personne âgée", "vieillards"}


def test_thesaurus_weighs_common_terms_down():
    docs = [tx.fiche_document(fiche(i, "x", "seniors du quartier")) for i in range(5)]
    docs.append(tx.fiche_document(fiche(9, "x", "EHPAD")))
    lex = b.LexicalBackend(LABELS.keywords, THESAURUS["keywords"]).fit(docs, np.zeros((6, 3)))
    common, rare = lex.suggest_batch([docs[0], docs[-1]])[:, 0]
    assert rare > common > 0


def test_corpus_dedupes_and_counts_unknown_keywords():
    dup = fiche(8, "Bien vieillir", CORPUS[0].summary, ["Viellissement"], "Services")
    dup.source = CORPUS[0].source
    corpus = c.build_corpus([*CORPUS, CORPUS[0], fiche(9, "Sans", "rien")], LABELS)
    assert len(corpus.docs) == len(CORPUS)
    assert corpus.duplicates == 1 and corpus.untagged == 1
    assert corpus.unknown_keywords == {"inconnu": 1}


def test_training_on_tiny_corpus_suggests_with_evidence():
    tagger = c.Tagger(LABELS, THESAURUS, {"folds": 3}).fit(CORPUS)
    assert tagger.lexical_.specificity_.shape == (len(tagger.lexical_.terms_),)
    new = [fiche(20, "Après-midi", "Les retraités et les seniors jouent aux cartes"),
           fiche(21, "Crèche", "Éveil musical des tout-petits", ["Petite Enfance"])]
    out = tagger.suggest(new, threshold=0.0, limit=3)
    first = out[0]["keywords"][0]
    assert first.label == "Viellissement" and "seniors" in first.evidence
    # a label with no training example is still suggested, from the thesaurus...
    # ...but never one the fiche already has
    assert "Petite Enfance" not in [s.label for s in out[1]["keywords"]]
    assert out[0]["dimension"] is not None and out[1]["dimension"] is not None


def test_label_without_examples_comes_from_the_thesaurus():
    tagger = c.Tagger(LABELS, THESAURUS, {"folds": 3}).fit(CORPUS)
    out = tagger.suggest([fiche(30, "Crèche", "Les tout-petits de la crèche")], 0.0, 3)
    labels = [s.label for s in out[0]["keywords"]]
    assert "Petite Enfance" in labels


def test_scores_are_calibrated_within_bounds():
    raw = np.array([-1e9, -5.0, 0.0, 0.3, 1.0, 1e9, np.inf])
    cal = c.calibrate(raw, (50.0, -3.0))
    assert ((cal >= 0) & (cal <= 1)).all() and np.all(np.diff(cal) >= 0)
    assert c.fit_calibration(np.array([0.1, 0.2]), np.array([0, 0])) == (6.0, -3.0)
    tagger = c.Tagger(LABELS, THESAURUS, {"folds": 3}).fit(CORPUS)
    out = tagger.suggest(CORPUS, threshold=0.0, limit=10)
    scores = [s.score for r in out for s in r["keywords"]]
    assert scores and all(0.0 <= s <= 1.0 for s in scores)


def test_training_without_tags_fails_clearly():
    with pytest.raises(c.TrainingError):
        c.Tagger(LABELS, THESAURUS).fit([fiche(0, "x", "y")])


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    tagger = c.Tagger(LABELS, THESAURUS, {"folds": 3}).fit(CORPUS)
    card = c.model_card(tagger, "hash", "thesaurus")
    return c.save(tagger, card, tmp_path_factory.mktemp("m") / "tagger")


def test_save_and_load_round_trip(model_dir):
    suggester = c.load_suggester(model_dir, threshold=0.0, limit=2)
    out = suggester.suggest_records([fiche(0, "Seniors", "EHPAD")])[0]
    assert out["keywords"][0]["label"] == "Viellissement"
    assert out["model"]["sha256"] and len(out["keywords"]) <= 2
    card = json.loads((model_dir / c.CARD_FILE).read_text())
    assert card["examples_per_label"]["keywords"]["Petite Enfance"] == 0
    assert card["sha256"] == c.sha256_file(model_dir / c.MODEL_FILE)


def test_tampered_model_is_refused_before_unpickling(model_dir, tmp_path, monkeypatch):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(model_dir, bad)
    with open(bad / c.MODEL_FILE, "ab") as handle:
        handle.write(b"evil")
    monkeypatch.setattr("joblib.load", lambda *a, **k: pytest.fail("unpickled"))
    with pytest.raises(c.ModelError, match="retrain with `fiches train`"):
        c.load(bad)


def test_other_library_versions_are_refused(model_dir, tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(model_dir, old)
    card = json.loads((old / c.CARD_FILE).read_text())
    card["libraries"]["scikit-learn"] = "0.1"
    (old / c.CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(c.ModelError, match="scikit-learn 0.1"):
        c.load(old)


def test_missing_or_garbled_model_is_refused(tmp_path):
    with pytest.raises(c.ModelError, match="no tagger model"):
        c.load(tmp_path / "nowhere")
    (tmp_path / c.CARD_FILE).write_text("{not json")
    (tmp_path / c.MODEL_FILE).write_bytes(b"x")
    with pytest.raises(c.ModelError, match="unreadable"):
        c.load(tmp_path)


def test_thesaurus_length_normalisation_damps_long_fiches():
    short = tx.fiche_document(fiche(0, "x", "seniors"))
    long = tx.fiche_document(fiche(1, "x", "seniors " + "jardin potager " * 40))
    docs = [short, long]
    flat = b.LexicalBackend(LABELS.keywords, THESAURUS["keywords"], {"length_norm": 0.0})
    damped = b.LexicalBackend(LABELS.keywords, THESAURUS["keywords"], {"length_norm": 0.75})
    s_flat = flat.fit(docs, np.zeros((2, 3))).suggest_batch(docs)[:, 0]
    s_damped = damped.fit(docs, np.zeros((2, 3))).suggest_batch(docs)[:, 0]
    assert s_flat[0] == pytest.approx(s_flat[1])
    assert s_damped[0] > s_damped[1] > 0


def test_stacker_learns_from_pooled_pairs_and_stays_within_bounds():
    rng = np.random.default_rng(0)
    truth = (rng.random((30, 4)) < 0.3).astype(float)
    parts = {"thesaurus": np.clip(truth * 0.6 + rng.random((30, 4)) * 0.4, 0, 1),
             "tfidf": rng.random((30, 4))}
    features = c.stack_features(parts)
    assert features.shape == (120, 2)
    model = c.Stacker(1.0).fit(features, truth)
    scores = model.predict(features, 4)
    assert scores.shape == (30, 4) and ((scores >= 0) & (scores <= 1)).all()
    assert model.weights()["thesaurus"] > abs(model.weights()["tfidf"])
    oof = c.stacked_out_of_fold(features, truth, 1.0, 3)
    assert oof.shape == truth.shape and ((oof >= 0) & (oof <= 1)).all()


def test_stacker_without_positives_predicts_low_scores():
    model = c.Stacker().fit(np.ones((6, 2)), np.zeros((3, 2)))
    assert (model.predict(np.ones((6, 2)), 2) < 0.1).all()


@pytest.mark.slow
def test_vector_backend_is_zero_shot_and_not_pickled():
    import pickle

    docs = [tx.fiche_document(f) for f in CORPUS]
    vec = b.VectorBackend(LABELS.keywords, THESAURUS["keywords"]).fit(docs, np.zeros((8, 3)))
    new = [tx.fiche_document(fiche(40, "Concert", "Un orchestre joue une symphonie")),
           tx.fiche_document(fiche(41, "Grand âge", "Les retraités et les personnes âgées"))]
    scores = vec.suggest_batch(new)
    assert scores.shape == (2, 3) and ((scores >= 0) & (scores <= 1)).all()
    assert scores[0].argmax() == 1 and scores[1].argmax() == 0
    assert vec.explain(new[1], 0)
    state = pickle.dumps(vec)
    assert len(state) < 50_000
    assert np.allclose(pickle.loads(state).suggest_batch(new), scores)


@pytest.mark.slow
def test_tagger_with_vectors_records_and_checks_the_package(tmp_path):
    tagger = c.Tagger(LABELS, THESAURUS, {"folds": 3, "use_vectors": True}).fit(CORPUS)
    out = tagger.suggest([fiche(50, "Concert", "Musique pour les seniors")], 0.0, 3)
    assert out[0]["keywords"] and all(0 <= s.score <= 1 for s in out[0]["keywords"])
    card = c.model_card(tagger, "hash", "thesaurus")
    assert card["word_vectors"]["version"] == c.vectors_version(b.VECTORS_PACKAGE)
    card["word_vectors"]["version"] = "0.0.1"
    folder = c.save(tagger, card, tmp_path / "tagger")
    with pytest.raises(c.ModelError, match="word vectors"):
        c.load(folder)
