"""Budget and funder cases by kind of failure, from the sixth round of blind held-out sets
(run by `test_budget_kinds.py`).

Each case is invented (none is a string of a held-out set); the conventions are those of
`test_budget_unseen.py`, plus these:

- A line that opens on a bare number says who gave it after it ("1200 versés par la MSA",
  "500 de la Communauté de communes", "300 participation des adhérents").
- In a list whose items open on their amount, each item's words after its amount are its own
  ("2 500 € de la CAF, 1 000 € du conseil départemental"), never the next amount's label; a
  money word's giver may follow it with no link ("subvention mairie").
- A count times a unit price ("60 demi-heures x 30 €") breaks its amount down, whatever the
  unit's spelling; a label may end with "+" ("FSE+ 12 000").
- Beside amounts written with a currency, a small bare number is part of a name ("bailleur 31
  Habitat", "mairie des 7/8"), not money.
- The single territorial collectivities of overseas regions and Corsica are the Région; a
  conurbation named "Grand X" is an intercommunality.
- A funder's bare line ("Conseil régional 12 000") is money even where another line writes a
  currency, from 100 up; what an amount is for may stand between it and the verb of giving
  ("4 000 € de frais de transport financés par"), but a gift of things stays no money.
- A funder named before its verb of giving pays the amount whatever expense the verb names
  ("a financé la location du car (1 500 €)", "finance les ateliers"); money "pris sur" a fund
  is that fund's funder's.
- A programme and its funder named together ("aide CLAS de la CAF") are one funder; a body no
  list knows that "pris en charge" an amount pays it (all of a total broken down in brackets),
  but one that takes on a service with no amount in its clause is no funder.
- Users pay by sales, gifts or savings ("ventes aux adhérents", "dons des participants",
  "épargne des familles"), and a price each pays per lesson is theirs in any financing field;
  initials no list knows among funding lines name a giver (Autre) unless the fiche spells them
  out; a range of prices in brackets ("tarifs de 1 à 4 €") is no line.
- An approval or a label received ("a obtenu son agrément") is no money.
- A "prix libre" is the users' money, and so is a fee with an adjective ("participation
  modeste 2 € par séance").
"""

from __future__ import annotations

from test_budget_unseen import Case

