"""What a sentence says about a date next to it: a beginning, a plan, the structure's history.

Pure functions over the text around a date, used by the fiches_dates component; every window
they read is bounded, so the work per date is constant.
"""

from __future__ import annotations

import re

from pipeline.extraction.date_subjects import (
    DURATION_RE,
    TIME_WORDS,
    WORD_RE,
    dates_a_place_or_document,
)
from pipeline.normalize import fold

_SP = r"[ \u00a0]{1,3}"

_NOT_FIRST_STEP = (r"(?:lieu|temps|plan|abord|secours|ministre|rang|jour|semaine|mois|week"
                   r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|semestre|trimestre"
                   r"|[ée]tage|niveau|degr[ée])")
# (a capitalised noun is a name: "la première Semaine bleue" is a first time)
_FIRST_STEP = (rf"(?:premi[eè]re?s?|1(?:er|[eè]re|re)s?){_SP}(?!(?-i:{_NOT_FIRST_STEP})\b)"
               r"[^\W\d_]{2}")
_FIRST_STEP_RE = re.compile(rf"\b{_FIRST_STEP}", re.IGNORECASE)
START_CUE_RE = re.compile(
    r"\b(?:d[ée]but[ée]e?s?\b|d[ée]marr[ée]e?s?\b|commenc[ée]e?s?\b|(?:re)?lanc[ée]e?s?\b"
    # an opening told of the action itself ("le fablab a ouvert ses portes le 15 janvier");
    # the structure's own opening is read first as its history (see _tells_founding)
    r"|(?:a|ont|avons|avait)[ \u00a0]{1,3}ouvert\b|ouverte?s?[ \u00a0]ses[ \u00a0]portes"
    r"|ouverture\b"
    r"|cr[ée][ée]e?s?\b|initi[ée]e?s?\b|mise?s?[ \u00a0]en[ \u00a0](?:place|route|œuvre|oeuvre)"
    r"|d[ée]marrage|lancement|vu[ \u00a0]le[ \u00a0]jour|des[ \u00a0]le[ \u00a0]d[ée]but"
    # "Création du groupe en 2015", "naissance du collectif en mars 2019", "Début de
    # l'action : janvier 2021"
    r"|cr[ée]ation|naissance|d[ée]but[ \u00a0]{1,3}d(?:e[ \u00a0]l['’]|u[ \u00a0]|es[ \u00a0])"
    r"(?:action|projet|activit[ée]|ateliers?|dispositif)"
    # a group that forms itself: "le groupe s'est constitué", "les mamans se sont formées"
    r"|constitu(?:[ée]e?s?|tion)\b|s['’]est[ \u00a0]form[ée]e?s?\b"
    r"|se[ \u00a0]sont[ \u00a0]form[ée]e?s?\b"
    # the first occurrence of a step: "1ère réunion", "les premiers bacs", "premier atelier";
    # not a recurring slot ("le premier samedi") nor an ordering word ("en premier lieu")
    rf"|{_FIRST_STEP}"
    # the first one named by its article alone: "c'est la 3e édition : la première a eu lieu"
    rf"|(?:la|le|les){_SP}premi[eè]re?s?{_SP}(?:a|ont|fut|furent|se|s['’](?:est|était))\b)",
    re.IGNORECASE,
)
# "depuis 2016", "dès 2017", "à partir de 2015": when a practice has run since. A weaker sign
# than a beginning told: "Depuis 2022, des séances de gym complètent le parcours" often dates a
# later addition, so it weighs as an uncued date (see build_dates).
SINCE_CUE_RE = re.compile(r"\b(?:depuis|dès|à[ \u00a0]partir[ \u00a0]d)", re.IGNORECASE)
_SINCE_WORD_RE = re.compile(r"\b(?:depuis|dès)\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
END_CUE_RE = re.compile(
    r"\b(?:fin[ \u00a0](?:en|au|à|de[ \u00a0]l['’]action)|jusqu['’]|termin[ée]e?s?\b"
    r"|achev[ée]e?s?\b|cl[ôo]tur[ée]e?s?\b|pris[ \u00a0]fin|arr[êe]t[ée]e?s?\b)",
    re.IGNORECASE,
)
FUTURE_CUE_RE = re.compile(
    r"\b(?:sera|seront|serons|aura|auront|fera|feront|vont|allons|d['’]ici|prochaine?s?"
    # a plan told in the past, that the story need not have kept: "devait démarrer en mars"
    r"|devai(?:t|ent)|aurai(?:t|ent)[ \u00a0]d[ûu]"
    r"|pr[ée]vue?s?|envisag\w{0,10}|[àa][ \u00a0]venir|annonc[ée]e?s?"
    # a wish or an aim is no beginning: "nous souhaitons ouvrir en 2025", "l'objectif est
    # d'ouvrir en 2026"
    r"|souhait\w{0,6}|esp[èée]r\w{0,6}|aimerions|voudrions|projetons"
    r"|objectif[ \u00a0]{1,3}(?:est|serait|sera)"
    # future tense, singular, of the verbs that tell a beginning: "le projet verra le jour"
    r"|verra|ouvrira|d[ée]marrera|commencera|d[ée]butera|reprendra|lancera|tiendra"
    # future tense, plural: "poursuivrons", "prendront", "ferons", "finiront"
    r"|[^\W\d_]{2,30}(?:[eiudtv]r|rr)on[st])\b",
    re.IGNORECASE,
)
# The founding of the structure ("l'association, créée en 1985", "le centre social a été ouvert
# en 1998", "Créé en 1990, le centre..."): a year of the fiche, not the start of the action. An
# active verb ("le centre a créé un atelier en 2015") tells of the action itself.
_CREATION_RE = re.compile(
    r"\b(?:cr[ée][ée]e?s?|fond[ée]e?s?|(?:r[ée]?)?ouverte?s?|existe|existait|existons"
    r"|implant[ée]e?s?"
    r"|née?s?"
    r"|install[ée]e?s?"
    # what happened to its premises: "le centre social a été rénové en 2018", "la MJC a
    # déménagé en 2010" (these verbs take no object, so the active voice is history too)
    r"|r[ée]nov[ée]e?s?|agrandie?s?|r[ée]habilit[ée]e?s?|relog[ée]e?s?"
    r"|d[ée]m[ée]nag[ée]e?s?|emm[ée]nag[ée]e?s?|fusionn[ée]e?s?"
    r"|(?:sa|son|leur)[ \u00a0](?:cr[ée]ation|fondation|ouverture))\b",
    re.IGNORECASE,
)
# With its determiner: "le centre", "l'association"; "le conseil de maison" names no structure.
_STRUCTURE_RE = re.compile(
    r"\b(?:le|la|l['’]|du|notre|cette|ce|cet)[ \u00a0]{0,3}"
    r"(?:association|asso|centre|structure|maison|mjc|foyer|f[ée]d[ée]ration|[ée]vs|csc|mpt"
    r"|espace[ \u00a0]de[ \u00a0]vie[ \u00a0]sociale)\b"
    # a unit of the structure ("le secteur jeunesse du centre, créé en 2009") has its history,
    # unless the title names it (see names_the_title); "ce service" points back to the action,
    # and so does a service named by its article alone ("Le service a été créé en 2014")
    r"|\b(?:le|la|l['’]|notre)[ \u00a0]{0,3}(?:secteur|p[ôo]le|antenne|service(?![ \u00a0,]{0,3}"
    r"(?:$|(?:a|ont|est|sont|fut|était|avait|existe)\b|s['’]|cr[ée]{2}|ouvert|fond[ée]|n[ée]e?\b)))"
    r"\b",
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
# The end of another body ("l'association, dissoute en 2014") or what closed or was pulled down
# before ("les jardins ouvriers fermés en 1987", "en 2015, la ville a fermé la piscine"): the
# place's history. "fermé" needs its accent or its ending, so "une ferme" stays out.
_ENDED = (r"dissou(?:s|te|tes)|liquid[ée]e?s?|ferm(?:ée?s?|ees?|eture)|d[ée]moli(?:e|s|es|tion)?"
          r"|d[ée]truite?s?|disparue?s?"
          # a stop or a pause told by a noun ("Arrêt de la fête en 2020", "arrêt pendant le
          # confinement 2020 puis reprise"): no start, and no end either
          r"|arr[êe]ts?|suspension|abandon")
_ENDED_RE = re.compile(rf"\b(?:{_ENDED})\b", re.IGNORECASE)
# ... told after its date by a subject and its verb: "En 2015, la ville a fermé la piscine";
# not "Ouvert en 2019 après la fermeture de ..." nor "Ouvert en 2020, fermé pendant ...".
_ENDED_AFTER_RE = re.compile(
    r"[ \u00a0,]{0,4}(?:l['’]|le[ \u00a0]|la[ \u00a0]|les[ \u00a0])[^,;:]{0,40}?"
    rf"\b(?:a|ont|est|sont)[ \u00a0]{{1,3}}(?:[ée]t[ée][ \u00a0]{{1,3}})?(?:{_ENDED})\b",
    re.IGNORECASE)
CONTEXT_CUE_RE = re.compile(
    r"\b(?:constat\w{0,6}|diagnostics?|[ée]tat[ \u00a0]des[ \u00a0]lieux|enqu[êe]tes?"
    r"|rep[ée]r[ée]e?s?|observ[ée]e?s?|concertations?|consultations?"
    r"|selon|sources?|insee|recensements?|statistiques?|chiffres"
    # data, not a participle: "les données de la CAF", not "les leçons ont été données en"
    r"|(?:(?:les|des|ces|aux|de|d['’]|nos|leurs|ses|par)[ \u00a0]{1,3}"
    r"|(?<![^\W\d_][ \u00a0]))donn[ée]es"
    # what a year of review or of writing dates: "Bilan année 2023", "fiche saisie en 2021"
    r"|bilans?|rapports?|comptes?[ \u00a0\-]rendus?|saisie?s?|r[ée]dig[ée]e?s?|remplie?s?"
    # a law or a reform that framed the action ("la loi de 2014 a créé les conseils citoyens")
    r"|lois?|d[ée]crets?|circulaires?|r[ée]formes?"
    rf"|{_ENDED})\b",
    re.IGNORECASE,
)
# A year that labels a plan ("Programme 2024 : musée en mars, opéra en novembre", "la
# programmation 2023"): what was planned for that year, not when the action began.
_PLAN_LABEL_RE = re.compile(
    r"\b(?:programme|programmation|planning|pr[ée]visionnel|pr[ée]visions?)"
    r"(?:[ \u00a0]{1,3}(?:de[ \u00a0]l['’]ann[ée]e|d['’]activit[ée]s|d['’]actions"
    r"|des[ \u00a0]sorties))?[ \u00a0]{1,3}$", re.IGNORECASE)
_DECADE_RE = re.compile(r"\bann[ée]es[ \u00a0]{1,3}$", re.IGNORECASE)
# The age of a thing ("le four date de 1850", "la tradition remonte à 1920"): its history.
_AGE_RE = re.compile(
    r"(?<!la[ \u00a0])(?<!une[ \u00a0])\b(?:dat(?:e|ent|ait|aient|ant)|remont(?:e|ent|ait|ant))"
    r"[ \u00a0]{1,3}(?:de|d['’]|à|au)[ \u00a0]{0,3}$", re.IGNORECASE)
_ACTIVE_AUX_RE = re.compile(r"\b(?:a|ont|avons|avait|avaient|avions)[ \u00a0]{1,3}$",
                            re.IGNORECASE)
_STRUCTURE_AFTER_RE = re.compile(
    r"[ \u00a0]{0,3},[ \u00a0]{0,3}(?:l['’]|le[ \u00a0]|la[ \u00a0]|notre[ \u00a0])?"
    r"[ \u00a0]{0,3}(?:association|asso|centre|structure|maison|mjc|foyer)\b",
    re.IGNORECASE,
)
_CLAUSE_END_RE = re.compile(r"[.;!?\n]")
_RANGE_GAP_RE = re.compile(
    r"[ \u00a0]{0,3}(?:à|au|-|–|jusqu['’][ \u00a0]?(?:à|au|en))[ \u00a0]{0,3}", re.IGNORECASE)
# What a beginning verb may launch that is no action: "le Département a lancé un appel à
# projets en novembre 2022", "la ville a initié une étude en 2018".
_CALL_OBJECT_RE = re.compile(
    r"[ \u00a0]{1,3}(?:(?:un|une|des|l['’]|le|la|les|son|sa|ses|leur)[ \u00a0]{0,3})?"
    r"(?:appels?|enqu[êe]tes?|diagnostics?|[ée]tudes?|consultations?|concertations?)\b",
    re.IGNORECASE)
_HEADS_RE = re.compile(r"[ \u00a0]{0,3}:")
# After an opening verb, nothing but "ses portes" and the date's preposition: the subject
# itself opened ("le centre social a ouvert en 1998"), it did not open something.
_NO_OBJECT_RE = re.compile(
    r"(?:[ \u00a0]{1,3}ses[ \u00a0]portes)?[ \u00a0,]{0,3}(?:(?:en|le|au|à|dans|courant|d[ée]but"
    r"|fin)[ \u00a0]{1,3})?$", re.IGNORECASE)
# "sa ludothèque a ouvert en 2004", "son accueil de loisirs, créé en 2001": a service of the
# structure named before it (third-person possessive), opened or created: its history.
_SERVICE_OPENED_RE = re.compile(
    r"\b(?:sa|son|ses|leurs?)[ \u00a0]{1,3}(?:[^\W\d_]+['’ \u00a0\-]{1,3}){1,4}"
    r"(?:(?:a|ont|avait|avaient)[ \u00a0]{1,3})?(?:(?:a|ont)[ \u00a0]{1,3}été[ \u00a0]{1,3})?"
    r"(?:ouverte?s?|cr[ée][ée]e?s?|fond[ée]e?s?|inaugur[ée]e?s?)[ \u00a0,]{0,3}"
    r"(?:(?:en|le|au|à|dans)[ \u00a0]{1,3})?$",
    re.IGNORECASE)
# The later editions of a yearly event ("41e édition le 9 juin 2024", "3e édition, forum du 12
# octobre 2023"): the action began before it, at a date the fiche may not give.
_LATER_EDITION_RE = re.compile(
    r"\b(?:(?:(?:[2-9]|\d{2,3})[ \u00a0]?(?:e|è|ème|eme|ieme|ième)|[^\W\d_]{2,12}i[èe]me)"
    r"[ \u00a0]{1,3}(?:[ée]ditions?|saisons?|fois|ann[ée]es?[ \u00a0]{1,3}cons[ée]cutives?)"
    r"|(?:seconde?|nouvelle|derni[èe]re)[ \u00a0]{1,3}[ée]ditions?)\b",
    re.IGNORECASE)
# What a group or a structure began with ("depuis sa naissance en 2019", "depuis l'ouverture
# du centre en 2009", "depuis sa création"): the action has run since that beginning.
_ORIGIN_NOUNS = frozenset(
    "creation naissance ouverture fondation lancement demarrage constitution origine "
    "origines".split())
# An event that ended something ("depuis la fermeture du dernier café en 2019") dates the
# place's history; any other ("depuis la convention signée en mars 2019") dates what the action
# has run since.
_ENDING_NOUNS = frozenset(
    "fermeture disparition depart arret perte suppression baisse deces demenagement "
    "liquidation faillite".split())
# A beginning told before a date that follows "après": "le collectif s'est formé après les
# ateliers cuisine de 2019" dates what came before the beginning.
_AFTER_RE = re.compile(
    r"\b(?:apr[èe]s|suite[ \u00a0]{1,3}[àa]|[àa][ \u00a0]la[ \u00a0]suite[ \u00a0]d)",
    re.IGNORECASE)
# "le centre existe depuis sa création en 1987" tells the structure's history, not the action's.
_EXISTS_RE = re.compile(r"\bexist(?:e|ent|ait|aient|ons)\b", re.IGNORECASE)
_WINDOW = 150
# "la création du centre social en 1987", "Ouverture de la maison de quartier en 1998": the
# structure's own beginning, told by a noun.
_STRUCTURE_BORN_RE = re.compile(
    r"\b(?:cr[ée]ation|naissance|fondation|ouverture)[ \u00a0]{1,3}(?:du|de[ \u00a0]l['’]"
    r"|de[ \u00a0]la|de[ \u00a0]notre|de[ \u00a0]cette)[ \u00a0]{0,3}(?:association|asso|centre"
    r"|structure|maison|mjc|foyer|csc|[ée]vs|mpt|espace[ \u00a0]de[ \u00a0]vie[ \u00a0]sociale)\b"
    r"[^.;:]{0,50}$", re.IGNORECASE)
# An accreditation is always the structure's ("l'espace de vie sociale a été agréé en 2016",
# "agréé depuis 2004"), never the action's beginning.
_ACCREDITED_RE = re.compile(r"\b(?:agr[ée][ée]e?s?|agr[ée]ments?|habilit[ée]e?s?"
                            r"|labellis[ée]e?s?|labels?)\b", re.IGNORECASE)


_INTRANSITIVE = ("demenag", "emmenag", "fusionn")


def _tells_founding(words: str) -> bool:
    """Whether `words` tell the founding of the structure: a structure noun, then a creation
    verb in the passive or as a participle ("l'association, créée en", "a été ouvert en"), or
    an opening with no object ("le centre a ouvert ses portes en"); or the opening of one of
    its own services ("et sa ludothèque a ouvert en 2004")."""
    if _SERVICE_OPENED_RE.search(words) or _ACCREDITED_RE.search(words) \
            or _STRUCTURE_BORN_RE.search(words):
        return True
    verbs = list(_CREATION_RE.finditer(words))
    if not verbs:
        return False
    before = words[:verbs[-1].start()]
    if not _STRUCTURE_RE.search(before):
        return False
    verb = fold(verbs[-1].group())
    return not _ACTIVE_AUX_RE.search(before) or verb.startswith(_INTRANSITIVE) or (
        verb.startswith(("ouvert", "rouvert", "reouvert"))
        and bool(_NO_OBJECT_RE.match(words, verbs[-1].end())))


def read_cue(text: str, start: int, end: int, previous_end: int, next_start: int) -> str | None:
    """What the sentence says of the date at `start:end` in `text`: "start", "since",
    "origin", "end", "future", "plan", "later", "context", "founding" or None, from the words
    between the previous date (ending at `previous_end`) or clause and this one, or, when
    those are few, from the rest of the clause after it, up to the next date (at
    `next_start`).

    "origin" is a date the action has run since because it began with the structure or the
    group ("depuis sa création en 2009"); "later" a later edition of a yearly event."""
    floor = max(previous_end, start - _WINDOW, 0)
    window = text[floor:start]
    if _PLAN_LABEL_RE.search(window):
        return "plan"
    clause = _CLAUSE_END_RE.split(window)[-1]
    if _AGE_RE.search(window):
        # the age of the action's first time is its start: "notre première fête date de 2019"
        return "start" if _FIRST_STEP_RE.search(clause) else "context"
    if _DECADE_RE.search(window):
        return "context"
    if previous_end and floor == previous_end and _RANGE_GAP_RE.fullmatch(window):
        # "d'octobre 2022 à mars 2023": the second date closes the range the first opens
        return "end"
    nearest = _nearest_cue(clause)
    if nearest == "origin" and (_structure_exists(clause)
                                or _STRUCTURE_AFTER_RE.match(text, end, end + 40)):
        return "founding"
    if nearest != "origin" and (_tells_founding(clause) or (
            _CREATION_RE.search(clause) and _STRUCTURE_AFTER_RE.match(text, end, end + 40))):
        return "founding"
    if nearest == "start" and _CALL_OBJECT_RE.match(text, end):
        # the call named after its date: "a lancé en 2020 un appel à projets"
        return "context"
    if nearest is not None:
        return nearest
    if dates_a_place_or_document(clause):
        return "context"
    # few words before it, or a date heading what follows ("Troc de graines 2022 : ..."): the
    # words after it tell
    if len(clause.strip()) <= 12 or _HEADS_RE.match(text, end):
        return _cue_after(_CLAUSE_END_RE.split(text[end:min(next_start, end + _WINDOW)])[0])
    return None


def _cue_after(after: str) -> str | None:
    """The cue of a date told by the rest of its clause, `after` it ("En 2019, le groupe
    s'est formé"; "En 2015, la ville a fermé la piscine" is the place's history)."""
    if _tells_founding(after):
        return "founding"
    # A diagnosis named after its date is a phase of the action ("oct. 2018 : diagnostic"),
    # so only START and FUTURE cues are read there.
    for regex, name in ((START_CUE_RE, "start"), (SINCE_CUE_RE, "since"),
                        (FUTURE_CUE_RE, "future"), (_LATER_EDITION_RE, "later")):
        if found := regex.search(after):
            return _unless_future(after, found, name)
    return "context" if _ENDED_AFTER_RE.match(after) else None


def _unless_future(clause: str, cue: re.Match[str], name: str) -> str:
    """"future" when a beginning is only announced ("sera lancé", "va démarrer"), else `name`."""
    if name == "start" and _FUTURE_AUX_RE.search(clause, max(0, cue.start() - 30), cue.start()):
        return "future"
    return name


def _nearest_cue(clause: str) -> str | None:
    """The cue whose word comes last in `clause`, the one nearest the date: "le démarrage est
    prévu en 2024" is future, "l'action prévue ... a démarré en" a start. "Depuis" and
    "après" are read with the words that follow them (see `_governed`)."""
    best: tuple[re.Match[str], str] | None = None
    for regex, name in ((END_CUE_RE, "end"), (START_CUE_RE, "start"), (SINCE_CUE_RE, "since"),
                        (FUTURE_CUE_RE, "future"), (CONTEXT_CUE_RE, "context"),
                        (_LATER_EDITION_RE, "later")):
        last = None
        for match in regex.finditer(clause):
            last = match
        if last is not None and (best is None or last.end() > best[0].end()):
            best = (last, name)
    if best is None:
        return None
    cue, name = best
    if name == "start" and (since := _since_before(clause, cue.start())) is not None:
        # "depuis sa création en 2009": the beginning is governed by "depuis"
        cue, name = since, "since"
    if name == "since" and _PARTNER_BEFORE_RE.search(clause, 0, cue.start()):
        # "le CCAS, partenaire depuis 2010": how long a partner has been one
        return "context"
    if name == "since" and DURATION_RE.match(clause, cue.end()):
        return None
    if name == "since":
        return _governed(clause[cue.end():], "since")
    if name == "start" and _CALL_OBJECT_RE.match(clause, cue.end()):
        return "context"
    if name == "start" and (after := _AFTER_RE.search(clause, cue.end())) is not None:
        # "s'est formé après les ateliers de 2019": the date is of what came before
        return "start" if _governed(clause[after.end():], "start") == "start" else "context"
    return _unless_future(clause, cue, name)


_PARTNER_BEFORE_RE = re.compile(
    r"\bpartena(?:ire|ires|riat)(?:[ \u00a0]{1,3}[^\W\d_]{1,15})?[ \u00a0]{1,3}$", re.IGNORECASE)


def _since_before(clause: str, start: int) -> re.Match[str] | None:
    """The "depuis" / "dès" whose words up to `start` only place a noun in time ("depuis sa",
    "depuis l'"), or None."""
    for match in SINCE_CUE_RE.finditer(clause, max(0, start - 30), start):
        words = [fold(w) for w in WORD_RE.findall(clause[match.end():start])]
        if all(w in TIME_WORDS for w in words):
            return match
    return None


def tells_origin(text: str) -> bool:
    """Whether `text` says, with no date, that the action has run since the group or the
    structure began ("Le centre accompagne le collectif depuis sa naissance.")."""
    for match in _SINCE_WORD_RE.finditer(text):
        rest = _CLAUSE_END_RE.split(text[match.end():match.end() + _WINDOW])[0]
        words = [fold(w) for w in WORD_RE.findall(rest)[:2]]
        if any(w in _ORIGIN_NOUNS for w in words) and not _YEAR_RE.search(rest) \
                and not _structure_exists(text[max(0, match.start() - 60):match.start()]):
            return True
    return False


def _structure_exists(clause: str) -> bool:
    """Whether `clause` says the structure exists ("le centre existe depuis"), not the action
    ("l'action existe depuis la création du centre")."""
    verb = _EXISTS_RE.search(clause)
    return verb is not None and bool(_STRUCTURE_RE.search(clause, 0, verb.start()))


def _governed(words_after: str, name: str) -> str:
    """How a date reads when `words_after` sit between "depuis" / "après" and it: `name` when
    they only place it in time ("depuis la rentrée de", "après les vacances de"), "origin" for
    a beginning of the group or structure ("depuis sa création en"), else "context": the date
    is that of another event ("depuis la fermeture du dernier café en")."""
    words = [fold(w) for w in WORD_RE.findall(words_after)]
    content = [w for w in words if w not in TIME_WORDS]
    if not content:
        return name
    return "context" if content[0] in _ENDING_NOUNS else "origin"
