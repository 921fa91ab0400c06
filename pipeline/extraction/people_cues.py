"""What the words around a count of people say of their role: qualifiers, running verbs, ages."""

from __future__ import annotations

import re
from typing import Protocol

from pipeline.extraction.roles import PERSON_SUFFIX_RE, RoleReader
from pipeline.normalize import fold

# The words right after a noun, on its line, before any bracket or clause mark: its qualifiers
# ("1 juriste bénévole", "2 médecins retraités bénévoles", "1 écrivain public salarié").
_QUALIFIERS_RE = re.compile(r"[^\n(),.;:\d+/]{0,60}")
_WORD_RE = re.compile(r"[^\W\d_]{2,40}")
_MAX_QUALIFIERS = 3
# Words after which the qualifiers are of other people: a part ("dont"), a new item ("et").
_PART_WORDS = frozenset({"dont", "parmi", "notamment", "compris", "et", "ou", "avec"})
_PLAIN_BRACKET_RE = re.compile(r"\(([^()\d\n]{1,40})\)")
_BRACKET_AFTER_RE = re.compile(r"[ \u00a0]{0,3}\(([^()\d\n]{1,40})\)")
# Who runs the action: a relative clause with a verb of running it ("qui co-animent", "qui
# assurent l'ouverture"), an agent noun of organising, or serving ("au service").
RUNNING_RE = re.compile(
    r"\bqui[ \u00a0]+(?:[^\W\d_]{1,12}[ \u00a0]+)?(?:co-?)?(?:anim|organis|assur|encadr|g[èe]r"
    r"|tienn|pr[ée]par|serv|pilot|m[èe]n|conduis|r[ée]alis)\w*"
    r"|\b(?:co-?)?organisat(?:eur|rice)s?\b|\bco-?anim\w*|\bau[ \u00a0]+service\b"
    r"|\b(?:co-?)?(?:anim|organis|encadr|pr[ée]par|g[èe]r|cuisin|pilot)ent\b"
    r"|\bont[ \u00a0]+(?:co-?)?(?:anim|organis|encadr|pr[ée]par|g[ée]r|cuisin|pilot)[ée]s?\b"
    # "elles sont 6 à préparer le repas", "on est 4 à tourner", "un coup de main"
    r"|\bà[ \u00a0]+(?:co-?)?(?:anim|organis|encadr|pr[ée]par|g[ée]r|cuisin|pilot|tourn|aid)er\b"
    r"|\bcoups?[ \u00a0]+de[ \u00a0]+mains?\b|\b(?:viennent|venir|vient|venue?s?)[ \u00a0]+aider\b"
    r"|\baident\b"
    # a task of running the action: "15 femmes du quartier pour la cuisine"
    r"|\bpour[ \u00a0]+(?:la|le|les|l['’])[ \u00a0]?(?:cuisine|vaisselle|rangement|installation"
    r"|montage|logistique|d[ée]coration|buvette|pr[ée]paration)\b",
    re.IGNORECASE,
)
# An age after people makes them a public: "12 jeunes de 13-16 ans", "(14-17 ans)".
AGE_RE = re.compile(
    r"\b\d{1,2}[ \u00a0]*(?:-|–|/|à|a)[ \u00a0]*\d{1,2}[ \u00a0]*ans\b"
    r"|\b(?:moins|plus)[ \u00a0]+de[ \u00a0]+\d{1,2}[ \u00a0]*ans\b|\b\d{1,2}[ \u00a0]*ans\b",
    re.IGNORECASE,
)
_LINE_WINDOW = 80
# "personnes" that received something: a past participle right after them ("45 personnes
# dépistées", "sensibilisées"), except the words that say they were mobilised.
_PARTICIPLE_RE = re.compile(
    r"[ \u00a0]{1,3}(?P<word>[^\W\d_]{3,30}(?:é|ée|és|ées|ie|ies|is|ue|ues|us))(?![^\W\d_])",
    re.IGNORECASE,
)
# Participles that say people are mobilised, not served; the first four say they run it.
_SERVED_FORM_RE = re.compile(r"^[^\W\d_]{2,30}(?:é|ée|és|ées|ie|ies|ue|ues)$", re.IGNORECASE)
_MOBILISED = ("mobilis", "impliqu", "engag", "investi", "salari", "benevol", "present")
# An attendance: "30 personnes par soirée", "en moyenne par séance".
_PER_OCCASION_RE = re.compile(
    r"[ \u00a0]{1,3}(?:en[ \u00a0]+moyenne[ \u00a0]+)?(?:par|chaque|à[ \u00a0]+chaque)[ \u00a0]+"
    r"(?:s[ée]ance|soir[ée]e|atelier|semaine|jour|journ[ée]e|mois|an|ann[ée]e|sortie|session"
    r"|cours|rencontre|[ée]dition|permanence|trimestre|matin[ée]e|apr[èe]s-midi|mercredi"
    r"|samedi|vacances)\b",
    re.IGNORECASE,
)
# A bracket right after a count that names who they are: "(14 familles)", "(conseillères
# en insertion)".
_BRACKET_WORD_RE = re.compile(
    r"[ \u00a0]{0,3}\([ \u00a0]{0,3}(?:dont[ \u00a0]+)?(?:[\d]{1,4}[ \u00a0]+|une?[ \u00a0]+)?"
    r"(?P<word>[^\W\d_]{3,40})", re.IGNORECASE)
