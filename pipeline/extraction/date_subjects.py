"""Whose a date is: the action the title names, another service, a place, a document.

Pure functions over a bounded clause and the fiche's title, used by build_dates and the cue
reader (date_cues) to tell the action's beginning from the structure's, the place's or a
paper's history; also the words that only place a date in time, shared by both.
"""

from __future__ import annotations

import re

from pipeline.normalize import NUMBER_WORDS, fold

# Words that only place a date in time ("depuis la rentrée de septembre", "dès le début de
# l'année"): after "depuis" or "après" they leave the date to the verb.
TIME_WORDS = frozenset(
    "le la les l de du des d en au aux sa son ses leur cette ce cet fin debut mi courant milieu "
    "mois annee annees rentree scolaire semaine periode saison printemps ete automne hiver "
    "vacances toussaint noel paques trimestre semestre exercice dernier derniere "
    "premier premiere plusieurs quelques longtemps nombreuses nombreux ans jours".split())
WORD_RE = re.compile(r"[^\W\d_]{2,}")
# A duration after "depuis" ("depuis vingt ans", "depuis une dizaine d'années", "depuis
# longtemps"): the phrase is whole, so it governs no date told after it.
DURATION = (
    r"[ \u00a0]{1,3}(?:(?:plus[ \u00a0]de|pr[èe]s[ \u00a0]de|maintenant|d[ée]j[àa]|bient[ôo]t)"
    r"[ \u00a0]{1,3})?(?:longtemps|toujours|(?:plusieurs|quelques|des|de[ \u00a0]nombreuses"
    rf"|\d{{1,3}}|(?:{NUMBER_WORDS})|une[ \u00a0][^\W\d_]{{2,9}}aine[ \u00a0]d['’])[ \u00a0]{{0,3}}"
    r"(?:ans|ann[ée]es|d[ée]cennies|saisons|[ée]ditions)\b(?![ \u00a0]{0,3}\d))")
DURATION_RE = re.compile(DURATION, re.IGNORECASE)
# When a place was built or pulled down ("le quartier a été construit en 1965", "la cité, bâtie
# dans les années 1970", "la tour a été démolie en 2012"): the territory's history. Not
# "rénové": the action's young people may have renovated the halls.
_PLACE_BUILT_RE = re.compile(
    r"\b(?:quartier|cit[ée]|immeubles?|r[ée]sidence|b[âa]timents?|tours?|barres?|village"
    r"|bourg|[ée]glise|ch[âa]teau|lotissement|halle|gare|[ée]cole|usine|pont)\b[^.;:]{0,60}"
    r"(?:,|\b(?:a|ont)[ \u00a0]{1,3}[ée]t[ée]|\b(?:est|sont|fut|furent))[ \u00a0]{1,3}"
    r"(?:construite?s?|b[âa]tie?s?|[ée]difi[ée]e?s?|class[ée]e?s?|[ée]rig[ée]e?s?"
    r"|r[ée]habilit[ée]e?s?|d[ée]molie?s?|reconstruite?s?)\b[^.;:]{0,40}$",
    re.IGNORECASE)
# A document dated by how it was made ("le contrat local de santé signé en 2019", "l'étude
# menée en 2018", "le projet social validé en 2020"): the document's date, not a step of the
# action, whatever the sentence then says it found.
_DOCUMENT_MADE_RE = re.compile(
    r"\b(?:contrats?|conventions?|chartes?|accords?|protocoles?|pactes?|sch[ée]mas?|plans?"
    r"|[ée]tudes?|projets?[ \u00a0]{1,3}soci(?:al|aux)|cls|cpo|ctg)\b[^.;:()]{0,50}?"
    r"\b(?:sign|adopt|vot|conclu|approuv|valid|ratifi|publi|r[ée]alis|men|conduit|[ée]labor"
    # with its complement: "la convention signée avec la CAF en 2019"
    r"|r[ée]dig)[ée]?e?s?\b(?:[ \u00a0]{1,3}(?:avec|par|entre|pour)\b[^.;:,()]{1,40}?)?"
    r"[ \u00a0]{1,3}(?:(?:en|le|au|à|dans|courant|d[ée]but|fin|lors[ \u00a0]de)[ \u00a0]{1,3})?$",
    re.IGNORECASE)


def dates_a_place_or_document(clause: str) -> bool:
    """Whether `clause`, ending before a date, dates a place's building or a document's
    making: the territory's history or a paper, not a step of the action."""
    return bool(_PLACE_BUILT_RE.search(clause) or _DOCUMENT_MADE_RE.search(clause))


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
                      r"|service)\b"
                      # or the label a structure is given: "labellisé Point Conseil Budget"
                      r"|\b(?:labellis|agr[ée][ée]|habilit)[ée]?e?s?\b"
                      r"|\b(?:label|agr[ée]ment)s?[ \u00a0]{1,3}(?:de[ \u00a0]{1,3})?",
                      re.IGNORECASE)
# Words a structure's name shares with a title without naming the action.
_GENERIC_WORDS = frozenset(
    "centre social sociale sociaux association maison quartier structure secteur pole service "
    "antenne espace ville commune depuis dans avec pour notre cette".split())
# Words are compared with the title on their first letters: "jardin" and "jardins".
_STEM = 5
_SENTENCE_END_RE = re.compile(r"[.;!?\n]")


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
    unit of the structure or names a label that the title names: "Le service de portage de
    repas a été créé en" under the title "Portage de repas", "Labellisé Point Conseil Budget
    depuis le" under "Point Conseil Budget" tell the action's beginning; "Le secteur jeunesse
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


