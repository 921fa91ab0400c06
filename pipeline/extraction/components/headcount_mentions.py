"""The fiches_headcounts component: counts of people by role, in `doc.spans["headcounts"]`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.training import Example
from spacy.vocab import Vocab

from pipeline.config import RoleWords
from pipeline.extraction.count_phrases import CountReader

SPANS_KEY = "headcounts"


class HeadcountFinder(CountReader):
    """The spaCy adapter of `CountReader`: each count becomes a span with its role and range.

    Like spaCy's SpanRuler, it is given its data by `initialize`: the role word lists.
    """

    def __init__(self, roles: RoleWords | None = None, vocab: Vocab | None = None) -> None:
        super().__init__(roles, vocab)
        for name in ("count_role", "count_min", "count_max", "approximate", "count_per"):
            if not Span.has_extension(name):
                Span.set_extension(name, default=None)

    def initialize(self, get_examples: Callable[[], Iterable[Example]] | None = None, *,
                   nlp: Language | None = None, roles: RoleWords | None = None) -> None:
        """Read counts with `roles`' word lists from now on."""
        self.roles = roles
        self._lexicon = None
        self._cues = None

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


@Language.factory("fiches_headcounts", assigns=["doc.spans"])
def make_headcounts(nlp: Language, name: str) -> HeadcountFinder:
    """Build the fiches_headcounts component; the pipeline's vectors read unknown nouns and
    `initialize` gives it the role word lists."""
    return HeadcountFinder(None, nlp.vocab)