# "52 convives dont une dizaine de résidents": a breakdown into people makes the head people.
_DONT_PEOPLE_RE = re.compile(
    r"[ \u00a0]{0,3},?[ \u00a0]{0,3}dont[ \u00a0]+"
    r"(?:[^\W\d_]{1,12}[ \u00a0]+|\d{1,4}[ \u00a0]+){0,3}"
    r"(?:d['’]|de[ \u00a0]+)?(?P<word>[^\W\d_]{3,40})", re.IGNORECASE)
# Qualifiers that make anyone staff: "1 écrivain public salarié".
# Volunteers in apposition after the people they qualify: "9 femmes, toutes bénévoles".
_APPOSED = r"[ \u00a0]*,[ \u00a0]*(?:tou(?:te)?s[ \u00a0]+)?(?:b[ée]n[ée]voles?|volontaires?)\b"
_APPOSED_VOLUNTEER_RE = re.compile(_APPOSED, re.IGNORECASE)
# For a noun no list or vector knows, volunteers in apposition may follow the counts joined to
# it: "2 tanbouyé et 1 danseuse, bénévoles de l'association".
_APPOSED_TO_LIST_RE = re.compile(
    r"(?:[ \u00a0]{0,3}(?:et|\+|,)[ \u00a0]{0,3}\d{1,3}[ \u00a0]{1,3}[^\W\d_]{2,30}){1,3}"
    + _APPOSED, re.IGNORECASE)
# People in apposition after the noun and its qualifiers: "11 comédiens amateurs, tous
# habitants du quartier".
_APPOSED_ALL_RE = re.compile(r"[^\n(),.;:\d]{0,40}?,[ \u00a0]*tou(?:te)?s[ \u00a0]+"
                             r"(?:des[ \u00a0]+|les[ \u00a0]+)?(?P<word>[^\W\d_]{3,30})",
                             re.IGNORECASE)
# The count joined to a noun after it: "2 tanbouyé et 1 danseuse".
_JOINED_COUNT_RE = re.compile(
    r"[ \u00a0]{0,3}(?:et|\+|,)[ \u00a0]{0,3}(?:\d{1,3}[ \u00a0]{1,3}"
    r"|autant[ \u00a0]+(?:de[ \u00a0]+|d['’][ \u00a0]?))(?P<word>[^\W\d_]{3,30})",
    re.IGNORECASE)
# Paid work makes anyone staff: "4 étudiants vacataires", "2 parents rémunérés".
_STAFF_QUALIFIERS = frozenset({"salarie", "salariee", "professionnel", "professionnelle",
                               "vacataire", "remunere", "remuneree", "paye", "payee"})
# A contract of insertion makes employees the public of the action ("12 salariés en
# insertion", "8 agents en parcours d'insertion", "personnes en CDDI"), a domain after a trade
# does not ("conseillère en insertion professionnelle"): only nouns of a status take it.
_INSERTION_RE = re.compile(
    r"(?:[ \u00a0]{1,3}[^\W\d_]{2,20}){0,2}?[ \u00a0]{1,3}en[ \u00a0]{1,3}"
    r"(?:(?:(?:parcours|contrats?|situation|chantier)[ \u00a0]{1,3}d['’][ \u00a0]?)?insertion"
    r"(?![ \u00a0]+(?:sociale|professionnelle|socio))|CDDI)(?![^\W\d_])", re.IGNORECASE)
# One or two in insertion work beside the staff ("1 coordinatrice, 1 salariée en insertion"); a
# cohort is the public of a chantier.
_INSERTION_COHORT = 3
_STATUS_NOUNS = frozenset({"salarie", "salariee", "employe", "employee", "agent", "agente",
                           "ouvrier", "ouvriere", "personne", "travailleur", "travailleuse"})
