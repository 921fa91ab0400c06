"""Dates: invented phrases of the kinds of failure met on the third round of guide sets.

Tables of `Dated` cases that tests/test_dates_kinds.py runs, one per kind: the history of the
structure, its units and the place; plans, wishes and forecasts; months of a habit; the status
reason; a title's pair of years. None of the wording comes from a held-out set.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dated:
    fields: dict[str, str]
    start: str | None
    years: tuple[int, ...] = ()


# A unit of the structure (its youth sector, its family pole, an antenna) created or opened at a
# date is the structure's history: the action's own step, even told with no cue, gives the start.
STRUCTURE_UNIT_HISTORY = [
    Dated({"experience": "Le secteur enfance, créé en 2005, anime un stage chaque hiver. Le "
                         "stage s'est tenu en février 2022 à la montagne."},
          "2022-02", (2005, 2022)),
    Dated({"description": "Le pôle familles, ouvert en 2012, propose des sorties. Sortie à la "
                          "mer en août 2021 avec 40 parents."}, "2021-08", (2012, 2021)),
    Dated({"summary": "L'antenne du centre, implantée en 2008 dans la cité, tient une "
                      "permanence. Au printemps 2019, les habitants ont repeint le local."},
          "2019", (2008, 2019)),
    Dated({"title": "Chantier jeunes",
           "experience": "Le service jeunesse de la ville, créé en 2009, organise un chantier "
                         "chaque été. Le chantier s'est déroulé en juillet 2021."}, "2021-07",
          (2009, 2021)),
    # "ce service" points back to the action
    Dated({"experience": "Ce service, ouvert en 2018, répond à une demande des familles."},
          "2018", (2018,)),
    # ... unless the title names the unit: then it is the action
    Dated({"title": "Portage de repas",
           "experience": "Le service de portage de repas a été créé en 2016 à la demande des "
                         "aînés."}, "2016", (2016,)),
    # a body founded long ago in the action's sentence is not the action
    Dated({"title": "Formation des délégués",
           "experience": "La formation est conçue avec l'union régionale, fondée en 1968. "
                         "Première session en mars 2020."}, "2020-03", (1968, 2020)),
]

# The structure's birth and its labels, however told: "née en", "depuis sa création en ..., le
# centre ...", "labellisé(e) en / depuis".
STRUCTURE_BIRTH_AND_LABELS = [
    Dated({"experience": "Notre association, née en 1992, anime le quartier. L'atelier couture "
                         "a lieu le jeudi depuis 2018."}, "2018", (1992, 2018)),
    Dated({"experience": "Depuis sa création en 1987, le centre social accompagne les "
                         "familles. En septembre 2019, un groupe de mères s'est réuni."},
          "2019-09", (1987, 2019)),
    Dated({"experience": "La structure est labellisée par la CAF depuis 2012. Le café des "
                         "parents s'est lancé à l'automne 2019."}, "2019", (2012, 2019)),
    Dated({"experience": "Le point information jeunesse, labellisé en 2003, organise le forum. "
                         "Le forum s'est tenu le 12 mars 2022."}, "2022-03", (2003, 2022)),
    # the action's own birth still starts it
    Dated({"summary": "Le troc de livres est né en 2016 d'une idée de bénévoles."}, "2016",
          (2016,)),
    # what happened to its premises, a partner's years, a heading "Début de l'action :"
    Dated({"experience": "Le centre a emménagé en 2012 dans l'ancienne école. Début de "
                         "l'action : janvier 2021."}, "2021-01", (2012, 2021)),
    Dated({"experience": "La maison de quartier a été rénovée en 2018. Les ateliers ont eu "
                         "lieu de janvier à mars 2022."}, "2022-01", (2018, 2022)),
    Dated({"experience": "Le CCAS, partenaire depuis 2010, oriente les familles. Premier "
                         "atelier en février 2018."}, "2018-02", (2010, 2018)),
    Dated({"experience": "Partenaire historique depuis 2005, la CAF soutient le centre. Les "
                         "ateliers ont commencé en 2019."}, "2019", (2005, 2019)),
    # ... while the centre's active verb with an object tells the action
    Dated({"experience": "Le centre a rénové la salle des fêtes avec les jeunes en juin "
                         "2019."}, "2019-06", (2019,)),
    # a beginning told by a noun: the group's starts the action, the structure's does not, and
    # "depuis" governs it
    Dated({"experience": "Création du groupe en 2015 ; le projet a été relancé en 2021."},
          "2015", (2015, 2021)),
    Dated({"experience": "Naissance du collectif en mars 2019 autour d'un café."}, "2019-03",
          (2019,)),
    Dated({"experience": "La création du centre social en 1987 a répondu à une demande. Le "
                         "jardin a démarré en 2016."}, "2016", (1987, 2016)),
    Dated({"experience": "Ouverture de la maison de quartier en 1998. En 2016, les habitants "
                         "ont lancé une fête."}, "2016", (1998, 2016)),
    Dated({"experience": "Depuis la création de l'association en 2001, le vide-grenier a lieu "
                         "chaque année. Le vide-grenier 2022 a battu un record."}, "2001",
          (2001, 2022)),
]

# A wish, an aim or a forecast is no start.
WISHES_AND_FORECASTS = [
    Dated({"experience": "Nous souhaitons ouvrir un second atelier en 2025."}, None, (2025,)),
    Dated({"description": "L'objectif est d'ouvrir la recyclerie en 2026."}, None, (2026,)),
    Dated({"experience": "Prévisionnel 2024 : 10 sorties familiales."}, None, (2024,)),
    Dated({"experience": "Les sorties ont commencé en 2021 ; nous espérons partir à la mer en "
                         "2024."}, "2021", (2021, 2024)),
]

# A month told as a habit in the present ("les ateliers ont lieu d'octobre à mai") is the
# season of a yearly activity, not the month it began.
MONTHS_OF_A_HABIT = [
    Dated({"experience": "Depuis 2018, le centre propose des ateliers. Ils ont lieu le mardi de "
                         "septembre à juin."}, "2018", (2018,)),
    Dated({"description": "Action lancée en 2017. Les séances se déroulent d'octobre à juin."},
          "2017", (2017,)),
    Dated({"description": "Action lancée en 2017. La première séance a eu lieu en octobre."},
          "2017-10", (2017,)),
    # a slot of a programme is no beginning either
    Dated({"experience": "L'action a démarré en 2019. Programme : sorties en mars et en juin."},
          "2019", (2019,)),
    # a habit told in the next sentence leaves the month of the beginning
    Dated({"title": "Atelier cuisine 2023",
           "experience": "Les ateliers ont démarré en janvier. Ils ont lieu chaque semaine."},
          "2023-01", (2023,)),
]

# What closed, was pulled down or dates from long ago is the place's history, not the start;
# years before 1950 are years when a word dates them, never when they count.
PLACE_HISTORY = [
    Dated({"summary": "Le café associatif occupe l'ancienne épicerie, fermée en 2011.",
           "experience": "En octobre 2020, six voisins ont remis le lieu en état."},
          "2020-10", (2011, 2020)),
    Dated({"experience": "Sur le terrain de l'usine démolie en 1998, le verger a été planté "
                         "à l'automne 2017."}, "2017", (1998, 2017)),
    Dated({"experience": "Le lavoir date de 1890. Les lectures au lavoir ont lieu depuis "
                         "juin 2018."}, "2018-06", (1890, 2018)),
    Dated({"description": "Le bourg compte 1850 habitants ; la navette roule depuis 2016."},
          "2016", (2016,)),
    Dated({"experience": "La tradition remonte à 1920 ; l'association l'a reprise en 2015."},
          "2015", (1920, 2015)),
    # when the place was built, or a decade
    Dated({"experience": "Le quartier a été construit en 1968. Les balades urbaines se sont "
                         "tenues en avril 2019."}, "2019-04", (1968, 2019)),
    Dated({"experience": "La résidence a été réhabilitée en 2014. En mars 2019, les locataires "
                         "ont fait un jardin."}, "2019-03", (2014, 2019)),
    Dated({"experience": "Dans les années 1990, le bourg comptait trois cafés. Le café "
                         "associatif a ouvert en 2018."}, "2018", (1990, 2018)),
    # what closed, told after its date by a subject and its verb
    Dated({"experience": "En 2015, la ville a fermé la piscine. En 2017, les habitants ont "
                         "monté un club de natation."}, "2017", (2015, 2017)),
    Dated({"experience": "Ouvert en janvier 2020, fermé pendant le confinement puis rouvert "
                         "en septembre 2020."}, "2020-01", (2020,)),
    Dated({"experience": "Ouvert en septembre 2019 après la fermeture de la maison des "
                         "jeunes."}, "2019-09", (2019,)),
    # a law or a reform that framed the action
    Dated({"experience": "La loi de 2014 a créé les conseils citoyens. Notre conseil citoyen "
                         "s'est réuni pour la première fois en mai 2016."}, "2016-05",
          (2014, 2016)),
    # ... not a place the action works in or with
    Dated({"experience": "Dans le quartier prioritaire, en 2016, une fête a réuni 300 "
                         "personnes."}, "2016", (2016,)),
    Dated({"title": "Chantier halls",
           "experience": "Les halls de la résidence ont été rénovés par les jeunes en juillet "
                         "2021."}, "2021-07", (2021,)),
]

# "données" is data after a determiner ("les données de la CAF"), a participle after a verb:
# "les premières leçons ont été données en septembre" tells the first step.
GIVEN_NOT_DATA = [
    Dated({"experience": "Après l'accord de la préfecture en 2017, les premières séances ont "
                         "été données en mars 2018."}, "2018-03", (2017, 2018)),
    Dated({"experience": "Selon les données de la CAF (2016), un enfant sur trois vit seul "
                         "avec un parent. Le groupe de parole a démarré en 2018."}, "2018",
          (2016, 2018)),
]

# A year that labels a plan ("Programme 2025 : ...") is not the start, and its months without a
# year are not either; a story's beginning still wins.
PLAN_LABELS = [
    Dated({"experience": "Programme 2025 : bal en avril, pique-nique en juin, loto en "
                         "décembre."}, None, (2025,)),
    Dated({"description": "La programmation 2023 a été choisie par les adhérents : trois "
                          "concerts."}, None, (2023,)),
    Dated({"experience": "Les balades ont commencé en mai 2016. Programme 2024 : six sorties "
                         "de mars à octobre."}, "2016-05", (2016, 2024)),
    Dated({"title": "Programme 2022 des veillées", "summary": "Veillées contes au foyer."},
          None, (2022,)),
]

# A later edition is dated, and the first one is named by its article alone ("la première a eu
# lieu en ..."): that is the start.
FIRST_BY_ITS_ARTICLE = [
    Dated({"experience": "C'est la 4e édition : la première s'est tenue en juin 2020. "
                         "Édition 2023 : 20 stands."}, "2020-06", (2020, 2023)),
    Dated({"description": "Cinquième fois cette année : la première a eu lieu en mars 2019."},
          "2019-03", (2019,)),
]

# A one-off action dated only in its status reason ("Action réalisée le 14 mai 2022") starts
# then; an earlier month of the story with no year leaves the year only; an end, a closure or a
# later edition in the status gives no start.
STATUS_REASON = [
    Dated({"summary": "Une journée de jeux en plein air.",
           "status_reason": "Action réalisée le samedi 14 mai 2022"}, "2022-05", (2022,)),
    Dated({"experience": "Répétitions avec les enfants en février.",
           "status_reason": "Spectacle organisé le 3 avril 2023"}, "2023", (2023,)),
    Dated({"summary": "Permanence juridique.",
           "status_reason": "Fermeture de la permanence en 2019."}, None, (2019,)),
    Dated({"summary": "Accompagnement au permis.",
           "status_reason": "Fin du financement en décembre 2021."}, None, (2021,)),
    Dated({"summary": "Le carnaval du quartier.",
           "status_reason": "Action ponctuelle, 7e édition réalisée en mars 2023"}, None,
          (2023,)),
    Dated({"title": "Fête de la soupe 2018", "summary": "Soupes partagées.",
           "status_reason": "Action ponctuelle (novembre 2018)"}, "2018-11", (2018,)),
    Dated({"summary": "Une sortie à la mer.",
           "status_reason": "Sortie effectuée le 12 juillet 2022"}, "2022-07", (2022,)),
    Dated({"summary": "Cinq jours en gîte.", "status_reason": "Séjour du 4 au 8 août 2023"},
          "2023-08", (2023,)),
    Dated({"summary": "Une soirée contes.", "status_reason": "Événement unique (mai 2021)"},
          "2021-05", (2021,)),
    Dated({"summary": "Une soirée contes.", "status_reason": "Départ de l'animatrice en 2020"},
          None, (2020,)),
    Dated({"summary": "Fête de quartier.",
           "status_reason": "Arrêt de la fête en 2020 faute de bénévoles"}, None, (2020,)),
]

# A stop or a pause told by a noun is neither the start nor the end.
PAUSES = [
    Dated({"experience": "Démarré en mars 2019. Arrêt pendant le confinement 2020 puis "
                         "reprise."}, "2019-03", (2019, 2020)),
]

# A pair of years in the title names the period of the action, so its first year is the start
# when the fields date nothing; not when it dates one of the structure's documents.
TITLE_PAIRS = [
    Dated({"title": "Chantiers éducatifs 2019-2021",
           "experience": "Cycle conventionné 2019-2021, deux chantiers par an."}, "2019",
          (2019, 2021)),
    Dated({"title": "Accueil des collégiens (2023/2024)", "summary": "Aide aux devoirs."},
          "2023", (2023, 2024)),
    Dated({"title": "Contrat de ville 2015-2020 : jardins au pied des tours",
           "summary": "Des bacs potagers."}, None, (2015, 2020)),
    Dated({"title": "Convention CAF 2019-2022", "summary": "Animation collective familles."},
          None, (2019, 2022)),
    Dated({"title": "Ateliers lecture 2021-2022",
           "description": "Ateliers lancés en novembre 2021."}, "2021-11", (2021, 2022)),
]

# A year in a budget's heading written short ("BP 2025": the forecast budget of that year) is a
# year of the fiche.
BUDGET_HEADINGS = [
    Dated({"financial_resources": "CHARGES          BP 2025\nAchats           1 200\n"
                                  "Transport          800"}, None, (2025,)),
]

# Fourth round: whose date it is and what the verb says.

# A document dated by how it was made (signed, adopted, conducted, validated) is the document's
# date, not a step of the story: a "depuis" told after it still opens the story. A "depuis"
# that governs the document still dates what the action has run since.
DOCUMENT_DATES = [
    Dated({"experience": "La convention avec la ville, signée en 2018, a fixé les objectifs. "
                         "Les ateliers se tiennent depuis octobre 2020."}, "2020-10",
          (2018, 2020)),
    Dated({"experience": "L'étude menée en 2017 par l'université a montré un fort isolement "
                         "des aînés. Depuis mars 2021, des bénévoles leur rendent visite."},
          "2021-03", (2017, 2021)),
    Dated({"description": "Le projet social validé en 2022 fait de la parentalité une priorité. "
                          "Le groupe de parents se réunit depuis janvier 2023."}, "2023-01",
          (2022, 2023)),
    Dated({"experience": "La convention signée avec la CAF en 2019 nous a permis d'ouvrir la "
                         "ludothèque en septembre 2020."}, "2020-09", (2019, 2020)),
    Dated({"experience": "Depuis la charte signée en mai 2019 avec le bailleur, les habitants "
                         "entretiennent les massifs."}, "2019-05", (2019,)),
]

# A label or an agreement is the structure's, unless the label is what the title names: then
# it dates the action's beginning.
LABEL_OF_THE_ACTION = [
    Dated({"title": "Espace France Services",
           "experience": "Labellisée France Services depuis janvier 2021, la permanence aide "
                         "aux démarches. Bilan de l'exercice 2023."}, "2021-01", (2021, 2023)),
    Dated({"title": "Point Information Jeunesse",
           "experience": "Le centre a obtenu le label Point Information Jeunesse en septembre "
                         "2017."}, "2017-09", (2017,)),
    Dated({"title": "Atelier couture",
           "experience": "Le centre, agréé par la CAF depuis 2010, propose un atelier couture. "
                         "Premier atelier en mars 2016."}, "2016-03", (2010, 2016)),
]

# A service named by its article alone ("le service", as "ce service") is the one the fiche
# tells of: its creation is the action's beginning, however it is worded.
SERVICE_BY_ITS_ARTICLE = [
    Dated({"title": "Portage de courses",
           "experience": "Un état des lieux conduit en 2016 a montré l'isolement des aînés. Le "
                         "service a été créé en 2017 avec quatre bénévoles."}, "2017",
          (2016, 2017)),
    Dated({"summary": "Des bénévoles livrent les courses.",
           "experience": "Le service, créé en mai 2012, compte vingt bénéficiaires."},
          "2012-05", (2012,)),
]

# An action that has run for a while the fiche does not date ("depuis une dizaine d'années",
# "depuis longtemps") began before anything the story dates: only a told beginning starts it.
# Not when what has run so long is the structure, another activity, or a person's situation.
RUN_FOR_A_WHILE = [
    Dated({"title": "Repas de quartier",
           "experience": "Ce repas a lieu chaque automne depuis une dizaine d'années. En "
                         "octobre 2022, 150 convives sont venus."}, None, (2022,)),
    Dated({"experience": "L'atelier tricot tourne depuis longtemps. Nouvelle salle en "
                         "septembre 2021."}, None, (2021,)),
    Dated({"title": "Fête de l'école",
           "experience": "Organisée depuis vingt ans avec les parents, la fête a réuni 300 "
                         "personnes en juin 2023."}, None, (2023,)),
    Dated({"title": "Séjour à la montagne",
           "experience": "Les sorties à la journée existent depuis longtemps au centre. Séjour "
                         "de cinq jours en février 2022."}, "2022-02", (2022,)),
    Dated({"experience": "Le centre existe depuis trente ans. Les ateliers ont eu lieu de mars "
                         "à juin 2021."}, "2021-03", (2021,)),
    Dated({"summary": "Parcours pour des femmes sans emploi depuis plus de deux ans. Entrées "
                      "en janvier 2023."}, "2023-01", (2023,)),
    Dated({"experience": "Animatrice depuis douze ans au centre, Nadia guide le groupe. Sortie "
                         "en juillet 2022."}, "2022-07", (2022,)),
    Dated({"experience": "Ce groupe de parole se réunit depuis 8 ans. En 2023, douze "
                         "séances."}, None, (2023,)),
]

# A new run after a stop of years ("relancé après dix ans d'interruption") is the start: what
# the fiche dates before it is the old run's. A pause (the lockdown) changes nothing.
RESTART_AFTER_A_STOP = [
    Dated({"experience": "La chorale a repris en 2018 après six ans de sommeil ; elle avait "
                         "été fondée en 1990 par des habitants."}, "2018", (1990, 2018)),
    Dated({"experience": "Après cinq années d'arrêt, la brocante a été relancée en mai 2019. "
                         "La première brocante avait eu lieu en juin 2001."}, "2019-05",
          (2001, 2019)),
    Dated({"experience": "Le club a démarré en mars 2017, s'est arrêté pendant le confinement "
                         "et a repris en 2021."}, "2017-03", (2017, 2021)),
    Dated({"experience": "Le café des parents, créé en 2014, a été relancé en 2021 après le "
                         "confinement avec un nouveau format."}, "2014", (2014, 2021)),
    # told after the stop, whatever word names the stop
    Dated({"title": "Bourse aux jouets",
           "experience": "Après trois ans d'arrêt faute de bénévoles, la bourse a repris en "
                         "novembre 2022. Première bourse en 2008."}, "2022-11", (2008, 2022)),
    # the structure reopened after a stop is its history
    Dated({"experience": "La maison de quartier a rouvert en 2012 après deux ans d'interruption. "
                         "L'atelier a démarré en mars 2015."}, "2015-03", (2012, 2015)),
]

# A month range written with both years ("de novembre 2021 à février 2022") opens at its first
# month: the second date closes the range, whatever the rest of the sentence says.
RANGE_WITH_TWO_YEARS = [
    Dated({"experience": "Ateliers de novembre 2021 à février 2022, clôturés par la première "
                         "exposition au musée."}, "2021-11", (2021, 2022)),
    Dated({"summary": "Accompagnement mené de septembre 2019 jusqu'en juin 2020."}, "2019-09",
          (2019, 2020)),
]

# The age of the action's first time ("notre premier loto date de ...") is its start; the age of
# a thing ("le lavoir date de 1890") stays history. A capitalised noun after "premier" is a
# name, not a slot ("la première Nuit des étoiles", not "la première semaine").
FIRST_TIME_DATED = [
    Dated({"experience": "Notre premier Loto des familles date de novembre 2018 ; la fiche "
                         "décrit celui de novembre 2022."}, "2018-11", (2018, 2022)),
    Dated({"experience": "Le lavoir date de 1890. Nettoyage des abords en mai 2022."},
          "2022-05", (1890, 2022)),
]

# What a beginning verb launches may be a call or a study of another body ("la Région a lancé
# un appel à projets en mai 2021"): its date is not the action's beginning.
CALLS_LAUNCHED = [
    Dated({"experience": "La CAF a lancé un appel à projets en mai 2021. Le groupe de parole a "
                         "démarré en janvier 2022."}, "2022-01", (2021, 2022)),
    Dated({"experience": "La ville a initié une étude en 2018 sur la mobilité. Premières "
                         "navettes en avril 2019."}, "2019-04", (2018, 2019)),
    Dated({"experience": "Le Département a lancé en 2020 un appel à candidatures. Le groupe a "
                         "commencé en mars 2021."}, "2021-03", (2020, 2021)),
]

# A season is refined by a beginning told in one of its months, not by its outings.
SEASON_AND_ITS_MONTH = [
    Dated({"experience": "Hiver 2022 : lancement le 5 janvier, puis une soirée par semaine."},
          "2022-01", (2022,)),
    Dated({"description": "automne 2020, deux randonnées en octobre et novembre."}, "2020",
          (2020,)),
    Dated({"experience": "Printemps 2019 : ouverture en octobre."}, "2019", (2019,)),
]

# The structure named through "du" ("les 30 ans du centre, créé en 1994") is the structure,
# so its founding is history; an acronym names the programme its year dates ("Dotation CLAS
# 2022 :"), unlike a capitalised name ("Génération 2000").
STRUCTURE_AND_ACRONYMS = [
    Dated({"summary": "Une fête pour les 30 ans du centre, créé en 1994.",
           "experience": "Dimanche 6 octobre 2024, bal et repas."}, "2024-10", (1994, 2024)),
    Dated({"financial_resources": "Dotation CLAS 2022 : 3 000 €"}, None, (2022,)),
    Dated({"description": "Avec l'association Génération 2000 : sorties."}, None, ()),
]

# A month with no year told before a dated step of its own sentence, earlier in that year, is
# read in that year: a story is told in order. Not across sentences, nor when the month comes
# later in the year than the dated step.
MONTH_BEFORE_ITS_YEAR = [
    Dated({"experience": "Repérage des familles en septembre, puis sortie au zoo le 20 octobre "
                         "2021."}, "2021-09", (2021,)),
    Dated({"experience": "Une réunion en novembre, puis la fête le 3 juin 2023."}, "2023-06",
          (2023,)),
    Dated({"experience": "Ateliers CV en mars. Forum le 6 avril 2024."}, "2024-04", (2024,)),
    # a month that returns each year is no step of the story, whatever date follows it
    Dated({"summary": "Bal du quartier tous les ans en juillet, 4e édition le 6 juillet 2024."},
          None, (2024,)),
]
