"""The role lexicon of `roles.json`: role nouns and cue words, matched with typos tolerated."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from functools import lru_cache

from pipeline.normalize import fold

WORD_RE = re.compile(r"[^\W\d_]{2,40}")
_MAX_WORD = 40
# Categories of people: an abbreviation is read against their words only.
_PEOPLE = ("professional", "volunteer", "beneficiary", "inhabitant")
# Abbreviations people write in a hurry ("2 anim", "1 dir", "4 bén."): a few letters.
_ABBREVIATION = range(3, 6)


class Lexicon:
    """Role nouns and cue words, matched accent-folded, singular or plural, typos tolerated."""

    def __init__(self, data: Mapping[str, Sequence[str]]) -> None:
        self.words: dict[str, str] = {}
        for category in ("other", "organisation", "admission", "person", "beneficiary",
                         "inhabitant", "volunteer", "professional"):
            for word in data.get(category, []):
                self.words[role_stem(word)] = category
        # Deletion index (as in SymSpell): a typo within the allowed distance of a known word
        # shares a deletion variant with it, so a lookup costs a few set probes, not a scan.
        self._variants: dict[str, set[str]] = {}
        for known in self.words:
            for variant in _deletions(known, _allowed(known)):
                self._variants.setdefault(variant, set()).add(known)
        self.cues = {name: {role_stem(w) for w in data.get(f"{name}_cues", [])}
                     for name in ("beneficiary", "volunteer", "professional")}
        self.skip = {role_stem(w) for w in data.get("skip_before_noun", [])}
        # Words after inhabitants that say they run the action: "élus", "membres du comité".
        self.running = {role_stem(w) for w in data.get("running_qualifiers", [])}
        # Staff in a team, or the public of a training: "stagiaire".
        self.trainees = {role_stem(w) for w in data.get("team_or_trainees", [])}
        self.collective = {role_stem(w) for w in data.get("collective", [])}
        self.per_units = {role_stem(w) for w in data.get("per_unit_nouns", [])}
        # Nouns of households, which persons counted after them may break down.
        self.households = {role_stem(w) for w in data.get("households", [])}
        # "adulte relais", "jeune en service civique": a head noun and the words after it that
        # change its role.
        self.compounds: dict[tuple[str, ...], str] = {}
        for category in ("professional", "volunteer", "beneficiary", "other"):
            for phrase in data.get(f"{category}_compounds", []):
                self.compounds[tuple(role_stem(w) for w in WORD_RE.findall(phrase))] = category
        self.compound_size = max((len(k) for k in self.compounds), default=0)
        self.compound_heads = {k[0] for k in self.compounds}
        self.classify = lru_cache(maxsize=4096)(self._classify)
        self.is_cue = lru_cache(maxsize=4096)(self._is_cue)
        self._people = sorted((stem, category) for stem, category in self.words.items()
                              if category in _PEOPLE)

    def abbreviation(self, word: str) -> str | None:
        """The category of a role word `word` cuts short ("anim", "dir", "bén", "educ"): the
        category of the shortest people word it begins, as "bén" stands for "bénévole" and
        "bénéf" for "bénéficiaire"; None when it begins none, or is no short word."""
        stem = fold(word)
        if len(stem) not in _ABBREVIATION or stem in self.words:
            return None
        i = bisect_left(self._people, (stem, ""))
        found: tuple[int, str] | None = None
        while i < len(self._people) and self._people[i][0].startswith(stem):
            known, category = self._people[i]
            if found is None or len(known) < found[0]:
                found = (len(known), category)
            i += 1
        return found[1] if found else None

    def compound(self, words: list[str]) -> tuple[str, int] | None:
        """The category of the longest compound `words` starts with, and its size in words."""
        stems = tuple(role_stem(w) for w in words[:self.compound_size])
        for size in range(len(stems), 1, -1):
            if (category := self.compounds.get(stems[:size])) is not None:
                return category, size
        return None

    def _classify(self, word: str) -> str | None:
        stem = role_stem(word)
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

    def _is_cue(self, word: str, name: str) -> bool:
        """Whether `word` is a cue word of role `name`, typos tolerated as for role nouns
        ("nénévoles", "benevolles", "bénévols" are "bénévoles")."""
        stem = role_stem(word)
        return stem in self.cues[name] or len(stem) <= _MAX_WORD and any(
            abs(len(stem) - len(known)) <= _allowed(known)
            and _osa_distance(stem, known, _allowed(known)) <= _allowed(known)
            for known in self.cues[name])

    def cue(self, text: str) -> str | None:
        """The strongest role cue in `text`: beneficiary, then volunteer, then professional."""
        stems = {role_stem(w) for w in WORD_RE.findall(text)}
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
def role_stem(word: str) -> str:
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