_ROLE_OF = {"professional": "professionals", "volunteer": "volunteers",
            "beneficiary": "beneficiaries", "inhabitant": "beneficiaries"}


# "8 à 10 jeunes par chantier", "par séance": an attendance per occasion, unless the unit is a
# place or structure ("par centre", `per_unit_nouns`).
_PER_ANY_RE = re.compile(
    r"[ \u00a0]{1,3}(?:en[ \u00a0]+moyenne[ \u00a0]+)?(?:par|chaque|à[ \u00a0]+chaque)[ \u00a0]+"
    r"(?P<unit>[^\W\d_]{2,30})", re.IGNORECASE)


# "en moyenne", "par séance", "chaque mercredi": an attendance per occasion; a year or a season
# is the action's span ("64 familles par an"), a place or a person no occasion.
_AVERAGE_RE = re.compile(r"\ben[ \u00a0]+moyenne\b|\bmoyenne[ \u00a0]+de\b", re.IGNORECASE)
# "selon les semaines": a count that varies from one occasion to the next.
_PER_SEARCH_RE = re.compile(
    r"(?<![^\W\d_])(?:par|chaque|à[ \u00a0]+chaque|selon[ \u00a0]+les)[ \u00a0]+"
    r"(?P<unit>[^\W\d_]{2,30})", re.IGNORECASE)
_SPANS = frozenset({"an", "annee", "saison", "ete", "hiver", "printemps", "automne", "cycle",
                    "session", "periode", "projet", "action"})


class _Lexicon(Protocol):
    cues: dict[str, set[str]]
    running: set[str]
    per_units: set[str]

    def classify(self, word: str) -> str | None: ...

    def cue(self, text: str) -> str | None: ...

    def is_cue(self, word: str, name: str) -> bool: ...