SIXTH_ROUND = [
    Case("bare_lines_opening_on_their_amount_name_their_giver_after_it",
         "Achats 600\nSortie 1400\n1200 versés par la MSA\n"
         "500 de la Communauté de communes du Pays de Gex\n300 participation des adhérents",
         2000, "sum_of_expenses", {"MSA": 1200, "Intercommunalité": 500, "Familles": 300}),
    Case("a_list_of_items_opening_on_their_amounts",
         "2 500 € de la CAF, 1 000 € du conseil départemental, 400 € des adhérents",
         3900, "sum_of_funding", {"CAF": 2500, "Département": 1000, "Familles": 400}),
    Case("a_money_word_then_its_giver_in_items_opening_on_amounts",
         "3 000 € subvention de la ville, 1 000 € aide CAF", 4000, "sum_of_funding",
         {"Commune": 3000, "CAF": 1000}),
    Case("small_numbers_in_names_beside_currency_amounts",
         "600e aide de la mairie des 7/8, 300e bailleur 31 Habitat, location sono 900e",
         900, "explicit_total", {"Commune": 600, "Bailleur social": 300}),
    Case("a_unit_price_times_a_hyphenated_unit",
         "Rémunération des intervenants : 1 800 € (60 demi-heures x 30 €)", 1800,
         "single_amount", {}),
    Case("a_label_ending_with_a_plus",
         "Salaires 30 000\nFSE+ 12 000\nDépartement 18 000", 30000, "explicit_total",
         {"Europe": 12000, "Département": 18000}),
    Case("bare_funder_lines_in_a_field_that_writes_a_currency_elsewhere",
         "Coût du projet : 18 200 €\nConseil régional 12 000\nMSA 6 200", 18200,
         "explicit_total", {"Région": 12000, "MSA": 6200}),
    Case("what_the_money_is_for_between_the_amount_and_the_verb_of_giving",
         "Budget : 9 000 € dont 4 000 € de frais de transport financés par la Région", 9000,
         "explicit_total", {"Région": 4000}),
    Case("a_gift_of_things_valued_is_no_money_even_after_a_purpose",
         "300 € de fournitures offertes par une librairie", 300, "single_amount", {}),
    Case("a_conurbation_named_grand_something_is_an_intercommunality",
         "2 400 € versés par Grand Besançon", 2400, "single_amount",
         {"Intercommunalité": 2400}),
    Case("a_price_each_user_sets_is_the_users_money",
         "Courses : 900 € sur l'année, en partie couvertes par le prix libre", 900,
         "single_amount", {"Familles": None}),
    Case("a_fee_with_an_adjective_is_still_the_users_money",
         "Intervenante : 600 €, participation modeste 2 € par séance", 600, "single_amount",
         {"Familles": None}),
    Case("an_approval_received_is_no_money",
         "Matériel : 400 €", 400, "single_amount", {},
         description="Le foyer a obtenu son agrément de la CAF en 2019, puis le label "
                     "d'espace de vie sociale."),
    Case("money_received_still_makes_a_financing_sentence",
         "Voir description", None, None, {"CAF": None},
         description="Le foyer a obtenu une subvention de la CAF pour lancer l'atelier."),
    Case("a_funder_before_its_verb_and_the_expense_it_paid",
         "Le Département a financé la location du car (1 500 €).", 1500, "single_amount",
         {"Département": 1500}),
    Case("a_funder_in_the_present_before_what_it_pays",
         "La MSA finance les ateliers : 2 000 €", 2000, "single_amount", {"MSA": 2000}),
    Case("money_taken_from_a_fund_its_funder_names",
         "Sortie : 900 €. Les familles ont payé 300 €, le solde (600 €) pris sur la "
         "prestation CAF.", 900, "explicit_total", {"Familles": 300, "CAF": 600}),
    Case("a_programme_and_its_funder_named_together_are_one_funder",
         "900e, subvention CLAS de la CAF", 900, "single_amount", {"CAF": 900}),
    Case("a_total_with_its_parts_paid_by_a_body_no_list_knows",
         "Coût : 2 000 € (formateur 1 500 €, salle 500 €), entièrement pris en charge par le "
         "GIP Emploi.", 2000, "explicit_total", {"Autre": 2000}),
    Case("a_service_taken_on_by_a_partner_without_an_amount_is_no_funder",
         "Matériel : 300 €\nAteliers santé : pris en charge par le CLIC", 300,
         "single_amount", {}),
    Case("users_pay_by_sales_gifts_and_savings",
         "Recettes : Ville 2 000 € ; ventes aux adhérents 800 € ; dons des participants 150 €",
         2950, "sum_of_funding", {"Commune": 2000, "Familles": 950}),
    Case("initials_no_list_knows_among_funding_lines_are_a_giver",
         "Financement\tMontant\nCAF\t2 000 €\nFNDVA (appel à projets)\t900 €", 2900,
         "sum_of_funding", {"CAF": 2000, "Autre": 900}),
    Case("initials_spelled_out_elsewhere_keep_their_family",
         "1 000 € (CAF 600 €, CCPV 400 €)", 1000, "explicit_total",
         {"CAF": 600, "Intercommunalité": 400},
         description="Avec la Communauté de communes du Pays Vert."),
    Case("a_price_range_in_brackets_is_no_line",
         "Recettes usagers : 640 € (tarifs selon revenus de 1 à 4 €)\nDépenses : car 900 €, "
         "entrées 300 €", 1200, "sum_of_expenses", {"Familles": 640}),
    Case("an_amount_each_user_pays_per_lesson_outside_the_budget_field",
         "Voir description", 9000, "explicit_total", {"Région": 9000, "Familles": None},
         description="L'action coûte 9 000 € par an, couverte par la Région (9 000 €) et par "
                     "une participation des élèves de 2 € par leçon."),
    Case("an_overseas_single_collectivity_is_the_region",
         "Collectivité Territoriale de Guyane : 5 000 €\nCAF : 2 000 €", 7000,
         "sum_of_funding", {"Région": 5000, "CAF": 2000}),
]
