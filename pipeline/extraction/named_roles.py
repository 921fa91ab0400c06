"""People named by their role without a count: "la directrice", "animatrice + stagiaire"."""

from __future__ import annotations

import re

from spacy.lang.fr.stop_words import STOP_WORDS

from pipeline.extraction.count_fte import FTE_OF_RE
from pipeline.extraction.count_labels import BULLETS, LOOKBACK, Mention, role_of
from pipeline.extraction.numbers import COUNT_RE, Count
from pipeline.extraction.people_cues import PeopleCues
from pipeline.extraction.role_lexicon import WORD_RE, Lexicon, role_stem
from pipeline.normalize import fold

# "2 salariés dont le directeur", "(y compris la directrice)": a person inside the count before.
_INSIDE_BEFORE_RE = re.compile(
    r"\b(?:dont|y[ \u00a0]compris|notamment|parmi[ \u00a0]\w{2,12})[ \u00a0]{1,3}$", re.IGNORECASE)
# The next item of a part list: "y compris la directrice et l'agent d'entretien".
_NEXT_PART_RE = re.compile(r"[^\n\d.;:()]{0,30}?(?:,|(?<![^\W\d_])et)[ \u00a0]{0,3}",
                           re.IGNORECASE)
# The writer named by their role: "moi (stagiaire)", "moi-même (animatrice)".
_SELF_RE = re.compile(r"(?<![^\W\d_])moi(?:-m[êe]me)?[ \u00a0]{0,3}\([ \u00a0]{0,3}"
                      r"(?P<word>[^\W\d_]{3,30})[ \u00a0]{0,3}\)", re.IGNORECASE)
# The form of an agent noun of a trade, which its vector may confirm after a comma or "et".
_AGENT_FORM_RE = re.compile(r"(?:eur|euse|rice|iste|logue|ien|ienne)$", re.IGNORECASE)
# The writer joined to "others" of a count: "moi et 2 autres mamans bénévoles" are three.
_WRITER_BEFORE_RE = re.compile(r"(?<![^\W\d_])moi(?:-m[êe]me)?[ \u00a0]{0,3},?[ \u00a0]{0,3}"
                               r"(?:et|\+|plus|avec|,)[ \u00a0]{0,3}$", re.IGNORECASE)
_OTHERS_AFTER_RE = re.compile(r"[ \u00a0]{1,3}autres(?![^\W\d_])", re.IGNORECASE)
# "le directeur", "la référente famille", "notre coordinatrice": one person.
_ARTICLE_ROLE_RE = re.compile(
    r"(?<![^\W\d_])(?:(?:le|la|notre|son|sa|leur)[ \u00a0]{1,3}|l['’][ \u00a0]{0,3})"
    r"(?P<word>[^\W\d_]{3,30}(?:-[^\W\d_]{2,20})?)",
    re.IGNORECASE,
)
# The form of a noun of person that a vector may then confirm: an agent suffix or a participle
# made noun ("la déléguée", "la diététicienne", "l'aide-soignante").
_PERSON_FORM_RE = re.compile(r"(?:eur|euse|rice|iste|logue|aire|ier|i[èe]re|ien|ienne|ant|ante"
                             r"|ée|ee|é)$", re.IGNORECASE)
# A bracket after named roles that counts them as staff: "la directrice et l'animatrice
# (soit 2 salariées)", "le directeur et l'agent de développement (2 salariés)".
_STAFF_BRACKET_RE = re.compile(
    r"[^()\n\d.;]{0,80}\([ \u00a0]*(?:soit[ \u00a0]+|=[ \u00a0]*)?\d{1,2}[ \u00a0]+"
    r"(?:salari|professionn|permanent|agent|employ)", re.IGNORECASE)
# A role named alone as a list item, without number or article: "conseillère ESF +
# diététicienne", "Cuisinière salariée + 2 animatrices". The item ends within a few words.
_BARE_ROLE_RE = re.compile(
    r"(?:^|(?<=[\n+,;/:])|(?<![^\W\d_])et(?![^\W\d_]))[ \u00a0\t\-–•*]{0,6}"
    r"(?P<word>[^\W\d_]{3,30}(?:-[^\W\d_]{2,20})?)"
    r"(?P<rest>(?:(?:[ \u00a0]|['’][ \u00a0]?)(?!(?:et|ou)(?![^\W\d_]))[^\W\d_]{1,20}"
    r"(?:-[^\W\d_]{1,20})?){0,6})"
    r"[ \u00a0]{0,3}"
    r"(?=$|[\n+,;/]|\(|(?<![^\W\d_])et(?![^\W\d_]))",
    re.IGNORECASE | re.MULTILINE,
)
# An acronym in brackets closes a title that "et" runs through: "conseiller en insertion sociale
# et professionnelle (CIP)" is one person.
_ACRONYM_AFTER_RE = re.compile(r"[ \u00a0]{0,3}\([A-Z]{2,8}\)")
# A count in a bracket after named roles, and the noun it counts if any: "(2 professionnels)",
# "(2 à 3 fois par mois)".
_BRACKET_COUNT_RE = re.compile(r"\d{1,3}(?:[ \u00a0]*(?:à|a|-|ou)[ \u00a0]*\d{1,3})?"
                               r"(?:[ \u00a0]+(?P<word>[^\W\d_]{2,30}))?", re.IGNORECASE)
