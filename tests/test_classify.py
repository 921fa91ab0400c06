"""Tests of the tagger: normalisation, thesaurus matching, match features, keyword and dimension
models, suggestions and their evidence."""


import numpy as np
import pytest

from pipeline.records import Fiche, Source
from pipeline.tagging import backends as b
from pipeline.tagging import text as tx
from pipeline.tagging import vocabulary as vc
from pipeline.tagging.corpus import TrainingError, build_corpus, tuning_rows
from pipeline.tagging.dimension import cooccurrence
from pipeline.tagging.ensemble import LIMITS, Stacker, stacked_out_of_fold, tune_cutoff
from pipeline.tagging.features import MATCH_COLUMNS, match_features
from pipeline.tagging.tagger import Tagger
from tests.tagging_data import LABELS, THESAURUS


def fiche(i, title, summary, keywords=(), dimension=None, initiative=()):
    return Fiche(source=Source("t.txt", i, i + 1), title=title, summary=summary,
                 keywords=list(keywords), dimension=dimension, initiative=list(initiative))


# Tests train without the word vectors (seconds to load); one slow test covers them.
FAST = {"folds": 3, "use_vectors": False}


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
    found = {lex.terms_[m.term].text for m in lex.matches(doc)}
    assert found == {"personnes âgées", "vieill*", "théâtre", "crèche*"}
    scores = lex.suggest_batch([doc])[0]
    assert scores[0] > scores[1] > 0 and scores[2] > 0
    # evidence is the fiche's words as written, never stems
    assert lex.explain(doc, 0)[0][0] in {"Personne Âgée", "vieillards"}


def test_thesaurus_weighs_common_terms_down():
    docs = [tx.fiche_document(fiche(i, "x", "seniors du quartier")) for i in range(5)]
    docs.append(tx.fiche_document(fiche(9, "x", "EHPAD")))
    lex = b.LexicalBackend(LABELS.keywords, THESAURUS["keywords"]).fit(docs, np.zeros((6, 3)))
    common, rare = lex.suggest_batch([docs[0], docs[-1]])[:, 0]
    assert rare > common > 0


def test_corpus_dedupes_and_counts_unknown_keywords():
    dup = fiche(8, "Bien vieillir", CORPUS[0].summary, ["Viellissement"], "Services")
    dup.source = CORPUS[0].source
    corpus = build_corpus([*CORPUS, CORPUS[0], fiche(9, "Sans", "rien")], LABELS)
    assert len(corpus.docs) == len(CORPUS)
    assert corpus.duplicates == 1 and corpus.untagged == 1
    assert corpus.unknown_keywords == {"inconnu": 1}


def test_match_features_say_where_and_how_often():
    lex = b.LexicalBackend(LABELS.keywords, THESAURUS["keywords"]).fit([], np.zeros((0, 3)))
    early = tx.fiche_document(fiche(0, "Théâtre", "spectacle " + "mot " * 50 + "seniors"))
    features = match_features(lex, [early])[0]
    col = {name: i for i, name in enumerate(MATCH_COLUMNS)}
    senior, culture, baby = features
    assert culture[col["title"]] == 1 and senior[col["title"]] == 0
    assert culture[col["first"]] > senior[col["first"]] > 0
    assert culture[col["terms"]] > senior[col["terms"]] and culture[col["count"]] > 0
    assert not baby.any()  # no match, all zero


def test_cutoff_limit_reaches_ten_keywords():
    truth = np.ones((4, 12))
    scores = np.tile(np.linspace(1, 0.5, 12), (4, 1))
    threshold, limit, f1 = tune_cutoff(scores, truth)
    assert max(LIMITS) == 10 and limit == 10 and f1 > 0.9


def test_training_on_tiny_corpus_suggests_with_evidence_as_written():
    tagger = Tagger(LABELS, THESAURUS, FAST).fit(CORPUS)
    new = [fiche(20, "Après-midi", "Les retraités et les SENIORS jouent aux cartes"),
           fiche(21, "Crèche", "Éveil musical des tout-petits", ["Petite Enfance"])]
    out = tagger.suggest(new, threshold=0.0, limit=3)
    first = out[0]["keywords"][0]
    assert first.label == "Viellissement" and "SENIORS" in first.evidence
    for row, f in zip(out, new, strict=True):
        text = f"{f.title} {f.summary}"
        for s in [*row["keywords"], row["dimension"]]:
            assert all(word in text for word in s.evidence), s.evidence
    # never a label the fiche already has
    assert "Petite Enfance" not in [s.label for s in out[1]["keywords"]]
    assert out[0]["dimension"] is not None and out[1]["dimension"] is not None


def test_label_without_examples_comes_from_the_thesaurus():
    tagger = Tagger(LABELS, THESAURUS, FAST).fit(CORPUS)
    out = tagger.suggest([fiche(30, "Crèche", "Les tout-petits de la crèche")], 0.0, 3)
    assert "Petite Enfance" in [s.label for s in out[0]["keywords"]]
    scores = [s.score for r in tagger.suggest(CORPUS, 0.0, 10) for s in r["keywords"]]
    assert scores and all(0.0 <= s <= 1.0 for s in scores)


def test_training_without_tags_fails_clearly():
    with pytest.raises(TrainingError):
        Tagger(LABELS, THESAURUS).fit([fiche(0, "x", "y")])


