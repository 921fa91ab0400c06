"""Text as the tagger sees it: accent-folded, lowercased, stemmed words of a fiche's fields."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.normalize import fold
from pipeline.records import TEXT_FIELDS, Fiche

# ---------------------------------------------------------------------------------------------
# Text normalisation: accent-folded, lowercased words, French function words dropped, plural and
# feminine endings stripped. Cheap and model-free, so suggesting needs no spaCy.

WORD_RE = re.compile(r"[^\W_]+\*?")
STOPWORDS = frozenset("""
a à afin ai aie aient ainsi alors au aucun aupres auprès aussi autre aux avait avant avec avoir
avons avez ayant c contre ça car ce ceci cela celle celles celui ces cet cette chacun chaque
chez ci comme comment
d dans de des deja déjà depuis dont du elle elles en encore entre est et etaient étaient etait
était etant étant ete été etre être eu eux fait faire fois font ici il ils j je jusqu l la le
les leur leurs lors lui m ma mais me meme même mes moi mon n ne ni nos notre nous on ont ou où
par parce pas peu peut plus pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa
sans se selon ses si sinon soi soit son sont sous suis sur t ta te tel telle tes toi ton tous
tout toute toutes tres très tu un une unes uns vers via vos votre vous y
""".split())
# Folded forms too, so that "très" and "tres" are both dropped.
_STOP = frozenset(unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode()
                  for w in STOPWORDS) | STOPWORDS


def light_stem(word: str) -> str:
    """Strip French plural and feminine endings from a folded word: "agees" -> "age",
    "sociaux" -> "social", "culturelles" -> "culturel". Derivation is left alone."""
    if len(word) > 4 and word.endswith("eaux"):
        word = word[:-1]
    elif len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    for ending, replacement in (("elle", "el"), ("enne", "en"), ("euse", "eur"), ("ive", "if"),
                                ("ee", "e")):
        if len(word) > len(ending) + 1 and word.endswith(ending):
            return word[: -len(ending)] + replacement
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=200_000)
def normalise_word(word: str) -> tuple[str, str] | None:
    """(folded, stem) of a surface word, or None for a function word."""
    folded = fold(word)
    if folded in _STOP or (len(folded) < 2 and not folded.isdigit()):
        return None
    return folded, light_stem(folded)


@dataclass(frozen=True)
class Token:
    """A content word: its stem (for matching), folded form (for prefixes), surface, and where
    it is in its field's text (character offsets)."""

    stem: str
    folded: str
    surface: str
    start: int = 0
    end: int = 0


def tokenize(text: str) -> list[Token]:
    """The content words of `text`, in order."""
    out = []
    for match in WORD_RE.finditer(text):
        surface = match.group().rstrip("*")
        norm = normalise_word(surface)
        if norm is not None:
            out.append(Token(norm[1], norm[0], surface, match.start(),
                             match.start() + len(surface)))
    return out


# Fields read by the tagger, with how much a match there counts. Keywords and dimension are the
# answers, so they are never read.
FIELD_WEIGHTS: dict[str, float] = {"title": 2.0, "summary": 1.5, "public": 1.0}


@dataclass
class Document:
    """A fiche as the tagger reads it: tokens per field."""

    id: str
    fields: list[tuple[str, list[Token]]]
    # The form's closed answers, folded: "initiative=un groupe d'habitants", "public=seniors".
    facets: tuple[str, ...] = ()
    # Each field's text, as written (for evidence); aligned with `fields`.
    texts: tuple[str, ...] = ()

    def tokens(self) -> Iterable[tuple[float, Token]]:
        for name, toks in self.fields:
            weight = FIELD_WEIGHTS.get(name, 1.0)
            for tok in toks:
                yield weight, tok

    def stem_text(self) -> str:
        """Space-joined stems for the TF-IDF vectoriser; the title counts twice."""
        parts = []
        for name, toks in self.fields:
            words = " ".join(t.stem for t in toks if not t.stem.isdigit())
            parts.append(f"{words} {words}" if name == "title" else words)
        return " ".join(parts)

    def raw_text(self) -> str:
        return " ".join(t.surface for _, toks in self.fields for t in toks)

    def phrase(self, field: int, first: int, last: int) -> str:
        """The text of tokens `first` to `last` (inclusive) of a field, as written."""
        toks = self.fields[field][1]
        if field < len(self.texts):
            return " ".join(self.texts[field][toks[first].start:toks[last].end].split())
        return " ".join(t.surface for t in toks[first:last + 1])

    def surface_of(self, stems: list[str]) -> str | None:
        """The first run of consecutive words with these stems, as written in the fiche; None if
        the fiche has no such run."""
        n = len(stems)
        for f, (_, toks) in enumerate(self.fields):
            for i in range(len(toks) - n + 1):
                if all(toks[i + k].stem == stems[k] for k in range(n)):
                    return self.phrase(f, i, i + n - 1)
        return None


def fiche_document(fiche: Fiche) -> Document:
    """The tagger's reading of a fiche: title, free-text fields, the public and who initiated
    the action (both tell the dimension: a group of inhabitants points to project support)."""
    texts = [("title", fiche.title or "")]
    texts += [(name, text) for name, text in fiche.text_fields().items() if name in TEXT_FIELDS]
    texts.append(("public", " ; ".join(fiche.public)))
    texts.append(("initiative", " ; ".join(fiche.initiative)))
    facets = tuple(sorted({f"initiative={fold(v).strip()}" for v in fiche.initiative}
                          | {f"public={fold(v).strip()}" for v in fiche.public}))
    kept = [(name, text) for name, text in texts if text]
    return Document(fiche.id, [(name, tokenize(text)) for name, text in kept], facets,
                    tuple(text for _, text in kept))
