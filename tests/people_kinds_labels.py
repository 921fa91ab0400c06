"""Invented people fields for the kinds of failure of the fourth and fifth rounds, run by
`test_people_kinds.py` with the others: (people field, professionals, volunteers, beneficiaries).
"""

from __future__ import annotations

from typing import Any

Row = tuple[str, Any, Any, Any]

# A label naming a role by its word governs the count right under it or first after it, even
# when the count's noun is a role word of another kind; a staff label governs a noun read by
# its vector on its line. A volunteer word after the noun still wins.
LABEL_OVER_NOUN: list[Row] = [
    ("Bénévoles :\n4 cuisiniers du dimanche\n30 convives", None, 4, 30),
    ("Public :\n8 salariés en reconversion", None, None, 8),
    ("Bénéficiaires : 6 agents en contrat aidé\n2 encadrantes", 2, None, 6),
    ("Bénévoles :\n2 animateurs BAFA retraités", None, 2, None),
    ("Encadrement : 1 chef de chantier, 1 vendeuse\nBénéficiaires : 8 salariés en insertion",
     2, None, 8),
    ("Encadrement : 2 éducatrices, 1 institutrice retraitée bénévole\n20 enfants", 2, 1, 20),
]

# Hours are the time of the person before them, not more people; a dot may group thousands.
HOURS_ARE_TIME: list[Row] = [
    ("l'éducatrice (environ 6h/semaine)\n15 jeunes", 1, None, 15),
    ("2 animateurs (10 heures par mois)", 2, None, None),
    ("la psychologue : 3h par mois\n8 familles", 1, None, 8),
    ("1 animatrice, 35 heures de bénévolat, 4 bénévoles", 1, 4, None),
    ("2 salariés, 15 bénévoles\n1.200 visiteurs", 2, 15, 1200),
]

# A count then a colon listing its members: the members are the people counted, once.
MEMBERS_AFTER_COLON: list[Row] = [
    ("3 salariées : la directrice, une animatrice et une secrétaire", 3, None, None),
    ("2 bénévoles : un retraité et une étudiante\n12 enfants", None, 2, 12),
    ("2 salariés : l'animatrice et le cuisinier\n5 bénévoles", 2, 5, None),
    ("2 professionnelles : la conseillère ESF et une sophrologue\n10 aidants", 2, None, 10),
]

# Inhabitants qualified by a role they hold run the action (volunteers), unless an age makes
# them its public; a word the model does not know followed by a cue of the public is the public.
WHO_ACTS_WHO_COMES: list[Row] = [
    ("8 habitantes comédiennes amateurs\n1 metteur en scène\n150 spectateurs", 1, 8, 150),
    ("5 parents animateurs du café\n40 familles", None, 5, 40),
    ("12 jeunes musiciens de 12 à 16 ans\n1 animateur", 1, None, 12),
    ("1 animatrice, 16 timoun inscrits", 1, None, 16),
    ("1 animateur\n9 pitchouns accueillis", 1, None, 9),
]

# A larger count of the public over the whole span, leaving the noun out, restates the regular
# core counted before it: the public is the larger one, once.
CORE_THEN_SPAN: list[Row] = [
    ("1 animatrice\nParticipants : 11 mères régulières, 26 sur l'année", 1, None, 26),
    ("12 enfants chaque mercredi, 25 sur l'année\n2 animatrices", 2, None, 25),
    ("Public : 9 adolescents réguliers et 22 au total", None, None, 22),
]

ROUND_FOUR = LABEL_OVER_NOUN + HOURS_ARE_TIME + MEMBERS_AFTER_COLON + WHO_ACTS_WHO_COMES \
    + CORE_THEN_SPAN

# Fifth round. Parts listed right after a count that add up to it say who those people are
# (women and men, adults and children); parts that name functions are more people.
PARTS_ADD_UP: list[Row] = [
    ("2 animatrices\nInscrits : 40, 25 adultes et 15 enfants", 2, None, 40),
    ("Stagiaires FLE : 58, 44 femmes et 14 hommes\n3 formatrices bénévoles", None, 3, 58),
    ("1 éducatrice\n27 habitants : 20 femmes et 7 hommes", 1, None, 27),
    ("2 animateurs, 1 coordinatrice et 1 directrice", 4, None, None),
]

