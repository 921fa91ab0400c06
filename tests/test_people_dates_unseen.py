"""Held-out headcount and date cases: invented fields in forms the sample catalogue lacks.

None of the wording comes from the sample. Each headcount case is a "Nombre de personnes
mobilisés pour cette action" field with the expected professionals / volunteers / beneficiaries
(a whole number, `(min, max)` for a range, or None); each date case is one or more narrative
fields ("Description générale", "Résumé", "Description de l'expérience") with the expected
`start` and `years`. The gold README's conventions apply, plus these, chosen where it is silent:

Headcounts

- People, not full-time equivalents: "2 ETP" is 2 professionals, and a fraction stands for at
  least one person ("0,5 ETP animateur" is 1, "1,5 ETP" is 2: the FTE rounded up). An FTE that
  qualifies a person just counted ("1 coordinatrice à 0,5 ETP") adds nobody.
- Trained staff written as a qualification are professionals: "1 CESF" (conseillère en économie
  sociale et familiale), "une conseillère ESF", "adultes relais" (a salaried mediator post, not
  inhabitants), "2 BPJEPS".
- Young people "en service civique" are professionals: like the README's "stagiaire" they hold a
  contract with the structure and an allowance, they are not bénévoles. A plain "volontaire" stays
  a volunteer.
- "élus" (of the association or the council) and "membres du CA / du bureau" are volunteers;
  "parents bénévoles", "habitants impliqués" too (inhabitants running the action).
- "participants", "familles touchées", "enfants inscrits", "habitants ont profité de" are
  beneficiaries (the README's "people who benefited"); "+ de 50" / "plus de 100" is that number,
  marked approximate.
- A multiplier counts only distinct groups: "2 animateurs x 3 sites" is 6; "3 bénévoles x 4
  séances" is 3 (the same people come back).
- A heading line ("Bénévoles :", "Personnel : 3 personnes") gives its role to the counts of
  "personnes" under or after it; "soit 25 personnes au total" is the total, never a role.

Dates

- Compact year pairs ("2018/2019", "thème de l'année 2017-2018", "reconduite en 2018/2019")
  name a season of the action, which may have begun long before: they give their years but no
  start (as "thème de l'année 2017-2018" in the sample's gold). A pair introduced as the time
  the action ran over ("mené sur la saison 2019-2020", "pendant l'année scolaire 2017/2018") or
  a school year or season named for itself ("Saison 2019-2020 :", "Année scolaire 2018/2019.")
  is a span and gives its first year, as the blind gold sets read them.
  Spelled-out spans ("de 2014 à 2016", "entre 2016 et 2018") tell when the action ran and give
  their first year as a start; "en 2019 et 2020" is a list of two years, not a span. Every pair
  gives the two years it writes, not the years between ("de 2014 à 2016" mentions 2014 and
  2016), as the blind gold sets read them.
- A founding date of the structure ("l'association, créée en 1985") is a year of the fiche but
  not the action's start; an action run "depuis sa création en 2001" has run since then unless
  a beginning is told ("a démarré en mai 2016"). A future date ("prévue en 2025") is no
  start either. When a clause holds several cue words, the one nearest the date decides ("le
  démarrage est prévu en 2024" is future).
- "07/2019" is July 2019; "depuis 3 ans", "il y a deux ans" give no year; "Loi de 1901", "ZUS
  2014", "RN 13", "salle 2019", "2 000 habitants", "8h-12h", "2019 €" are not dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import spacy
from spacy.language import Language

import pipeline.extraction.components  # noqa: F401  (registers the factories)
from pipeline.extraction.dates import build_dates
from pipeline.extraction.headcount import PEOPLE_FIELD, build_headcount
from pipeline.extraction.nlp import CONFIG_DIR, add_components

Expected = int | tuple[int, int] | None
ROLES = ("professionals", "volunteers", "beneficiaries")


@dataclass(frozen=True)
class People:
    """One invented people field and the counts it should give."""

    text: str
    professionals: Expected = None
    volunteers: Expected = None
    beneficiaries: Expected = None


@dataclass(frozen=True)
class Dated:
    """One invented fiche's narrative fields and the start and years they should give."""

    fields: dict[str, str]
    start: str | None
    years: tuple[int, ...] = ()


