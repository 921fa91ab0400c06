"""Tests that the tagger's suggestions come from what a fiche says, not from how often a label
was seen in training: the failure that made it fall behind on unseen fiches."""

import numpy as np
import pytest

from pipeline.records import Fiche, Source
from pipeline.tagging.tagger import Tagger
from pipeline.tagging.text import fiche_document
from tests.tagging_data import LABELS, THESAURUS

FAST = {"folds": 3, "use_vectors": False}


def fiche(i, title, summary, keywords=(), dimension=None):
    return Fiche(source=Source("t.txt", i, i + 1), title=title, summary=summary,
                 keywords=list(keywords), dimension=dimension)


# Culture on 7 fiches of 9, always where the text speaks of it.
FREQUENT = [fiche(i, title, summary, ["Culture"]) for i, (title, summary) in enumerate([
    ("Théâtre", "Une pièce de théâtre jouée par les habitants"),
    ("Fête de la musique", "Concert de musique dans le parc"),
    ("Spectacle", "Un spectacle de rue pour le quartier"),
    ("Atelier musique", "Les jeunes apprennent la musique"),
    ("Théâtre forum", "Le théâtre pour parler du quartier"),
    ("Spectacle de fin d'année", "Les enfants montent un spectacle"),
    ("Chorale", "Une chorale et de la musique ensemble"),
])] + [fiche(7, "Seniors", "Visites aux personnes âgées en EHPAD", ["Viellissement"]),
       fiche(8, "Bien vieillir", "Ateliers pour les seniors", ["Viellissement"])]


@pytest.mark.slow
def test_a_label_frequent_in_training_is_not_suggested_on_its_frequency_alone():
    tagger = Tagger(LABELS, THESAURUS, FAST).fit(FREQUENT)
    assert tagger.keywords_.parts_on()["prior"] is False
    # Words never seen in training and no thesaurus term: nothing speaks for any label.
    silent = fiche(20, "Réunion trimestrielle", "Bilan comptable du bureau")
    scores = tagger.keywords_.scores([fiche_document(silent)])[0]
    # Culture (7 of 9 fiches) no higher than a label never seen.
    assert scores[1] == pytest.approx(scores[2])
    crib = fiche(21, "Crèche", "Les tout-petits de la crèche découvrent l'éveil")
    out = tagger.suggest([silent, crib])
    assert "Culture" not in [s.label for row in out for s in row["keywords"]]
    assert [s.label for s in out[1]["keywords"]][:1] == ["Petite Enfance"]
    # The same corpus with the prior as a feature ranks the frequent label first.
    with_prior = Tagger(LABELS, THESAURUS, {**FAST, "keyword_prior": True}).fit(FREQUENT)
    scores = with_prior.keywords_.scores([fiche_document(silent)])[0]
    assert scores[1] > scores[2]


# The whole log prior (Bayes' rule); the shipped weight is lower (see Tagger.DEFAULT_PARAMETERS).
BAYES = {"dimension_prior_weights": (1.0,)}


@pytest.mark.slow
def test_a_dimension_with_strong_cues_wins_over_the_majority_class():
    # Citoyenneté on 9 fiches of 12; the Services fiches of training carry no cue at all.
    fiches = [fiche(i, f"Débat {i}", "Un débat citoyen sur la vie du quartier", ["Culture"],
                    "Citoyenneté") for i in range(9)]
    fiches += [fiche(9 + i, f"Action {i}", "Une après-midi au parc", ["Culture"], "Services")
               for i in range(3)]
    tagger = Tagger(LABELS, THESAURUS, {**FAST, "folds": 4, **BAYES}).fit(fiches)
    assert tagger.dimension_.tables_["prior"][0] > 0.6
    # Its words resemble the majority's fiches; its cues are those of Services.
    cues = fiche(30, "Permanence", "Permanence d'accueil sur la vie du quartier, accueil le mardi")
    out = tagger.suggest([cues])
    assert out[0]["dimension"].label == "Services"
    # Bayes' rule: the whole log prior, the cues' weight learned from how well they predicted.
    assert np.isclose(tagger.dimension_.parts_on()["prior_weight"], 1.0)
    assert "thesaurus" in tagger.dimension_.parts_


@pytest.mark.slow
def test_a_dimension_abstains_toward_the_prior_when_its_cues_mislead():
    # The cues of training fiches say nothing of their dimension (those of either dimension
    # are found as often in the other's fiches): cross-validation keeps the prior alone, and a
    # fiche full of Services cues still gets the majority's dimension, with the prior's score.
    texts = ["Un débat citoyen au parc", "Permanence d'accueil au parc", "Une après-midi au parc"]
    fiches = [fiche(i, f"Action {i}", texts[i % 3], ["Culture"],
                    "Services" if i % 4 == 3 else "Citoyenneté") for i in range(16)]
    tagger = Tagger(LABELS, THESAURUS, {**FAST, "folds": 4, **BAYES}).fit(fiches)
    assert tagger.dimension_.parts_ == ()
    assert tagger.dimension_.parts_on()["parts"] == ["prior only"]
    cues = fiche(30, "Permanence", "Permanence d'accueil, accueil le mardi")
    out = tagger.suggest([cues])[0]["dimension"]
    assert out.label == "Citoyenneté"
    assert out.score == pytest.approx(tagger.dimension_.tables_["prior"][0], abs=1e-3)