# Pupils are the public, as élèves, unless a volunteer word qualifies them.
PUPILS: list[Row] = [
    ("1 éducateur + 15 collégiennes", 1, None, 15),
    ("2 animatrices et 24 lycéennes", 2, None, 24),
    ("1 animatrice, 6 lycéens bénévoles\n40 écoliers", 1, 6, 40),
]

# A team's label or heading governs the inhabitants in its section, counts before them on the
# line or not; the public's label above it does not.
TEAM_SECTION: list[Row] = [
    ("Public :\n120 familles\nÉquipe mobilisée :\n1 animatrice, 6 habitantes", 1, 6, 120),
    ("Équipe : 1 coordinatrice, 4 mamans\nPublic : 35 enfants", 1, 4, 35),
    ("Public visé : 50 jeunes\nEncadrement : 2 éducateurs, 3 parents", 2, 3, 50),
    ("Intervenants :\n1 psychologue, 3 mamans", 1, 3, None),
]

# Inhabitants holding a role (a trade noun beside them, "relais", "ambassadeurs") run the
# action; a noun of the public beside them ("joueurs") does not.
HOLDING_ROLE: list[Row] = [
    ("1 animatrice, 5 jardiniers habitants du quartier\n60 familles", 1, 5, 60),
    ("2 animateurs, 12 habitants ambassadeurs\n200 locataires touchés", 2, 12, 200),
    ("8 habitants rédacteurs, 1 animatrice", 1, 8, None),
    ("1 coordinatrice, 30 joueurs habitants du quartier", 1, None, 30),
    ("4 habitantes relais, 1 médiatrice", 1, 4, None),
]

# Volunteer words with a typo still qualify the noun before them.
VOLUNTEER_TYPOS: list[Row] = [
    ("6 couturières benevolles, 2 animatrices", 2, 6, None),
    ("3 jardiniers bénévols\n25 familles", None, 3, 25),
    ("12 cuisinières (nénévoles)", None, 12, None),
]

# A pipe table's rows are labels and their values.
PIPE_TABLES: list[Row] = [
    ("| Rôle | Nombre |\n|---|---|\n| Animatrices | 2 |\n| Bénévoles | 6 |\n"
     "| Enfants inscrits | 35 |", 2, 6, 35),
    ("| Coordinatrice | 0,8 ETP |\n| Habitantes bénévoles | 9 |\n| Familles | 42 sur l'année |",
     1, 9, 42),
]

# A cohort in insertion contracts is the public of the chantier; one beside the staff is staff,
# and insertion as a trade's domain is no contract.
INSERTION: list[Row] = [
    ("2 encadrantes, 10 agents en parcours d'insertion", 2, None, 10),
    ("1 chef d'équipe\n8 salariés polyvalents en contrat d'insertion", 1, None, 8),
    ("1 conseillère en insertion professionnelle, 2 formatrices", 3, None, None),
    ("1 coordinatrice, 1 salarié en insertion, 6 bénévoles", 2, 6, None),
]

# "aucun salarié", "pas d'animateur", "zéro bénévole" are an explicit 0; municipal elected
# officials are the town's, not the action's volunteers.
NONE_AND_OFFICIALS: list[Row] = [
    ("Aucune salariée sur l'action\n12 mamans bénévoles", 0, 12, None),
    ("pas d'animateur dédié, 5 bénévoles\n30 enfants", 0, 5, 30),
    ("aucun intervenant extérieur, 2 animateurs", 2, None, None),
    ("Zéro bénévole, 2 salariés", 2, 0, None),
    ("3 bénévoles, 2 élus municipaux présents à chaque réunion", None, 3, None),
    ("1 conseillère municipale, 6 bénévoles, 1 animateur", 1, 6, None),
]

