"""Counts stated as none: "aucun salarié", "pas de bénévole" are an explicit 0, as "0 salarié"."""

from __future__ import annotations

import re

from pipeline.extraction.count_labels import Mention, role_of
from pipeline.extraction.numbers import Count
from pipeline.extraction.role_lexicon import WORD_RE, Lexicon, role_stem

# A determiner of none before a noun: "aucun salarié", "aucune bénévole", "pas de salarié",
# "pas d'animateur", "zéro bénévole".
_NONE_RE = re.compile(
    r"(?<![^\W\d_])(?:aucune?[ \u00a0]{1,3}|z[ée]ro[ \u00a0]{1,3}"
    r"|pas[ \u00a0]{1,3}(?:de[ \u00a0]{1,3}|d['’][ \u00a0]?))(?P<word>[^\W\d_]{2,40})",
    re.IGNORECASE)
# Only the actors' and the public's own nouns: "aucun habitant" or "pas de personne" says too
# little of a role to be a count of it.
_ZERO_OF = ("professional", "volunteer", "beneficiary")
_COMPOUND_WINDOW = 80


def none_mentions(text: str, lexicon: Lexicon) -> list[Mention]:
    """A zero count per role noun that a determiner of none governs, in text order; a compound
    that names other people ("aucun intervenant extérieur") is no count."""
    found = []
    for match in _NONE_RE.finditer(text):
        word = match.group("word")
        category = lexicon.classify(word)
        if category not in _ZERO_OF:
            continue
        window = text[match.start("word"):match.start("word") + _COMPOUND_WINDOW]
        compound = lexicon.compound(WORD_RE.findall(window))
        if compound is not None:
            category = compound[0]
        if (role := role_of(category)) in ("professionals", "volunteers", "beneficiaries"):
            found.append(Mention(match.start(), match.end(), role, Count(0, 0),
                                 role_stem(word)))
    return found
