"""What the clause before a date names: the action the title names, or another service.

Pure functions over a bounded clause and the fiche's title, used by build_dates to tell the
action's beginning from the structure's history.
"""

from __future__ import annotations

import re

from pipeline.extraction.date_cues import TIME_WORDS, WORD_RE
from pipeline.normalize import fold

# "L'accueil de loisirs existe depuis 1995": a thing named with its definite article exists
# since the date; the action when the title names it or it is an action word.
_SERVICE_EXISTS_RE = re.compile(
    r"(?:^|[\s(,])(?:l['’]|le[ \u00a0]|la[ \u00a0]|les[ \u00a0])[ \u00a0]{0,3}"
    r"(?P<subject>[^\W\d_][^,:()]{0,60}?)[ \u00a0]{1,3}(?:existe|existent|existait)"
    r"[ \u00a0]{1,3}depuis[ \u00a0]{1,3}$", re.IGNORECASE)
_ACTION_WORDS = frozenset(
    "action actions projet projets atelier ateliers activite activites dispositif groupe "
    "collectif initiative demarche".split())
_UNIT_RE = re.compile(r"\b(?:le|la|l['’]|notre)[ \u00a0]{0,3}(?:secteur|p[ôo]le|antenne"
                      r"|service)\b", re.IGNORECASE)
# Words a structure's name shares with a title without naming the action.
_GENERIC_WORDS = frozenset(
    "centre social sociale sociaux association maison quartier structure secteur pole service "
    "antenne espace ville commune depuis dans avec pour notre cette".split())
# Words are compared with the title on their first letters: "jardin" and "jardins".
_STEM = 5


def names_another_service(clause: str, title: str) -> bool:
    """Whether `clause`, ending before a date, says that something other than the action has
    existed since it: "L'accueil de loisirs existe depuis" in a fiche titled "Projet
    passerelle"; not "Le repair café existe depuis" under the title "Repair café", nor "Cette
    action existe depuis"."""
    found = _SERVICE_EXISTS_RE.search(clause)
    if found is None:
        return False
    words = [fold(w) for w in WORD_RE.findall(found.group("subject"))]
    if not words or words[0] in _ACTION_WORDS:
        return False
    in_title = {fold(w)[:_STEM] for w in WORD_RE.findall(title)}
    return not any(w[:_STEM] in in_title for w in words if w not in TIME_WORDS)


def names_the_title(clause: str, title: str) -> bool:
    """Whether `clause`, ending before a date its structure's history would claim, creates a
    unit of the structure that the title names: "Le service de portage de repas a été créé
    en" under the title "Portage de repas" tells the action's beginning; "Le secteur jeunesse
    du centre, créé en" under "Chantier jeunes" does not (words are compared whole, less a
    plural's s)."""
    units = list(_UNIT_RE.finditer(clause))
    if not units:
        return False
    named = re.split(r"[,()]", clause[units[-1].end():])[0]
    in_title = {_singular(fold(w)) for w in WORD_RE.findall(title)}
    words = {_singular(fold(w)) for w in WORD_RE.findall(named)}
    return any(len(w) > 3 and w not in _GENERIC_WORDS for w in words & in_title)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith(("s", "x")) and len(word) > 3 else word
