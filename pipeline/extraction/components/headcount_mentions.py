"""The fiches_headcounts component: counts of people by role, in `doc.spans["headcounts"]`."""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.vocab import Vocab

from pipeline.extraction.numbers import (
    APPROX_PREFIX_RE,
    COUNT_RE,
    NUMBER_WORDS_RE,
    Count,
    count_from_match,
    fold,
    parse_number,
)
from pipeline.extraction.people_cues import PeopleCues
from pipeline.extraction.roles import RoleReader

SPANS_KEY = "headcounts"
ROLES_FILE = "roles.json"
DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
ROLES = ("professionals", "volunteers", "beneficiaries", "total")

# The word right after a count, maybe after "de"/"d'" ("une vingtaine de personnes").
_HEAD_RE = re.compile(r"[ \u00a0]{0,3}(?:(?:de|d['’])[ \u00a0]{0,3})?(?P<word>[^\W\d_]{1,40})")
_WORD_RE = re.compile(r"[^\W\d_]{2,40}")
# Ages and durations: "16 / 25 ans", "11-17 ans", "depuis 15 ans".
_AGE_AFTER_RE = re.compile(r"[ \u00a0]*(?:[/-][ \u00a0]*\d{1,3}[ \u00a0]*)?ans?\b", re.IGNORECASE)
_AGE_BEFORE_RE = re.compile(r"\b(?:âgée?s?|age|âge)[ \u00a0]+(?:de[ \u00a0]+)?$", re.IGNORECASE)
# What may follow a count read from a label ("Bénévoles : 20"): the end of a clause, nothing else.
_LABEL_END_RE = re.compile(r"[ \u00a0]*(?:$|[\n.;,()/|+]|et\b|\-[ \u00a0])", re.IGNORECASE)
_LABEL_CUT_RE = re.compile(r".*[;,/|(+\-–•]", re.DOTALL)
_TRAILING_APPROX_RE = re.compile(r"[ \u00a0]*(?:environ|env\.|approximativement)\b",
                                 re.IGNORECASE)
_DONT_BEFORE_RE = re.compile(r"\bdont[ \u00a0]+(?:environ[ \u00a0]+)?$", re.IGNORECASE)
_PER_UNIT_RE = re.compile(r"[ \u00a0]*(?:[^\W\d_]{1,30}[ \u00a0]+){0,2}?par[ \u00a0]+"
                          r"(?P<unit>[^\W\d_]{2,30})", re.IGNORECASE)
# "le directeur", "la référente famille", "notre coordinatrice": one person.
_ARTICLE_ROLE_RE = re.compile(
    r"(?<![^\W\d_])(?:le|la|l['’]|notre|son|sa|leur)[ \u00a0]{0,3}(?P<word>[^\W\d_]{3,30})",
    re.IGNORECASE,
)
# Full-time equivalents: "2 ETP", "0,5 ETP", "1.5 équivalent temps plein". People are counted,
# so a fraction stands for at least one person: the FTE rounded up.
_FTE_RE = re.compile(
    r"(?<![\d.,])(?P<whole>\d{1,2})(?:[.,](?P<frac>\d{1,2}))?[ \u00a0]{0,3}"
    r"(?:ETP|[ée]quivalents?[ \u00a0]temps[ \u00a0]plein)(?![^\W\d_])",
    re.IGNORECASE,
)
# What may sit between a person and the FTE that only qualifies them: "1 animatrice (0,5 ETP)",
# "1 coordinatrice à 0,5 ETP".
_QUALIFIER_GAP_RE = re.compile(
    r"[ \u00a0]{0,3}[(:,]?[ \u00a0]{0,3}(?:(?:à|a|sur|pour|soit|en)[ \u00a0]{1,3})?",
    re.IGNORECASE,
)
# "2 animateurs x 3 sites": as many people per unit named.
_TIMES_RE = re.compile(
    rf"[ \u00a0]{{0,3}}[x×*][ \u00a0]{{0,3}}(?P<number>\d{{1,2}}(?!\d)|{NUMBER_WORDS_RE.pattern})"
    r"[ \u00a0]{1,3}(?P<unit>[^\W\d_]{2,30})",
    re.IGNORECASE,
)
# A heading line naming who the counts under it are: "Bénévoles :", "- Personnel :".
_HEADING_RE = re.compile(
    r"[ \u00a0\t\-–•*]{0,6}(?P<label>[^\W\d_][^\d:\n]{1,60}?)[ \u00a0\t]*:[ \u00a0\t]*"
)
# "soit 25 personnes au total", "Total : 25 personnes", "en tout 25 personnes".
_TOTAL_BEFORE_RE = re.compile(r"(?:\bsoit|\btotal|\ben[ \u00a0]tout)[ \u00a0:]{0,3}$",
                              re.IGNORECASE)