class PeopleCues:
    """Reads a count's role from what is written around its noun.

    Args:
        lexicon: the role lexicon (`role_lexicon.Lexicon`).
        reader: the vector reader of unknown nouns, or None without a model.
    """

    def __init__(self, lexicon: _Lexicon, reader: RoleReader | None) -> None:
        self.lexicon = lexicon
        self.reader = reader

    def unknown_noun(self, text: str, word: str, head_end: int, count: int,
                     clause_after: str, listed: bool = False) -> str | None:
        """The category of a noun no list knows: from a bracket naming a known role after it
        ("2 CIP (conseillères en insertion)"), else from its vector; None when no person.

        A beneficiary cue in `clause_after` ("accompagnés") or a breakdown into people ("dont
        une dizaine de résidents") says the noun names people whatever its vector; so does a
        count that closes a list of the actors (`listed`: "3 salariés, 80 convives") for a noun
        whose vector is near the persons.
        """
        known = self.bracket_category(text, head_end)
        if known in ("professional", "volunteer", "beneficiary"):
            return known
        if self.volunteer_qualified(text, head_end):
            return "volunteer"  # "2 couturières bénévoles": people, whatever the vector says
        if any(_PAID_RE.fullmatch(w) for w in _qualifiers(text, head_end)[:1]):
            return "professional"  # "1 couturière salariée": staff, whatever the trade
        if self.reader is None:
            return None
        if self.holds_role(text, word, head_end):
            return "volunteer"  # "9 rédacteurs habitants": inhabitants holding a trade's role
        if self.reader.scores(word) is None and (joined := self.joined_category(text, head_end)):
            return "volunteer" if _APPOSED_TO_LIST_RE.match(text, head_end) else joined
        cued = self.lexicon.cue(clause_after) == "beneficiary"
        breakdown = _DONT_PEOPLE_RE.match(text, head_end, head_end + _LINE_WINDOW)
        if breakdown is not None and self.lexicon.classify(breakdown.group("word")) in (
                "beneficiary", "inhabitant", "person"):
            cued = True
        if listed and self.reader.near_person(word):
            cued = True  # the public closing a list of the actors
        return self.reader.category(word, count, cued)

    def holds_role(self, text: str, word: str, head_end: int) -> bool:
        """Whether an inhabitant noun right after the noun of a trade `word` (ending at
        `head_end`) or in apposition to it says inhabitants hold that role unpaid ("9
        rédacteurs habitants", "11 comédiens, tous habitants du quartier"), as "habitants
        rédacteurs" does the other way round."""
        qualifiers = _qualifiers(text, head_end)
        apposed = _APPOSED_ALL_RE.match(text, head_end, head_end + _LINE_WINDOW)
        inhabitants = bool(qualifiers) and self.lexicon.classify(qualifiers[0]) == "inhabitant" \
            or apposed is not None and self.lexicon.classify(apposed.group("word")) == "inhabitant"
        return inhabitants and PERSON_SUFFIX_RE.search(word) is not None and self.trade(word)

    def trade(self, word: str) -> bool:
        """Whether the model's vector says `word` names a trade (False without a model)."""
        return self.reader is not None and self.reader.trade(word)

    def known(self, word: str) -> bool:
        """Whether the model has a vector for `word` (True without a model: nothing to tell)."""
        return self.reader is None or self.reader.scores(word) is not None

    def joined_category(self, text: str, head_end: int) -> str | None:
        """For a word the model does not know, the person category of the counted noun joined to
        it ("2 tanbouyé et 1 danseuse": joined words name the same kind of thing); else None."""
        joined = _JOINED_COUNT_RE.match(text, head_end, head_end + _LINE_WINDOW)
        if joined is None or self.reader is None:
            return None
        word = joined.group("word")
        category = self.lexicon.classify(word) or self.reader.category(word, 1)
        return category if category in ("professional", "volunteer", "beneficiary",
                                        "inhabitant") else None

    def bracket_category(self, text: str, head_end: int, counted: bool = True) -> str | None:
        """The lexicon category of the first word of a bracket right after a noun; with
        `counted` False, only of a bracket that holds no count ("(intervenante)", not "(4
        salariés et 6 bénévoles)", which breaks the count down)."""
        bracket = _BRACKET_WORD_RE.match(text, head_end, head_end + _LINE_WINDOW)
        if bracket is None or (not counted and any(c.isdigit() for c in bracket.group())):
            return None
        return self.lexicon.classify(bracket.group("word"))

    def qualified_role(self, text: str, head_end: int, category: str | None,
                       clause_after: str, count: int = 0) -> str | None:
        """The role the words after a people noun force, or None.

        A volunteer word among its first qualifiers makes anyone a volunteer ("1 juriste
        bénévole", "3 parents volontaires"); a verb of running the action makes inhabitants and
        the public volunteers ("7 habitants qui assurent l'ouverture"); an insertion contract
        makes a cohort of employees (`count` of them) the public ("12 salariés en insertion").
        """
        if category not in ("professional", "inhabitant", "beneficiary", "person"):
            return None
        if self.volunteer_qualified(text, head_end):
            return "volunteers"
        if count >= _INSERTION_COHORT and self.in_insertion(text, head_end):
            return "beneficiaries"
        if any(_stem(w) in _STAFF_QUALIFIERS for w in _qualifiers(text, head_end)):
            return "professionals"
        if category == "person" and (known := self.bracket_category(
                text, head_end, counted=False)) in ("professional", "volunteer"):
            return _ROLE_OF[known]
        if category != "professional" and RUNNING_RE.search(clause_after):
            return "volunteers"
        if category == "inhabitant" and self._acting(_qualifiers(text, head_end),
                                                     self.aged(text, head_end)):
            return "volunteers"
        return None

    def in_insertion(self, text: str, head_end: int) -> bool:
        """Whether the noun of a status ending at `head_end` is in an insertion contract ("12
        salariés en insertion"): the public of a chantier d'insertion, not its staff."""
        words = _WORD_RE.findall(text, max(0, head_end - 40), head_end)
        return bool(words) and _stem(words[-1]) in _STATUS_NOUNS \
            and _INSERTION_RE.match(text, head_end, head_end + _LINE_WINDOW) is not None

    def _acting(self, qualifiers: list[str], aged: bool) -> bool:
        """Whether the qualifiers of inhabitants say they run the action: a running word ("élus")
        or a role they hold ("14 habitants comédiens amateurs", "6 parents animateurs"), unless
        an age (`aged`) makes them the public of that role ("9 jeunes chroniqueurs de 14 ans")."""
        if self.runs(" ".join(qualifiers)):
            return True
        return not aged and self.lexicon.cue(" ".join(qualifiers)) != "beneficiary" and any(
            self.lexicon.classify(w) in ("professional", "volunteer")
            or (PERSON_SUFFIX_RE.search(w) is not None and self.trade(w)) for w in qualifiers)

    def runs(self, words: str) -> bool:
        """Whether `words` say people run the action: "élus", "membres du comité", "animent"."""
        return RUNNING_RE.search(words) is not None or any(
            _stem(w) in self.lexicon.running for w in _WORD_RE.findall(words))

    def attending(self, text: str, head_end: int) -> bool:
        """Whether people are counted per occasion ("par séance", "par chantier")."""
        per = _PER_ANY_RE.match(text, head_end, head_end + _LINE_WINDOW)
        return per is not None and _stem(per.group("unit")) not in self.lexicon.per_units

    def volunteer_qualified(self, text: str, head_end: int) -> bool:
        """Whether a volunteer word qualifies the noun ending at `head_end` ("2 couturières
        bénévoles", "9 femmes, toutes bénévoles", "1 chauffeur (bénévole)")."""
        if _APPOSED_VOLUNTEER_RE.match(text, head_end, head_end + _LINE_WINDOW):
            return True  # "9 femmes, toutes bénévoles"
        words = _qualifiers(text, head_end) + _bracket_words(text, head_end)
        return any(self.lexicon.is_cue(w, "volunteer") for w in words)

    def volunteer_bracket(self, text: str, pos: int) -> bool:
        """Whether a bracket right after `pos` says volunteers: "Intervenante : 1 (bénévole)"."""
        bracket = _BRACKET_AFTER_RE.match(text, pos)
        return bracket is not None and any(
            self.lexicon.is_cue(w, "volunteer") for w in _WORD_RE.findall(bracket.group(1)))

    def per_occasion(self, before: str, after: str) -> bool:
        """Whether the words of a count's clause, `before` and `after` it, make it an attendance
        per occasion ("en moyenne", "par séance", "chaque jeudi"), not a count over the span."""
        if _AVERAGE_RE.search(before) or _AVERAGE_RE.search(after):
            return True
        for per in _PER_SEARCH_RE.finditer(after):
            unit = _stem(per.group("unit"))
            if unit not in self.lexicon.per_units and unit not in _SPANS \
                    and self.lexicon.classify(unit) in (None, "other"):
                return True
        return False

    def aged(self, text: str, head_end: int) -> bool:
        """Whether an age follows the people on their line ("de 13-16 ans", "(14-17 ans)")."""
        return AGE_RE.search(_line_after(text, head_end)) is not None

    def mobilised(self, text: str, head_end: int) -> bool:
        """Whether a participle of taking part in the running follows people ("6 personnes
        mobilisées", "impliquées")."""
        participle = _PARTICIPLE_RE.match(text, head_end, head_end + _LINE_WINDOW)
        return participle is not None \
            and fold(participle.group("word")).startswith(_MOBILISED[:4])

    def served(self, text: str, head_end: int) -> str | None:
        """"beneficiaries" when "personnes" are people served: a participle of receiving,
        an attendance per occasion or a bracket of families; else None."""
        if _PER_OCCASION_RE.match(text, head_end, head_end + _LINE_WINDOW):
            return "beneficiaries"
        participle = _PARTICIPLE_RE.match(text, head_end, head_end + _LINE_WINDOW)
        if participle is not None and not fold(participle.group("word")).startswith(_MOBILISED):
            return "beneficiaries"
        known = self.bracket_category(text, head_end)
        return _ROLE_OF[known] if known in ("beneficiary", "inhabitant") else None


