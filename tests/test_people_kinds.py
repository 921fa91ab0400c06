"""Headcounts by kind of failure: one table of invented people fields per kind.

Every field is written for this test (none comes from the sample or the held-out sets); each row
asserts what `build_headcount` reads from it with the whole project pipeline, as `fiches enrich`
runs it. Values are a whole number, `(min, max)` for a range, or None (gold README conventions).
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from pipeline.extraction.headcount import PEOPLE_FIELD, build_headcount
from pipeline.extraction.nlp import profile_for
from tests.people_kinds_labels import ROUNDS, Row

ROLES = ("professionals", "volunteers", "beneficiaries")


def _people(nlp: Language, text: str) -> tuple[Any, ...]:
    """(professionals, volunteers, beneficiaries) read from a people field."""
    with nlp.select_pipes(enable=list(profile_for(PEOPLE_FIELD))):
        doc = nlp(text)
    values = [build_headcount({PEOPLE_FIELD: doc})[role] for role in ROLES]
    return tuple(v if v is None else v["min"] if v["min"] == v["max"] else (v["min"], v["max"])
                 for v in values)


# (people field, professionals, volunteers, beneficiaries)
# An FTE is time, not people: after a person it qualifies that person, whatever complements or
# brackets sit between; alone or as a new list item it is a post.
FTE_IS_TIME: list[Row] = [
    ("3 médiatrices de nuit (2,5 ETP)", 3, None, None),
    ("1 secrétaire d'accueil à 0,8 ETP + 2 animateurs", 3, None, None),
    ("2 éducatrices spécialisées (0,4 ETP chacune) soit 0,8 ETP", 2, None, None),
    ("12 bénévoles, l'animatrice (0,6 ETP)", 1, 12, None),
    ("1 chargée de mission (0,1 ETP sur le projet)\n1 agent technique", 2, None, None),
    ("1 éducateur, 1,5 ETP d'animation", 3, None, None),
    ("4 animateurs et 0,5 ETP de direction", 5, None, None),
]

# A part named with "dont", "y compris", "notamment" is inside the count before it: never added,
# never chosen; a part that names the public says who the whole count is.
PART_INSIDE: list[Row] = [
    ("3 salariés dont la coordinatrice", 3, None, None),
    ("5 animateurs (y compris le responsable jeunesse)", 5, None, None),
    ("9 bénévoles y compris 2 administratrices", None, 9, None),
    ("4 permanents, notamment la secrétaire", 4, None, None),
    ("30 personnes dont 18 enfants", None, None, 30),
    ("2 animatrices\n45 personnes dont une vingtaine d'adolescents", 2, None, 45),
    ("24 personnes dont trois salariés", 3, None, None),
]

# Households restated as persons: the persons are the count ("soit", a bracket), once.
RESTATED: list[Row] = [
    ("20 familles soit 64 personnes", None, None, 64),
    ("Ménages accompagnés : 40 (soit 95 personnes)", None, None, 95),
    ("La CESF suit 8 familles (27 personnes)", 1, None, 27),
    ("2 animateurs\n30 foyers, soit environ 80 personnes (dont 45 enfants)", 2, None, 80),
    ("5 salariés, 20 bénévoles, soit 25 personnes au total", 5, 20, None),
    ("12 familles et 10 personnes isolées accueillies", None, None, 22),
    ("6 ménages soit 19 personnes", None, None, 19),
]

# People named by their role without digits: one each, in terse lists or with an article;
# a bracket that counts them or details a count is not more people.
ROLES_WITHOUT_DIGITS: list[Row] = [
    ("conseillère en insertion + ergothérapeute", 2, None, None),
    ("Animatrice salariée + 3 bénévoles", 1, 3, None),
    ("coordinatrice, animateur et secrétaire", 3, None, None),
    ("le directeur et trois éducateurs", 4, None, None),
    ("Encadrement : animateur\n15 enfants", 1, None, 15),
    ("1 accompagnateur de la sortie (bénévole)", None, 1, None),
    ("animatrice, psychologue (2 professionnelles)\n8 bénévoles", 2, 8, None),
    ("2 salariées (secrétaire, comptable)", 2, None, None),
    ("1 conseillère en économie sociale et familiale", 1, None, None),
    ("Des ateliers, permettant aux parents de se retrouver", None, None, None),
]

# Any job title names one professional, with an article or alone as a list item, whatever its
# complement (hyphenated, with "d'", "en ... et ... (ACRONYM)"); a noun no list knows is read by
# its form and vector; words of prose after an article are not people.
JOB_TITLES: list[Row] = [
    ("Encadré par la sophrologue et 1 animatrice", 2, None, None),
    ("la chargée de projet et 4 bénévoles", 1, 4, None),
    ("auxiliaire de vie et animatrice du foyer, 1 bénévole", 2, 1, None),
    ("conseiller en insertion sociale et professionnelle (CIP), 2 bénévoles", 1, 2, None),
    ("animatrice et coordinatrice (DEJEPS)", 2, None, None),
    ("Responsable de secteur (0,5 ETP), agent d'entretien\n10 familles", 2, None, 10),
    ("infirmière scolaire (0,2 ETP), assistante sociale du département, éducateur de prévention",
     3, None, None),
    ("la semaine, le samedi, la journée\n20 enfants", None, None, 20),
    ("avec la mairie et la PMI, 2 animateurs", 2, None, None),
    ("3 salariés (la directrice, 2 animatrices)", 3, None, None),
    ("5 à 6 encadrants (animateurs + la directrice le samedi)", (5, 6), None, None),
    ("une dizaine de convives par repas, 38 convives différents dans l'année", None, None, 38),
    ("le médiateur, la CESF et l'éducatrice spécialisée\n45 familles", 3, None, 45),
]

# Role words cut short are read as the shortest people word they begin ("bén" for bénévole,
# "bénéf" for bénéficiaire); prepositions are no abbreviation. Paid work makes anyone staff.
ABBREVIATED_OR_PAID: list[Row] = [
    ("3 coord., 12 bénév., 40 bénéf.", 3, 12, 40),
    ("1 resp + 2 educ / 6 bén.", 3, 6, None),
    ("1 dir, 3 anim\n30 enfants", 4, None, 30),
    ("12 par séance", None, None, None),
    ("3 parents rémunérés pour le ménage, 1 animatrice", 4, None, None),
    ("2 mères payées et 8 bénévoles", 2, 8, None),
]

# A label names who its count is, on the count's line or the line above, long or dated.
LABELS: list[Row] = [
    ("Inscrits :\n 27", None, None, 27),
    ("Fréquentation :\n64 personnes", None, None, 64),
    ("Seniors accompagnés en 2021 : 48", None, None, 48),
    ("Habitants ayant profité des paniers solidaires : 71", None, None, 71),
    ("Public reçu : environ 300 personnes sur le week-end", None, None, 300),
    ("Ados ayant participé : une quinzaine", None, None, 15),
    ("Habitants bénévoles : une dizaine", None, 10, None),
    ("35 enfants ont participé aux ateliers", None, None, 35),
]

# A label governs the count after it or below it, whatever follows the count: a part ("dont"),
# a complement of time, a bracket; a label noun no list knows is read by its vector, a body that
# runs the action names volunteers, and "Public :" says inhabitants are the public.
LABELS_GOVERN: list[Row] = [
    ("Bénévoles : 9 dont 3 lycéennes\n2 salariées", 2, 9, None),
    ("Allocataires :\n36 (dont 20 femmes)", None, None, 36),
    ("Participants : 75 en 2022", None, None, 75),
    ("Conseil de maison : 6 habitants\n1 animateur", 1, 6, None),
    ("Public visé :\n15 adolescents membres du conseil", None, None, 15),
    ("12 débutants inscrits", None, None, 12),
    ("Salariés : 2 (animatrice, secrétaire)\nBénévoles : 5, dont 2 administrateurs\n"
     "Participants : 28 en moyenne par séance, 63 inscrits sur l'année", 2, 5, 63),
    ("30 demandeuses d'asile accueillies", None, None, 30),
]

# Who benefits: inhabitants who take part are the public; they are volunteers only when the
# text says they run the action (a verb, "élus", "membres du bureau", "mobilisés"), or when the
# field lists them among the actors (joined to staff or volunteers, beside organisations, or
# alone).
WHO_BENEFITS: list[Row] = [
    ("2 éducatrices\n12 à 15 adolescents par sortie", 2, None, (12, 15)),
    ("1 animatrice / 7 collégiennes", 1, None, 7),
    ("1 coordinatrice\n1 avocate de permanence\nune quinzaine de mères", 2, None, 15),
    ("3 animateurs\n20 jeunes ont participé au séjour", 3, None, 20),
    ("2 salariés et 5 parents d'élèves", 2, 5, None),
    ("11 habitantes + 1 animatrice", 1, 11, None),
    ("4 bénévoles de la Croix-Rouge et 3 habitantes", None, 7, None),
    ("1 animateur\n9 adolescents membres du conseil de jeunes", 1, 9, None),
    ("5 habitants élus au comité de quartier, 1 coordinatrice", 1, 5, None),
    ("les retraités organisent les goûters (une douzaine), 1 animatrice", 1, 12, None),
    ("la référente famille, + les membres du bureau (5)", 1, 5, None),
    ("2 bénévoles retraités, 14 lycéens", None, 2, 14),
    ("1 éducateur\n3 jeunes\n2 mamans\n8 associations", 1, 5, None),
    ("une vingtaine d'habitants", None, 20, None),
    ("2 femmes-relais et 1 directrice", 3, None, None),
    ("Les lycéens (9) ont préparé le repas avec 1 animatrice", 1, 9, None),
    ("les enfants du quartier (30)\n2 animateurs", 2, None, 30),
    ("6 mamans ont cuisiné pour la fête\n1 référente famille", 1, 6, None),
    ("Le projet a touché 140 habitants de la cité", None, None, 140),
    ("1 animatrice\nLe comité de pilotage réunit 6 parents", 1, 6, None),
    ("La directrice. Le conseil de quartier, composé de 9 habitants.", 1, 9, None),
]

# An attendance per occasion ("par séance", "en moyenne", "chaque samedi") is not the count of
# the public when the field also counts it over the whole action; alone it is the count.
PER_OCCASION: list[Row] = [
    ("1 animatrice\n6 à 10 enfants par mercredi, 31 enfants différents dans l'année", 1, None, 31),
    ("En moyenne 12 ados et 4 parents par soirée\n45 jeunes inscrits", None, None, 45),
    ("20 familles inscrites, 8 en moyenne chaque samedi", None, None, 20),
    ("15 à 20 participants par séance", None, None, (15, 20)),
    ("2 bénévoles\n55 familles par an", None, 2, 55),
]

# "personnes" no word places, counted after the staff or volunteers and not their sum, are the
# public; the sum of the actors is their total.
PERSONS_AFTER_ACTORS: list[Row] = [
    ("2 salariées, 9 bénévoles\nprès de 300 personnes venues à la fête", 2, 9, 300),
    ("4 animateurs\n120 personnes au goûter", 4, None, 120),
    ("3 salariés et 7 bénévoles, 10 personnes", 3, 7, None),
    ("2 salariés, 3 bénévoles\n6 personnes mobilisées", 2, 3, None),
    ("1 conseillère\n26 personnes âgées rencontrées à domicile", 1, None, 26),
]

# The public by the dozen that closes a list of the actors on its line is people, though its
# vector leans to the things of its occasion ("convives" near "repas"); things, visits, acts and
# a few of anything stay out. A trade's agent suffix (-iste, -logue) outweighs the things of its
# field.
PEOPLE_IN_LISTS: list[Row] = [
    ("4 bénévoles, 1 animatrice, 90 convives", 1, 4, 90),
    ("2 salariées et 35 invités", 2, None, 35),
    ("1 cuisinier, 6 bénévoles pour le service, 110 convives", 1, 6, 110),
    ("2 salariés, 300 colis", 2, None, None),
    ("1 animateur, 8 rencontres, 3 spectacles", 1, None, None),
    ("2 salariés, 5 lieux, 20 stands, 3 concerts", 2, None, None),
    ("2 conseillères, 900 passages", 2, None, None),
    ("1 archiviste et 1 sociologue", 2, None, None),
    ("2 animateurs, 1 scénographe de la compagnie", 3, None, None),
]

# A word the model does not know names the same kind of people as the count joined to it, and
# volunteers in apposition after the joined counts qualify it too.
JOINED_UNKNOWN: list[Row] = [
    ("3 gwokaïstes et 1 chanteuse, bénévoles du quartier", None, 4, None),
    ("2 koraïstes et 3 animateurs", 5, None, None),
    ("le fablabber et 2 animatrices", 3, None, None),
    ("la ludothecaire\n12 familles", 1, None, 12),
    ("3 salariés et 12 habitants, tous bénévoles", 3, 12, None),
]

# Trainees ("stagiaires") are staff in a team (a few, or beside staff on their line) and the
# public of a training when many stand alone or a public cue follows.
TRAINEES: list[Row] = [
    ("1 monitrice d'auto-école, 1 conseillère\n14 stagiaires", 2, None, 14),
    ("2 formateurs\n9 stagiaires inscrits au module", 2, None, 9),
    ("1 animatrice, 2 stagiaires BPJEPS", 3, None, None),
    ("6 animateurs, 6 stagiaires BAFA", 12, None, None),
]

# Not people: things, documents, events and visits; admissions (entrées) stand for the public
# only when no people of the public are counted.
NOT_PEOPLE: list[Row] = [
    ("2 animateurs\n60 fiches d'évaluation remplies", 2, None, None),
    ("1 animatrice, 30 enfants ont vu au moins une pièce de théâtre", 1, None, 30),
    ("1 éducatrice\n35 sondages complétés", 1, None, None),
    ("2 conseillères\n900 passages en 2021 soit environ 310 usagers", 2, None, 310),
    ("3 bénévoles\n250 entrées sur le week-end", None, 3, 250),
    ("400 entrées, 150 enfants différents", None, None, 150),
    ("40 passages dans l'année", None, None, None),
]

# A count that leaves out the noun of the count before it on its line has its role; one that
# a verb follows is a part of it.
ELIDED: list[Row] = [
    ("1 animatrice à temps plein, 2 à mi-temps", 3, None, None),
    ("5 bénévoles et 3 en appui ponctuel", None, 8, None),
    ("14 jeunes inscrits, 10 sont allés au bout", None, None, 14),
    ("2 salariées, 2020", 2, None, None),
]

# Named roles that a bracket then counts as staff are counted once; volunteers may be named in
# apposition after the people they are.
RESTATED_ROLES: list[Row] = [
    ("Le coordinateur et la secrétaire (soit 2 salariés) encadrent 15 bénévoles", 2, 15, None),
    ("la directrice, l'animatrice famille (2 salariées) ; 30 familles", 2, None, 30),
    ("L'association compte 6 retraités, tous bénévoles.", None, 6, None),
    ("12 mamans, toutes bénévoles, et 1 animatrice", 1, 12, None),
]

# An FTE that opens a bracket is the time of the person before it, even after a title joined
# by "et" or restated with "soit"; every role of a part list is inside the count before it.
TIME_AND_PARTS: list[Row] = [
    ("1 assistante de service social et familial (0,5 ETP)\n12 familles", 1, None, 12),
    ("1 chargé d'accueil et d'orientation (0,8 ETP), 2 bénévoles", 1, 2, None),
    ("8 salariés y compris le comptable et la secrétaire (soit 5,5 ETP)", 8, None, None),
    ("4 animateurs dont la responsable, l'agent de service et le cuisinier", 4, None, None),
    ("1 animateur et 0,5 ETP de secrétariat", 2, None, None),
]

# What a label says of its count: a participle after a neutral noun ("Personnes suivies :"), a
# volunteer word in a bracket after the count, a label that opens the line of persons counted
# after some prose; people of stated ages are the public, even restated with "soit".
LABEL_MEANING: list[Row] = [
    ("Personnes orientées : 58 sur l'année", None, None, 58),
    ("Animatrices : 2\nTraductrice : 1 (bénévole)", 2, 1, None),
    ("Salariés : 2\nBénévoles : au total nous sommes 9 personnes", 2, 9, None),
    ("Public : 3 groupes de 10, soit 30 personnes de 70 à 92 ans", None, None, 30),
    ("2 éducateurs, 14 personnes de 18 à 25 ans", 2, None, 14),
]

# Words that say who is counted though no list has them: a count that varies "selon les"
# occasions is an attendance; members of a collective run it; "une" before a noun no list knows
# is an article (a thing), and a trade named alone on its line is one professional.
MEANING_OF_WORDS: list[Row] = [
    ("1 animatrice\nde 6 à 14 enfants selon les mercredis, 40 enfants inscrits dans l'année",
     1, None, 40),
    ("12 habitants du collectif, 1 animatrice", 1, 12, None),
    ("30 familles ont trouvé un logement\n2 salariées", 2, None, 30),
    ("5 bénévoles\nle photographe", 1, 5, None),
    ("2 animatrices\nle samedi", 2, None, None),
]

# Who a count is read from the sentence around it: a subject pronoun stands for the people named
# before it ("on est 5"), a bracket after prose counts the clause's subject, "autant de" counts
# as many as the count before, and a word no model knows joined to inhabitants is one of them.
WHO_THE_SENTENCE_COUNTS: list[Row] = [
    ("1 animateur\ndes grands-parents bénévoles, on est 5 à tourner", 1, 5, None),
    ("2 salariées\nquelques voisines, elles sont 4 à préparer le goûter", 2, 4, None),
    ("1 animatrice\ndes papas viennent aider au montage des stands et au rangement (5 ou 6)",
     1, (5, 6), None),
    ("1 éducatrice\nune vingtaine d'enfants et autant de parents", 1, None, 40),
    ("1 conteuse\nune dizaine de zanfans et autant de parents", 1, None, 20),
]

# Households broken down into the persons listed right after them count in persons, once; a
# label of the public makes staff or volunteers who received something that public; a task of
# running makes inhabitants volunteers; the writer names themself by their role.
WHO_IS_SERVED_OR_SERVES: list[Row] = [
    ("Public : 9 familles, 11 mères et 17 enfants", None, None, 28),
    ("1 CESF\n20 familles et 12 enfants", 1, None, 32),
    ("2 animatrices\n12 familles, 4 pères et 6 personnes isolées", 2, None, 22),
    ("Public formé : 14 animateurs formés au secourisme\n1 formatrice", 1, None, 14),
    ("2 salariées, une dizaine d'habitantes pour la décoration, 200 visiteurs", 2, 10, 200),
    ("moi-même (coordinatrice) et 3 bénévoles", 1, 3, None),
]

# A field written as a list of lines is a list of the actors closing with the public when the
# last line holds only its noun; a thing with words after it stays out.
LISTS_OF_LINES: list[Row] = [
    ("12 bénévoles\n180 convives", None, 12, 180),
    ("2 animatrices\n150 questionnaires remplis", 2, None, None),
]

# A label naming a role governs the noun counted after it ("Lecteurs bénévoles : 5 retraitées"),
# one naming a body that runs the action makes inhabitants volunteers; running beats coming.
LABEL_THEN_NOUN: list[Row] = [
    ("Animateurs bénévoles : 4 étudiants", None, 4, None),
    ("Accompagnatrices bénévoles : 6 mamans\n2 animatrices", 2, 6, None),
    ("Lecteurs bénévoles : 5 retraitées\n40 enfants", None, 5, 40),
    ("Conseil d'administration : 1 directrice, 7 habitants", 1, 7, None),
    ("Bureau de l'association : 2 salariées, 5 adhérents", 2, 5, None),
    ("Jeunes venus aider : 8\n1 animateur", 1, 8, None),
]

# The public closing a list of the actors: under a label ("Convives : 140"), by the thousand,
# after a part of the actors ("y compris les 6 membres"), told by a participle of coming
# ("venus"); guests of a meal or a stay are the public, employers are organisations.
PUBLIC_AFTER_ACTORS: list[Row] = [
    ("Équipe : 2 animateurs\nBénévoles : 6\nConvives : 140", 2, 6, 140),
    ("Jeunes venues : 48", None, None, 48),
    ("4 animateurs\n85 adolescents venus", 4, None, 85),
    ("2 salariés, 12 bénévoles\n2 300 spectateurs", 2, 12, 2300),
    ("1 coordinatrice, 25 bénévoles\n1 500 randonneurs", 1, 25, 1500),
    ("3 salariés, 40 bénévoles, y compris les 6 membres du bureau\n900 marcheurs", 3, 40, 900),
    ("12 employeurs\n2 conseillères\n60 demandeurs d'emploi venus", 2, None, 60),
    ("Invités : 95", None, None, 95),
    ("Vacancières : 40\n2 animatrices", 2, None, 40),
]

# A count in a bracket after a role phrase with no number: it may vary "selon les semaines",
# a volunteer word qualifies inhabitants, and a short title no list knows is read by its vector.
BRACKET_AFTER_PHRASE: list[Row] = [
    ("des grands-parents bénévoles (2 à 4 selon les semaines)\n1 animatrice", 1, (2, 4), None),
    ("Cuisinier du restaurant solidaire (1)\n30 convives", 1, None, 30),
    ("Jardinier de la ville (1)\nPermanences (2 par semaine)\n12 familles", 1, None, 12),
    ("quelques mamans bénévoles (3 à 4 suivant les séances)", None, (3, 4), None),
    ("des habitantes (6 à 8 en fonction de la météo) ont animé le stand", None, (6, 8), None),
    ("2 animatrices + des parents bénévoles (5 environ)", 2, 5, None),
    ("Des visiteuses bénévoles (9 retraitées)\n1 animatrice", 1, 9, None),
    ("1 animateur et des bénévoles\n20 jeunes inscrits", 1, None, 20),
]

# Fractions of posts count the people they are the time of: "0,8 ETP de la coordinatrice" is
# her, an FTE shared "entre trois éducateurs" or broken down in a bracket is theirs.
FRACTIONS_OF_POSTS: list[Row] = [
    ("0,8 ETP de la coordinatrice + 0,3 ETP d'animatrice", 2, None, None),
    ("2,5 ETP partagés entre trois éducateurs", 3, None, None),
    ("Deux animatrices (une monitrice et une éducatrice, chacune à 0,5 ETP)", 2, None, None),
    ("0,4 ETP de conseillère ESF\n20 familles", 1, None, 20),
    ("0,5 ETP d'une conseillère numérique\n30 usagers", 1, None, 30),
    ("2 ETP répartis entre 3 personnes\n50 jeunes inscrits", 3, None, 50),
    ("2 ETP (une médiatrice à temps plein, deux éducateurs à mi-temps)", 3, None, None),
    ("1,5 ETP : une animatrice et une secrétaire\n4 bénévoles", 2, 4, None),
    ("2 ETP (accueil et animation)\n4 bénévoles", 2, 4, None),
    ("0,5 poste de médiatrice et 0,3 poste de la directrice", 2, None, None),
    ("un demi-poste d'éducateur, un mi-temps de secrétaire\n15 jeunes inscrits", 2, None, 15),
    ("1 ETP et demi partagé entre 2 animatrices", 2, None, None),
    ("4 postes de travail\n1 conseillère numérique", 1, None, None),
]

# A bare singular job title counts one; the writer counts themself among "moi et 2 autres".
ONE_EACH: list[Row] = [
    ("Formatrice linguistique + 3 bénévoles", 1, 3, None),
    ("Médiatrice santé + conseiller numérique + 2 animateurs", 4, None, None),
    ("Chauffeur du minibus + 2 animateurs", 3, None, None),
    ("Moi-même, plus trois autres parents bénévoles", None, 4, None),
    ("moi + 2 autres animatrices\n25 enfants", 3, None, 25),
    ("l'agente d'entretien\n2 grands-mères bénévoles", 1, 2, None),
    ("Conseillère Mission locale, traducteur bénévole et 2 animateurs", 3, 1, None),
    ("Accueillante petite enfance + psychologue (1 fois par mois)\n12 familles", 2, None, 12),
    ("le quartier, secteur nord, 2 résidences, 2 animateurs", 2, None, None),
    ("Médiatrice sociale à mi-temps + 3 bénévoles", 1, 3, None),
    ("Éducatrice spécialisée, auxiliaire de puériculture (mi-temps)\n20 familles", 2, None, 20),
]

KINDS = LABEL_THEN_NOUN + PUBLIC_AFTER_ACTORS + BRACKET_AFTER_PHRASE + FRACTIONS_OF_POSTS \
    + ONE_EACH + WHO_THE_SENTENCE_COUNTS + WHO_IS_SERVED_OR_SERVES + LISTS_OF_LINES \
    + TIME_AND_PARTS + LABEL_MEANING + MEANING_OF_WORDS + FTE_IS_TIME + PART_INSIDE + RESTATED \
    + ROLES_WITHOUT_DIGITS + JOB_TITLES + ABBREVIATED_OR_PAID + LABELS + LABELS_GOVERN \
    + WHO_BENEFITS + PER_OCCASION + PERSONS_AFTER_ACTORS + PEOPLE_IN_LISTS + JOINED_UNKNOWN \
    + TRAINEES + NOT_PEOPLE + ELIDED + RESTATED_ROLES + ROUNDS


@pytest.mark.parametrize(("text", "professionals", "volunteers", "beneficiaries"), KINDS)
def test_people_kind(full_nlp: Language, text: str, professionals: Any, volunteers: Any,
                     beneficiaries: Any) -> None:
    assert _people(full_nlp, text) == (professionals, volunteers, beneficiaries)
