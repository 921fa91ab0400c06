"""The fiches_organisations component: a gazetteer of funders and partners with canonical ids."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup
from spacy.training import Example
from spacy.util import filter_spans

from pipeline.config import Gazetteer, PartnerConfig
from pipeline.normalize import fold, fold_word

SPANS_KEY = "orgs"
# Stock NER labels kept in `doc.spans["orgs"]` beside the gazetteer's.
_STOCK_ORG_LABELS = frozenset({"ORG"})
# Token-pattern attributes that a PhraseMatcher can stand in for (it hashes, the Matcher walks).
_PHRASE_ATTRS = ("ORTH", "LOWER")
# Determiners a pattern may need for context ("la commune") but that are not part of the name.
_LEADING_DETERMINERS = frozenset({"la", "le", "l'", "les", "cette", "d'"})
# A trailing number is a département ("CAF 93", "Habitat 44") only when it is short and is not
# the start of an amount or a share ("CAF 30 %", "CAF 3 500 €").
_MAX_NAME_DIGITS = 3
# An acronym of the gazetteer with a département number glued to it: "CD23", "CAF44", "CD2A".
_ACRONYM_RE = re.compile(r"[^\W\d_]{2,6}")
_GLUED_RE = re.compile(r"([^\W\d_]{2,6})(\d{2,3}|2[ABab])")
_AMOUNT_FOLLOWERS = frozenset({"%", "€", "euros", "euro", "eur", "k€", "ke", "keuros"})


class OrganisationRuler:
    """Matches gazetteer patterns; the gazetteer wins over the stock NER where they overlap.

    Phrase patterns are matched with a PhraseMatcher on a shadow Doc of accent- and case-folded
    tokens (one per original token, so indices carry over); token patterns with a Matcher on the
    original tokens, where case can tell "l'État" from "un état des lieux".

    Like spaCy's SpanRuler, it is given its data by `initialize`: the gazetteer, and the
    partner config that types what it finds (read by `partners.PartnerReader`).
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._partners: PartnerConfig | None = None
        self._clear()
        if not Span.has_extension("funder_type"):
            Span.set_extension("funder_type", default=None)

    def _clear(self) -> None:
        self.matcher = Matcher(self.nlp.vocab)
        self.phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.exact_matchers = {attr: PhraseMatcher(self.nlp.vocab, attr=attr)
                               for attr in _PHRASE_ATTRS}
        self.not_followed_by: dict[str, list[list[str]]] = {}
        self.funder_types: dict[str, str] = {}
        # Folded acronym -> (match key, the exact spelling required, if any).
        self.glued: dict[str, tuple[str, str | None]] = {}

    def initialize(self, get_examples: Callable[[], Iterable[Example]] | None = None, *,
                   nlp: Language | None = None, gazetteer: Gazetteer | None = None,
                   partners: PartnerConfig | None = None) -> None:
        """Replace the patterns with `gazetteer`'s and keep `partners` for partner typing."""
        self._clear()
        if gazetteer is not None:
            self.add_gazetteer(gazetteer)
        self._partners = partners

    @property
    def partners(self) -> PartnerConfig:
        """The partner config given to `initialize`.

        Raises:
            ValueError: the component was not initialised with one.
        """
        if self._partners is None:
            raise ValueError("fiches_organisations was not initialised with a partner config")
        return self._partners

    def add_gazetteer(self, data: Gazetteer) -> None:
        """Add the patterns (and exclusions) of a gazetteer to the matchers."""
        for entry in data.patterns:
            pattern = entry["pattern"]
            key = f"{entry['label']}|{entry.get('id', '')}"
            if isinstance(pattern, str):
                phrase = self._folded(self.nlp.make_doc(pattern))
                self.phrase_matcher.add(key, [phrase])
                if len(phrase) == 1:
                    self._add_glued(phrase[0].text, key, exact=False)
            elif (attr_phrases := _as_phrases(pattern)) is not None:
                attr, phrases = attr_phrases
                self.exact_matchers[attr].add(
                    key, [Doc(self.nlp.vocab, words=words) for words in phrases])
                for words in phrases:
                    if len(words) == 1:
                        self._add_glued(words[0], key, exact=attr == "ORTH")
            else:
                self.matcher.add(key, [pattern])
        self.funder_types.update(data.funder_types)
        for org_id, followers in data.not_followed_by.items():
            self.not_followed_by[org_id] = [
                [fold(t.text) for t in self.nlp.make_doc(p)] for p in followers]

    def _add_glued(self, word: str, key: str, exact: bool) -> None:
        """Let a one-word acronym match with a département number glued to it ("CD23")."""
        if _ACRONYM_RE.fullmatch(word):
            self.glued.setdefault(fold(word), (key, word if exact else None))

    def _glued_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        found = []
        for token in doc:
            text = token.text
            # cheap test first: "CD23", "CAF974", "CD2A" end in a digit or a Corsican letter
            if not 4 <= len(text) <= 9 or not (text[-1].isdigit() or text[-2] == "2"):
                continue
            if (match := _GLUED_RE.fullmatch(text)) is not None:
                key, exact = self.glued.get(fold(match.group(1)), (None, None))
                if key is not None and exact in (None, match.group(1)):
                    found.append((self.nlp.vocab.strings.add(key), token.i, token.i + 1))
        return found

    def __call__(self, doc: Doc) -> Doc:
        found = []
        matches = [*self.matcher(doc)] if len(self.matcher) else []
        if self.glued:
            matches.extend(self._glued_matches(doc))
        if len(self.phrase_matcher):
            matches.extend(self.phrase_matcher(self._folded(doc)))
        for exact in self.exact_matchers.values():
            if len(exact):
                matches.extend(exact(doc))
        for match_id, start, end in matches:
            label, _, org_id = self.nlp.vocab.strings[match_id].partition("|")
            while end - start > 1 and doc[start].lower_ in _LEADING_DETERMINERS:
                start += 1
            if _ends_in_amount(doc, start, end) or self._excluded(doc, end, org_id):
                continue
            found.append(Span(doc, start, end, label=label, span_id=org_id))
        gazetteer = filter_spans(found)
        for span in gazetteer:
            span._.funder_type = self.funder_types.get(span.id_)
        taken = {i for span in gazetteer for i in range(span.start, span.end)}
        stock = [ent for ent in doc.ents
                 if not any(i in taken for i in range(ent.start, ent.end))]
        doc.ents = sorted([*gazetteer, *stock], key=lambda s: s.start)
        own = {(s.start, s.end) for s in gazetteer}
        orgs = [s for s in doc.ents if s.label_ in _STOCK_ORG_LABELS or (s.start, s.end) in own]
        doc.spans[SPANS_KEY] = SpanGroup(doc, name=SPANS_KEY, spans=orgs)
        return doc

    def _folded(self, doc: Doc) -> Doc:
        return Doc(self.nlp.vocab, words=[fold_word(t.text) for t in doc],
                   spaces=[bool(t.whitespace_) for t in doc])

    def _excluded(self, doc: Doc, end: int, org_id: str) -> bool:
        for phrase in self.not_followed_by.get(org_id, []):
            following = [fold(t.text) for t in doc[end:end + len(phrase)]]
            if following == phrase:
                return True
        return False


