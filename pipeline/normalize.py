"""The one home of text normalisation shared by the stages: folding, French number words and
the words that make a number an estimate.

Every regex here is precompiled, its repetitions bounded, so no input makes it backtrack.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from text_to_num import text2num

# Ligatures and typographic apostrophes, mapped before accents are stripped ("Œ" has no
# decomposition, so it would survive NFKD).
_FOLD_TABLE = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss",
                             "\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def fold(text: str) -> str:
    """Case-folded `text` without accents, ligatures spelled out and apostrophes straight:
    "L’Œuvre Élue" -> "l'oeuvre elue". For comparing words; offsets are not kept."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65_536)
def fold_word(word: str) -> str:
    """`fold` of one word, remembered: a catalogue repeats its words, so the stages that fold
    every token fold each distinct word once (the cache is bounded)."""
    return fold(word)


# French number words, longest alternatives first so "quatorze" is not read as "quatre";
# Belgian and Swiss tens (septante, huitante, octante, nonante) included.
NUMBER_WORDS = (
    "quatre-vingts?|soixante|quarante|cinquante|quatorze|vingts?|trente|septante|huitante"
    "|octante|nonante|treize|quinze|douze|seize|trois|quatre|cinq|onze|deux|sept|huit|neuf"
    "|dix|six|cents?|mille|une|un"
)



def words_to_number(words: str) -> int | None:
    """The whole number French `words` spell ("deux mille cinq cents" -> 2500), else None.

    The caller has matched `words` against `NUMBER_WORDS` (bounded runs), so the converter only
    ever sees a few number words.
    """
    try:
        value = text2num(words.lower(), "fr")
    except ValueError:
        return None
    return value if isinstance(value, int) else None


# Words before a number that make it an estimate ("environ 300 €", "près de 20 personnes").
# Each caller anchors the pattern at the number (`...[ ]{0,3}$` on a short window before it).
APPROX_BEFORE = (
    r"\benviron|\bapproximativement|\bapprox\.?|\benv\.|\bà[\s\u00a0]peu[\s\u00a0]près"
    r"|\bpr[eè]s[\s\u00a0]d[e'’]|\bautour[\s\u00a0]d[eu'’]|\bde[\s\u00a0]l['’]ordre[\s\u00a0]d[e'’]"
    r"|~|≈"
)
# The same, written after the number ("300 € environ").
APPROX_AFTER_RE = re.compile(r"^[\s\u00a0]{0,3}(?:environ|env\.|approximativement)\b",
                             re.IGNORECASE)