_PEOPLE = ("professional", "volunteer", "beneficiary", "inhabitant", "person")
# A count alone on the next line: a table pasted one cell per line ("Formatrice\n1").
_COUNT_BELOW_RE = re.compile(
    r"[ \u00a0\t]*\n[ \u00a0\t]*\d{1,4}(?:[.,]\d{1,2})?[ \u00a0\t]*(?:\n|$)")
# Determiners of none, which `count_none` reads: "zéro bénévole" is no bénévole named alone.
_NONE_WORDS = frozenset({"aucun", "aucune", "zero"})
# What makes a role named alone a label ("Animatrice : 2", "Salarié(e)s : 3"), not a person.
_LABEL_AFTER_RE = re.compile(r"[^\n+,;/:]{0,12}:")


def with_writer(text: str, before: str, end: int, count: Count) -> Count:
    """`count` (ending at `end`, after the text `before` it) with the writer when they count
    themself in it: "moi et 2 autres bénévoles" are the writer and two others of their kind."""
    if _WRITER_BEFORE_RE.search(before) is None or _OTHERS_AFTER_RE.match(text, end) is None:
        return count
    return Count(count.low + 1, count.high + 1, count.approximate)


def _start(mention: Mention) -> int:
    return mention.start


def _in_count_bracket(text: str, pos: int) -> bool:
    """Whether `pos` sits in a bracket after a count on its line: the bracket details the count
    ("3 salariées (infirmière, conseillère ESF)", "2 ou 3 accompagnateurs (référente + la
    directrice)")."""
    line_start = text.rfind("\n", max(0, pos - LOOKBACK), pos) + 1
    opening = text.rfind("(", line_start, pos)
    return opening != -1 and text.find(")", opening, pos) == -1 \
        and COUNT_RE.search(text, line_start, opening) is not None


def _bracketed(text: str, match: re.Match[str], lexicon: Lexicon) -> bool:
    """Whether a role named alone sits in a bracket (it details a count: "3 salariées
    (infirmière, conseillère ESF)"), or before a bracket that counts it ("animatrice, psychologue
    (2 professionnels)"), not one that counts occasions ("psychologue (1 fois par mois)")."""
    line_start = text.rfind("\n", max(0, match.start() - LOOKBACK), match.start()) + 1
    opening = text.rfind("(", line_start, match.start())
    if opening != -1 and text.find(")", opening, match.start()) == -1:
        return True
    line_end = text.find("\n", match.end(), match.end() + LOOKBACK)
    after = text[match.end():line_end if line_end != -1 else match.end() + LOOKBACK]
    bracket = after.find("(")
    if bracket == -1:
        return False
    closing = after.find(")", bracket)
    closing = closing if closing != -1 else len(after)
    for count in _BRACKET_COUNT_RE.finditer(after, bracket, closing):
        word = count.group("word")
        if word is None or lexicon.classify(word) in _PEOPLE:
            return True
    return False



def _alone_on_line(text: str, match: re.Match[str]) -> bool:
    """Whether an article and its noun are the whole of their line ("le boulanger")."""
    line_start = text.rfind("\n", max(0, match.start() - LOOKBACK), match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start:line_end if line_end != -1 else len(text)]
    return line.strip(BULLETS + ".") == match.group(0)


def _title_before(text: str, pos: int) -> bool:
    """Whether the list item before `pos` is a title with a complement ("conseiller en insertion
    sociale"), which a word after "et" may go on."""
    floor = max(0, pos - LOOKBACK)
    start = max(text.rfind(c, floor, pos) for c in "\n+,;/:(") + 1
    return len(WORD_RE.findall(text, start, pos)) >= 4  # head, complement, "et"


