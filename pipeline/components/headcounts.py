"""The fiches_headcounts component: counts of people by role, in `doc.spans["headcounts"]`."""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from pipeline.numbers import APPROX_PREFIX_RE, COUNT_RE, Count, count_from_match, fold

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
_LABEL_END_RE = re.compile(r"[ \u00a0]*(?:$|[\n.;,)/|+]|et\b|\-[ \u00a0])", re.IGNORECASE)
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
_CLAUSE_END = ".;\n"
_LOOKBACK = 300
_AFTER_WINDOW = 80
_YEAR_LIKE = range(1900, 2101)
_MAX_WORD = 40
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
        self.classify = lru_cache(maxsize=4096)(self._classify)

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


def _stem(word: str) -> str:
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


def _clause_start(text: str, pos: int) -> int:
    floor = max(0, pos - _LOOKBACK)
    return max(text.rfind(c, floor, pos) for c in _CLAUSE_END) + 1 or floor


class HeadcountFinder:
    """Finds counts of people and the role each count is about."""

    def __init__(self, config_dir: str = "") -> None:
        self.config_dir = config_dir
        self._lexicon: Lexicon | None = None
        for name in ("count_role", "count_min", "count_max", "approximate", "count_per"):
            if not Span.has_extension(name):
                Span.set_extension(name, default=None)

    @property
    def lexicon(self) -> Lexicon:
        """The role lexicon, read on first use."""
        if self._lexicon is None:
            self._lexicon = load_lexicon(self.config_dir)
        return self._lexicon

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
        matches = [m for m in COUNT_RE.finditer(text)]
        found: list[Mention] = []
        for i, match in enumerate(matches):
            next_start = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            mention = self._read(text, match, next_start, found)
            if mention is not None and not self._repeats(text, mention, found):
                found.append(mention)
        for mention in self._article_roles(text):
            if not self._repeats(text, mention, found):
                insort(found, mention, key=_start)
        return found

    def _read(self, text: str, match: re.Match[str], next_start: int,
              found: list[Mention]) -> Mention | None:
        count = count_from_match(match)
        if count is None:
            return None
        start, end = match.start(), match.end()
        after = text[end:end + _AFTER_WINDOW]
        head = _HEAD_RE.match(after)
        if head and fold(head.group("word")) in ("et", "ou"):
            head = None
        word, head_end = (head.group("word"), end + head.end()) if head else ("", end)
        for _ in range(2):
            if word and self.lexicon.classify(word) is None and _stem(word) in self.lexicon.skip:
                nxt = _HEAD_RE.match(text, head_end)
                if nxt is None:
                    break
                word, head_end = nxt.group("word"), nxt.end()
        category = self.lexicon.classify(word) if word else None
        if head is not None and category not in _COUNTED:
            return None  # a noun we do not count: organisations, meetings, euros...
        lone_article = match.group(0).lower() in ("un", "une")
        if lone_article and head is None:
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
        clause_after = self._clause_after(text, head_end, next_start)
        if _TRAILING_APPROX_RE.match(clause_after):
            count = Count(count.low, count.high, True)
        role: str | None = None
        if category in ("professional", "volunteer", "beneficiary"):
            role = _role_of(category)
        elif category == "inhabitant":
            cue = self.lexicon.cue(clause_after)
            role = "beneficiaries" if cue == "beneficiary" else "volunteers"
        elif category == "person":
            cue = self.lexicon.cue(clause_after)
            role = _role_of(cue)
            if role is None and clause_before:
                role = self._context_role(clause_before)
            role = role or "total"
        else:
            role = self._label_role(text, match, count, in_parens, clause_before, found)
            if role is None:
                return None
            if not in_parens and not (count.approximate and match.group("approx")):
                start = self._label_start(text, match.start(), found)
            head_end = end
        if role is None:
            return None
        if _DONT_BEFORE_RE.search(before) and found and found[-1].role != "total" \
                and not any(c in text[found[-1].end:match.start()] for c in _CLAUSE_END):
            return None
        per = _PER_UNIT_RE.match(text, head_end, min(len(text), head_end + 60))
        per_unit = _stem(per.group("unit")) if per else None
        if per_unit not in self.lexicon.per_units:
            per_unit = None
        return Mention(start, head_end, role, count, _stem(word) if word else "", per_unit)

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
                return True, None
        return True, text[clause_start:opening]

    def _clause_after(self, text: str, pos: int, limit: int) -> str:
        window = text[pos:min(limit, pos + _AFTER_WINDOW)]
        cut = min((i for i in (window.find(c) for c in _CLAUSE_END + "(") if i != -1),
                  default=len(window))
        return window[:cut]

    def _context_role(self, clause: str) -> str | None:
        for word in _WORD_RE.findall(clause):
            category = self.lexicon.classify(word)
            if category in ("professional", "volunteer", "inhabitant"):
                return _role_of(category)
        return None

    def _label_role(self, text: str, match: re.Match[str], count: Count, in_parens: bool,
                    clause_before: str | None, found: list[Mention]) -> str | None:
        """The role of a count with no noun after it: "Bénévoles : 20", "élus (24)"."""
        end = match.end()
        if match.group("approx"):
            return "total"
        if not _LABEL_END_RE.match(text, end):
            return None
        if in_parens:
            if text[end:end + 1] != ")" or not clause_before:
                return None
            return self._context_role(clause_before)
        label = text[self._label_start(text, match.start(), found):match.start()]
        has_colon = ":" in label
        words = _WORD_RE.findall(label)
        if not words or len(words) > 4 or any(c.isdigit() for c in label):
            return None
        if count.low in _YEAR_LIKE and not has_colon:
            return None
        for word in words:
            category = self.lexicon.classify(word)
            if category == "organisation":
                return None
            if role := _role_of(category):
                return role
        return None

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


@Language.factory(
    "fiches_headcounts",
    default_config={"config_dir": ""},
    assigns=["doc.spans"],
)
def make_headcounts(nlp: Language, name: str, config_dir: str) -> HeadcountFinder:
    """Build the fiches_headcounts component."""
    return HeadcountFinder(config_dir)