# Tables pasted with tabs or one cell per line: a cell of words names the count after it or
# under it, a closed bracket in it only qualifies it; header cells are no people.
PASTED_TABLES: list[Row] = [
    ("Fonction\tNombre\nAnimatrice\t1\nEnfants inscrits (6-11 ans)\t22\nMamans bénévoles\t4",
     1, 4, 22),
    ("Intervenants\nNombre\nÉducatrice spécialisée\n1\nParents bénévoles (accueil, goûter)\n4\n"
     "Enfants accueillis\n19", 1, 4, 19),
    ("Rôle\nEffectif\nCoordinatrice salariée\n1\nMamans bénévoles qui tiennent la buvette\n5\n"
     "Enfants inscrits à l'atelier\n26", 1, 5, 26),
    ("Bénévoles conducteurs (transport solidaire) : 9\nUsagers transportés : 64", None, 9, 64),
    ("Animateurs (BAFA) : 3\nJeunes (12-15 ans) : 28", 3, None, 28),
]

# People in two roles: a part of the public that volunteers is counted as volunteers when
# nothing else counts them; a part saying who the volunteers are is not more people.
TWO_ROLES: list[Row] = [
    ("Participants au séjour : 16, dont 3 parents bénévoles accompagnateurs\n2 animatrices",
     2, 3, 16),
    ("Nous avons accompagné 25 jeunes ; 4 d'entre eux sont devenus animateurs bénévoles.",
     None, 4, 25),
    ("Public : 150 habitants\n- dont 12 bénévoles pour l'organisation", None, 12, 150),
    ("25 adhérentes dont 6 bénévoles qui préparent le goûter\n1 animatrice", 1, 6, 25),
    ("Bénévoles : 11 dont 2 anciens usagers\nUsagers : 60", None, 11, 60),
    ("Huit bénévoles dont deux anciens éducateurs\n30 enfants", None, 8, 30),
]

# Counts that restate, share or only qualify others: "soit" on the next bullet, a list of counts
# sharing the last one's noun, where the people come from.
SHARED_AND_RESTATED: list[Row] = [
    ("Bénéficiaires :\n- 30 ménages\n- soit 86 personnes\n2 conseillères", 2, None, 86),
    ("Trois ateliers, avec 12, 15 et 9 participantes\n1 intervenante", 1, None, 36),
    ("Deux sorties : 48 et 52 participants", None, None, 100),
    ("2 animateurs\n45 enfants, venant de 30 familles", 2, None, 45),
    ("1 médiatrice\n60 contacts en 2023, 25 familles suivies", 1, None, 25),
    ("Sur le plateau, neuf chanteurs amateurs, tous habitants de la résidence, et un chef de "
     "chœur.", 1, 9, None),
    ("Personnes âgées : 25\n1 animatrice", 1, None, 25),
    ("Inscrits : 40 dont 25 adultes et 15 enfants", None, None, 40),
    ("7 bénévoles dont 2 retraitées, 35 apprenants", None, 7, 35),
    ("Personnes isolées : 18\nPersonnes mobilisées : 4", None, None, 18),
]

# Sixth round: a paid qualifier after a trade no list knows makes it staff; the public's own
# qualifiers may stand before the "soit" that restates it in persons.
PAID_AND_RESTATED: list[Row] = [
    ("1 animatrice, 1 tapissière salariée\n30 participants", 2, None, 30),
    ("2 cuisiniers rémunérés et 6 bénévoles", 2, 6, None),
    ("125 ménages suivis soit 340 personnes", None, None, 340),
    ("1 CESF\n22 familles accueillies, soit 71 personnes", 1, None, 71),
]

ROUND_FIVE = PARTS_ADD_UP + PUPILS + TEAM_SECTION + HOLDING_ROLE + VOLUNTEER_TYPOS \
    + PIPE_TABLES + INSERTION + NONE_AND_OFFICIALS + PASTED_TABLES + TWO_ROLES \
    + SHARED_AND_RESTATED + PAID_AND_RESTATED
ROUNDS = ROUND_FOUR + ROUND_FIVE