class NamedRoles:
    """Finds the people a text names by a singular role noun, one person each.

    Args:
        lexicon: the role lexicon.
        cues: the reader of the words around a noun (and of unknown nouns by their vector).
    """

    def __init__(self, lexicon: Lexicon, cues: PeopleCues) -> None:
        self.lexicon = lexicon
        self.cues = cues

    def find(self, text: str) -> list[Mention]:
        """One person per singular role named with an article ("la directrice") or alone as a
        list item ("animatrice + stagiaire"), in text order."""
        mentions = self._bare(text) + self._self_named(text)
        inside_end = -1  # the end of the last role named as a part of the count before it
        for match in _ARTICLE_ROLE_RE.finditer(text):
            word = match.group("word")
            stem = role_stem(word)
            plural = fold(word)[-1:] in ("s", "x")
            if _INSIDE_BEFORE_RE.search(text, max(0, match.start() - 30), match.start()) \
                    or (inside_end >= 0 and _NEXT_PART_RE.fullmatch(
                        text, inside_end, match.start()) is not None):
                inside_end = match.end()  # "y compris la directrice et l'agent d'entretien"
                continue
            if plural or stem in self.lexicon.collective \
                    or FTE_OF_RE.search(text, max(0, match.start() - 30), match.start()) \
                    or _STAFF_BRACKET_RE.match(text, match.end(), match.end() + 120) \
                    or _in_count_bracket(text, match.start()):
                continue  # "la directrice et l'animatrice (soit 2 salariées)": counted there
            if self._article_category(text, match) == "professional":
                mentions.append(Mention(match.start(), match.end(), "professionals",
                                        Count(1, 1), stem))
        return sorted(mentions, key=_start)

    def _article_category(self, text: str, match: re.Match[str]) -> str | None:
        """The category of a noun after an article: the lexicon's, else for a noun of person
        by its form ("la diététicienne", "la déléguée fédérale"), its vector's; a lower-case
        word the model does not know takes the kind of the count joined to it ("le fabmanager
        et 1 animateur")."""
        word = match.group("word")
        category = self.lexicon.classify(word)
        if category is not None or word.lower() in STOP_WORDS \
                or role_stem(word) in self.lexicon.skip:
            return category
        if word.islower() and not self.cues.known(word) \
                and (joined := self.cues.joined_category(text, match.end())):
            return joined
        if word.isupper():
            return None
        if _alone_on_line(text, match) and self.cues.trade(word):
            return "professional"  # "le boulanger" as a line of the people field
        if not _PERSON_FORM_RE.search(word):
            return None
        return self.cues.unknown_noun(text, word, match.end(), 1, "")

    def _self_named(self, text: str) -> list[Mention]:
        """The writer counting themself by their role: "moi (stagiaire)", "moi-même
        (coordinatrice)" are one person of that role."""
        mentions = []
        for match in _SELF_RE.finditer(text):
            role = role_of(self.lexicon.classify(match.group("word")))
            if role in ("professionals", "volunteers"):
                mentions.append(Mention(match.start(), match.end(), role, Count(1, 1),
                                        role_stem(match.group("word"))))
        return mentions

    def _bare(self, text: str) -> list[Mention]:
        """A singular role alone as a list item: a listed role, or a noun of person by its form
        and vector ("diététicienne"); a volunteer when a volunteer word qualifies it."""
        mentions = []
        for match in _BARE_ROLE_RE.finditer(text):
            word, end = match.group("word"), match.end("rest")
            if fold(word)[-1:] in ("s", "x") or _LABEL_AFTER_RE.match(text, end) \
                    or _COUNT_BELOW_RE.match(text, end) \
                    or word.lower() in STOP_WORDS or fold(word) in _NONE_WORDS \
                    or role_stem(word) in self.lexicon.collective \
                    or _bracketed(text, match, self.lexicon):
                continue  # plurals, labels, "une dizaine de ...", details of a count
            category = self.lexicon.classify(word)
            # Only a terse list item (a line, or after "+" or "/") is read by its vector: after
            # a comma or "et" the word may be prose ("permettant", "sociale et familiale").
            lead = text[max(0, match.start() - 1):match.start("word")].strip(BULLETS)
            terse = lead in ("", "\n", "+", "/", ";")
            if lead.endswith("t") and _ACRONYM_AFTER_RE.match(text, end) \
                    and _title_before(text, match.start()):
                continue  # the end of the title before "et"
            if category is None and terse and role_stem(word) not in self.lexicon.skip:
                category = self.cues.unknown_noun(text, word, match.end("word"), 1, "")
            elif category is None and _AGENT_FORM_RE.search(word) and self.cues.trade(word):
                category = "professional"  # "..., informateur jeunesse et 2 animateurs"
            if category == "professional" and self.cues.qualified_role(
                    text, match.end("word"), category, "") == "volunteers":
                category = "volunteer"
            if category in ("professional", "volunteer"):
                mentions.append(Mention(match.start("word"), end, role_of(category) or "",
                                        Count(1, 1), role_stem(word)))
        return mentions
