"""Tests for pipeline.extraction.budget: totals, lines and funders on invented fiches."""

from typing import Any

import pytest
import spacy
from spacy.language import Language

import pipeline.extraction.components  # noqa: F401  (registers the factories)
from pipeline.extraction.budget import build_budget, build_entities
from pipeline.extraction.nlp import CONFIG_DIR, add_components


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.blank("fr")
    add_components(nlp, CONFIG_DIR, ("fiches_organisations", "fiches_money"))
    return nlp


def run(nlp: Language, **fields: str) -> tuple[dict[str, Any], dict[str, float | None]]:
    budget, funders = build_budget({name: nlp(text) for name, text in fields.items()})
    return budget, {f["type"]: f["amount_eur"] for f in funders}


def test_flattened_two_column_table(nlp: Language) -> None:
    budget, funders = run(nlp, financial_resources=(
        "CHARGES PRODUITS Salaires animateurs 2 000,00 € participation des usagers "
        "Sorties et transport 3 000,00 € subvention de la Ville 4 500,00 € Goûters 1 000,00 € "
        "aide du Conseil départemental 900,00 € Frais divers subvention CAF 600,00 € "
        "TOTAL CHARGES 6 000,00 € TOTAL PRODUITS 6 000,00 €"))
    assert budget["total_eur"] == 6000
    assert budget["basis"] == "explicit_total"
    assert budget["consistent"] is True
    assert funders == {"Commune": 4500, "Département": 900, "CAF": 600}
    kinds = [(line["amount_eur"], line["kind"]) for line in budget["lines"]]
    assert kinds[:3] == [(2000, "expense"), (3000, "expense"), (4500, "funding")]


def test_inconsistent_totals(nlp: Language) -> None:
    budget, _ = run(nlp, financial_resources="Total dépenses : 5 000 €. Total recettes : 4 200 €.")
    assert (budget["total_eur"], budget["consistent"]) == (5000, False)


def test_funders_in_brackets(nlp: Language) -> None:
    budget, funders = run(nlp, financial_resources=(
        "Aide financière : ANCT (1500 e) et CAF de la Sarthe (2500€)\n"
        "Prêt de la salle par Sarthe Habitat, bailleur social"))
    assert funders == {"CGET": 1500, "CAF": 2500}
    assert (budget["total_eur"], budget["basis"]) == (4000, "sum_of_funding")


def test_sources_and_negations_are_not_funders(nlp: Language) -> None:
    _, funders = run(
        nlp, financial_resources="4 800 €",
        description="Analyse des chiffres fournis par l'INSEE, la CAF et la CARSAT.",
        limits="Le Département ne souhaite pas financer la deuxième année.",
        perspectives="Continuer sur fonds propres et chercher des financements.")
    assert funders == {}


def test_funders_listed_in_description_with_programmes(nlp: Language) -> None:
    budget, funders = run(
        nlp, financial_resources="Travaux estimés à environ 120 000 €",
        description=("Rénovation du local avec un comité de pilotage. Financeurs : FEDER, "
                     "Etat (DETR), Conseil régional, Département, Commune et CAF."))
    assert set(funders) == {"Europe", "État", "Région", "Département", "Commune", "CAF"}
    assert all(amount is None for amount in funders.values())
    assert (budget["total_eur"], budget["approximate"]) == (120000, True)


def test_in_kind_is_not_in_the_total(nlp: Language) -> None:
    budget, funders = run(nlp, financial_resources=(
        "Le budget de l'action est de 12 000 euros, hors valorisation du bénévolat de 3 000 euros. "
        "Les charges principales sont la rémunération de 8 000 euros (poste adulte relais). "
        "Les recettes : la Préfecture 7 000 euros, la Mairie 1 500 euros."))
    assert (budget["total_eur"], budget["basis"]) == (12000, "explicit_total")
    assert "in_kind" in {line["kind"] for line in budget["lines"]}
    assert funders == {"État": 7000, "Commune": 1500}