# "depuis plusieurs années", "depuis 15 ans", "depuis une dizaine d'années", "depuis longtemps":
# how long something has run, with no date.
_A_WHILE_RE = re.compile(rf"\bdepuis{DURATION}", re.IGNORECASE)
# The verbs that say an action runs: "existe", "tourne", "sont organisées", "a lieu".
# (verb endings only: "animé", not "animateur")
_RUNS_RE = re.compile(
    r"\b(?:(?:exist|fonctionn|tourn|perdur|continu|organis|propos|anim|reconduit|renouvel"
    r"|d[ée]roul|dur|men|retrouv)(?:e|es|ent|ons|ait|aient|[ée]e?s?)?|(?:a|ont)[ \u00a0]lieu"
    r"|r[ée]uni(?:t|ssent|ssons|ssait)"
    r"|se[ \u00a0]tienn?(?:en)?t)\b", re.IGNORECASE)
_NEGATION_RE = re.compile(r"\b(?:n['’]|ne[ \u00a0]|pas\b|jamais\b|plus[ \u00a0]depuis)",
                          re.IGNORECASE)
_DEMONSTRATIVES = frozenset({"ce", "cet", "cette", "ces"})
_ARTICLES = frozenset({"le", "la", "les", "l", "notre", "nos", "un", "une", "des"})


def runs_a_while(text: str, title: str) -> bool:
    """Whether `text` says the action has run for a while it does not date ("Ces sorties sont
    organisées chaque été depuis plusieurs années", "L'atelier tourne depuis 3 ans",
    "Organisé depuis une dizaine d'années"): it began before any date the fiche gives. What
    runs must be the action: a demonstrative, an action word, the title's head noun, or nothing
    (the clause opens on the verb); not "Le centre existe depuis longtemps", nor "Les sorties
    à la journée existent depuis longtemps" under the title "Séjour à la mer"."""
    for found in _A_WHILE_RE.finditer(text):
        before = _SENTENCE_END_RE.split(text[max(0, found.start() - 150):found.start()])[-1]
        if _NEGATION_RE.search(before):
            continue
        verb = _RUNS_RE.search(before)
        if verb is not None:
            subject, rest = before[:verb.start()], before[verb.end():]
        else:
            after = _SENTENCE_END_RE.split(text[found.end():found.end() + 150])[0]
            verb = _RUNS_RE.search(after)
            if verb is None:
                continue
            subject, rest = after[:verb.start()], after[verb.end():]
        if _names_the_action(subject, title, subject=True) \
                or _names_the_action(rest, title, subject=False):
            return True
    return False


def _names_the_action(words_text: str, title: str, subject: bool) -> bool:
    """Whether `words_text`, the subject of a verb or its object, names the action: a
    demonstrative or the title's head noun first, or as a subject an action word ("l'atelier")
    or nothing at all (the clause opens on the verb: "Organisé depuis ...")."""
    words = [fold(w) for w in WORD_RE.findall(words_text)]
    content = [w for w in words if w not in TIME_WORDS and w not in _ARTICLES]
    if not content:
        return subject
    if words[0] in _DEMONSTRATIVES or (subject and content[0] in _ACTION_WORDS):
        return True
    heads = [fold(w) for w in WORD_RE.findall(title) if fold(w) not in _ARTICLES][:1]
    return bool(heads) and _singular(content[0]) == _singular(heads[0])


# A beginning told again ("relancé", "repris", "redémarré", "rouvert") ...
_AGAIN_RE = re.compile(r"\b(?:relanc|repris|red[ée]marr|r[ée]?ouvert|recr[ée])[^\W\d_]{0,4}\b",
                       re.IGNORECASE)
# ... after a stop of years: "après dix ans d'interruption", "après deux années d'arrêt".
_LONG_STOP_RE = re.compile(
    r"\bapr[èe]s[ \u00a0]{1,3}(?:plus[ \u00a0]de[ \u00a0]{1,3})?"
    rf"(?:\d{{1,2}}|{NUMBER_WORDS}|plusieurs|quelques|de[ \u00a0]longues|des)[ \u00a0]{{1,3}}"
    r"(?:ans|ann[ée]es)[ \u00a0]{1,3}(?:d['’][ \u00a0]?(?:interruption|arr[êe]t|absence|sommeil"
    r"|pause|inactivit[ée])|de[ \u00a0](?:pause|sommeil|silence)|sans)\b", re.IGNORECASE)


def restarts_after_a_stop(text: str, start: int, end: int) -> bool:
    """Whether the date at `start:end` in `text` dates a new run of the action after a stop of
    years ("Le journal a été relancé en 2019 après dix ans d'interruption", "Après six ans
    d'arrêt, la fête a repris en 2022"): what the fiche dates before it (its first issue)
    belongs to the old run. A pause ("repris en 2021 après le confinement") is no stop of
    years."""
    before = _SENTENCE_END_RE.split(text[max(0, start - 150):start])[-1]
    # the words after the date, up to a bracket that tells something else
    after = re.split(r"[.;!?\n(]", text[end:end + 150])[0]
    return bool(_AGAIN_RE.search(before[-60:]) or _AGAIN_RE.search(after)) \
        and bool(_LONG_STOP_RE.search(before) or _LONG_STOP_RE.search(after))
