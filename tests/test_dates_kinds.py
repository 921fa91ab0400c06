"""Dates: one table of invented phrases per kind of failure seen on fiches the project had not seen.

Each case is one or more fields of a fiche (the narrative fields, or others such as "title" or
"perspectives") with the expected `start` and `years` (see the gold README: `start` at most month
precision, `years` every calendar year the fiche mentions as a date). None of the wording comes
from a held-out set: each phrase is written anew for the kind it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import spacy
from spacy.language import Language

import pipeline.extraction.components  # noqa: F401  (registers the factories)
from pipeline.extraction.dates import build_dates
from pipeline.extraction.nlp import CONFIG_DIR, add_components


@dataclass(frozen=True)
class Dated:
    fields: dict[str, str]
    start: str | None
    years: tuple[int, ...] = ()


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


KINDS = {
    "month-abbreviation": MONTH_ABBREVIATIONS,
    "year-pair": YEAR_PAIRS,
    "year-after-a-word": YEAR_AFTER_A_WORD,
    "title": TITLE,
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


@pytest.mark.parametrize(("kind", "index", "case"), CASES,
                         ids=[f"{kind}-{i:02d}" for kind, i, _ in CASES])
def test_years(nlp: Language, kind: str, index: int, case: Dated) -> None:
    assert tuple(_dates(nlp, case)["years"]) == case.years, case.fields  # type: ignore[arg-type]
