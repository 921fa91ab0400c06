"""The noun a count of people is about: the word after it, a compound role, a unit "par centre"."""

from __future__ import annotations

import re

from pipeline.extraction.count_fte import POST
from pipeline.extraction.count_labels import LabelRoles
from pipeline.extraction.role_lexicon import WORD_RE, role_stem
from pipeline.normalize import fold

# The word right after a count, maybe after "de"/"d'" ("une vingtaine de personnes"); "de" is
# a word of its own, never the start of the noun ("24 demandeurs d'emploi").
_HEAD_RE = re.compile(
    r"[ \u00a0]{0,3}(?:(?:de[ \u00a0]{1,3}|d['’][ \u00a0]{0,3}))?(?P<word>[^\W\d_]{1,40})")
# "poste de", "demi-poste de", "mi-temps de", before the noun of the person it is a post of.
_POST_RE = re.compile(rf"(?:(?:demi-)?{POST}|mi-temps|temps[ \u00a0]+(?:plein|partiel))"
                      r"[ \u00a0]{1,3}(?:de|d['’])[ \u00a0]{0,3}", re.IGNORECASE)
_PER_UNIT_RE = re.compile(r"[ \u00a0]*(?:[^\W\d_]{1,30}[ \u00a0]+){0,2}?par[ \u00a0]+"
                          r"(?P<unit>[^\W\d_]{2,30})", re.IGNORECASE)
AFTER_WINDOW = 80


class NounHeads(LabelRoles):
    """Finds the noun after a count with the role lexicon (`LabelRoles.lexicon`)."""

    def _organisations(self, text: str, match: re.Match[str]) -> bool:
        """Whether a count names organisations ("15 associations")."""
        word = self._head(text, match.end())[0]
        return bool(word) and self.lexicon.classify(word) == "organisation"

    def _head(self, text: str, end: int) -> tuple[str, int, int]:
        """The noun a count at `end` is about: `(word, word_start, head_end)`, or `("", end, end)`.

        "et"/"ou" are no nouns, and "autre", "nouveaux"... are stepped over ("2 autres
        bénévoles"), also when a hyphen joins them to the noun ("1 grand-mère"), and so is a
        post of someone ("un demi-poste de coordinatrice").
        """
        head = _HEAD_RE.match(text, end, min(len(text), end + AFTER_WINDOW))
        if head is None or fold(head.group("word")) in ("et", "ou"):
            return "", end, end
        word, word_start, head_end = head.group("word"), head.start("word"), head.end()
        for _ in range(2):
            if post := _POST_RE.match(text, word_start):
                start = post.end()  # the noun after "poste de"
            elif self.lexicon.classify(word) is None and role_stem(word) in self.lexicon.skip:
                start = head_end + (text[head_end:head_end + 1] == "-")
            else:
                break
            nxt = _HEAD_RE.match(text, start, min(len(text), start + AFTER_WINDOW))
            if nxt is None:
                break
            word, word_start, head_end = nxt.group("word"), nxt.start("word"), nxt.end()
        return word, word_start, head_end

    def _compound(self, text: str, word: str, word_start: int) -> tuple[str, int] | None:
        """`(category, end)` of a compound role whose head `word` is at `word_start`."""
        if role_stem(word) not in self.lexicon.compound_heads:
            return None
        window = text[word_start:word_start + AFTER_WINDOW]
        words = list(WORD_RE.finditer(window))[:self.lexicon.compound_size]
        found = self.lexicon.compound([w.group() for w in words])
        if found is None:
            return None
        category, size = found
        return category, word_start + words[size - 1].end()

    def _per_unit(self, text: str, head_end: int) -> str | None:
        """The unit of "2 animateurs par centre" after a count's noun, if the lexicon knows it."""
        per = _PER_UNIT_RE.match(text, head_end, min(len(text), head_end + 60))
        per_unit = role_stem(per.group("unit")) if per else None
        return per_unit if per_unit in self.lexicon.per_units else None
