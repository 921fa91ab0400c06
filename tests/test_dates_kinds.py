"""Dates: one table of invented phrases per kind of failure seen on fiches the project had not seen.

Each case is one or more fields of a fiche (the narrative fields, or others such as "title" or
"perspectives") with the expected `start` and `years` (see the gold README: `start` at most month
precision, `years` every calendar year the fiche mentions as a date). None of the wording comes
from a held-out set: each phrase is written anew for the kind it stands for.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import pipeline.extraction.components  # noqa: F401  (registers the factories)
from pipeline.extraction.dates import build_dates
from pipeline.extraction.nlp import CONFIG_DIR, add_components
from tests.dates_kinds_data import (
    BUDGET_HEADINGS,
    CALLS_LAUNCHED,
    DOCUMENT_DATES,
    FIRST_BY_ITS_ARTICLE,
    FIRST_TIME_DATED,
    GIVEN_NOT_DATA,
    LABEL_OF_THE_ACTION,
    MONTH_BEFORE_ITS_YEAR,
    MONTHS_OF_A_HABIT,
    PAUSES,
    PLACE_HISTORY,
    PLAN_LABELS,
    RANGE_WITH_TWO_YEARS,
    RESTART_AFTER_A_STOP,
    RUN_FOR_A_WHILE,
    SEASON_AND_ITS_MONTH,
    SERVICE_BY_ITS_ARTICLE,
    STATUS_REASON,
    STRUCTURE_AND_ACRONYMS,
    STRUCTURE_BIRTH_AND_LABELS,
    STRUCTURE_UNIT_HISTORY,
    TITLE_PAIRS,
    WISHES_AND_FORECASTS,
    Dated,
)

# A month written short without its dot ("oct 2016", "nov", "dec") is still a month, so the
# start keeps it.
MONTH_ABBREVIATIONS = [
    Dated({"experience": "Atelier lancé en nov 2017 avec 6 mamans."}, "2017-11", (2017,)),
    Dated({"description": "Dec 2016 : premiere reunion publique a la salle des fetes."},
          "2016-12", (2016,)),
    Dated({"summary": "8 seances de janv 2021 a avr 2021, le jeudi soir."}, "2021-01",
          (2021,)),
    Dated({"experience": "Demarrage fev 2018, bilan en juil 2018."}, "2018-02", (2018,)),
    Dated({"description": "La ludothèque mobile tourne depuis oct 2015."}, "2015-10", (2015,)),
    Dated({"description": "Repas partagés de sept a dec 2019 puis pause."}, "2019-09", (2019,)),
    # not months: a word that only begins like one
    Dated({"description": "Un octuor de cordes a joué en 2018."}, "2018", (2018,)),
]

# A pair of years gives the two years it writes, not those between: the blind gold sets list
# "projet social 2019-2022" or "(2008-2015)" as their two end years, and a season "2017-2018"
# names two years by the same reading. A pair of years in a non-narrative field gives no start.
YEAR_PAIRS = [
    Dated({"summary": "Convention pluriannuelle 2016-2019 avec la ville."}, None,
          (2016, 2019)),
    Dated({"experience": "Le quartier a connu un plan de rénovation (2005-2012).",
           "description": "L'atelier a démarré en mai 2014."}, "2014-05", (2005, 2012, 2014)),
    Dated({"description": "De 2011 à 2015, une fête de rue a eu lieu chaque juin."}, "2011",
          (2011, 2015)),
    Dated({"description": "Entre 2012 et 2016, quatre chantiers ont été menés."}, "2012",
          (2012, 2016)),
    Dated({"result_centre": "L'action entre dans le contrat de projet 2024/2027."}, None,
          (2024, 2027)),
    Dated({"description": "Projet reconduit en 2017 et 2019."}, "2017", (2017, 2019)),
]

# A four-digit number after a word: a year when the word is a common noun it dates (a holiday,
# an event, a diagnosis, a census), not when a capitalised word inside a sentence makes it a
# name, nor after a room or road noun, nor as a quantity.
YEAR_AFTER_A_WORD = [
    Dated({"financial_resources": "- club Olympique 1998 : 300 €\n- ville : 900 €"}, None),
    Dated({"description": "Le collectif Horizon 2010 prête ses tentes pour la fête."}, None),
    Dated({"experience": "Les besoins sont ressortis de l'enquête 2016 auprès des parents. "
                         "Démarrage en mars 2018."}, "2018-03", (2016, 2018)),
    Dated({"experience": "Premier stage pendant les vacances de Toussaint 2017."}, "2017",
          (2017,)),
    Dated({"description": "Pendant la braderie 2019, le stand a vendu des crêpes."}, "2019",
          (2019,)),
    Dated({"experience": "Selon le recensement 2015, un tiers des habitants vit seul. Les "
                         "visites ont commencé en 2017."}, "2017", (2015, 2017)),
    Dated({"description": "Les répétitions ont lieu salle 2014 du collège."}, None),
    Dated({"description": "Le loto a réuni environ 2000 joueurs."}, None),
    Dated({"description": "L'épicerie a préparé 2014 paniers."}, None),
    Dated({"result_centre": "Le rapport d'activité 2021 montre une hausse."}, None, (2021,)),
]

# The title is read: its year is a year of the fiche, and the start when the narrative fields
# date nothing; a narrative start still wins.
TITLE = [
    Dated({"title": "Séjour neige hiver 2017", "summary": "Cinq jours au ski pour 12 ados."},
          "2017", (2017,)),
    Dated({"title": "Kermesse 2022", "experience": "Elle a lieu chaque année depuis 2015."},
          "2015", (2015, 2022)),
    Dated({"title": "Bourse aux vêtements - édition 2019",
           "description": "Dépôt des vêtements en mars."}, "2019", (2019,)),
    Dated({"title": "Projet social 2020-2023", "summary": "Renouvellement du projet."}, None,
          (2020, 2023)),
    Dated({"title": "Atelier couture du mardi", "summary": "Atelier ouvert à toutes."}, None),
]

# The start is the first step of the action: a first occurrence ("1ère réunion", "les premiers
# paniers"), a group forming, a span the action ran over; not a public consultation on a wider
# project, a statistics source, the structure's history, a diagnosis or a plan. "Depuis" opening
# the story dates the action; told after other dates it dates a later addition.
FIRST_STEP = [
    Dated({"experience": "La consultation du printemps 2018 sur le parc a fait émerger l'idée. "
                         "Les premiers paniers ont été distribués en février 2019."},
          "2019-02", (2018, 2019)),
    Dated({"experience": "Le collectif de locataires s'est constitué en novembre 2020 ; le "
                         "voyage à Paris a eu lieu en mai 2021."}, "2020-11", (2020, 2021)),
    Dated({"description": "Le séjour a eu lieu en août 2022.",
           "experience": "Juin 2021 : 1ère rencontre avec les familles."}, "2021-06",
          (2021, 2022)),
    Dated({"experience": "Le quartier compte 45 % de familles monoparentales (données de la "
                         "CAF, 2017). Au printemps 2019, la référente a réuni six mères."},
          "2019", (2017, 2019)),
    Dated({"experience": "Le premier goûter-philo s'est tenu le 5 février 2020. Depuis 2022, "
                         "un atelier pour les parents complète l'offre."}, "2020-02",
          (2020, 2022)),
    Dated({"experience": "En 2017, des parents ont demandé un lieu pour se retrouver. Depuis "
                         "2019, un café des parents a lieu le jeudi."}, "2017", (2017, 2019)),
    Dated({"summary": "Depuis mars 2016, le centre accueille les collégiens le soir.",
           "experience": "En 2015, l'état des lieux a montré un besoin d'aide aux devoirs."},
          "2016-03", (2015, 2016)),
    Dated({"description": "Action conduite durant l'année scolaire 2020-2021 avec l'école "
                          "Jaurès. Exposition finale en juin 2021."}, "2020", (2020, 2021)),
    Dated({"description": "Saison 2018-2019 : 9 concerts. Un nouveau programme sera lancé en "
                          "2020."}, "2018", (2018, 2019, 2020)),
    Dated({"experience": "Le premier samedi de chaque mois depuis 2015, une bourse aux jouets "
                         "a lieu."}, "2015", (2015,)),
    Dated({"experience": "Marches du mardi en 2016 avec des mamans du quartier. Elles ont "
                         "suivi une formation aux premiers secours en 2018."}, "2016",
          (2016, 2018)),
]

# The month of the start may be written in the next sentence, without the year: it still makes
# the start precise. A month that comes back every year does not.
MONTH_ELSEWHERE = [
    Dated({"experience": "L'idée est venue en 2021 lors d'une fête de quartier. La première "
                         "sortie a eu lieu en mai, au bord du lac."}, "2021-05", (2021,)),
    Dated({"description": "Action menée en 2019. Elle a commencé en mars avec six familles."},
          "2019-03", (2019,)),
    Dated({"description": "En 2020, de février à juin, 10 ateliers ont eu lieu."}, "2020-02",
          (2020,)),
    Dated({"description": "Le repair café existe depuis 2018. Chaque année en juin, une "
                          "grande journée de réparation est organisée."}, "2018", (2018,)),
    Dated({"experience": "Mars 2022 : premier comité. De nov. à févr. : collecte des "
                         "recettes."}, "2022-03", (2022,)),
    Dated({"experience": "Premier séjour à la Toussaint 2018, puis en février avec un autre "
                         "groupe."}, "2018", (2018,)),
    Dated({"description": "Ateliers lancés en 2021, ensuite en septembre une exposition."},
          "2021", (2021,)),
    # the month in another field than the year
    Dated({"summary": "Action née en 2017 à la demande de parents d'élèves.",
           "experience": "La première séance a eu lieu en novembre, dans la salle du conseil."},
          "2017-11", (2017,)),
    # ... but not when the fiche names other years: the month's year is unknown
    Dated({"summary": "Action née en 2017 à la demande de parents d'élèves.",
           "experience": "La première séance a eu lieu en novembre.",
           "result_centre": "Bilan très positif en 2019."}, "2017", (2017, 2019)),
]

# A yearly event: a later edition ("12e édition", "la 5ème édition") is dated, not the first, so
# it gives no start (nor does the title); a first edition, "depuis" or a relaunch does.
YEARLY_EDITIONS = [
    Dated({"experience": "17e édition le samedi 14 septembre 2024 sur la place du marché."},
          None, (2024,)),
    Dated({"title": "Fête des voisins 2023",
           "description": "Pour sa 6ème édition, en mai 2023, la fête a réuni trois rues."},
          None, (2023,)),
    Dated({"description": "La deuxième édition du troc de plantes a eu lieu le 2 avril 2022."},
          None, (2022,)),
    Dated({"description": "Action annuelle depuis 2012. Cette année, 9e édition en juin 2021."},
          "2012", (2012, 2021)),
    Dated({"experience": "Arrêtée pendant la crise sanitaire, la fête a été relancée en "
                         "juin 2022."}, "2022-06", (2022,)),
    Dated({"description": "La 1re édition s'est tenue en octobre 2019."}, "2019-10", (2019,)),
    Dated({"description": "Le pique-nique géant est organisé pour la 4e fois en juin 2021."},
          None, (2021,)),
    Dated({"summary": "Ouverture de la 3e saison de l'atelier chorale en octobre 2020."}, None,
          (2020,)),
    Dated({"summary": "Troc de graines 2022 : 5ème édition, sur le parvis de la mairie."}, None,
          (2022,)),
]

# An action begun with its structure or group runs since that beginning ("depuis sa création
# en 2008", "depuis l'arrivée... " told with a beginning noun, "depuis sa naissance" with no
# date: the story's earliest date); the structure's own history ("le centre existe depuis",
# "agréé depuis", "sa halte-garderie a ouvert en") is no start; an opening told of the action
# ("la recyclerie a ouvert ses portes le ...") is one.
BEGAN_WITH_THE_STRUCTURE = [
    Dated({"experience": "Nous tenons ce vide-grenier depuis la fondation de l'association en "
                         "2008. Le vide-grenier 2023 a eu lieu sous la pluie."}, "2008",
          (2008, 2023)),
    Dated({"experience": "Le jardin est cultivé depuis l'ouverture de la maison de quartier en "
                         "2011."}, "2011", (2011,)),
    Dated({"experience": "Les voisines se sont connues en 2020 au cours de couture. Elles "
                         "ont fait leur premier marché de Noël en décembre 2022. La référente "
                         "suit le groupe depuis sa naissance."}, "2020", (2020, 2022)),
    Dated({"experience": "La permanence existe depuis la signature du contrat de ville en "
                         "juin 2015."}, "2015-06", (2015,)),
    Dated({"experience": "Le centre social, agréé par la CAF depuis 1996, propose "
                         "l'accompagnement scolaire. Les séances ont commencé en octobre "
                         "2019."}, "2019-10", (1996, 2019)),
    Dated({"experience": "La maison de quartier existe depuis 1983 et sa halte-garderie a "
                         "ouvert en 1999, mais les jeunes parents ne la connaissaient pas. Le "
                         "café des parents a lieu depuis mars 2017."}, "2017-03",
          (1983, 1999, 2017)),
    Dated({"experience": "La recyclerie a ouvert ses portes le 3 mars 2021. Les étagères "
                         "avaient été fabriquées en 2020."}, "2021-03", (2020, 2021)),
    Dated({"description": "Le centre existe depuis sa création en 1991 ; l'atelier théâtre a "
                          "démarré en 2016."}, "2016", (1991, 2016)),
    Dated({"experience": "Le comité de quartier a été installé lors de la réunion publique "
                         "d'avril 2019."}, "2019-04", (2019,)),
    # another service that "existe depuis" is the structure's history, unless the title names it
    Dated({"title": "Passerelle CM2-6e",
           "experience": "La ludothèque existe depuis 2002. Le projet passerelle a démarré en "
                         "septembre 2019."}, "2019-09", (2002, 2019)),
    Dated({"title": "La ludothèque du quartier",
           "experience": "La ludothèque existe depuis 2002. Une soirée jeux a été lancée en "
                         "2019."}, "2002", (2002, 2019)),
    Dated({"experience": "L'espace de vie sociale a été agréé en 2013 ; le repair café y a "
                         "lieu depuis 2017."}, "2017", (2013, 2017)),
    Dated({"experience": "En 2016, le centre a repris la fête de la soupe de l'association des "
                         "jardiniers, dissoute en 2015."}, "2016", (2015, 2016)),
]

# The first step of the action, not what came before it: a group formed after earlier
# workshops begins with the group, and a date of what closed before ("depuis la fermeture de
# la poste en 2016") is the territory's history, not the start.
BEFORE_THE_FIRST_STEP = [
    Dated({"experience": "Le groupe de marche s'est constitué à la suite des ateliers "
                         "équilibre de 2018. Accompagnement par la conseillère depuis avril "
                         "2019."}, "2019-04", (2018, 2019)),
    Dated({"experience": "L'enquête de 2020 a montré l'isolement des aînés depuis la fermeture "
                         "de la poste en 2016. Le réseau de visiteurs s'est formé en janvier "
                         "2021. Inauguration du local prévue en 2023."}, "2021-01",
          (2016, 2020, 2021, 2023)),
    Dated({"description": "L'atelier a démarré après les vacances de Toussaint 2017."}, "2017",
          (2017,)),
    # a step named by a noun after its date, in a timeline
    Dated({"description": "Calendrier : avril 2021 constitution du groupe de pilotage ; juin "
                          "2021 première balade ; octobre 2021 bilan."}, "2021-04", (2021,)),
    # a plan written without accents is still a plan
    Dated({"description": "Demarrage prevu en janvier 2025 avec les locataires."}, None,
          (2025,)),
    # a plan is no start, nor is the year it was drawn up in when it has not begun
    Dated({"experience": "Pensé en 2023 avec les locataires, le potager verra le jour en "
                         "2025."}, None, (2023, 2025)),
]

# A school year or a season named for itself is the time the action ran over: its first year
# is the start, with no month; a pair qualifying a noun ("thème de la saison") is a label.
SCHOOL_YEARS_AND_SEASONS = [
    Dated({"experience": "Année scolaire 2021/2022. Huit séances avec une classe de CM2."},
          "2021", (2021, 2022)),
    Dated({"summary": "Quatre sorties au musée durant la saison 2022-2023."}, "2022",
          (2022, 2023)),
    Dated({"description": "Le club lecture a repris à la rentrée 2020."}, "2020", (2020,)),
    Dated({"description": "Le thème de la saison 2019-2020 a été choisi par les habitants."},
          None, (2019, 2020)),
]

# The year the form was filled or a review was written is a year of the fiche, not the start.
FORM_AND_REVIEW_YEARS = [
    Dated({"description": "Bilan de l'exercice 2022 : 14 ateliers, 60 enfants."}, None,
          (2022,)),
    Dated({"experience": "Fiche rédigée en 2024, après la fin de l'action.",
           "description": "Les paniers ont été distribués d'octobre 2022 à mars 2023."},
          "2022-10", (2022, 2023, 2024)),
    Dated({"title": "Séjour montagne 2019", "experience": "Fiche saisie en 2020."}, "2019",
          (2019, 2020)),
]


# A plan told in the past ("devait démarrer en mars") is no beginning, whatever came of it; a
# place pulled down dates the territory's history.
PAST_PLANS_AND_PLACES = [
    Dated({"experience": "Le groupe devait démarrer en avril 2020 ; le confinement a repoussé "
                         "la première rencontre à novembre 2020."}, "2020-11", (2020,)),
    Dated({"experience": "La barre Lamartine a été démolie en 2012. Les balades urbaines ont "
                         "lieu depuis mai 2016."}, "2016-05", (2012, 2016)),
]


KINDS = {
    "month-abbreviation": MONTH_ABBREVIATIONS,
    "year-pair": YEAR_PAIRS,
    "year-after-a-word": YEAR_AFTER_A_WORD,
    "title": TITLE,
    "first-step": FIRST_STEP,
    "month-elsewhere": MONTH_ELSEWHERE,
    "yearly-edition": YEARLY_EDITIONS,
    "began-with-the-structure": BEGAN_WITH_THE_STRUCTURE,
    "before-the-first-step": BEFORE_THE_FIRST_STEP,
    "school-year-or-season": SCHOOL_YEARS_AND_SEASONS,
    "form-and-review-year": FORM_AND_REVIEW_YEARS,
    "structure-unit-history": STRUCTURE_UNIT_HISTORY,
    "structure-birth-and-labels": STRUCTURE_BIRTH_AND_LABELS,
    "wishes-and-forecasts": WISHES_AND_FORECASTS,
    "months-of-a-habit": MONTHS_OF_A_HABIT,
    "place-history": PLACE_HISTORY,
    "given-not-data": GIVEN_NOT_DATA,
    "plan-label": PLAN_LABELS,
    "first-by-its-article": FIRST_BY_ITS_ARTICLE,
    "status-reason": STATUS_REASON,
    "pause": PAUSES,
    "budget-heading": BUDGET_HEADINGS,
    "title-pair": TITLE_PAIRS,
    "document-date": DOCUMENT_DATES,
    "label-of-the-action": LABEL_OF_THE_ACTION,
    "service-by-its-article": SERVICE_BY_ITS_ARTICLE,
    "run-for-a-while": RUN_FOR_A_WHILE,
    "restart-after-a-stop": RESTART_AFTER_A_STOP,
    "range-with-two-years": RANGE_WITH_TWO_YEARS,
    "first-time-dated": FIRST_TIME_DATED,
    "call-launched": CALLS_LAUNCHED,
    "season-and-its-month": SEASON_AND_ITS_MONTH,
    "structure-and-acronyms": STRUCTURE_AND_ACRONYMS,
    "month-before-its-year": MONTH_BEFORE_ITS_YEAR,
    "past-plans-and-places": PAST_PLANS_AND_PLACES,
}
CASES = [(kind, i, case) for kind, table in KINDS.items() for i, case in enumerate(table)]


@pytest.fixture(scope="module")
def nlp() -> Language:
    blank = spacy.blank("fr")
    add_components(blank, CONFIG_DIR, ("fiches_dates",))
    return blank


def _dates(nlp: Language, case: Dated) -> dict[str, object]:
    docs = {name: nlp(text) for name, text in case.fields.items() if name != "title"}
    return build_dates(docs, case.fields.get("title"))


@pytest.mark.parametrize(("kind", "index", "case"), CASES,
                         ids=[f"{kind}-{i:02d}" for kind, i, _ in CASES])
def test_start(nlp: Language, kind: str, index: int, case: Dated) -> None:
    assert _dates(nlp, case)["start"] == case.start, case.fields


def test_a_pause_is_no_end(nlp: Language) -> None:
    assert _dates(nlp, PAUSES[0])["end"] is None


@pytest.mark.parametrize(("kind", "index", "case"), CASES,
                         ids=[f"{kind}-{i:02d}" for kind, i, _ in CASES])
def test_years(nlp: Language, kind: str, index: int, case: Dated) -> None:
    assert tuple(_dates(nlp, case)["years"]) == case.years, case.fields  # type: ignore[arg-type]
