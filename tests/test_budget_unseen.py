"""Held-out budget and funder cases: invented fields in forms the sample catalogue lacks.

Each case is a "Ressources financières mobilisées pour cette action" field (and sometimes a
"Description générale" sentence) as hurried social-centre staff write it, with the expected
`budget.total_eur`, `budget.basis` and funders (type -> amount, None when no amount is given).
None of it comes from the sample; the gold README's conventions apply, plus these, chosen where
the README is silent:

- Percent shares: a funder's share ("Ville 50 %", "la CAF finance 50 %", "60 % par la Ville")
  becomes `share x total` once the fiche's total is known (from any basis); with no total the
  funder keeps a null amount. An amount written for the funder wins over its share.
- Currency before the number ("€ 2 500", "EUR 4 800") is an amount like any other.
- A range ("entre 2 000 et 3 000 €", "de 1 500 à 2 000 euros") is one amount, its midpoint,
  marked approximate.
- Per-unit prices ("2 € par enfant", "5 €/séance", "45 enfants x 12 € = 540 €") are not lines of
  the total; the payer named with them is still a funder (without an amount). An amount followed
  by "= N €" or "soit N €" is restated by N, and only N counts (so "1 500 € HT soit 1 800 € TTC"
  counts 1 800).
- Multi-year: the amount stated is the amount; "3 000 € par an sur 3 ans" is 3 000, not 9 000,
  unless the fiche writes the product itself ("10 000 € par an, soit 20 000 € au total": the
  restatement is the line, so that funder gives 20 000).
- No amount ("pas de budget spécifique", "budget de fonctionnement du centre") gives a null
  total; an explicit zero ("coût : 0 €") is a total of 0 (gold README).
- Own money ("fonds propres", "autofinancement", "reste à charge") counts in a sum of funding
  lines but is never a funder. Valued volunteering and premises are in kind: never in the total.
- Requested, pending or refused money ("demandée mais non obtenue", "en attente de réponse") is
  not mobilised: its organisation is not a funder and its amount (line kind `unconfirmed`) is not
  in the total.
- Programmes: "conférence des financeurs" -> Département (it is run and paid through the
  Département); CLAS and REAAP -> CAF (both are paid as CAF service funding since the CNAF took
  them over); FPH (fonds de participation des habitants) -> CGET (a politique de la ville fund);
  FDVA and DRAC -> État; CNAF -> CAF; "Habitat 44"-style names -> Bailleur social; Ville Vie
  Vacances (VVV) and the Programme de Réussite Éducative (PRE) -> CGET (politique de la ville
  money, gold README).
- Under a "Recettes" header, a bare "familles" / "usagers" line is the users' participation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pytest
import spacy
from spacy.language import Language

import pipeline.extraction.components  # noqa: F401  (registers the factories)
from pipeline.extraction.budget import build_budget
from pipeline.extraction.nlp import CONFIG_DIR, add_components


@dataclass(frozen=True)
class Case:
    """One invented fiche: its fields and what the extraction should read from them."""

    name: str
    budget_text: str | None
    total: float | None
    basis: str | None
    funders: dict[str, float | None] = field(default_factory=dict)
    description: str | None = None
    approximate: bool | None = None


CASES = [
    Case("bulleted_list_with_total",
         "- CAF : 3 500 €\n- Mairie de Rezé : 2 000 €\n- Fonds propres : 500 €\nTotal : 6 000 €",
         6000, "explicit_total", {"CAF": 3500, "Commune": 2000}),
    Case("percent_shares_of_a_stated_total",
         "Budget global de l'action : 18 000 € (Ville 50 %, CAF 30 %, autofinancement 20 %)",
         18000, "explicit_total", {"Commune": 9000, "CAF": 5400}),
    Case("percent_share_without_total",
         "Pas de budget spécifique.", None, None, {"CAF": None},
         description="La CAF finance 50 % de l'action, le reste est pris en charge par le centre."),
    Case("percent_share_in_description_of_budget_field_total",
         "Coût de l'action : 6 000 €", 6000, "explicit_total", {"CAF": 3000, "Commune": None},
         description="La CAF finance 50 % de l'action, la Ville le reste."),
    Case("percent_before_funder_in_description",
         "Voir description", 5200, "explicit_total", {"Commune": 3120},
         description="Pour un budget de 5 200 €, financé à 60 % par la Ville."),
    Case("percent_and_amounts_amounts_win",
         "Recettes : CAF 45 % (2 700 €), Ville 55 % (3 300 €)",
         6000, "sum_of_funding", {"CAF": 2700, "Commune": 3300}),
    Case("euro_sign_before_number",
         "Subvention CAF € 2 500\nSubvention Ville € 1 000",
         3500, "sum_of_funding", {"CAF": 2500, "Commune": 1000}),
    Case("eur_before_number",
         "Montant total EUR 4 800 ; dont Conseil Départemental EUR 2 000",
         4800, "explicit_total", {"Département": 2000}),
    Case("kilo_euros",
         "Coût global : 12,5 k€ — financé par la Région (8 k€) et la MSA (4,5 k€)",
         12500, "explicit_total", {"Région": 8000, "MSA": 4500}),
    Case("programme_with_agency_in_brackets",
         "Financements obtenus : Contrat de ville (ANCT) 3 200 €, Conseil départemental 1 800 €",
         5000, "sum_of_funding", {"CGET": 3200, "Département": 1800}),
    Case("table_flattened_with_tabs",
         "Financeur\tMontant\nCAF\t2 400 €\nCommune\t1 600 €\nTotal\t4 000 €",
         4000, "explicit_total", {"CAF": 2400, "Commune": 1600}),
    Case("table_with_pipes_on_lines",
         "| Dépenses | Montant |\n| Personnel | 6 000 € |\n| Matériel | 1 000 € |\n"
         "| Recettes | |\n| CAF | 4 000 € |\n| Ville | 3 000 € |",
         7000, "sum_of_expenses", {"CAF": 4000, "Commune": 3000}),
    Case("table_with_pipes_on_one_line",
         "Charges : animation 3 000 € | sorties 1 200 € | Produits : CAF 2 200 € | "
         "Département 2 000 €",
         4200, "sum_of_expenses", {"CAF": 2200, "Département": 2000}),
    Case("reste_a_charge_is_own_money",
         "Subvention CAF : 1 500 €\nReste à charge pour le centre social : 700 €",
         2200, "sum_of_funding", {"CAF": 1500}),
    Case("autofinancement_is_own_money",
         "Ville de Saint-Herblain 2 000 € / autofinancement 800 €",
         2800, "sum_of_funding", {"Commune": 2000}),
    Case("valued_volunteering_beside_a_total",
         "Budget : 6 200 €\nValorisation du bénévolat : 5 000 €\nCAF : 4 000 €, Commune : 2 200 €",
         6200, "explicit_total", {"CAF": 4000, "Commune": 2200}),
    Case("valued_volunteering_beside_expenses",
         "Achats : 900 €\nIntervenant : 1 100 €\nValorisation bénévolat : 2 500 €",
         2000, "sum_of_expenses"),
    Case("prestation_de_service",
         "Prestation de service CAF (animation collective familles) : 9 500 €",
         9500, "single_amount", {"CAF": 9500}),
    Case("clas_and_reaap_are_caf",
         "REAAP : 1 200 € ; CLAS : 3 000 €", 4200, "sum_of_funding", {"CAF": 4200}),
    Case("fonds_de_participation_des_habitants",
         "Fonds de participation des habitants (FPH) : 800 €", 800, "single_amount",
         {"CGET": 800}),
    Case("fdva_and_drac_are_the_state",
         "FDVA : 2 000 € ; DRAC (action culturelle) : 1 500 €", 3500, "sum_of_funding",
         {"État": 3500}),
    Case("ars_and_conference_des_financeurs",
         "ARS : 3 000 € - Conférence des financeurs : 4 500 €", 7500, "sum_of_funding",
         {"ARS": 3000, "Département": 4500}),
    Case("cnaf_and_fondation_de_france",
         "Appel à projets CNAF 5 000 € et Fondation de France 3 000 €", 8000, "sum_of_funding",
         {"CAF": 5000, "Fondation": 3000}),
    Case("region_and_communaute_de_communes",
         "Conseil Régional : 6 000 €\nCommunauté de communes du Val d'Erdre : 2 000 €\n"
         "Total des recettes : 8 000 €",
         8000, "explicit_total", {"Région": 6000, "Intercommunalité": 2000}),
    Case("metropole_and_named_bailleur",
         "Nantes Métropole 2 500 €, bailleur (Habitat 44) 1 000 €", 3500, "sum_of_funding",
         {"Intercommunalité": 2500, "Bailleur social": 1000}),
    Case("named_bailleur_alone",
         "Soutien de Habitat 44 : 1 200 €", 1200, "single_amount", {"Bailleur social": 1200}),
    Case("per_year_amount_is_the_amount",
         "Subvention de la Région : 3 000 € par an sur 3 ans", 3000, "single_amount",
         {"Région": 3000}),
    Case("per_year_with_stated_product",
         "Soutien du FSE : 10 000 € par an pendant 2 ans, soit 20 000 € au total",
         20000, "single_amount", {"Europe": 20000}),
    Case("zero_cost", "Coût : 0 €", 0, "single_amount"),
    Case("no_specific_budget",
         "Pas de budget spécifique, action intégrée au budget de fonctionnement du centre.",
         None, None),
    Case("own_staff_cost",
         "Temps de travail de la référente famille : 4 200 € (sur le budget du centre)",
         4200, "single_amount"),
    Case("own_staff_cost_and_material",
         "Coût salarial de l'animatrice (fonds propres du centre) : 3 600 €\n"
         "Petit matériel : 250 €",
         3850, "sum_of_expenses"),
    Case("range_between", "Entre 2 000 et 3 000 € selon le nombre de sorties",
         2500, "single_amount", approximate=True),
    Case("range_from_to_financed_by",
         "De 1 500 à 2 000 euros, financés par la CAF", 1750, "single_amount", {"CAF": 1750},
         approximate=True),
    Case("decimal_point", "Achat de matériel : 1500.50 €\nSortie : 249.50 €",
         1750, "sum_of_expenses"),
    Case("dot_thousands",
         "Subvention Mairie : 1.500 €\nParticipation des familles : 300 €",
         1800, "sum_of_funding", {"Commune": 1500, "Familles": 300}),
    Case("before_and_after_tax", "Coût de la prestation : 1 500 € HT soit 1 800 € TTC",
         1800, "single_amount"),
    Case("after_tax_in_brackets", "Location du car : 1 000 € HT (1 200 € TTC)",
         1200, "single_amount"),
    Case("after_tax_only", "Intervention d'une diététicienne : 1 500 € HT",
         1500, "single_amount"),
    Case("amount_in_words", "Mille euros versés par la commune", 1000, "single_amount",
         {"Commune": 1000}),
    Case("per_unit_participation",
         "Participation des familles : 2 € par enfant et par séance\nSubvention CAF : 1 200 €",
         1200, "single_amount", {"Familles": None, "CAF": 1200}),
    Case("calculation_operands",
         "Sortie à la mer : 45 enfants x 12 € = 540 €\nTransport : 460 €",
         1000, "sum_of_expenses"),
    Case("dates_and_phone_near_amounts",
         "Subvention Ville 2019 : 1 800 € (versée le 12/04/2019)\n"
         "Contact trésorière : 06 12 34 56 78",
         1800, "single_amount", {"Commune": 1800}),
    Case("year_range_before_total",
         "Action 2018-2019 : coût total 3 400 € (dont CAF 2 000 € versés en mars 2019)",
         3400, "explicit_total", {"CAF": 2000}),
    Case("refused_subsidy",
         "Subvention Région demandée mais non obtenue (2 000 €). Financement CAF : 1 500 €.",
         1500, "single_amount", {"CAF": 1500}),
    Case("pending_answer",
         "CAF : 2 500 € (accordé)\nFondation de France : 1 500 € (en attente de réponse)",
         2500, "single_amount", {"CAF": 2500}),
    Case("financing_sentence_in_description",
         None, 6000, "sum_of_funding", {"Fondation": 4000, "CARSAT": 2000},
         description="Le projet a reçu le soutien de la Fondation de France (4 000 €) et de "
                     "la CARSAT (2 000 €)."),
    Case("cofinanced_and_premises_in_description",
         "3 000 €", 3000, "single_amount", {"CAF": None, "Département": None},
         description="Cette action est cofinancée par la CAF et le Conseil départemental ; "
                     "la mairie met une salle à disposition."),
    Case("leader_and_agglo_with_total",
         "Programme LEADER : 12 000 € ; Agglo du Choletais : 3 000 € ; total projet 15 000 €",
         15000, "explicit_total", {"Europe": 12000, "Intercommunalité": 3000}),
    # The one funder of a total's financing sentence gives all of it (as a blind gold reads
    # "Budget : 350 euros, financés par la Communauté de communes").
    Case("partners_are_not_funders",
         "Budget : 2 000 € financé par la CAF. Partenaires : Mission locale, Pôle emploi.",
         2000, "explicit_total", {"CAF": 2000}),
    Case("subtotals_and_total",
         "Personnel 4 000 €\nMatériel 500 €\nSous-total 4 500 €\nFrais de structure 450 €\n"
         "TOTAL 4 950 €",
         4950, "explicit_total"),
    Case("funders_as_subjects_with_euros",
         "La CAF de Loire-Atlantique apporte 3 000 euros, la MSA 1 000 euros.",
         4000, "sum_of_funding", {"CAF": 3000, "MSA": 1000}),
    Case("headers_and_bare_users_line",
         "Dépenses :\n- animation : 2 000 €\n- goûters : 300 €\nRecettes :\n- CAF : 1 500 €\n"
         "- familles : 800 €",
         2300, "sum_of_expenses", {"CAF": 1500, "Familles": 800}),
    Case("bare_numbers_in_a_semicolon_list",
         "CAF : 3500 ; Ville : 1500 ; Total : 5000",
         5000, "explicit_total", {"CAF": 3500, "Commune": 1500}),
    Case("funder_after_amount_with_comma",
         "4 000 €, financés par le Conseil départemental", 4000, "single_amount",
         {"Département": 4000}),
    Case("tax_marked_line_in_a_list",
         "Prestation conteur 600 € TTC ; goûter 150 €", 750, "sum_of_expenses"),
]

# Written blind after the fixes for the cases above, to check that those fixes generalise
# (17/18 totals and amounts right on the first run; the two misses fixed by general rules).
CASES += [
    Case("blind_semicolon_funders_total_first",
         "Coût total de l'action : 11 000 € ; CAF 5 000 € ; Département 3 000 € ; Ville 3 000 €",
         11000, "explicit_total", {"CAF": 5000, "Département": 3000, "Commune": 3000}),
    Case("blind_financed_by_list_in_budget_field",
         "Action financée par la CAF (2 000 €), la MSA (800 €) et la CARSAT (1 200 €).",
         4000, "sum_of_funding", {"CAF": 2000, "MSA": 800, "CARSAT": 1200}),
    Case("blind_expenses_then_funding_no_totals",
         "Dépenses : intervenants 1 800 €, petit matériel 200 €. Recettes : Conseil Départemental "
         "1 000 €, participation des habitants 200 €, fonds propres 800 €.",
         2000, "sum_of_expenses", {"Département": 1000, "Familles": 200}),
    Case("blind_k_euros_upper",
         "Budget : 25 K€ (Région Pays de la Loire 15 K€, Europe FSE 10 K€)",
         25000, "explicit_total", {"Région": 15000, "Europe": 10000}),
    Case("blind_approx_total",
         "Environ 3 000 euros par an, pris en charge par la ville de Cholet.",
         3000, "single_amount", {"Commune": 3000}, approximate=True),
    Case("blind_no_amount_funders_named",
         "Financement CAF et Conseil Départemental (montants non communiqués)",
         None, None, {"CAF": None, "Département": None}),
    Case("blind_volunteer_valuation_only",
         "Aucun budget : valorisation du bénévolat estimée à 3 000 €", None, None),
    Case("blind_eur_after_number_lower",
         "Subvention politique de la ville : 2 500 eur\nSubvention CCAS : 500 eur",
         3000, "sum_of_funding", {"CGET": 2500, "Commune": 500}),
    Case("blind_per_session_price",
         "Intervenante sophrologue : 60 € la séance, soit 1 200 € pour l'année ; "
         "financement conférence des financeurs",
         1200, "single_amount", {"Département": None}),
    Case("blind_refused_in_description",
         "2 000 €", 2000, "single_amount", {"CAF": None},
         description="Financée par la CAF ; la demande auprès de la Fondation de France a "
                     "été refusée."),
    Case("blind_metropole_and_bailleurs",
         "Rennes Métropole : 4 000 €\nArchipel Habitat : 1 500 €\nNeotoa : 1 000 €",
         6500, "sum_of_funding", {"Intercommunalité": 4000, "Bailleur social": 1500}),
    Case("blind_pipe_row_with_total",
         "Financeurs | CAF 3 000 € | Ville 2 000 € | Total 5 000 €",
         5000, "explicit_total", {"CAF": 3000, "Commune": 2000}),
    Case("blind_amount_before_funder_de",
         "1 500 € de la Région et 500 € du FDVA", 2000, "sum_of_funding",
         {"Région": 1500, "État": 500}),
    Case("blind_percent_only_funders",
         "Budget prévisionnel 9 000 € financé à 70 % par la CAF et 30 % par la commune",
         9000, "explicit_total", {"CAF": 6300, "Commune": 2700}),
    Case("blind_dates_in_budget",
         "Convention 2020-2022 avec le Conseil Régional : 4 500 € versés en 2021",
         4500, "single_amount", {"Région": 4500}),
    Case("blind_pending_in_list",
         "CAF 3 000 € (acquis), ARS 2 000 € (demande en cours), Ville 1 000 € (acquis)",
         4000, "sum_of_funding", {"CAF": 3000, "Commune": 1000}),
    Case("blind_staff_hours",
         "Temps de coordination : 120 h x 25 € = 3 000 €\nFournitures : 400 €",
         3400, "sum_of_expenses"),
    Case("blind_comma_decimal_and_no_space",
         "Achats alimentaires 312,40€ ; location minibus 187,60€", 500, "sum_of_expenses"),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.blank("fr")
    add_components(nlp, CONFIG_DIR, ("fiches_organisations", "fiches_money"))
    return nlp


def run(nlp: Language, case: Case) -> tuple[dict[str, Any], dict[str, float | None]]:
    fields = {"financial_resources": case.budget_text, "description": case.description}
    docs = {name: nlp(text) for name, text in fields.items() if text is not None}
    budget, funders = build_budget(docs)
    return budget, {f["type"]: f["amount_eur"] for f in funders}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_total(nlp: Language, case: Case) -> None:
    budget, _ = run(nlp, case)
    assert (budget["total_eur"], budget["basis"]) == (case.total, case.basis)
    if case.approximate is not None:
        assert budget["approximate"] is case.approximate


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_funder_types(nlp: Language, case: Case) -> None:
    _, funders = run(nlp, case)
    assert set(funders) == set(case.funders)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_funder_amounts(nlp: Language, case: Case) -> None:
    _, funders = run(nlp, case)
    assert funders == case.funders


def test_unconfirmed_money_is_kept_as_a_line(nlp: Language) -> None:
    budget, _ = run(nlp, Case("", "CAF : 2 500 €\nFondation : 900 € (demande en cours)",
                              2500, "single_amount"))
    assert [line["kind"] for line in budget["lines"]] == ["funding", "unconfirmed"]


@pytest.mark.slow
@pytest.mark.parametrize("hostile", [
    "CAF 50 % " * 50_000,
    "entre 1 et " * 50_000 + "2 €",
    "€ " * 200_000,
    "de 1 à 2 000 € soit " * 20_000,
    "2 € par enfant x " * 30_000,
])
def test_hostile_fields_are_fast(nlp: Language, hostile: str) -> None:
    nlp.max_length = 2_000_000
    start = time.perf_counter()
    build_budget({"financial_resources": nlp(hostile)})
    assert time.perf_counter() - start < 30


# Kinds of failure met on the third held-out set (invented phrases of each kind).
CASES_KINDS = [
    Case("glued_departement_number", "CD 44 : voir plus bas\nCD71 3.500 €\nCAF29 1 000 €",
         4500, "sum_of_funding", {"Département": 3500, "CAF": 1000}),
    Case("communaute_de_communes_as_cc", "CC Val de Loir 2 200e\nfonds propres 300 €",
         2500, "sum_of_funding", {"Intercommunalité": 2200}),
    Case("waste_syndicate_pays", "Bacs de compost : 450 euros, pris en charge par le SMICTOM",
         450, "single_amount", {"Intercommunalité": 450}),
    Case("company_gives_when_the_amount_is_linked_to_it",
         "budget 1 900 e : 900 e de la mairie, 400 e du Crédit Mutuel, reste autofinancé",
         1900, "explicit_total", {"Commune": 900, "Autre": 400}),
    Case("provider_named_in_an_expense_line_is_no_funder",
         "Intervention de l'association Lire Ensemble : 700 €", 700, "single_amount"),
    Case("label_above_its_amount", "Produits\nConseil départemental\n2 400 €\nMSA\n900 €",
         3300, "sum_of_funding", {"Département": 2400, "MSA": 900}),
    Case("amount_first_lines", "1 200 € Région\n- 800 € (Département)\n500 € mairie de Vitré",
         2500, "sum_of_funding", {"Région": 1200, "Département": 800, "Commune": 500}),
    Case("people_paying_named_by_their_group",
         "FSE 3 000 euros\nparticipation des apprentis 600 euros\n"
         "droits d'inscription des adhérents 250 euros",
         3850, "sum_of_funding", {"Europe": 3000, "Familles": 850}),
    Case("bare_payer_and_funder_name_labels", "parents 320 €\nville 500 €\nregion 1 000 €",
         1820, "sum_of_funding", {"Familles": 320, "Commune": 500, "Région": 1000}),
    Case("bracketed_rate_before_the_line_amount",
         "Mutuelle 2 000 €\ncotisations des adhérents (15 € / mois) 1 800 €",
         3800, "sum_of_funding", {"Autre": 2000, "Familles": 1800}),
    Case("funders_named_before_each",
         "Coût : 9 000 €. Le Département et la CAF ont versé chacun 3 000 € ; le reste, "
         "3 000 €, a été couvert par la Fondation Lumière.",
         9000, "explicit_total", {"Département": 3000, "CAF": 3000, "Fondation": 3000}),
    Case("equal_shares_after_the_amount",
         "La Ville et la MSA ont pris en charge 5 000 € à parts égales ; la participation des "
         "usagers s'élève à 400 €.",
         5400, "sum_of_funding", {"Commune": 2500, "MSA": 2500, "Familles": 400}),
    Case("taking_on_a_cost_is_giving", "Le Département a pris en charge le transport (650 €).",
         650, "single_amount", {"Département": 650}),
    Case("valuation_in_the_amounts_own_brackets",
         "La CAF a versé 2 000 €. La commune a prêté la salle (valorisation d'environ 1 500 €).",
         2000, "single_amount", {"CAF": 2000}),
    Case("takings_passed_on", "Subvention de la Ville : 800 €. Les bénéfices de la tombola "
         "(350 €) ont été reversés au Secours populaire.", 800, "single_amount",
         {"Commune": 800}),
    Case("valued_volunteering_inside_a_stated_total",
         "Coût total : 5 000 € (dont 1 200 € de bénévolat valorisé)\nCAF 2 500 €\nVille 1 300 €",
         3800, "explicit_total", {"CAF": 2500, "Commune": 1300}),
    Case("bracketed_breakdown_of_an_amount",
         "Enveloppe de soutien aux projets : 6 000 € par an (CAF 4 000 €, Département 2 000 €).",
         6000, "explicit_total", {"CAF": 4000, "Département": 2000}),
    Case("funder_right_after_each_amount_of_a_list",
         "Coût : 7 k€ dont 4 k€ MSA (bien vieillir) et 3 k€ CD71",
         7000, "explicit_total", {"MSA": 4000, "Département": 3000}),
    Case("bracketed_funders_added_up", "2 000 € (Lorient Agglo) + 900 € (Fondation Orange)",
         2900, "sum_of_funding", {"Intercommunalité": 2000, "Fondation": 900}),
    Case("soit_adds_up_the_lines_before_it",
         "Séjour : CAF 3 000 €, participation des familles 700 €, soit 3 700 € au total.",
         3700, "explicit_total", {"CAF": 3000, "Familles": 700}),
    Case("envelope_funder_gives_the_share_and_others_add_to_it",
         "Le Département attribue 50 000 € au pôle jeunesse, dont 8 000 € pour cette action. "
         "La Ville apporte en complément 2 000 €.",
         10000, "explicit_total", {"Département": 8000, "Commune": 2000}),
    Case("two_column_table_flattened_with_both_headers",
         "CHARGES PRODUITS location salle 400 € subvention region 600 € affiches 150 € "
         "participation des adherents (buffet) 250 € TOTAL 850 € TOTAL 850 €",
         850, "explicit_total", {"Région": 600, "Familles": 250}),
    Case("association_line_among_funding_lines",
         "Budget : 1 500 €\n- CAF : 1 000 €\n- amicale des locataires : 300 €\n"
         "- vente de gâteaux : 200 €",
         1500, "explicit_total", {"CAF": 1000, "Autre": 300}),
    Case("bare_numbers_after_a_budget_word",
         "budget 3k€ : Région 2200 / mairie 800", 3000, "explicit_total",
         {"Région": 2200, "Commune": 800}),
    Case("share_after_the_funders_proper_name",
         "Animation : 2 000 € ; matériel : 1 000 € ; financé par la fondation Les Amis du Rail "
         "à 100 %", 3000, "sum_of_expenses", {"Fondation": 3000}),
    Case("verbs_of_giving_outside_the_budget_field", None, 5500, "sum_of_funding",
         {"Région": 4000, "Commune": 1500},
         description="Le projet est soutenu à hauteur de 4 000 € par la Région. La mairie "
                     "apporte 1 500 euros."),
    Case("semicolon_cells_on_a_line_of_their_own",
         "Charge;Montant\nLoyer;900 €\nAnimation;1 600 €\nTOTAL CHARGES;2 500 €\n"
         "Produit;\nCAF;1 500 €\nVille;1 000 €", 2500, "explicit_total",
         {"CAF": 1500, "Commune": 1000}),
    Case("columns_aligned_with_spaces_no_currency",
         "DEPENSES\nLoyer                 3 000\nSalaires             12 000\n"
         "RECETTES\nPrestation de service CAF   9 000\nParticipation familles      6 000",
         15000, "sum_of_expenses", {"CAF": 9000, "Familles": 6000}),
    Case("businesses_paying_are_not_users",
         "Location sono : 400 €\nParticipation des commerçants : 300 €\nVille : 100 €",
         400, "explicit_total", {"Commune": 100}),
    Case("a_cost_verb_states_the_total",
         "La fête coûte près de 3 000 € par an, grâce à la Ville (1 200 €) et à la CAF (900 €).",
         3000, "explicit_total", {"Commune": 1200, "CAF": 900}),
    Case("a_funder_named_last_in_any_label", "Coût : 5 000 €\nAide Région : 3 000 €\n"
         "Complément département : 2 000 €", 5000, "explicit_total",
         {"Région": 3000, "Département": 2000}),
    Case("one_line_equal_to_another_is_no_total",
         "Matériel : 900 €\nBourses (6 x 150 €) : 900 €\nEncadrement : 2 000 €",
         3800, "sum_of_expenses"),
    Case("soit_opening_a_breakdown", "L'atelier a coûté 3 100 €, soit 2 000 € de salaires et "
         "1 100 € de matériel.", 3100, "explicit_total"),
    Case("soit_a_share_of_a_longer_grant",
         "Fondation Lumière : 9 000 € sur trois ans, soit 3 000 € pour cette année\nVille 1 000 €",
         4000, "sum_of_funding", {"Fondation": 3000, "Commune": 1000}),
    Case("soit_alone_after_the_lines", "Matériel : 700 € ; location : 300 € ; soit 1 000 €.",
         1000, "explicit_total"),
    Case("no_currency_anywhere_label_then_number",
         "Animatrice 1800\nPrêt de salle 0 (mise a dispo par la commune)\nTotal 1800\n"
         "Financement : CARSAT 1200 / fonds propres 600", 1800, "explicit_total", {"CARSAT": 1200}),
    Case("one_cost_line_balanced_by_funding_lines",
         "Prix du voyage 2 600 €\nCAF 1 000 €\nfamilles 900 €\nautofinancement 700 €",
         2600, "explicit_total", {"CAF": 1000, "Familles": 900}),
    # Glued "e" before a link word of a list, digits glued to a code.
    Case("glued_e_before_a_link_word", "Financé par la CAF 700e et la Ville 300e",
         1000, "sum_of_funding", {"CAF": 700, "Commune": 300}),
    Case("glued_e_before_de", "Sortie : 450e de la MSA", 450, "single_amount", {"MSA": 450}),
    Case("digits_glued_to_a_code_are_not_money",
         "1 500 € (CAF 900 €, CD35 600 €)", 1500, "explicit_total",
         {"CAF": 900, "Département": 600}),
    # Costs of no stated kind balanced by the funding lines under them.
    Case("untyped_costs_balanced_by_funding",
         "Intervenante sophrologie : 1 200 €\nLivres et jeux 300 €\n"
         "Financement MSA 900 € et Département 600 €",
         1500, "sum_of_expenses", {"MSA": 900, "Département": 600}),
    Case("a_funders_own_amount_in_brackets_after_it",
         "Achat du minibus : 24 000 €, payé par la Fondation Soleil (20 000 €) et la Ville "
         "(4 000 €).", 24000, "explicit_total", {"Fondation": 20000, "Commune": 4000}),
    # Users paying, named with what they pay or by a verb of paying.
    Case("users_fee_without_an_article", "Animation 1 000\nTotal 1 000\n"
         "Financement : CARSAT 700 / cotisation adhérentes 300", 1000, "explicit_total",
         {"CARSAT": 700, "Familles": 300}),
    Case("users_share_written_part", "Coût du séjour 5 000 € dont part des vacanciers 800 €, "
         "CAF 2 500 €", 5000, "explicit_total", {"Familles": 800, "CAF": 2500}),
    Case("users_memberships_in_a_sum", "Matériel : 2 k€\nVille 1,5 k€ + adhésions des "
         "joueurs 0,5 k€", 2000, "explicit_total", {"Commune": 1500, "Familles": 500}),
    Case("users_paying_told_by_a_verb", "Budget : 9 000 €. La Région apporte 6 000 €. "
         "Les participants ont versé 3 000 € au total.", 9000, "explicit_total",
         {"Région": 6000, "Familles": 3000}),
    # Tables with no currency whose labels hold a code in brackets.
    Case("code_in_brackets_in_a_bare_label", "Dépenses\nSalaires 9 000\nTotal 9 000\n"
         "Recettes\nDDETS (BOP 177) 6 000\nCAF 3 000", 9000, "explicit_total",
         {"État": 6000, "CAF": 3000}),
    # Prices: per period paid by each user, times a count.
    Case("users_fee_per_period_is_a_rate", "Région 2 000 €\nVille 1 000 €\n"
         "cotisation des adhérents : 15 € par mois", 3000, "sum_of_funding",
         {"Région": 2000, "Commune": 1000, "Familles": None}),
    Case("price_times_count_in_brackets", "Animation : 1 200 €\nCAF 900 €\n"
         "inscriptions des joueurs 300 € (10 € x 30)", 1200, "explicit_total",
         {"CAF": 900, "Familles": 300}),
    Case("weekly_cost_restated_for_the_year",
         "env. 25€/semaine de goûters, soit 900e sur l'année", 900, "single_amount"),
    # Funders written after amounts that open a header or a list item.
    Case("amount_first_items_after_a_header",
         "Recettes : 5 000 € Région (Pacte), 2 000 € Département, 1 000 € Ville",
         8000, "sum_of_funding", {"Région": 5000, "Département": 2000, "Commune": 1000}),
    Case("programme_name_before_the_funder_in_an_item",
         "Financé par : 3 000 € de la CAF, 1 500 € Plan mercredi (Préfecture)",
         4500, "sum_of_funding", {"CAF": 3000, "État": 1500}),
    Case("funder_with_its_own_amount_after_a_headline",
         "6 K€ : Fonds d'aide aux jeunes (Département) 4 K€, Ville 2 K€", 6000, "explicit_total",
         {"Département": 4000, "Commune": 2000}),
    Case("funders_sharing_one_amount_in_brackets", "2 400e (CAF + Ville + MSA)", 2400,
         "single_amount", {"CAF": None, "Commune": None, "MSA": None}),
    # Breakdowns in brackets and headline amounts.
    Case("bracketed_breakdown_of_the_costs",
         "Dépenses : 9 k€ (salaires 7 k€, matériel 2 k€)\nRecettes : CAF 5 000 € ; Région 3 000 €",
         9000, "explicit_total", {"CAF": 5000, "Région": 3000}),
    Case("bare_headline_amount_above_its_funders",
         "3.200 €\nVille : 1 500 €\nFondation Lumière : 1 000 €\nDépartement : demande refusée",
         3200, "explicit_total", {"Commune": 1500, "Fondation": 1000}),
    # Who gives, told by words no list holds.
    Case("a_provider_in_brackets_is_paid_not_paying",
         "Repas : 1 200 € (traiteur)\nSubvention Ville : 1 200 €", 1200, "sum_of_expenses",
         {"Commune": 1200}),
    Case("a_gift_from_a_business_no_list_knows",
         "Coût : 900 €, dont 200 € offerts par la pharmacie Durand, 700 € de la CAF",
         900, "explicit_total", {"Autre": 200, "CAF": 700}),
    Case("a_funder_told_by_an_adjective", "Total 2 500 €\n1 500 € de subvention régionale\n"
         "aide départementale 1 000 €", 2500, "explicit_total",
         {"Région": 1500, "Département": 1000}),
    Case("funder_type_in_the_plural_after_the_amount",
         "Coût 4 000 € dont 2 x 1 500 € des communes voisines et 1 000 € de la CAF",
         4000, "explicit_total", {"Commune": 3000, "CAF": 1000}),
    # Totals told in other ways.
    Case("budget_field_pointing_to_the_description", "cf. description",
         2000, "explicit_total", {"Bailleur social": 1200, "Familles": None},
         description="Il a fallu environ 2 000 € en tout. Logiest Habitat a donné 1 200 €, "
                     "et chaque adhérent verse une cotisation de 5 €."),
    Case("total_told_after_its_amount",
         "3 000 € par centre, soit 9 k€ au total, financés par la Région 6 k€ et la CAF 3 k€",
         9000, "explicit_total", {"Région": 6000, "CAF": 3000}),
    Case("total_word_naming_something_else",
         "Transport et hébergement\n9 600 €\nAtelier budget familial\n400 €\nCAF\n6 000 €\n"
         "Département\n4 000 €", 10000, "sum_of_expenses", {"CAF": 6000, "Département": 4000}),
    Case("total_word_misspelt", "Budjet : 2 800 euros (spectacle 2000, goûter 800)\n"
         "don de la mutuelle 300 euros", 2800, "explicit_total", {"Autre": 300}),
    # Layouts: dotted leaders, clauses in brackets, bare numbers in a bracketed list.
    Case("dotted_leaders_between_label_and_amount",
         "Recettes :\nFondation Sol et Vie ........ 2 000 €\nConseil départemental ........ "
         "1 000 €\nTotal ........ 3 000 €", 3000, "explicit_total",
         {"Fondation": 2000, "Département": 1000}),
    Case("semicolons_inside_a_breakdown_bracket",
         "Poste « Sorties » : 1 900 € (CAF : 1 200 € ; amicale laïque : 700 €).",
         1900, "explicit_total", {"CAF": 1200, "Autre": 700}),
    Case("bare_numbers_listed_in_brackets",
         "Dépenses : 1 800 euros (costumes 1 100, sono 400, affiches 300)", 1800,
         "explicit_total"),
    Case("no_currency_amount_before_the_name",
         "20 000 Fonds social européen\n6 500 Région Occitanie\nTotal 26 500",
         26500, "explicit_total", {"Europe": 20000, "Région": 6500}),
    # Givers no list knows, among funding lines; providers heading the costs are paid.
    Case("givers_listed_after_a_financing_verb",
         "Financé par la Ville (2 000 euros) et le Garage Martin Frères (300 euros).",
         2300, "sum_of_funding", {"Commune": 2000, "Autre": 300}),
    Case("a_fund_named_among_funding_lines",
         "Financements : CAF 1 000 €, Fonds Jeunesse et Partage 800 €, autofinancement 200 €",
         2000, "sum_of_funding", {"CAF": 1000, "Autre": 800}),
    Case("a_company_heading_the_costs_is_paid",
         "Compagnie du Petit Pont : 2 200 €\nLocation de salle : 300 €\nVille 2 500 €",
         2500, "sum_of_expenses", {"Commune": 2500}),
    # A two-column table pasted on one line: its cells alternate between the sides.
    Case("one_line_table_cells_alternate",
         "DEPENSES RECETTES buffet 600 € subvention mairie 500 € jeux 200 € amicale des "
         "pêcheurs 300 € TOTAL 800 € TOTAL 800 €", 800, "explicit_total",
         {"Commune": 500, "Autre": 300}),
    Case("one_line_table_a_capital_starts_the_next_cell",
         "CHARGES PRODUITS Entrées piscine 450 € Caf 300 € Car 350 € Participation des familles "
         "500 € Mise à disposition du gymnase 200 € Contributions volontaires 200 €",
         800, "sum_of_expenses", {"CAF": 300, "Familles": 500}),
    # A negation is about an organisation only when said near it, with no amount between.
    Case("a_negation_about_something_else",
         "1 200 € MSA + 800 € Fondation du Sud, soit 2 000 € (sans compter le prêt du minibus)",
         2000, "explicit_total", {"MSA": 1200, "Fondation": 800}),
    Case("a_negation_about_the_funder", "Ville 900 €. La Région n'a pas répondu à la demande.",
         900, "single_amount", {"Commune": 900}),
    # Users paying, and users bringing things.
    Case("users_fee_per_session_after_de",
         "1 500 € versés par la CAF + une participation de 1 € par séance, pas de compte exact",
         1500, "single_amount", {"CAF": 1500, "Familles": None}),
    Case("users_named_after_a_verb_of_paying",
         "Coût du séjour 6 000 €, pris en charge par la CAF à hauteur de 4 000 €, par les "
         "vacanciers 1 200 € et le reste par le centre.", 6000, "explicit_total",
         {"CAF": 4000, "Familles": 1200}),
    Case("users_bringing_things_pay_nothing",
         "0 € (les gâteaux et boissons sont apportés par les parents)", 0, "single_amount"),
    # A price times a count in brackets, and a cost taken on by the funder named after it.
    Case("units_times_price_in_brackets_taken_on_by_a_funder",
         "coût : 2 400 € (30 séances x 80 €) pris en charge par la CARSAT", 2400, "single_amount",
         {"CARSAT": 2400}),
    Case("money_from_the_structures_own_budget_line",
         "3 000 € au total : 2 000 € de la CAF, 1 000 € sur le budget jeunesse du centre.",
         3000, "explicit_total", {"CAF": 2000}),
    Case("users_fee_with_an_adjective", "CAF : 900 €\nParticipation modique des familles : "
         "2 € par sortie", 900, "single_amount", {"CAF": 900, "Familles": None}),
    Case("a_giver_named_before_a_verb_of_giving",
         "- 1 000 € de la Ville\n- l'amicale des Genêts a offert 300 €", 1300, "sum_of_funding",
         {"Commune": 1000, "Autre": 300}),
    Case("glued_e_before_an_elided_article",
         "La Région nous a versé 900e l'an dernier pour le matériel.", 900, "single_amount",
         {"Région": 900}),
    Case("a_named_giver_after_the_costs_total",
         "Sono 700 €\nAffiches 300 €\nTOTAL 1 000 €\nAmicale Saint-Roch (buvette) 600 €\n"
         "Ville 400 €", 1000, "explicit_total", {"Autre": 600, "Commune": 400}),
    Case("politique_de_la_ville_programmes_are_cget",
         "Ville Vie Vacances 1 500 €\nProgramme de Réussite Éducative : 2 500 €",
         4000, "sum_of_funding", {"CGET": 4000}),
    # A headline amount that opens the field, in a sentence.
    Case("an_estimate_opening_the_field_heads_it",
         "Environ deux mille euros par an (matériel, goûters). Cette année la MSA nous a donné "
         "cinq cents euros.", 2000, "explicit_total", {"MSA": 500}),
    Case("a_total_then_who_paid_in_words",
         "mille cinq cents euros, versés par la Région (mille euros) et par la CAF (cinq cents "
         "euros)", 1500, "explicit_total", {"Région": 1000, "CAF": 500}),
    Case("a_total_told_as_so_much_budget",
         "Nous avons fait avec 700 € de budget, grâce à une aide de 400 € du Département.",
         700, "explicit_total", {"Département": 400}),
    # Words that look like something else.
    Case("on_demand_transport_is_no_request",
         "Région 1 000 €\nDépartement (transport à la demande) 600 €", 1600, "sum_of_funding",
         {"Région": 1000, "Département": 600}),
    Case("a_funder_type_opening_a_label", "Communes de Saint-Léger et Vaux 800 €\nCAF 700 €",
         1500, "sum_of_funding", {"Commune": 800, "CAF": 700}),
    Case("a_cost_per_kilometre_is_a_price",
         "Fonctionnement du minibus 5 000 € ; indemnités 0,32 € du km", 5000, "single_amount"),
    # The funder named as paying the rest gets what the others leave of the total.
    Case("the_funder_paying_the_rest",
         "Coût total : 8 000 €. La Région apporte 5 000 €, le solde est pris en charge par la "
         "commune.", 8000, "explicit_total", {"Région": 5000, "Commune": 3000}),
    Case("the_rest_paid_by_the_centre_is_no_funder",
         "Budget 2 000 € : CAF 1 200 €, le reste par le centre.", 2000, "explicit_total",
         {"CAF": 1200}),
    Case("a_price_then_its_yearly_product_for_the_users",
         "Goûters : participation des parents 1 € par séance, 320 € sur l'année\nCAF 900 €",
         1220, "sum_of_funding", {"Familles": 320, "CAF": 900}),
    Case("a_funder_in_brackets_glosses_the_scheme_before_it",
         "Ville 2 000 €\nContrat de ville (Préfecture) 1 500 €", 3500, "sum_of_funding",
         {"Commune": 2000, "CGET": 1500}),
]


@pytest.mark.parametrize("case", CASES_KINDS, ids=[c.name for c in CASES_KINDS])
def test_kinds_of_failure(nlp: Language, case: Case) -> None:
    budget, funders = run(nlp, case)
    assert (budget["total_eur"], budget["basis"], funders) == (case.total, case.basis,
                                                              case.funders)