def served_participle(word: str) -> bool:
    """Whether `word` is a participle that says persons received something ("âgées",
    "accueillies", "isolées"), not that they were mobilised."""
    return _SERVED_FORM_RE.search(word) is not None and not fold(word).startswith(_MOBILISED)


# A first qualifier that says the person is paid: "1 couturière salariée", "2 cuisiniers
# rémunérés".
_PAID_RE = re.compile(r"(?:salari|r[ée]mun[ée]r|employ|pay)[ée]e?s?", re.IGNORECASE)


def _qualifiers(text: str, head_end: int) -> list[str]:
    """The first words after a noun, before any bracket, clause mark, number or part ("24
    personnes dont trois salariés": "salariés" qualifies the part, not the whole)."""
    match = _QUALIFIERS_RE.match(text, head_end)
    words = []
    for word in _WORD_RE.findall(match.group() if match else "")[:_MAX_QUALIFIERS]:
        if fold(word) in _PART_WORDS:
            break
        words.append(word)
    return words


def _bracket_words(text: str, head_end: int) -> list[str]:
    """The words of a bracket without digits right after a noun's qualifiers: "1 chauffeur du
    minibus (bénévole)" gives ["bénévole"]."""
    match = _QUALIFIERS_RE.match(text, head_end)
    bracket = _PLAIN_BRACKET_RE.match(text, match.end() if match else head_end)
    return _WORD_RE.findall(bracket.group(1))[:_MAX_QUALIFIERS] if bracket else []


def _line_after(text: str, pos: int) -> str:
    window = text[pos:pos + _LINE_WINDOW]
    cut = window.find("\n")
    return window if cut == -1 else window[:cut]


def _stem(word: str) -> str:
    folded = fold(word)
    return folded[:-1] if len(folded) > 3 and folded[-1] in "sx" else folded