def test_premises_provider_is_not_a_funder(nlp: Language) -> None:
    _, funders = run(nlp, financial_resources=(
        "Subvention de la Fondation de France : 2 000 €. "
        "Mise à disposition gratuite d'une salle par la mairie."))
    assert funders == {"Fondation": 2000}


def test_own_funds_are_not_a_funder(nlp: Language) -> None:
    budget, funders = run(nlp, financial_resources="Fonds propres : 700 €\nCAF : 300 €")
    assert funders == {"CAF": 300}
    assert budget["total_eur"] == 1000


def test_programmes_map_to_funders(nlp: Language) -> None:
    _, funders = run(nlp, financial_resources="Prestation de service 3 000 €, VACAF 400 €")
    assert funders == {"CAF": 3400}


def test_expense_lines_are_summed(nlp: Language) -> None:
    budget, funders = run(nlp, financial_resources=(
        "Achats : location de car et entrées : 2 300 €\nFrais de personnel : 5 700 €"))
    assert (budget["total_eur"], budget["basis"]) == (8000, "sum_of_expenses")
    assert funders == {}


def test_explicit_total_wins_over_lines(nlp: Language) -> None:
    budget, _ = run(nlp, financial_resources=(
        "animateur 10h x 3 : 540 euros\nmatériel : 60 euros\ntotal : 600 euros"))
    assert (budget["total_eur"], budget["basis"]) == (600, "explicit_total")


def test_bare_number_and_empty_budget(nlp: Language) -> None:
    budget, _ = run(nlp, financial_resources="43500")
    assert (budget["total_eur"], budget["unit_assumed"], budget["basis"]) == (
        43500, True, "single_amount")
    budget, funders = run(nlp, financial_resources="Budget intégré au secteur famille.")
    assert budget["total_eur"] is None and budget["basis"] is None and funders == {}


def test_budget_from_other_fields_only_when_field_has_none(nlp: Language) -> None:
    budget, _ = run(nlp, description="L'action est financée par la CAF à hauteur de 2 000 €.")
    assert budget["total_eur"] == 2000
    budget, _ = run(nlp, financial_resources="900 €",
                    description="L'action est financée par la CAF à hauteur de 2 000 €.")
    assert budget["total_eur"] == 900


def test_shared_list_keeps_amountless_funder(nlp: Language) -> None:
    _, funders = run(nlp, financial_resources="Subventions : la MSA et la Région (1 200 €)")
    assert funders == {"MSA": None, "Région": 1200}


def test_entities_have_field_offsets_and_ids(nlp: Language) -> None:
    docs = {"financial_resources": nlp("Aide de la CAF : 100 €")}
    assert build_entities(docs) == [{"text": "CAF", "label": "ORG",
                                     "field": "financial_resources", "start": 11, "end": 14,
                                     "id": "CAF"}]


def test_funder_written_after_its_amount(nlp: Language) -> None:
    budget, funders = run(nlp, financial_resources=(
        "Coût global du projet : 9 000 € dont 3 000 € de la MSA, 2 500 € versés par la "
        "Région et 3 500 € de fonds propres."))
    assert (budget["total_eur"], budget["basis"]) == (9000, "explicit_total")
    assert funders == {"MSA": 3000, "Région": 2500}


def test_funder_name_and_offsets_are_the_organisation_as_written(nlp: Language) -> None:
    text = "Coût : 9 000 € dont 4 000 € de la MSA, et Subvention Région : 2 000 €"
    _, funders = build_budget({"financial_resources": nlp(text)})
    by_type = {f["type"]: f for f in funders}
    for kind, name in (("MSA", "MSA"), ("Région", "Région")):
        funder = by_type[kind]
        assert funder["name"] == name
        assert text[funder["start"]:funder["end"]] == name


def test_partner_named_in_a_financing_sentence_is_not_a_funder(nlp: Language) -> None:
    _, funders = run(nlp, financial_resources="6 000 €", description=(
        "Mené avec le bailleur et en lien avec la Mission locale, le projet est financé "
        "par la CAF et la Ville."))
    assert set(funders) == {"CAF", "Commune"}