PEOPLE = [
    People("2 ETP", professionals=2),
    People("0,5 ETP animateur", professionals=1),
    People("1,5 ETP (coordination et animation)", professionals=2),
    People("2 ETP d'animation + 0,3 ETP de direction", professionals=3),
    People("1 coordinatrice à 0,5 ETP et 4 bénévoles", professionals=1, volunteers=4),
    People("1 CESF et 8 bénévoles", professionals=1, volunteers=8),
    People("une conseillère ESF, deux bénévoles de l'association", professionals=1,
           volunteers=2),
    People("la référente famille et deux animatrices", professionals=3),
    People("l'équipe du centre (5 personnes)", professionals=5),
    People("5 salarié(e)s, 10 bénévoles", professionals=5, volunteers=10),
    People("3 salarié-e-s et 6 bénévoles", professionals=3, volunteers=6),
    People("4 animateur·rice·s\n12 bénévoles", professionals=4, volunteers=12),
    People("2 animateur.rice.s et 1 coordinateur.rice", professionals=3),
    People("bénévoles : une quinzaine", volunteers=15),
    People("15 à 20 bénévoles selon les semaines", volunteers=(15, 20)),
    People("+ de 50 habitants mobilisés", volunteers=50),
    People("plus de 100 participants sur la journée", beneficiaries=100),
    People("80 familles touchées", beneficiaries=80),
    People("35 enfants inscrits à l'accompagnement scolaire, 3 animateurs", professionals=3,
           beneficiaries=35),
    People("2 jeunes en service civique et 1 animatrice", professionals=3),
    People("1 animatrice, 2 stagiaires BPJEPS", professionals=3),
    People("2 adultes relais, 1 médiatrice", professionals=3),
    People("4 élus du bureau de l'association et 6 bénévoles", volunteers=10),
    People("Membres du CA : 7", volunteers=7),
    People("10 parents bénévoles", volunteers=10),
    People("une douzaine d'habitants impliqués dans la préparation", volunteers=12),
    People("trois animateurs, douze bénévoles", professionals=3, volunteers=12),
    People("vingt-et-un bénévoles", volunteers=21),
    People("2 animateurs x 3 sites", professionals=6),
    People("3 bénévoles x 4 séances", volunteers=3),
    People("- 1 directrice\n- 2 animatrices\n- 5 bénévoles\n- 40 enfants accueillis",
           professionals=3, volunteers=5, beneficiaries=40),
    People("Salariés :\n2 animateurs\n1 secrétaire\nBénévoles :\n8 personnes", professionals=3,
           volunteers=8),
    People("Personnel : 3 personnes", professionals=3),
    People("5 salariés, 20 bénévoles, soit 25 personnes au total", professionals=5,
           volunteers=20),
    People("Equipe : 4 permanents + 1 stagiaire", professionals=5),
    People("Bénévoles : 12 (dont 4 administrateurs)", volunteers=12),
    People("Une trentaine de bénévoles, l'animatrice jeunesse et la directrice",
           professionals=2, volunteers=30),
    People("60 habitants ont profité des sorties", beneficiaries=60),
    People("Nombre de bénévoles : 14 ; nombre de salariés : 3", professionals=3, volunteers=14),
    People("Professionnels : 3 (1 coordinatrice, 2 animateurs)", professionals=3),
    People("une vingtaine de jeunes accompagnés et 2 éducateurs", professionals=2,
           beneficiaries=20),
    People("Intervenants extérieurs : 2\nAnimatrices : 3", professionals=3),
    People("1 directeur (10 %), 1 animatrice (50 %)", professionals=2),
    People("Une cinquantaine de bénévoles lors de la fête de quartier, 4 salariés",
           professionals=4, volunteers=50),
    # An "intervenant" is a job title (issue 11); "intervenants extérieurs" are not counted.
    People("3 intervenants + 2 salariés du centre social + 8 bénévoles", professionals=5,
           volunteers=8),
    People("salariés : 2 - bénévoles : 6 - public : 45 enfants", professionals=2, volunteers=6,
           beneficiaries=45),
    People("Deux salariées à temps partiel", professionals=2),
    People("L'ensemble de l'équipe et des bénévoles du centre"),
    # Second batch, written after the first round of fixes and run blind before any further
    # change (22-24/25 by role then).
    People("Deux animateurs jeunesse + une dizaine de bénévoles", professionals=2, volunteers=10),
    People("Bénévoles : 8 à 10", volunteers=(8, 10)),
    People("1 animatrice famille, 1 CESF, 1 directrice", professionals=3),
    People("une équipe de 4 salariés", professionals=4),
    People("6 bénévoles actifs et 2 services civiques", professionals=2, volunteers=6),
    People("Environ 200 participants lors de la fête", beneficiaries=200),
    People("Nombre de participants : 45", beneficiaries=45),
    People("quinze bénévoles", volunteers=15),
    People("3 salariés (animateur, CESF, directeur)", professionals=3),
    People("Salarié(e)s : 3\nBénévoles : 7\nEnfants : 25",
           professionals=3, volunteers=7, beneficiaries=25),
    People("les 2 animatrices du secteur jeunes", professionals=2),
    People("1 coordinateur à mi-temps, 2 animateurs vacataires", professionals=3),
    People("Des bénévoles (une dizaine)", volunteers=10),
    People("Équipe salariée : 5 personnes", professionals=5),
    People("25 jeunes de 12 à 17 ans inscrits", beneficiaries=25),
    People("3 mamans bénévoles et la référente famille", professionals=1, volunteers=3),
    People("Bénévoles mobilisés : une vingtaine ; familles concernées : 60",
           volunteers=20, beneficiaries=60),
    People("2 agents d'accueil, 4 animateurs périscolaires", professionals=6),
    People("10 personnes (4 salariés et 6 bénévoles)", professionals=4, volunteers=6),
    People("administrateurs : 5", volunteers=5),
    People("1 ETP de coordination, 2 animateurs", professionals=3),
    People("5 personnes de l'équipe", professionals=5),
    People("deux à trois bénévoles par atelier", volunteers=(2, 3)),
    People("4 animateurs·trices et 9 bénévoles", professionals=4, volunteers=9),
    People("Une dizaine d'adhérents bénévoles, 2 salarié.e.s", professionals=2, volunteers=10),
]