def test_cooccurrence_is_smoothed_toward_the_overall_rate():
    weights = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    dims = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    table = cooccurrence(weights, dims, strength=1.0)
    rate = (dims.sum(axis=0) + 2.0 * dims.mean()) / (3 + 2.0)
    assert table[0] == pytest.approx((np.array([2.0, 0.0]) + rate) / 3)
    assert np.allclose(table.sum(axis=1), 1.0) and table[1, 1] > table[1, 0]


def test_dimension_learns_from_who_initiated_the_action():
    # Same neutral text; only the initiative tells the dimension.
    group, centre = "Un groupe d'habitants", "Le centre social"
    fiches = [fiche(i, f"Action {i}", "Une après-midi au parc", ["Culture"],
                    "Accompagnement de projets" if i % 2 else "Services",
                    [group] if i % 2 else [centre]) for i in range(16)]
    labels = vc.Labels(LABELS.keywords, ("Citoyenneté", "Services", "Accompagnement de projets"))
    thesaurus = {**THESAURUS, "dimensions": {}}
    tagger = Tagger(labels, thesaurus, {**FAST, "folds": 4}).fit(fiches)
    assert "facets" in tagger.dimension_.parts_ and tagger.dimension_.cv_accuracy_ > 0.9
    new = [fiche(40, "Nouvelle", "Une après-midi au parc", initiative=[group]),
           fiche(41, "Autre", "Une après-midi au parc", initiative=[centre])]
    dims = [r["dimension"].label for r in tagger.suggest(new)]
    assert dims == ["Accompagnement de projets", "Services"]


def test_dimension_falls_back_to_the_prior_without_signal():
    fiches = [fiche(i, f"Action {i}", "Une après-midi au parc", ["Culture"],
                    "Citoyenneté" if i % 4 else "Services") for i in range(12)]
    tagger = Tagger(LABELS, {**THESAURUS, "dimensions": {}}, {**FAST, "folds": 4}).fit(fiches)
    assert tagger.dimension_.parts_on()["prior_weight"] > 0  # the prior breaks ties
    out = tagger.suggest([fiche(40, "Nouvelle", "Une après-midi au parc")])
    assert out[0]["dimension"].label == "Citoyenneté"


def test_stacker_learns_from_pooled_pairs_and_stays_within_bounds():
    rng = np.random.default_rng(0)
    truth = (rng.random((30, 4)) < 0.3).astype(float)
    signal = np.clip(truth * 0.6 + rng.random((30, 4)) * 0.4, 0, 1)
    features = np.stack([signal.ravel(), rng.random(120)], axis=1)
    model = Stacker(1.0).fit(features, truth)
    scores = model.predict(features, 4)
    assert scores.shape == (30, 4) and ((scores >= 0) & (scores <= 1)).all()
    assert model.coef_[0] > abs(model.coef_[1])
    oof = stacked_out_of_fold(features, truth, 1.0, 3)
    assert oof.shape == truth.shape and ((oof >= 0) & (oof <= 1)).all()
    assert (Stacker().fit(np.ones((6, 2)), np.zeros((3, 2))).predict(np.ones((6, 2)), 2)
            < 0.1).all()


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


@pytest.mark.slow
def test_vector_backend_is_zero_shot():
    from pipeline.tagging.vectors import VectorBackend

    docs = [tx.fiche_document(f) for f in CORPUS]
    vec = VectorBackend(LABELS.keywords, THESAURUS["keywords"]).fit(docs, np.zeros((8, 3)))
    new = [tx.fiche_document(fiche(40, "Concert", "Un orchestre joue une symphonie")),
           tx.fiche_document(fiche(41, "Grand âge", "Les retraités et les personnes âgées"))]
    scores = vec.suggest_batch(new)
    assert scores.shape == (2, 3) and ((scores >= 0) & (scores <= 1)).all()
    assert scores[0].argmax() == 1 and scores[1].argmax() == 0
    assert vec.explain(new[1], 0)
    restored = VectorBackend(LABELS.keywords, THESAURUS["keywords"]).set_state(vec.get_state())
    assert np.allclose(restored.suggest_batch(new), scores)


def test_tuning_rows_bound_model_selection_to_a_fixed_subset():
    assert tuning_rows(5, 10).tolist() == [0, 1, 2, 3, 4]
    rows = tuning_rows(1000, 50)
    assert len(rows) == 50 and len(set(rows.tolist())) == 50
    assert rows.tolist() == sorted(rows.tolist()) and rows.max() < 1000
    assert rows.tolist() == tuning_rows(1000, 50).tolist()  # the same subset every time


def test_a_tuning_budget_below_the_catalogue_still_fits_on_every_fiche():
    tagger = Tagger(LABELS, THESAURUS, {**FAST, "tune_max_fiches": 5}).fit(CORPUS * 2)
    n = len(build_corpus(CORPUS * 2, LABELS).docs)
    assert tagger.keywords_.oof_.shape == (n, len(LABELS.keywords))
    # The chosen stacker is fitted on all the fiches' pairs, not on the 5 of the search.
    assert tagger.keywords_.stacker_.coef_.size and tagger.keywords_.limit_ >= 1
    out = tagger.suggest([fiche(30, "Seniors", "Visites aux personnes âgées en EHPAD")],
                         threshold=0.0, limit=1)
    assert out[0]["keywords"][0].label == "Viellissement"
