"""Extraction that reads what a phrase means: one table of invented phrases per kind of failure.

Every phrase is written for this test, in wording that neither the role lists nor the held-out
set (`tests/heldout/`) contain: each row asserts a value the extraction must read through the
language model (word vectors against role prototypes), the words around a count or an amount,
or the shape of the text. The whole project pipeline runs, as `fiches enrich` runs it, on the
shared session model.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from pipeline.extraction.budget import build_budget
from pipeline.extraction.dates import build_dates
from pipeline.extraction.headcount import PEOPLE_FIELD, build_headcount
from pipeline.extraction.nlp import profile_for

BUDGET = "financial_resources"
ROLES = ("professionals", "volunteers", "beneficiaries")


def _docs(nlp: Language, fields: dict[str, str]) -> dict[str, Any]:
    docs = {}
    for name, text in fields.items():
        with nlp.select_pipes(enable=list(profile_for(name))):
            docs[name] = nlp(text)
    return docs


def _people(nlp: Language, text: str) -> dict[str, Any]:
    result = build_headcount(_docs(nlp, {PEOPLE_FIELD: text}))
    return {role: None if result[role] is None else
            (result[role]["min"] if result[role]["min"] == result[role]["max"]
             else (result[role]["min"], result[role]["max"]))
            for role in ROLES}


# (people field, professionals, volunteers, beneficiaries)
PEOPLE = [
    # any job title is a professional
    ("2 orthophonistes", 2, None, None),
    ("1 ébéniste et 1 graphiste", 2, None, None),
    ("une diététicienne", 1, None, None),
    ("3 plasticiennes", 3, None, None),
    ("1 menuisier", 1, None, None),
    ("2 intervenants (musiciens)", 2, None, None),
    # "bénévole" / "volontaire" after a noun makes it a volunteer
    ("1 comptable bénévole", None, 1, None),
    ("2 couturières bénévoles", None, 2, None),
    ("4 retraitées volontaires", None, 4, None),
    ("1 infirmière retraitée bénévole", None, 1, None),
    # who benefits
    ("1 animateur\n25 randonneurs", 1, None, 25),
    ("12 joueuses", None, None, 12),
    ("30 ménages suivis", None, None, 30),
    ("3 bénévoles\nune quinzaine de lycéennes", None, 3, 15),
    ("Public :\n14 retraités\n6 mamans", None, None, 20),
    ("Bénéficiaires :\n9 locataires", None, None, 9),
    ("2 animateurs\n16 jeunes de 11 à 14 ans", 2, None, 16),
    ("18 personnes orientées par le CCAS", None, None, 18),
    ("1 éducateur\n25 personnes par séance", 1, None, 25),
    ("30 familles\ndont 12 monoparentales", None, None, 30),
    ("12 femmes inscrites, 7 sont venues à toutes les séances", None, None, 12),
    # they run it: volunteers
    ("2 bénévoles\n5 mamans qui tiennent la buvette", None, 7, None),
    ("10 lycéens organisateurs", None, 10, None),
    ("8 habitants", None, 8, None),
    # a fraction of a post describes the person before it
    ("1 éducatrice (0,8 ETP)", 1, None, None),
    ("1 conseillère (mi-temps) et 2 bénévoles", 1, 2, None),
    # not people
    ("40 passages dans l'année", None, None, None),
    ("6 séances de 2 heures", None, None, None),
]


@pytest.mark.parametrize(("text", "professionals", "volunteers", "beneficiaries"), PEOPLE)
def test_people_by_meaning(full_nlp: Language, text: str, professionals: Any, volunteers: Any,
                           beneficiaries: Any) -> None:
    assert _people(full_nlp, text) == {"professionals": professionals,
                                       "volunteers": volunteers,
                                       "beneficiaries": beneficiaries}


# (budget field, total, {funder type: amount})
MONEY = [
    # a breakdown is part of the amount it breaks down
    ("Coût : 9 000 € dont 4 000 € du Département", 9000, {"Département": 4000}),
    ("5 400 euros, y compris 1 200 € de transport", 5400, {}),
    ("7 000 € répartis entre la Région (4 000 €) et la MSA (3 000 €)", 7000,
     {"Région": 4000, "MSA": 3000}),
    ("Enveloppe de 1,2 M€ pour le contrat de quartier, dont 8 000 € consacrés à cette action",
     8000, {}),
    ("12 000 €\nCAF : 7 000 €\nVille : 5 000 €", 12000, {"CAF": 7000, "Commune": 5000}),
    # in-kind values stay out
    ("Budget : 2 000 €\nLocal mis à disposition par la mairie (valeur 3 000 €)", 2000, {}),
    ("Achats 500 €\nVéhicule prêté par l'association, valorisé à 1 000 €", 500, {}),
    ("Matériel : 900 €\n1 500 € de mise à disposition de locaux", 900, {}),
    # units glued to the number
    ("2300e (matériel pédagogique)", 2300, {}),
    ("4k€ pour l'année", 4000, {}),
    ("7K€ (location du car)", 7000, {}),
    # funders after the amount, each, equal shares
    ("2 500 € (Région)\n1 500 € (CAF)", 4000, {"Région": 2500, "CAF": 1500}),
    ("Trois aides de 700 € chacune (CAF, MSA et Ville)", 2100,
     {"CAF": 700, "MSA": 700, "Commune": 700}),
    ("Budget total 4 000 €, financé à parts égales par la Région et la Ville", 4000,
     {"Région": 2000, "Commune": 2000}),
    # funders the gazetteer lacks
    ("Don des Boulangeries Martin : 150 €", 150, {"Autre": 150}),
    ("Subvention du Haut-Commissariat à l'Engagement : 1 000 €", 1000, {"État": 1000}),
    ("Aide financière de la Métropole Nice Côte d'Azur : 2 200 €", 2200,
     {"Intercommunalité": 2200}),
    # lenders are not funders; users pay
    ("Achats : 200 €\nMinibus prêté par la Ville", 200, {}),
    ("Repas : 600 €\nParticipation des usagers : 2 € par repas", 600, {"Familles": None}),
    ("Sorties : 1 100 €\ncotisation : 10 € par an et par famille", 1100, {"Familles": None}),
    ("Recettes billetterie : 450 €\nSubvention Ville : 550 €", 1000,
     {"Familles": 450, "Commune": 550}),
    # zero is a total, nothing is null
    ("Coût de l'action : 0 €", 0, {}),
    ("Gratuit, 0 €", 0, {}),
    ("Aucun budget, tout est fait par des bénévoles", None, {}),
    # a spreadsheet pasted flat
    ("Dépenses Matériel 700 Transport 300 Recettes CAF 600 Ville 400 Total 1 000", 1000,
     {"CAF": 600, "Commune": 400}),
]


@pytest.mark.parametrize(("text", "total", "funders"), MONEY)
def test_money_by_meaning(full_nlp: Language, text: str, total: float | None,
                          funders: dict[str, float | None]) -> None:
    budget, found = build_budget(_docs(full_nlp, {BUDGET: text}))
    assert budget["total_eur"] == total
    assert {f["type"]: f["amount_eur"] for f in found} == funders


def test_amount_in_a_financing_sentence_goes_to_its_one_funder(full_nlp: Language) -> None:
    docs = _docs(full_nlp, {"description": "Les jeux (environ 250 € par an) sont payés et "
                                           "financés par la Commune."})
    budget, found = build_budget(docs)
    assert budget["total_eur"] == 250
    assert [(f["type"], f["amount_eur"]) for f in found] == [("Commune", 250)]


# (description, start, years)
DATES = [
    ("Le centre social existe depuis 1992. L'atelier a démarré en octobre 2021.", "2021-10",
     [1992, 2021]),
    ("Un diagnostic réalisé en 2017 a montré le besoin. Les permanences ont débuté en 2018.",
     "2018", [2017, 2018]),
    ("Le constat a été posé en 2016 ; ouverture du lieu en mai 2017.", "2017-05",
     [2016, 2017]),
]


@pytest.mark.parametrize(("text", "start", "years"), DATES)
def test_dates_by_meaning(full_nlp: Language, text: str, start: str | None,
                          years: list[int]) -> None:
    dates = build_dates(_docs(full_nlp, {"description": text}))
    assert (dates["start"], dates["years"]) == (start, years)


def test_a_year_heading_a_statement_is_a_year(full_nlp: Language) -> None:
    dates = build_dates(_docs(full_nlp, {"result_centre": "Effectifs 2021 : 30 enfants."}))
    assert (dates["start"], dates["years"]) == (None, [2021])


def test_values_keep_their_evidence(full_nlp: Language) -> None:
    text = "1 orthophoniste\n2 couturières bénévoles"
    result = build_headcount(_docs(full_nlp, {PEOPLE_FIELD: text}))
    for mention in result["mentions"]:
        assert mention["field"] == PEOPLE_FIELD
        assert text[mention["start"]:mention["end"]] == mention["text"]
    budget, found = build_budget(_docs(full_nlp, {BUDGET: "Don des Boulangeries Martin : 150 €"}))
    assert found[0]["name"] == "Boulangeries Martin"
    assert (found[0]["start"], found[0]["end"]) == (8, 27)