def _ends_in_amount(doc: Doc, start: int, end: int) -> bool:
    """True when the match `doc[start:end]` ends in a number that starts an amount or a share
    ("CAF 30 %", "CAF 3 500 €") rather than a département ("CAF 93"). The name without the
    number is matched by its own pattern."""
    last = doc[end - 1]
    if end - start < 2 or not last.is_digit:
        return False
    following = doc[end] if end < len(doc) else None
    return len(last.text) > _MAX_NAME_DIGITS or (following is not None and (
        following.is_digit or following.lower_ in _AMOUNT_FOLLOWERS))


def _as_phrases(pattern: list[dict[str, Any]]) -> tuple[str, list[list[str]]] | None:
    """A token pattern made only of equality / IN tests on one attribute, as the phrases it
    matches (attribute, phrase word lists); None when it needs the Matcher."""
    attrs = {key for spec in pattern for key in spec}
    if len(attrs) != 1 or (attr := attrs.pop()) not in _PHRASE_ATTRS:
        return None
    choices: list[list[str]] = []
    for spec in pattern:
        value = spec[attr]
        if isinstance(value, str):
            choices.append([value])
        elif isinstance(value, dict) and set(value) == {"IN"}:
            choices.append([str(v) for v in value["IN"]])
        else:
            return None
    return attr, [list(words) for words in itertools.product(*choices)]


@Language.factory("fiches_organisations", assigns=["doc.ents", "doc.spans"])
def make_organisations(nlp: Language, name: str) -> OrganisationRuler:
    """Build the fiches_organisations component; `initialize` gives it its gazetteer."""
    return OrganisationRuler(nlp)