DATED = [
    Dated({"description": "L'atelier s'est déroulé d'octobre 2019 à juin 2020, un mardi sur "
                          "deux."}, "2019-10", (2019, 2020)),
    Dated({"description": "De sept. 2018 à juin 2019, les familles se sont retrouvées chaque "
                          "samedi matin."}, "2018-09", (2018, 2019)),
    Dated({"summary": "Action reconduite en 2018/2019 avec un nouveau groupe."}, None,
          (2018, 2019)),
    Dated({"description": "Projet mené sur la saison 2019-2020 avec le club de foot."}, "2019",
          (2019, 2020)),
    Dated({"experience": "Pendant l'année scolaire 2017/2018, 12 enfants ont été "
                         "accompagnés."}, "2017", (2017, 2018)),
    Dated({"summary": "Le groupe existe depuis 3 ans."}, None),
    Dated({"description": "Chaque été depuis 2012, nous organisons des sorties à la mer."},
          "2012", (2012,)),
    Dated({"description": "Les mercredis de janvier à mars 2017, ateliers cuisine "
                          "parents-enfants."}, "2017-01", (2017,)),
    Dated({"description": "Été 2019 : chantier jeunes de rénovation du local."}, "2019",
          (2019,)),
    Dated({"experience": "Fin 2016, les habitants ont sollicité le centre social."}, "2016",
          (2016,)),
    Dated({"summary": "Courant 2018, un groupe de mamans s'est constitué."}, "2018", (2018,)),
    Dated({"description": "À partir de 2015, le centre a proposé un accueil du soir."}, "2015",
          (2015,)),
    Dated({"description": "Le premier repas partagé a eu lieu le 1er juillet 2019."},
          "2019-07", (2019,)),
    Dated({"description": "Première réunion publique : 01/07/2019."}, "2019-07", (2019,)),
    Dated({"description": "Démarrage : 07/2019"}, "2019-07", (2019,)),
    Dated({"summary": "Action menée en 2019 et 2020 auprès des seniors isolés."}, "2019",
          (2019, 2020)),
    Dated({"summary": "Une nouvelle édition est prévue en 2025."}, None, (2025,)),
    Dated({"summary": "Ce projet a été lancé il y a deux ans par des parents."}, None),
    Dated({"description": "L'association (loi de 1901) a été créée en 1985 ; elle porte ce "
                          "projet depuis 2016."}, "2016", (1985, 2016)),
    Dated({"description": "Le quartier, classé ZUS 2014 puis QPV, longe la RN 13."}, None),
    Dated({"description": "Les ateliers ont lieu salle 2019 de la maison de quartier, "
                          "8h-12h."}, None),
    Dated({"description": "Le quartier compte 2 000 habitants ; la sortie a coûté 2019 € en "
                          "2018."}, "2018", (2018,)),
    Dated({"description": "En avril 2017, trois mamans ont proposé un atelier couture ; il a "
                          "démarré en septembre 2017."}, "2017-09", (2017,)),
    Dated({"description": "Le jardin partagé fonctionne depuis le printemps 2014. En 2016, une "
                          "deuxième parcelle a été ouverte."}, "2014", (2014, 2016)),
    Dated({"summary": "Depuis la rentrée de septembre 2018, l'accueil est ouvert le "
                      "mercredi."}, "2018-09", (2018,)),
    Dated({"description": "Calendrier :\noct. 2018 : diagnostic\nnov. 2018 - janv. 2019 : "
                          "ateliers\nfévr. 2019 : restitution"}, "2018-10", (2018, 2019)),
    Dated({"experience": "Après une première expérience en 2013, l'action a été relancée en "
                         "2017."}, "2013", (2013, 2017)),
    Dated({"description": "Le projet a débuté au 2e trimestre 2016."}, "2016", (2016,)),
    Dated({"description": "Les séances se déroulent de 14h à 16h30 ; 20 places ; 5 € par "
                          "famille."}, None),
    Dated({"description": "Démarrage de l'action le 15 déc. 2017, bilan en juin 2018."},
          "2017-12", (2017, 2018)),
    Dated({"summary": "L'idée est née lors de l'AG du 12/03/2016. Les premières sorties ont eu "
                      "lieu durant l'été."}, "2016-03", (2016,)),
    Dated({"experience": "Entre 2016 et 2018, trois promotions de dix jeunes ont été "
                         "formées."}, "2016", (2016, 2018)),
    Dated({"description": "De 2014 à 2016, le centre a animé un atelier d'écriture."}, "2014",
          (2014, 2016)),
    Dated({"summary": "Bilan de l'année 2018 : 45 familles accueillies.",
           "description": "Action initiée en janvier 2017 par la référente famille."},
          "2017-01", (2017, 2018)),
    Dated({"description": "Le centre social, ouvert en 1998, accueille 2500 usagers par an. "
                          "L'atelier a commencé en mars 2021."}, "2021-03", (1998, 2021)),
    Dated({"summary": "Atelier théâtre intergénérationnel.",
           "description": "Lancement en novembre 2018 ; spectacle final le 22 juin 2019."},
          "2018-11", (2018, 2019)),
    Dated({"description": "Action reconduite chaque année depuis 2009 (10e édition en 2019)."},
          "2009", (2009, 2019)),
    Dated({"description": "Du 2 au 6 juillet 2018 : séjour familles à la montagne."},
          "2018-07", (2018,)),
    Dated({"description": "Projet démarré mi-octobre 2019 avec l'école du quartier."},
          "2019-10", (2019,)),
    Dated({"description": "Première édition en 2016, deuxième en 2017 et troisième en 2018."},
          "2016", (2016, 2017, 2018)),
    Dated({"summary": "Depuis janv. 2020, un café des parents a lieu chaque vendredi."},
          "2020-01", (2020,)),
    Dated({"description": "Le projet, imaginé fin 2018, a vu le jour au printemps 2019."},
          "2019", (2018, 2019)),
    Dated({"description": "Les inscriptions ont ouvert le 3 sept 2018 ; 40 enfants inscrits."},
          "2018-09", (2018,)),
    # Second batch, written after the first round of fixes and run blind before any further
    # change (start 22/25, years 25/25 then).
    Dated({"description": "Cette action existe depuis septembre 2015."}, "2015-09", (2015,)),
    Dated({"description": "Le projet a démarré à la rentrée 2017."}, "2017", (2017,)),
    Dated({"description": "Depuis l'été 2016, les jeunes tiennent la buvette."}, "2016", (2016,)),
    Dated({"description": "Lancé en oct. 2019, le groupe s'est réuni jusqu'en mars 2020."},
          "2019-10", (2019, 2020)),
    Dated({"description": "Saison 2018/2019 : 12 séances ; saison 2019/2020 : 10 séances."},
          "2018", (2018, 2019, 2020)),
    Dated({"description": "Action démarrée le 05/09/2018."}, "2018-09", (2018,)),
    Dated({"description": "Depuis 2 ans, les familles se retrouvent le samedi."}, None),
    Dated({"description": "De février à avril 2018, 8 ateliers ont eu lieu."}, "2018-02", (2018,)),
    Dated({"description": "Nous poursuivrons l'action en 2021."}, None, (2021,)),
    Dated({"description": "Mis en place en janvier 2014 et reconduit chaque année."},
          "2014-01", (2014,)),
    Dated({"description": "La 1ère édition a eu lieu en juin 2012."}, "2012-06", (2012,)),
    Dated({"description": "Le Centre Social, créé en 1992, a initié ce projet en 2018."},
          "2018", (1992, 2018)),
    Dated({"description": "Les ateliers ont lieu de 9h30 à 11h30, salle 103."}, None),
    Dated({"description": "Sur l'année 2019 : 35 séances."}, "2019", (2019,)),
    Dated({"description": "Débuté en 2016-2017, le projet continue."}, "2016", (2016, 2017)),
    Dated({"description": "Entre janvier et juin 2019, 6 rencontres."}, "2019-01", (2019,)),
    Dated({"description": "Depuis fin 2014 le groupe se réunit."}, "2014", (2014,)),
    Dated({"description": "En 2018 (1ère année) puis en 2019."}, "2018", (2018, 2019)),
    Dated({"description": "Réunion le 3 mars 2020 ; reprise en sept. 2020 après le confinement."},
          "2020-03", (2020,)),
    Dated({"description": "Le CLAS fonctionne depuis la rentrée scolaire 2013-2014."},
          "2013", (2013, 2014)),
    Dated({"description": "Depuis 2010, plus de 1500 personnes ont participé."}, "2010", (2010,)),
    Dated({"description": "Initié au 1er trimestre 2017 par le conseil citoyen."}, "2017", (2017,)),
    Dated({"description": "L'action, portée par l'association depuis sa création en "
                          "2001, a démarré en mai 2016."},
          "2016-05", (2001, 2016)),
    Dated({"description": "Démarrage prévu en septembre 2024."}, None, (2024,)),
    Dated({"description": "Le groupe s'est constitué en déc. 2018 et se réunit depuis "
                          "chaque mois."},
          "2018-12", (2018,)),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    blank = spacy.blank("fr")
    add_components(blank, CONFIG_DIR, ("fiches_headcounts", "fiches_dates"))
    return blank


def _as_expected(value: dict[str, Any] | None) -> Expected:
    if value is None:
        return None
    return value["min"] if value["min"] == value["max"] else (value["min"], value["max"])


@pytest.mark.parametrize(
    ("case", "role"),
    [(case, role) for case in PEOPLE for role in ROLES],
    ids=[f"p{i:02d}-{role}" for i in range(len(PEOPLE)) for role in ROLES],
)
def test_unseen_headcount(nlp: Language, case: People, role: str) -> None:
    result = build_headcount({PEOPLE_FIELD: nlp(case.text)})
    assert _as_expected(result[role]) == getattr(case, role), case.text


@pytest.mark.parametrize(
    ("case", "measure"),
    [(case, measure) for case in DATED for measure in ("start", "years")],
    ids=[f"d{i:02d}-{measure}" for i in range(len(DATED)) for measure in ("start", "years")],
)
def test_unseen_dates(nlp: Language, case: Dated, measure: str) -> None:
    result = build_dates({name: nlp(text) for name, text in case.fields.items()})
    got = result["start"] if measure == "start" else tuple(result["years"])
    assert got == getattr(case, measure), case.fields


def test_counts_in_bullets_keep_their_offsets(nlp: Language) -> None:
    text = "- 2 animateur·rice·s\n- bénévoles : une quinzaine"
    result = build_headcount({PEOPLE_FIELD: nlp(text)})
    for mention in result["mentions"]:
        assert text[mention["start"]:mention["end"]] == mention["text"]
