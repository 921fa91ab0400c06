"""What a sentence says about a date next to it: a beginning, a plan, the structure's history.

Pure functions over the text around a date, used by the fiches_dates component; every window
they read is bounded, so the work per date is constant.
"""

from __future__ import annotations

import re

_SP = r"[ \u00a0]{1,3}"

_NOT_FIRST_STEP = (r"(?:lieu|temps|plan|abord|secours|ministre|rang|jour|semaine|mois|week"
                   r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|semestre|trimestre"
                   r"|[ée]tage|niveau|degr[ée])")
START_CUE_RE = re.compile(
    r"\b(?:d[ée]but[ée]e?s?\b|d[ée]marr[ée]e?s?\b|commenc[ée]e?s?\b|lanc[ée]e?s?\b"
    r"|cr[ée][ée]e?s?\b|initi[ée]e?s?\b|mise?s?[ \u00a0]en[ \u00a0](?:place|route|œuvre|oeuvre)"
    r"|d[ée]marrage|lancement|vu[ \u00a0]le[ \u00a0]jour|des[ \u00a0]le[ \u00a0]d[ée]but"
    # a group that forms itself: "le groupe s'est constitué", "les mamans se sont formées"
    r"|constitu[ée]e?s?\b|s['’]est[ \u00a0]form[ée]e?s?\b|se[ \u00a0]sont[ \u00a0]form[ée]e?s?\b"
    # the first occurrence of a step: "1ère réunion", "les premiers bacs", "premier atelier";
    # not a recurring slot ("le premier samedi") nor an ordering word ("en premier lieu")
    rf"|(?:premi[eè]re?s?|1(?:er|[eè]re|re)s?){_SP}(?!{_NOT_FIRST_STEP}\b)[^\W\d_]{{2}})",
    re.IGNORECASE,
)
# "depuis 2016", "dès 2017", "à partir de 2015": when a practice has run since. A weaker sign
# than a beginning told: "Depuis 2022, des séances de gym complètent le parcours" often dates a
# later addition, so it weighs as an uncued date (see build_dates).
SINCE_CUE_RE = re.compile(r"\b(?:depuis|dès|à[ \u00a0]partir[ \u00a0]d)", re.IGNORECASE)
END_CUE_RE = re.compile(
    r"\b(?:fin[ \u00a0](?:en|au|à|de[ \u00a0]l['’]action)|jusqu['’]|termin[ée]e?s?\b"
    r"|achev[ée]e?s?\b|cl[ôo]tur[ée]e?s?\b|pris[ \u00a0]fin|arr[êe]t[ée]e?s?\b)",
    re.IGNORECASE,
)
FUTURE_CUE_RE = re.compile(
    r"\b(?:sera|seront|serons|aura|auront|fera|feront|vont|allons|d['’]ici|prochaine?s?"
    r"|prévue?s?|envisag\w{0,10}|à[ \u00a0]venir|annoncée?s?"
    # future tense, plural: "poursuivrons", "prendront", "ferons", "finiront"
    r"|[^\W\d_]{2,30}(?:[eiudtv]r|rr)on[st])\b",
    re.IGNORECASE,
)
# The founding of the structure ("l'association, créée en 1985", "le centre social a été ouvert
# en 1998", "Créé en 1990, le centre..."): a year of the fiche, not the start of the action. An
# active verb ("le centre a créé un atelier en 2015") tells of the action itself.
_CREATION_RE = re.compile(
    r"\b(?:cr[ée][ée]e?s?|fond[ée]e?s?|ouverte?s?|existe|existait|existons|implant[ée]e?s?"
    r"|install[ée]e?s?"
    r"|(?:sa|son|leur)[ \u00a0](?:cr[ée]ation|fondation|ouverture))\b",
    re.IGNORECASE,
)
_STRUCTURE_RE = re.compile(
    r"\b(?:association|asso|centre|structure|maison|mjc|foyer|f[ée]d[ée]ration|[ée]vs)\b",
    re.IGNORECASE,
)
# An auxiliary that puts the beginning after it in the future: "sera lancé", "va démarrer",
# "doit être mis en place".
_FUTURE_AUX_RE = re.compile(
    r"\b(?:sera|seront|serons|va|vont|allons|doit|doivent|devra|devront|devrait|devraient"
    r"|pourra|pourront|pourrait)(?:[ \u00a0]{1,3}[êe]tre)?[ \u00a0]{1,3}$",
    re.IGNORECASE,
)
# What was observed or consulted on before the action (the diagnosis, a survey, a public
# consultation on a wider project) and where figures come from (a statistics source): a year,
# not the start.
CONTEXT_CUE_RE = re.compile(
    r"\b(?:constat\w{0,6}|diagnostics?|[ée]tat[ \u00a0]des[ \u00a0]lieux|enqu[êe]tes?"
    r"|rep[ée]r[ée]e?s?|observ[ée]e?s?|concertations?|consultations?"
    r"|selon|sources?|insee|recensements?|statistiques?|donn[ée]es|chiffres)\b",
    re.IGNORECASE,
)
_ACTIVE_AUX_RE = re.compile(r"\b(?:a|ont|avons|avait|avaient|avions)[ \u00a0]{1,3}$",
                            re.IGNORECASE)
