"""The fiches_headcounts component: counts of people by role, in `doc.spans["headcounts"]`."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.vocab import Vocab

from pipeline.extraction.count_phrases import CountReader

SPANS_KEY = "headcounts"


class HeadcountFinder(CountReader):
    """The spaCy adapter of `CountReader`: each count becomes a span with its role and range."""

    def __init__(self, config_dir: str = "", vocab: Vocab | None = None) -> None:
        super().__init__(config_dir, vocab)
        for name in ("count_role", "count_min", "count_max", "approximate", "count_per"):
            if not Span.has_extension(name):
                Span.set_extension(name, default=None)

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


@Language.factory(
    "fiches_headcounts",
    default_config={"config_dir": ""},
    assigns=["doc.spans"],
)
def make_headcounts(nlp: Language, name: str, config_dir: str) -> HeadcountFinder:
    """Build the fiches_headcounts component; the pipeline's vectors read unknown nouns."""
    return HeadcountFinder(config_dir, nlp.vocab)