_TOTAL_AFTER_RE = re.compile(r"[ \u00a0]{0,3}(?:au[ \u00a0]total|en[ \u00a0]tout)\b",
                             re.IGNORECASE)
_BULLETS = " \u00a0\t-–•*"
_CLAUSE_END = ".;\n"
_LOOKBACK = 300
_AFTER_WINDOW = 80
_YEAR_LIKE = range(1900, 2101)
_MAX_WORD = 40
# Inhabitants with no cue are taken to run the action; the post-pass of `find` may revise it.
_ASSUMED_VOLUNTEERS = "assumed volunteers"
_COUNTED = frozenset({"professional", "volunteer", "inhabitant", "beneficiary", "person"})


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


class Lexicon:
    """Role nouns and cue words, matched accent-folded, singular or plural, typos tolerated."""

    def __init__(self, data: dict[str, list[str]]) -> None:
        self.words: dict[str, str] = {}
        for category in ("other", "organisation", "person", "beneficiary", "inhabitant",
                         "volunteer", "professional"):
            for word in data.get(category, []):
                self.words[_stem(word)] = category
        # Deletion index (as in SymSpell): a typo within the allowed distance of a known word
        # shares a deletion variant with it, so a lookup costs a few set probes, not a scan.
        self._variants: dict[str, set[str]] = {}
        for known in self.words:
            for variant in _deletions(known, _allowed(known)):
                self._variants.setdefault(variant, set()).add(known)
        self.cues = {name: {_stem(w) for w in data.get(f"{name}_cues", [])}
                     for name in ("beneficiary", "volunteer", "professional")}
        self.skip = {_stem(w) for w in data.get("skip_before_noun", [])}
        self.collective = {_stem(w) for w in data.get("collective", [])}
        self.per_units = {_stem(w) for w in data.get("per_unit_nouns", [])}
        # "adulte relais", "jeune en service civique": a head noun and the words after it that
        # change its role.
        self.compounds: dict[tuple[str, ...], str] = {}
        for category in ("professional", "volunteer", "beneficiary", "other"):
            for phrase in data.get(f"{category}_compounds", []):
                self.compounds[tuple(_stem(w) for w in _WORD_RE.findall(phrase))] = category
        self.compound_size = max((len(k) for k in self.compounds), default=0)
        self.compound_heads = {k[0] for k in self.compounds}
        self.classify = lru_cache(maxsize=4096)(self._classify)

    def compound(self, words: list[str]) -> tuple[str, int] | None:
        """The category of the longest compound `words` starts with, and its size in words."""
        stems = tuple(_stem(w) for w in words[:self.compound_size])
        for size in range(len(stems), 1, -1):
            if (category := self.compounds.get(stems[:size])) is not None:
                return category, size
        return None

    def _classify(self, word: str) -> str | None:
        stem = _stem(word)
        if stem in self.words:
            return self.words[stem]
        if len(stem) > _MAX_WORD:
            return None
        candidates: set[str] = set()
        for variant in _deletions(stem, 2 if len(stem) >= 10 else 1):
            candidates |= self._variants.get(variant, set())
        best: tuple[int, str] | None = None
        for known in sorted(candidates):
            allowed = _allowed(known)
            distance = _osa_distance(stem, known, allowed)
            if distance <= allowed and (best is None or distance < best[0]):
                best = (distance, self.words[known])
        return best[1] if best and best[1] != "other" else None

    def cue(self, text: str) -> str | None:
        """The strongest role cue in `text`: beneficiary, then volunteer, then professional."""
        stems = {_stem(w) for w in _WORD_RE.findall(text)}
        for name in ("beneficiary", "volunteer", "professional"):
            if stems & self.cues[name]:
                return name
        if any(self.classify(w) == "volunteer" for w in stems):
            return "volunteer"
        return None


def _allowed(known: str) -> int:
    """Edits tolerated for a typo of `known`: none for short words, where typos make others."""
    return 2 if len(known) >= 11 else 1 if len(known) >= 6 else 0