_STRUCTURE_AFTER_RE = re.compile(
    r"[ \u00a0]{0,3},[ \u00a0]{0,3}(?:l['’]|le[ \u00a0]|la[ \u00a0]|notre[ \u00a0])?"
    r"[ \u00a0]{0,3}(?:association|asso|centre|structure|maison|mjc|foyer)\b",
    re.IGNORECASE,
)
_CLAUSE_END_RE = re.compile(r"[.;!?\n]")
_WINDOW = 150
def _tells_founding(words: str) -> bool:
    """Whether `words` tell the founding of the structure: a structure noun, then a creation
    verb in the passive or as a participle ("l'association, créée en", "a été ouvert en")."""
    verbs = list(_CREATION_RE.finditer(words))
    if not verbs:
        return False
    before = words[:verbs[-1].start()]
    return bool(_STRUCTURE_RE.search(before)) and not _ACTIVE_AUX_RE.search(before)


def read_cue(text: str, start: int, end: int, previous_end: int, next_start: int) -> str | None:
    """What the sentence says of the date at `start:end` in `text`: "start", "since", "end",
    "future", "context", "founding" or None, from the words between the previous date (ending
    at `previous_end`) or clause and this one, or, when those are few, from the rest of the
    clause after it, up to the next date (at `next_start`)."""
    floor = max(previous_end, start - _WINDOW, 0)
    window = text[floor:start]
    clause = _CLAUSE_END_RE.split(window)[-1]
    if _tells_founding(clause) or (_CREATION_RE.search(clause) and _STRUCTURE_AFTER_RE.match(
            text, end, end + 40)):
        return "founding"
    if (nearest := _nearest_cue(clause)) is not None:
        return nearest
    if len(clause.strip()) <= 12:
        after = text[end:min(next_start, end + _WINDOW)]
        after = _CLAUSE_END_RE.split(after)[0]
        if _tells_founding(after):
            return "founding"
        # A diagnosis named after its date is a phase of the action ("oct. 2018 : diagnostic"),
        # so only START and FUTURE cues are read there.
        for regex, name in ((START_CUE_RE, "start"), (SINCE_CUE_RE, "since"),
                            (FUTURE_CUE_RE, "future")):
            if found := regex.search(after):
                return _unless_future(after, found, name)
    return None


def _unless_future(clause: str, cue: re.Match[str], name: str) -> str:
    """"future" when a beginning is only announced ("sera lancé", "va démarrer"), else `name`."""
    if name == "start" and _FUTURE_AUX_RE.search(clause, max(0, cue.start() - 30), cue.start()):
        return "future"
    return name


def _nearest_cue(clause: str) -> str | None:
    """The cue (end, start or future) whose word comes last in `clause`, the one nearest the
    date: "le démarrage est prévu en 2024" is future, "l'action prévue ... a démarré en" a
    start."""
    best: tuple[re.Match[str], str] | None = None
    for regex, name in ((END_CUE_RE, "end"), (START_CUE_RE, "start"), (SINCE_CUE_RE, "since"),
                        (FUTURE_CUE_RE, "future"),
                        (CONTEXT_CUE_RE, "context")):
        last = None
        for match in regex.finditer(clause):
            last = match
        if last is not None and (best is None or last.end() > best[0].end()):
            best = (last, name)
    return _unless_future(clause, *best) if best else None
