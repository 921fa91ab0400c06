"""The role a count takes from its label, bracket or heading: "Bénévoles : 20", "élus (24)"."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from pipeline.config import RoleWords
from pipeline.extraction.numbers import Count
from pipeline.extraction.people_cues import RUNNING_RE, served_participle
from pipeline.extraction.role_lexicon import WORD_RE, Lexicon, role_stem

# What may follow a count read from a label ("Bénévoles : 20"): the end of a clause, a part
# ("Bénévoles : 6 dont 2 étudiantes"), or a complement of time or place ("Usagers : 140 sur
# l'année", "Inscrits : 30 en 2022"); never a noun, which would be what is counted.
_LABEL_END_RE = re.compile(
    r"[ \u00a0]*(?:$|[\n.;,()/|+]|(?:et|dont|sur|en|par|pour|dans|depuis|au|aux|chaque|selon"
    r"|lors|à|de|d['’])(?![^\W\d_])|\-[ \u00a0])", re.IGNORECASE)
_LABEL_CUT_RE = re.compile(r".*[;,/|(+\-–•]", re.DOTALL)
# A heading line naming who the counts under it are: "Bénévoles :", "- Personnel :".
_HEADING_RE = re.compile(
    r"[ \u00a0\t\-–•*]{0,6}(?P<label>[^\W\d_][^\d:\n]{1,60}?)[ \u00a0\t]*:[ \u00a0\t]*"
)
# The end of a bracket holding only a count, maybe per occasion: "(7)", "(5 à 7 par an)",
# "(4 à 6 selon les semaines)", "(3 à 5 en fonction des séances)".
_BRACKET_END_RE = re.compile(r"(?:[ \u00a0]{1,3}(?:environ|maximum|max|au[ \u00a0]plus))?"
                             r"(?:[ \u00a0]{1,3}(?:par|chaque"
                             r"|(?:selon|suivant|en[ \u00a0]+fonction)"
                             r"[ \u00a0]+(?:de[ \u00a0]+)?(?:les|le|la|l['’]|des|du))"
                             r"[ \u00a0]*[^\W\d_]{2,20})?"
                             r"[ \u00a0]{0,3}\)", re.IGNORECASE)
_AFTER_BRACKET = 40
_CLOSED_BRACKET_RE = re.compile(r"\([^()\n]{0,80}\)")
_CLAUSE_CUT_RE = re.compile(r"[\n.;()]")
_COLON_END_RE = re.compile(r":[ \u00a0\t]*$")
_LABEL_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
_MAX_COLON_LABEL = 10
_MAX_BRACKET_LABEL = 5
_MAX_CELL_WORDS = 12
# Words of a label that say its people are paid: inhabitants under it are staff.
_PAID_STEMS = frozenset({"salarie", "salariee", "professionnel", "professionnelle", "personnel",
                         "employe", "employee", "permanent", "permanente", "etp"})
BULLETS = " \u00a0\t-–•*"
CLAUSE_END = ".;\n"
# The public comes by the dozen; a few of a noun closing a list may be anything.
PUBLIC_COUNT = 10
LOOKBACK = 300
_YEAR_LIKE = range(1900, 2101)


# A row of a pipe table: "| Formatrice | 1 |", "| Participantes | 24 par promotion |".
_TABLE_ROW_RE = re.compile(r"^[ \u00a0\t]*\|[^\n]*", re.MULTILINE)


def table_rows_as_labels(text: str) -> str:
    """`text` with each two-cell row of a pipe table written as a label and its value, at the
    same offsets: "| Formatrice | 1 |" reads " Formatrice : 1  ", as a label line."""
    if "|" not in text:
        return text

    def row(match: re.Match[str]) -> str:
        cells = match.group().rstrip()
        tail = match.group()[len(cells):]
        inner = cells.strip(" \u00a0\t")[1:]
        inner = inner[:-1] + " " if inner.endswith("|") else inner
        if inner.count("|") != 1:
            return match.group()  # columns of years or places: which one counts is unsaid
        return cells[:len(cells) - len(inner) - 1] + " " + inner.replace("|", ":") + tail

    return _TABLE_ROW_RE.sub(row, text)


@dataclass(frozen=True)
class Mention:
    """One count found in a text, before it becomes a span."""

    start: int
    end: int
    role: str
    count: Count
    head: str
    per_unit: str | None = None
    # The role was chosen by default, for lack of any cue (inhabitants running the action).
    assumed: bool = False
    # The count restates the one found just before it in persons ("14 familles soit 52
    # personnes"), and replaces it.
    restates: bool = False
    # A part of the count before it in another role ("12 participantes, dont 2 bénévoles"):
    # counted in that role unless the field counts it apart.
    part: bool = False


def closed_brackets_blank(text: str) -> str:
    """`text` with every closed bracket blanked out, at the same offsets."""
    return _CLOSED_BRACKET_RE.sub(lambda m: " " * len(m.group()), text) if "(" in text else text


def after_actors(count: Count, found: list[Mention]) -> bool:
    """Whether a count by the dozen follows staff or volunteers with no public counted yet, so
    may close the list of the actors as their public ("2 salariés, 10 bénévoles, 60 convives",
    "Équipe : 3 animateurs\nConvives : 180")."""
    return count.high >= PUBLIC_COUNT and bool(found) \
        and found[-1].role in ("professionals", "volunteers") \
        and not any(m.role == "beneficiaries" for m in found)


def _start(mention: Mention) -> int:
    return mention.start


def repeats(text: str, mention: Mention, found: list[Mention]) -> bool:
    """A later mention of a role noun already counted in the same sentence is a detail of it.

    "deux éducateurs ..., un éducateur sportif ..., un autre éducateur" counts two.
    """
    low = bisect_left(found, mention.start - LOOKBACK, key=_start)
    high = bisect_right(found, mention.start, key=_start)
    for earlier in found[low:high]:
        if earlier.start < mention.start and earlier.head == mention.head and mention.head \
                and earlier.count.high >= max(2, mention.count.high) \
                and not any(c in text[earlier.end:mention.start] for c in CLAUSE_END):
            return True
        if earlier.start <= mention.start < earlier.end:
            return True
    return False


def role_of(category: str | None) -> str | None:
    """The headcount role of a lexicon category ("inhabitant" -> "volunteers"), else None."""
    return {"professional": "professionals", "volunteer": "volunteers",
            "inhabitant": "volunteers", "beneficiary": "beneficiaries",
            "person": "total"}.get(category or "")


def _heading_above(text: str, line_start: int, floor: int) -> re.Match[str] | None:
    """The heading line above `line_start` (not before `floor`), over blank lines and lines of
    counts; None when a line of prose comes first."""
    while line_start > floor:
        end = line_start - 1
        line_start = text.rfind("\n", floor, end) + 1 or floor
        line = text[line_start:end]
        if heading := _HEADING_RE.fullmatch(line):
            return heading
        if line.strip() and not any(c.isdigit() for c in line):
            return None
    return None


class LabelRoles:
    """The roles counts take from the words before them; the role lexicon is built on first use.

    Args:
        roles: the word lists of `roles.json`, as `config.check_config` read them.
    """

    def __init__(self, roles: RoleWords | None = None) -> None:
        self.roles = roles
        self._lexicon: Lexicon | None = None

    @property
    def lexicon(self) -> Lexicon:
        """The role lexicon, built on first use.

        Raises:
            ValueError: no role word lists were given.
        """
        if self._lexicon is None:
            if self.roles is None:
                raise ValueError("the headcount reader was not given the role word lists")
            self._lexicon = Lexicon(self.roles.lists)
        return self._lexicon

    def _context_role(self, clause: str, after: str = "", count: int = 0) -> str | None:
        """The role of people a clause names before a bracket ("l'équipe du centre (5 ...)");
        inhabitants are volunteers when the clause, or the words `after` the bracket, say they
        run the action ("des mamans animent", "les membres du CA", "(12) ont organisé") or a
        volunteer word qualifies them ("des parents bénévoles (4 à 6)"), else the public. A
        short clause led by a noun no list knows is read by its vector with the bracket's
        `count` ("Chauffeur du minibus (1)")."""
        words = WORD_RE.findall(clause)
        for word in words:
            category = self.lexicon.classify(word)
            if category == "inhabitant":
                runs = self._runs(clause + " " + after) or self.lexicon.cue(clause) == "volunteer"
                return "volunteers" if runs else "beneficiaries"
            if category == "beneficiary" and RUNNING_RE.search(clause + " " + after):
                return "volunteers"  # "les lycéens (9) ont préparé le repas"
            if category in ("professional", "volunteer", "beneficiary"):
                return role_of(category)
        cue = self.lexicon.cue(clause)
        if cue in ("professional", "volunteer"):
            return role_of(cue)
        if count and 0 < len(words) <= _MAX_BRACKET_LABEL:
            return role_of(self._unknown_label(words[0], count))
        return None

    def _runs(self, words: str) -> bool:
        """Whether `words` say people run the action: "élus", "membres du CA", "animent"."""
        return RUNNING_RE.search(words) is not None or any(
            role_stem(w) in self.lexicon.running for w in WORD_RE.findall(words))

    def _label_role(self, text: str, match: re.Match[str], count: Count, in_parens: bool,
                    clause_before: str | None, found: list[Mention]) -> str | None:
        """The role of a count with no noun after it: "Bénévoles : 20", "élus (24)".

        A count alone on its line takes the role of the heading above it; "une cinquantaine"
        with no label is the total.
        """
        end = match.end()
        approx = bool(match.group("approx"))
        fallback = "total" if approx else None
        if in_parens:
            closing = text.find(")", end, end + _AFTER_BRACKET)
            after = text[closing + 1:closing + 1 + _AFTER_BRACKET] if closing != -1 else ""
            after = _CLAUSE_CUT_RE.split(after, maxsplit=1)[0]
            if approx:
                return self._context_role(clause_before or "", after) or "total"
            if not _BRACKET_END_RE.match(text, end) or not clause_before:
                return None
            return self._context_role(clause_before, after, count.high)
        if not approx and not _LABEL_END_RE.match(text, end):
            return None
        label = text[self._label_start(text, match.start(), found):match.start()]
        words = WORD_RE.findall(label)
        if not words:
            return self._heading_role(text, match.start(), count.high) \
                or self._cell_above(text, match, count.high) or fallback
        # A label ending in a colon may be a long phrase and name its year ("Familles
        # accompagnées en 2023 :", "Habitants ayant bénéficié d'une aide :").
        colon = _COLON_END_RE.search(label) is not None
        if len(words) > (_MAX_COLON_LABEL if colon else 4) or any(
                c.isdigit() for c in _LABEL_YEAR_RE.sub("", closed_brackets_blank(label))):
            return fallback
        if count.low in _YEAR_LIKE and ":" not in label:
            return None
        named = self._named_role(words, count.high, after_actors(count, found))
        if named == "":
            return None
        return named or fallback

    def _named_role(self, words: list[str], count: int = 0, listed: bool = False,
                    by_vector: bool = True) -> str | None:
        """The role a label's words name; "" when they name an organisation; None for neither.

        A body that runs the action ("Comité de rédaction :") names volunteers; a label noun no
        list knows is read by its vector with the `count` under it ("Apprenants :\n42"), as the
        public when it closes a list of the actors (`listed`: "Convives : 180"); never with
        `by_vector` False.
        """
        if (compound := self.lexicon.compound(words)) is not None and compound[0] == "other":
            return ""  # "Intervenants extérieurs : 2": people the action does not count
        categories = [self.lexicon.classify(word) for word in words]
        cue = self.lexicon.cue(" ".join(words))
        if "volunteer" in categories and cue != "beneficiary" \
                and "organisation" not in categories:
            return "volunteers"  # "Visiteurs bénévoles :": the qualifier says who they are
        for category in categories:
            if category == "organisation":
                return ""
            if category == "inhabitant":
                # "Habitants bénévoles", "Jeunes ayant participé": the other words decide.
                # A verb of running outweighs a participle of coming ("Jeunes venus aider").
                label = " ".join(words)
                runs = "volunteer" in categories or self._runs(label)
                return "volunteers" if RUNNING_RE.search(label) or (
                    runs and cue != "beneficiary") else "beneficiaries"
            if category == "person" and cue in ("beneficiary", "volunteer", "professional"):
                return role_of(cue)  # "Personnes accompagnées :": the participle says who
            if category == "person" and len(words) > 1 and served_participle(words[1]):
                return "beneficiaries"  # "Personnes âgées :", "Personnes isolées :"
            if role := role_of(category):
                return role
        if cue is None and self._runs(" ".join(words)):
            return "volunteers"
        if not by_vector:
            return role_of(cue)
        return role_of(cue) or role_of(self._unknown_label(words[0], count, listed))

    def _unknown_label(self, word: str, count: int, listed: bool = False) -> str | None:
        """The category of a label's first word that no list knows; None here, where no model
        is at hand (`CountReader` reads it by its vector)."""
        return None

    def _heading_role(self, text: str, pos: int, count: int = 0) -> str | None:
        """The role named by the heading a count at `pos` sits under, else None.

        The heading is on the count's line ("Personnel : 3 personnes") or on a line above it,
        with only lines of counts between ("Bénévoles :\n8 personnes").
        """
        floor = max(0, pos - LOOKBACK)
        line_start = text.rfind("\n", floor, pos) + 1 or floor
        heading = _HEADING_RE.fullmatch(text, line_start, pos)
        if heading is None:
            if text[line_start:pos].strip(BULLETS):
                return None  # words before the count that are no heading
            heading = _heading_above(text, line_start, floor)
        if heading is None:
            return None
        role = self._named_role(WORD_RE.findall(heading.group("label")), count)
        return role if role in ("professionals", "volunteers", "beneficiaries") else None

    def governing_role(self, text: str, pos: int, first_only: bool = True) -> str | None:
        """The role a label names by a role word over the count at `pos`, else None: the label
        opening its line when the count is the first after it ("Bénéficiaires : 10 salariés en
        insertion"), or a heading alone on the line right above it ("Bénévoles :\n3 jardiniers
        référents"). With `first_only` False, any count of the label's line ("Encadrement : 1
        encadrant, 1 vendeuse")."""
        line_start = text.rfind("\n", max(0, pos - LOOKBACK), pos) + 1
        colon = text.find(":", line_start, pos)
        if colon != -1:
            heading = _HEADING_RE.fullmatch(text, line_start, colon + 1)
            if heading is None or (first_only and text[colon + 1:pos].strip(BULLETS)):
                return None
        elif text[line_start:pos].strip(BULLETS) or not first_only or line_start == 0:
            return None
        else:  # a heading is a short line: never search further back than LOOKBACK
            floor = max(0, line_start - 1 - LOOKBACK)
            above = text.rfind("\n", floor, line_start - 1) + 1 or floor
            heading = _HEADING_RE.fullmatch(text, above, line_start - 1)
        if heading is None:
            return None
        words = WORD_RE.findall(heading.group("label"))
        for word in words:
            category = self.lexicon.classify(word)
            if category in ("professional", "volunteer", "beneficiary"):
                return role_of(category)
        cue = self.lexicon.cue(" ".join(words))  # "Public :", "Encadrement :"
        return role_of(cue) if cue in ("professional", "volunteer", "beneficiary") else None

    def _cell_above(self, text: str, match: re.Match[str], count: int) -> str | None:
        """The role named by the line above a count alone on its line, when that line is a
        short cell of words: a table pasted one cell per line ("Formateurs bénévoles\n7")."""
        line_start = text.rfind("\n", max(0, match.start() - LOOKBACK), match.start()) + 1
        line_end = text.find("\n", match.end())
        if not line_start or text[line_start:match.start()].strip(BULLETS) \
                or text[match.end():line_end if line_end != -1 else len(text)].strip():
            return None
        above = text[text.rfind("\n", max(0, line_start - LOOKBACK), line_start - 1) + 1:
                     line_start - 1]
        words = WORD_RE.findall(above)
        if not words or len(words) > _MAX_CELL_WORDS or any(c.isdigit() for c in above):
            return None
        role = self._named_role(words, count)
        return role if role in ("professionals", "volunteers", "beneficiaries") else None

    def section_role(self, text: str, pos: int, inhabitants: bool = False) -> str | None:
        """The role named by the section a count at `pos` is in, whatever counts come before it
        on its line: the label opening its line ("Équipe : 1 coordinatrice, 4 mamans"), else a
        heading above it over lines of counts ("Équipe :\n2 animateurs, 16 habitants");
        None when there is none or it names no role. For `inhabitants`, a team whose label says
        no pay ("Équipe", "Encadrement", "Intervenants") makes them volunteers: they help."""
        floor = max(0, pos - LOOKBACK)
        line_start = text.rfind("\n", floor, pos) + 1 or floor
        colon = text.find(":", line_start, pos)
        if colon != -1:
            heading = _HEADING_RE.fullmatch(text, line_start, colon + 1)
        else:
            heading = _heading_above(text, line_start, floor) if line_start > floor else None
        if heading is None:
            return None
        words = WORD_RE.findall(heading.group("label"))
        role = self._named_role(words, by_vector=False)  # no count to read a label's vector
        if inhabitants and role == "professionals" \
                and not any(role_stem(w) in _PAID_STEMS for w in words):
            return "volunteers"
        return role if role in ("professionals", "volunteers", "beneficiaries") else None

    def _line_label_role(self, text: str, pos: int) -> str | None:
        """The role named by a label that opens the line of a count at `pos` with words but no
        other count between ("Bénévoles : le noyau dur, c'est 6 personnes"), else None."""
        line_start = text.rfind("\n", max(0, pos - LOOKBACK), pos) + 1
        colon = text.find(":", line_start, pos)
        heading = _HEADING_RE.fullmatch(text, line_start, colon + 1) if colon != -1 else None
        if heading is None or any(c.isdigit() for c in text[colon:pos]):
            return None
        role = self._named_role(WORD_RE.findall(heading.group("label")))
        return role if role in ("professionals", "volunteers", "beneficiaries") else None

    def _line_label_runs(self, text: str, pos: int) -> bool:
        """Whether a label opening the line of a count at `pos` names a body that runs the
        action, whatever counts sit between ("Comité de pilotage : 1 chargée de mission, 8
        habitants")."""
        line_start = text.rfind("\n", max(0, pos - LOOKBACK), pos) + 1
        colon = text.find(":", line_start, pos)
        heading = _HEADING_RE.fullmatch(text, line_start, colon + 1) if colon != -1 else None
        return heading is not None and self._runs(heading.group("label"))

    def _label_start(self, text: str, pos: int, found: list[Mention]) -> int:
        floor = max(0, pos - 80)
        line_start = text.rfind("\n", floor, pos) + 1 or floor
        if found and found[-1].end > line_start:
            line_start = found[-1].end
        # A closed bracket qualifies the label ("Jeunes participants (11-17 ans) : 14"): its
        # marks cut nothing.
        cut = _LABEL_CUT_RE.match(closed_brackets_blank(text[line_start:pos]))
        start = line_start + cut.end() if cut else line_start
        while start < pos and not text[start].isalnum():
            start += 1
        return start