def _deletions(word: str, depth: int) -> set[str]:
    """`word` and every string made by deleting up to `depth` of its characters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    """`word` accent-folded, lower-case, without a plural "s"/"x" ("Bénévoles" -> "benevole")."""
    folded = fold(word)
    return folded[:-1] if len(folded) > 3 and folded[-1] in "sx" else folded


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (edits and adjacent swaps), cut off above `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def load_lexicon(config_dir: str | Path) -> Lexicon:
    """Read `roles.json` from `config_dir` (the project's `config/` when empty).

    Raises:
        OSError: when the file cannot be read.
        ValueError: when it is not a JSON object of word lists.
    """
    path = Path(config_dir or DEFAULT_CONFIG_DIR) / ROLES_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of word lists")
    return Lexicon({k: v for k, v in data.items() if isinstance(v, list)})


def _start(mention: Mention) -> int:
    return mention.start


def _role_of(category: str | None) -> str | None:
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


def _merge(first: list[re.Match[str]], second: Iterable[re.Match[str]]) -> list[re.Match[str]]:
    """`first` and the matches of `second` that overlap none of it, in text order."""
    merged: list[re.Match[str]] = []
    i = 0
    for match in second:
        while i < len(first) and first[i].end() <= match.start():
            merged.append(first[i])
            i += 1
        if i < len(first) and first[i].start() < match.end():
            continue
        merged.append(match)
    merged.extend(first[i:])
    return merged


def _continues(gap: str) -> bool:
    """Whether the text between two counts keeps them in one statement: no sentence end, and a
    line break only before a line that opens with "dont" ("22 parents\ndont 8 papas")."""
    if "." in gap or ";" in gap:
        return False
    return "\n" not in gap or gap.rsplit("\n", 1)[1].strip(_BULLETS).lower().startswith("dont")


def _clause_start(text: str, pos: int) -> int:
    floor = max(0, pos - _LOOKBACK)
    return max(text.rfind(c, floor, pos) for c in _CLAUSE_END) + 1 or floor


class HeadcountFinder:
    """Finds counts of people and the role each count is about."""

    def __init__(self, config_dir: str = "", vocab: Vocab | None = None) -> None:
        self.config_dir = config_dir
        self.vocab = vocab
        self._lexicon: Lexicon | None = None
        self._cues: PeopleCues | None = None
        for name in ("count_role", "count_min", "count_max", "approximate", "count_per"):
            if not Span.has_extension(name):
                Span.set_extension(name, default=None)

    @property
    def lexicon(self) -> Lexicon:
        """The role lexicon, read on first use."""
        if self._lexicon is None:
            self._lexicon = load_lexicon(self.config_dir)
        return self._lexicon

    @property
    def cues(self) -> PeopleCues:
        """What the words around a count say of its role, with the model's vectors if any."""
        if self._cues is None:
            reader = RoleReader(self.vocab, load_prototypes(self.config_dir)) \
                if self.vocab is not None else None
            self._cues = PeopleCues(self.lexicon, reader)
        return self._cues

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for mention in self.find(doc.text):
            span = doc.char_span(mention.start, mention.end, label=mention.role,
                                 alignment_mode="expand")
            if span is None:
                continue
            span._.count_role = mention.role
            span._.count_min = mention.count.low
            span._.count_max = mention.count.high
            span._.approximate = mention.count.approximate
            span._.count_per = mention.per_unit
            spans.append(span)
        doc.spans[SPANS_KEY] = SpanGroup(doc, name=SPANS_KEY, spans=spans)
        return doc

    def find(self, text: str) -> list[Mention]:
        """Every count of people in `text`, in text order."""
        matches = _merge(list(_FTE_RE.finditer(text)), COUNT_RE.finditer(text))
        found: list[Mention] = []
        # Each count's clause runs to the next count that is not an age ("25 jeunes de 12 à 17
        # ans inscrits": "inscrits" still tells who the 25 are).
        limits = [len(text)] * len(matches)
        for i in range(len(matches) - 2, -1, -1):
            following = matches[i + 1]
            limits[i] = limits[i + 1] if _AGE_AFTER_RE.match(text, following.end()) \
                else following.start()
        for i, match in enumerate(matches):
            next_start = limits[i]
            if match.re is _FTE_RE:
                mention = self._read_fte(text, match, found)
            else:
                mention = self._read(text, match, next_start, found)
            if mention is not None and not self._repeats(text, mention, found):
                found.append(mention)
        for mention in self._article_roles(text):
            if not self._repeats(text, mention, found):
                insort(found, mention, key=_start)
        # Inhabitants run the action only when the field names no volunteers of its own; where
        # it does, the others are the public.
        if any(m.role == "volunteers" and not m.assumed for m in found):
            found = [replace(m, role="beneficiaries", assumed=False) if m.assumed else m
                     for m in found]
        return found

    def _read_fte(self, text: str, match: re.Match[str],
                  found: list[Mention]) -> Mention | None:
        """A count of professionals from a full-time equivalent, rounded up to whole people.

        None when the FTE only qualifies the professional counted just before it ("1
        coordinatrice à 0,5 ETP" is one person).
        """
        whole, frac = int(match.group("whole")), int(match.group("frac") or 0)
        people = whole + (1 if frac else 0)
        if people == 0:
            return None
        if found and found[-1].role == "professionals" and found[-1].end <= match.start():
            gap = _QUALIFIER_GAP_RE.match(text, found[-1].end, match.start())
            if gap is not None and gap.end() == match.start():
                return None
        return Mention(match.start(), match.end(), "professionals", Count(people, people), "")

    def _head(self, text: str, end: int) -> tuple[str, int, int]:
        """The noun a count at `end` is about: `(word, word_start, head_end)`, or `("", end, end)`.

        "et"/"ou" are no nouns, and "autre", "nouveaux"... are stepped over ("2 autres
        bénévoles").
        """
        head = _HEAD_RE.match(text, end, min(len(text), end + _AFTER_WINDOW))
        if head is None or fold(head.group("word")) in ("et", "ou"):
            return "", end, end
        word, word_start, head_end = head.group("word"), head.start("word"), head.end()
        for _ in range(2):
            if self.lexicon.classify(word) is None and _stem(word) in self.lexicon.skip:
                nxt = _HEAD_RE.match(text, head_end, min(len(text), head_end + _AFTER_WINDOW))
                if nxt is None:
                    break
                word, word_start, head_end = nxt.group("word"), nxt.start("word"), nxt.end()
        return word, word_start, head_end

    def _compound(self, text: str, word: str, word_start: int) -> tuple[str, int] | None:
        """`(category, end)` of a compound role whose head `word` is at `word_start`."""
        if _stem(word) not in self.lexicon.compound_heads:
            return None
        window = text[word_start:word_start + _AFTER_WINDOW]
        words = list(_WORD_RE.finditer(window))[:self.lexicon.compound_size]
        found = self.lexicon.compound([w.group() for w in words])
        if found is None:
            return None
        category, size = found
        return category, word_start + words[size - 1].end()

    def _multiplied(self, text: str, count: Count, head_end: int) -> tuple[Count, int]:
        """`count` times the units of "x 3 sites" after it, and where that ends; else unchanged.

        Only distinct units multiply people: "3 bénévoles x 4 séances" are the same three.
        """
        times = _TIMES_RE.match(text, head_end, min(len(text), head_end + _AFTER_WINDOW))
        if times is None or _stem(times.group("unit")) not in self.lexicon.per_units:
            return count, head_end
        factor = parse_number(times.group("number"))
        if not factor:
            return count, head_end
        return Count(count.low * factor, count.high * factor, count.approximate), times.end()

    def _read(self, text: str, match: re.Match[str], next_start: int,
              found: list[Mention]) -> Mention | None:
        count = count_from_match(match)
        if count is None:
            return None
        start, end = match.start(), match.end()
        after = text[end:end + _AFTER_WINDOW]
        word, word_start, head_end = self._head(text, end)
        category = self.lexicon.classify(word) if word else None
        if word and (compound := self._compound(text, word, word_start)) is not None:
            category, head_end = compound
        if word and category is None and _stem(word) not in self.lexicon.skip:
            category = self.cues.unknown_noun(text, word, head_end, count.high,
                                              self._clause_after(text, head_end, next_start))
        if word and category not in _COUNTED:
            return None  # a noun we do not count: organisations, meetings, euros...
        lone_article = match.group(0).lower() in ("un", "une")
        if lone_article and not word:
            return None
        before = text[max(0, start - 40):start]
        if _AGE_AFTER_RE.match(after) or _AGE_BEFORE_RE.search(before):
            return None
        if prefix := APPROX_PREFIX_RE.search(before):
            count = Count(count.low, count.high, True)
            start = start - len(before) + prefix.start()
        in_parens, clause_before = self._parenthetical(text, match.start(), found)
        if in_parens and clause_before is None:
            return None
        if word:
            count, head_end = self._multiplied(text, count, head_end)
        clause_after = self._clause_after(text, head_end, next_start)
        if _TRAILING_APPROX_RE.match(clause_after):
            count = Count(count.low, count.high, True)
        role: str | None
        assumed = False
        if word:
            role = self.cues.qualified_role(text, head_end, category, clause_after)
            if role is None:
                role = self._noun_role(text, category, (match.start(), head_end), before,
                                       clause_before, clause_after)
                assumed = role == _ASSUMED_VOLUNTEERS
                role = "volunteers" if assumed else role
        else:
            role = self._label_role(text, match, count, in_parens, clause_before, found)
            if role is None:
                return None
            if not in_parens:
                start = self._label_start(text, match.start(), found)
            head_end = end
        if _DONT_BEFORE_RE.search(before) and found and found[-1].role != "total" \
                and _continues(text[found[-1].end:match.start()]):
            return None
        per = _PER_UNIT_RE.match(text, head_end, min(len(text), head_end + 60))
        per_unit = _stem(per.group("unit")) if per else None
        if per_unit not in self.lexicon.per_units:
            per_unit = None
        return Mention(start, head_end, role, count, _stem(word) if word else "", per_unit,
                       assumed)

    def _noun_role(self, text: str, category: str | None, bounds: tuple[int, int], before: str,
                   clause_before: str | None, clause_after: str) -> str:
        """The role of a count followed by a people noun of `category`.

        Inhabitants run the action (volunteers) unless a beneficiary cue follows; "personnes"
        take their role from a cue after them, from the clause their bracket follows, or from
        the heading they sit under, else they are the total. `bounds` are the count's start and
        its noun's end.
        """
        pos, head_end = bounds
        if category == "inhabitant":
            cue = self.lexicon.cue(clause_after)
            if cue == "beneficiary" or self.cues.aged(text, head_end):
                return "beneficiaries"
            return self._heading_role(text, pos) or _ASSUMED_VOLUNTEERS
        if category != "person":
            return _role_of(category) or "total"
        if _TOTAL_BEFORE_RE.search(before) or _TOTAL_AFTER_RE.match(clause_after):
            return "total"
        role = _role_of(self.lexicon.cue(clause_after)) or self.cues.served(text, head_end)
        if role is None and clause_before:
            role = self._context_role(clause_before)
        return role or self._heading_role(text, pos) or "total"

    def _parenthetical(self, text: str, pos: int,
                       found: list[Mention]) -> tuple[bool, str | None]:
        """Whether `pos` is inside "( ... )" on its line, and the clause before the bracket.

        The clause is None when it holds a count already read: the bracket then only breaks
        that count down ("3 coordinateurs (1 par centre ...)").
        """
        floor = max(0, pos - _LOOKBACK)
        line_start = text.rfind("\n", floor, pos) + 1 or floor
        opening = text.rfind("(", line_start, pos)
        if opening == -1 or text.find(")", opening, pos) != -1:
            return False, ""
        clause_start = _clause_start(text, opening)
        for earlier in reversed(found):
            if earlier.start < clause_start:
                break
            if earlier.end <= opening:
                # A breakdown of a count with a role is no new count; one of a total gives the
                # roles ("10 personnes (4 salariés et 6 bénévoles)").
                return True, None if earlier.role != "total" else text[clause_start:opening]
        return True, text[clause_start:opening]

    def _clause_after(self, text: str, pos: int, limit: int) -> str:
        window = text[pos:min(limit, pos + _AFTER_WINDOW)]
        cut = min((i for i in (window.find(c) for c in _CLAUSE_END + "(") if i != -1),
                  default=len(window))
        return window[:cut]

    def _context_role(self, clause: str) -> str | None:
        """The role of people a clause names before a bracket ("l'équipe du centre (5 ...)")."""
        for word in _WORD_RE.findall(clause):
            category = self.lexicon.classify(word)
            if category in ("professional", "volunteer", "inhabitant"):
                return _role_of(category)
        cue = self.lexicon.cue(clause)
        return _role_of(cue) if cue in ("professional", "volunteer") else None

    def _label_role(self, text: str, match: re.Match[str], count: Count, in_parens: bool,
                    clause_before: str | None, found: list[Mention]) -> str | None:
        """The role of a count with no noun after it: "Bénévoles : 20", "élus (24)".

        A count alone on its line takes the role of the heading above it; "une cinquantaine"
        with no label is the total.
        """
        end = match.end()
        approx = bool(match.group("approx"))
        fallback = "total" if approx else None
        if not approx and not _LABEL_END_RE.match(text, end):
            return None
        if in_parens:
            if approx:
                return self._context_role(clause_before or "") or "total"
            if text[end:end + 1] != ")" or not clause_before:
                return None
            return self._context_role(clause_before)
        label = text[self._label_start(text, match.start(), found):match.start()]
        words = _WORD_RE.findall(label)
        if not words:
            return self._heading_role(text, match.start()) or fallback
        if len(words) > 4 or any(c.isdigit() for c in label):
            return fallback
        if count.low in _YEAR_LIKE and ":" not in label:
            return None
        named = self._named_role(words)
        if named == "":
            return None
        return named or fallback

    def _named_role(self, words: list[str]) -> str | None:
        """The role a label's words name; "" when they name an organisation; None for neither."""
        if (compound := self.lexicon.compound(words)) is not None and compound[0] == "other":
            return ""  # "Intervenants extérieurs : 2": people the action does not count
        for word in words:
            category = self.lexicon.classify(word)
            if category == "organisation":
                return ""
            if role := _role_of(category):
                return role
        return _role_of(self.lexicon.cue(" ".join(words)))

    def _heading_role(self, text: str, pos: int) -> str | None:
        """The role named by the heading a count at `pos` sits under, else None.

        The heading is on the count's line ("Personnel : 3 personnes") or on a line above it,
        with only lines of counts between ("Bénévoles :\n8 personnes").
        """
        floor = max(0, pos - _LOOKBACK)
        line_start = text.rfind("\n", floor, pos) + 1 or floor
        heading = _HEADING_RE.fullmatch(text, line_start, pos)
        if heading is None:
            if text[line_start:pos].strip(_BULLETS):
                return None  # words before the count that are no heading
            heading = _heading_above(text, line_start, floor)
        if heading is None:
            return None
        role = self._named_role(_WORD_RE.findall(heading.group("label")))
        return role if role in ("professionals", "volunteers", "beneficiaries") else None

    def _label_start(self, text: str, pos: int, found: list[Mention]) -> int:
        floor = max(0, pos - 80)
        line_start = text.rfind("\n", floor, pos) + 1 or floor
        if found and found[-1].end > line_start:
            line_start = found[-1].end
        cut = _LABEL_CUT_RE.match(text, line_start, pos)
        start = cut.end() if cut else line_start
        while start < pos and not text[start].isalnum():
            start += 1
        return start

    def _article_roles(self, text: str) -> list[Mention]:
        mentions = []
        for match in _ARTICLE_ROLE_RE.finditer(text):
            word = match.group("word")
            stem = _stem(word)
            plural = fold(word)[-1:] in ("s", "x")
            if plural or stem in self.lexicon.collective:
                continue
            if self.lexicon.classify(word) == "professional":
                mentions.append(Mention(match.start(), match.end(), "professionals",
                                        Count(1, 1), stem))
        return mentions

    def _repeats(self, text: str, mention: Mention, found: list[Mention]) -> bool:
        """A later mention of a role noun already counted in the same sentence is a detail of it.

        "deux éducateurs ..., un éducateur sportif ..., un autre éducateur" counts two.
        """
        low = bisect_left(found, mention.start - _LOOKBACK, key=_start)
        high = bisect_right(found, mention.start, key=_start)
        for earlier in found[low:high]:
            if earlier.start < mention.start and earlier.head == mention.head and mention.head \
                    and earlier.count.high >= max(2, mention.count.high) \
                    and not any(c in text[earlier.end:mention.start] for c in _CLAUSE_END):
                return True
            if earlier.start <= mention.start < earlier.end:
                return True
        return False


def load_prototypes(config_dir: str | Path) -> dict[str, list[str]]:
    """The role prototypes of `roles.json` (empty when the file has none)."""
    path = Path(config_dir or DEFAULT_CONFIG_DIR) / ROLES_FILE
    data = json.loads(path.read_text(encoding="utf-8")).get("prototypes", {})
    return {k: v for k, v in data.items() if isinstance(v, list)}


@Language.factory(
    "fiches_headcounts",
    default_config={"config_dir": ""},
    assigns=["doc.spans"],
)
def make_headcounts(nlp: Language, name: str, config_dir: str) -> HeadcountFinder:
    """Build the fiches_headcounts component; the pipeline's vectors read unknown nouns."""
    return HeadcountFinder(config_dir, nlp.vocab)
