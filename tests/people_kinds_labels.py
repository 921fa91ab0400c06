"""Invented people fields for the kinds of failure of the fourth round, run by
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
