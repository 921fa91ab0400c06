"""Tests for the fiches_organisations component: gazetteer, canonical ids, merge with the NER."""

import time

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import pipeline.extraction.components  # noqa: F401  (registers the factories)
from pipeline.extraction.components.organisations import fold
from pipeline.extraction.nlp import CONFIG_DIR, add_components


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.blank("fr")
    add_components(nlp, CONFIG_DIR, ("fiches_organisations",))
    return nlp


def ids(doc: Doc) -> list[tuple[str, str]]:
    return [(s.text, s.id_) for s in doc.spans["orgs"]]


@pytest.mark.parametrize(("text", "name", "org_id"), [
    ("Subvention de la CAF du Rhône.", "CAF du Rhône", "CAF"),
    ("Aide de la Caf pour les sorties.", "Caf", "CAF"),
    ("La CAFY participe.", "CAFY", "CAF"),
    ("la caisse d'allocations familiales verse", "caisse d'allocations familiales", "CAF"),
    ("Financé par la MSA", "MSA", "MSA"),
    ("La Carsat Bretagne soutient", "Carsat Bretagne", "CARSAT"),
    ("Dossier déposé à la CPAM", "CPAM", "CPAM"),
    ("l'agence régionale de santé finance", "agence régionale de santé", "ARS"),
    ("crédits de l'Etat", "Etat", "ETAT"),
    ("crédits de l'État", "État", "ETAT"),
    ("la préfecture a validé", "préfecture", "ETAT"),
    ("Le sous-préfet soutient", "sous-préfet", "ETAT"),
    ("Subvention DDCS", "DDCS", "ETAT"),
    ("appel à projets de l'ANCT", "ANCT", "CGET"),
    ("au titre du contrat de ville", "contrat de ville", "CGET"),
    ("Le Conseil Régional finance", "Conseil Régional", "REGION"),
    ("Le conseil général a voté", "conseil général", "DEPARTEMENT"),
    ("aide du Departement", "Departement", "DEPARTEMENT"),
    ("la mairie prête une salle", "mairie", "COMMUNE"),
    ("Ville de Brest : 300 €", "Ville de Brest", "COMMUNE"),
    ("le CCAS oriente", "CCAS", "CCAS"),
    ("la communauté de communes du Val", "communauté de communes", "INTERCOMMUNALITE"),
    ("Montpellier Métropole", "Montpellier Métropole", "INTERCOMMUNALITE"),
    ("fonds FSE", "FSE", "EUROPE"),
    ("l'Union européenne", "Union européenne", "EUROPE"),
    ("logement géré par Paris Habitat", "Paris Habitat", "BAILLEUR"),
    ("les bailleurs sociaux", "bailleurs sociaux", "BAILLEUR"),
    ("la Fondation de France", "Fondation de France", "FONDATION"),
    ("la mission locale oriente", "mission locale", "MISSION_LOCALE"),
    ("l'Education Nationale", "Education Nationale", "EDUCATION_NATIONALE"),
    ("selon l'INSEE", "INSEE", "INSEE"),
    ("la Mutualité Française", "Mutualité Française", "MUTUALITE"),
    ("participation des usagers : 200 €", "participation des usagers", "FAMILLES"),
    ("séjours VACAF", "VACAF", "CAF"),
])
def test_gazetteer(nlp: Language, text: str, name: str, org_id: str) -> None:
    assert (name, org_id) in ids(nlp(text))


@pytest.mark.parametrize("text", [
    "un état des lieux du quartier", "Etat des lieux réalisé", "dans la région lyonnaise",
    "un leader du groupe", "le département de la Vienne", "un café des familles",
])
def test_common_words_are_not_organisations(nlp: Language, text: str) -> None:
    assert ids(nlp(text)) == []


@pytest.mark.parametrize(("text", "name"), [
    ("CAF 30 %, Ville 70 %", "CAF"), ("CAF 3 500 €", "CAF"), ("MSA 2000 €", "MSA"),
    ("CAF 93 : 200 €", "CAF 93"), ("bailleur (Habitat 44)", "Habitat 44"),
])
def test_trailing_number_is_a_departement_not_an_amount(nlp: Language, text: str,
                                                        name: str) -> None:
    doc = nlp(text)
    assert name in [s.text for s in doc.spans["orgs"]]


def test_funder_type_and_entities(nlp: Language) -> None:
    doc = nlp("Cofinancement CGET et CCAS de Lorient.")
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("CGET", "ORG", "CGET"), ("CCAS de Lorient", "ORG", "COMMUNE")]
    assert [s._.funder_type for s in doc.spans["orgs"]] == ["CGET", "Commune"]


def test_fold() -> None:
    assert fold("Département d’État") == "departement d'etat"


def test_gazetteer_wins_over_stock_entities(nlp: Language) -> None:
    doc = nlp.make_doc("Aide de la CAF des Landes et de Jean Dupont")
    doc.ents = [doc.char_span(11, 25, label="LOC"), doc.char_span(32, 43, label="PER")]
    doc = nlp.get_pipe("fiches_organisations")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("CAF des Landes", "ORG"),
                                                      ("Jean Dupont", "PER")]


def test_long_input_is_bounded(nlp: Language) -> None:
    nlp.max_length = 2_000_000
    doc = Doc(nlp.vocab, words=["("] * 10_000 + [")"] * 10_000)
    start = time.perf_counter()
    nlp.get_pipe("fiches_organisations")(doc)
    nlp("1" * 100_000)
    assert time.perf_counter() - start < 10


@pytest.mark.slow
def test_with_the_model_ner_merges(full_nlp: Language) -> None:
    doc = full_nlp("Soutien financier de la CAF des Vosges et de la Région Grand Est.")
    orgs = {(s.text, s.id_) for s in doc.spans["orgs"]}
    assert ("CAF des Vosges", "CAF") in orgs
    assert any(e.label_ == "ORG" and e.id_ == "REGION" for e in doc.ents)
