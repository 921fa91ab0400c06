"""The fiches_money component: every amount of money in a field, in `doc.spans["money"]`."""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from pipeline.extraction.amounts import (
    AMOUNT_RE,
    BARE_NUMBER_RE,
    Amount,
    find_amounts,
    parse_number,
)
from pipeline.normalize import APPROX_AFTER_RE, APPROX_BEFORE

SPANS_KEY = "money"

# Words that make the amount after them an estimate ("environ 300 €", "~ 2 k€").
_APPROX_BEFORE_RE = re.compile(
    rf"(?:{APPROX_BEFORE}|\bquelque|\bestimée?s?[\s\u00a0]à)[\s\u00a0]{{0,3}}$", re.IGNORECASE)
_APPROX_WINDOW = 40

# A cell (a line, or a part of one between semicolons) that is nothing but a number, maybe
# after a short label and a colon, a tab or a column of spaces ("total : 1228", "CAF : 3500 ;
# Ville : 1500", "Achats      6 800", "81190"): in a
# budget field that number is euros. Cells are cut at 200 chars before matching.
# A spreadsheet line may open with its account number ("60 Achats      2 350").
_BARE_LINE_RE = re.compile(
    r"^[ \t\u00a0]*(?:\d{2,6}[ \t\u00a0]+(?=[^\W\d_]))?"
    r"(?:(?P<label>[^\n:\d]{1,80}?)(?::|\t|[ \u00a0]{2})[ \t\u00a0]*)?"
    r"(?P<number>\d[\d \u00a0\u202f.,]{0,20})[ \t\u00a0]*\.?[ \t\u00a0]*$"
)
_CELL_RE = re.compile(r"[^\n;]+")
_LOOSE_CELL_RE = re.compile(r"(?:[^\n;/]|(?<=\S)/(?=\S))+")  # " / " parts cells, "03/02" not
# "Label 1 200" alone on its line; the label may hold digits in brackets ("Etat (BOP 104) 5 000").
_LOOSE_LINE_RE = re.compile(
    r"^[ \t\u00a0]*(?P<label>(?:[^\n\d()]|\([^\n()]{0,40}\)){0,80}?"
    r"(?:[^\W\d_]\+?|\([^\n()]{0,40}\)))[ \t\u00a0]+"
    r"(?P<number>\d{3,6}|\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,2})[ \t\u00a0]*\.?[ \t\u00a0]*$")
# "45 000 Fonds social européen": the number first, then a name (capitalised) or who gave it
# ("3500 versés par la CAF", "1800 de la Région", "700 participation des familles"), alone on
# its line; from `_MIN_FIRST` up, so that a count ("24 Participantes") is not read as money.
_LOOSE_FIRST_RE = re.compile(
    r"^[ \t\u00a0]*(?P<number>\d{3,6}|\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,2})[ \t\u00a0]+"
    r"(?P<label>(?:[A-ZÉÈÀÂÎÔ]|(?i:d['’]|de[ \u00a0]|du[ \u00a0]|des[ \u00a0]|par[ \u00a0]"
    r"|(?:vers|apport|accord|attribu|donn|financ)[ée]e?s?[ \u00a0]|participation|subvention"
    r"|aide|contribution|cotisation|dotation|reste[ \u00a0]))[^\n\d]{1,80})$")
_MIN_FIRST = 100
# Labels whose number is a date, not money ("Année : 2019").
_DATE_LABEL_RE = re.compile(r"\b(?:ann[ée]es?|ann[ée]e\s+scolaire|exercice|depuis|date|p[ée]riode"
                            r"|en|dur[ée]e)\s*$", re.IGNORECASE)
_MAX_BARE_LINE = 200
# A table pasted flat on one line, with numbers and no currency: "Animation 2 000 Subvention
# CAF 1 500 ... Total 2 800". Read only on a line that names a budget side or a total, where
# at least two labels are followed by a number.
_TABLE_WORD_RE = re.compile(
    r"\b(?:total|d[ée]penses|recettes|charges|produits|subventions?|financements?|budget"
    r"|co[ûu]t)\b",
    re.IGNORECASE)
_TABLE_PAIR_RE = re.compile(
    r"(?<=[^\W\d_])[ \t\u00a0]{1,3}:?[ \t\u00a0]{0,3}"
    r"(?P<number>(?:\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,3}|\d{1,6})(?:,\d{1,2})?)"
    # not a part of a longer number ("1 400, animations": 1 400, not 1), nor a count or a rate
    r"(?![\d]|[.,/]\d|[ \u00a0\u202f]\d"
    r"|[ \u00a0]{0,3}(?:€|[kK]\b|[eE]\b|euros?\b|EUR\b|%|ans?\b|h\b|heures?\b|x\b))")
_MAX_TABLE_LINE = 600
_MIN_TABLE_PAIRS = 2
_YEARS = range(1950, 2101)
# A pasted table row, tab-separated: a label (digits allowed: "Habitat 76"), a number, and
# maybe another cell (who pays, a note).
_TAB_ROW_RE = re.compile(
    r"^[ \u00a0]*[^\t\n\d][^\t\n]{0,80}\t+(?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})*"
    r"(?:,\d{1,2})?[ \u00a0]*)(?:\t+[^\t\n]{1,80})?$", re.MULTILINE)
# A verb of giving, present or past: what follows it in the sentence may be bare amounts.
_GIVES_RE = re.compile(
    r"(?<![\w])(?:donne(?:nt)?|verse(?:nt)?|apporte(?:nt)?|finance(?:nt)?|(?:a|ont)\s+"
    r"(?:donn|vers|apport|financ)\w*)(?![\w])", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.;!?\n]")
# How far after a verb of giving, or after the last number it gave, a bare number is looked for.
_GIVEN_REACH = 40
# A bare number closing its item ("1200 et", "800."), not a count of something ("12 enfants").
_GIVEN_NUMBER_RE = re.compile(
    r"(?<![\d.,\w])(?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{2,6})"
    r"(?=[ \t\u00a0]*(?:$|[,;.)\n]|et\b))")


class MoneyFinder:
    """Finds written amounts with a character-level regex and maps them to spans."""

    def __init__(self) -> None:
        for name in ("amount_eur", "approximate", "unit_assumed"):
            if not Span.has_extension(name):
                Span.set_extension(name, default=None)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        amounts = find_amounts(text)
        amounts.extend(_bare_amounts(text, amounts))
        amounts.extend(_table_amounts(text, amounts))
        amounts.extend(_given_amounts(text, amounts))
        amounts.extend(_tab_amounts(text, amounts))
        amounts.sort(key=lambda a: a.start)
        spans: list[Span] = []
        seen: set[tuple[int, int]] = set()
        for amount in amounts:
            span = doc.char_span(amount.start, amount.end, label="MONEY", alignment_mode="expand")
            if span is None or (span.start_char, span.end_char) in seen:
                continue
            seen.add((span.start_char, span.end_char))
            span._.amount_eur = amount.value
            span._.unit_assumed = amount.unit_assumed
            span._.approximate = amount.approximate or _is_approximate(text, amount)
            spans.append(span)
        doc.spans[SPANS_KEY] = SpanGroup(doc, name=SPANS_KEY, spans=spans)
        return doc


def _is_approximate(text: str, amount: Amount) -> bool:
    before = text[max(0, amount.start - _APPROX_WINDOW):amount.start]
    after = text[amount.end:amount.end + _APPROX_WINDOW]
    return bool(_APPROX_BEFORE_RE.search(before) or APPROX_AFTER_RE.match(after))


def _bare_amounts(text: str, found: list[Amount]) -> list[Amount]:
    """Numbers standing alone in a cell, with no currency: euros by assumption."""
    starts = [a.start for a in found]  # `found` is sorted and its amounts do not overlap
    bare = []
    # A field that writes no currency at all writes its amounts bare, after their label even
    # with a single space ("Intervenant 2400", "Total 2400 / participation adhérents 600").
    loose = not found
    for cell in (_LOOSE_CELL_RE if loose else _CELL_RE).finditer(text):
        if cell.end() - cell.start() > _MAX_BARE_LINE:
            continue
        match = _BARE_LINE_RE.match(cell.group())
        after_label = match is None
        if after_label:
            # A field that writes a currency elsewhere may still leave a funder's line bare
            # ("25 500 euros" then "Caf 10 500"): from `_MIN_FIRST` up, after its label.
            match = _LOOSE_LINE_RE.match(cell.group()) or (
                _LOOSE_FIRST_RE.match(cell.group()) if loose else None)
        if match is None or _DATE_LABEL_RE.search(match.group("label") or ""):
            continue
        number = match.group("number").strip(" \u00a0\u202f.,")
        value = parse_number(number)
        if after_label and value is not None and (int(value) in _YEARS or (
                match.re is _LOOSE_FIRST_RE or not loose) and value < _MIN_FIRST):
            continue  # "Kermesse 2019": a year; "24 Participantes": a count
        start = cell.start() + match.start("number")
        before = bisect.bisect_right(starts, start) - 1
        inside = before >= 0 and start < found[before].end
        if value is not None and not inside and BARE_NUMBER_RE.fullmatch(number):
            bare.append(Amount(start, start + len(number), value, unit_assumed=True))
    return bare


def _is_year(number: str, value: float) -> bool:
    """Whether a bare number reads as a year: 1950 to 2100, with no thousands space."""
    return int(value) in _YEARS and " " not in number


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the `taken` spans (sorted, none overlapping another:
    only the last one starting before `end` can)."""
    i = bisect.bisect_left(taken, (end,)) - 1
    return i >= 0 and taken[i][1] > start


def _table_amounts(text: str, found: list[Amount]) -> list[Amount]:
    """Numbers after labels on a flattened budget table line: euros by assumption. Beside
    amounts written with a currency, a small bare number is part of a name ("700e bailleur 13
    Habitat"), not money."""
    taken = sorted((a.start, a.end) for a in found)
    table = []
    for cell in _CELL_RE.finditer(text):
        if cell.end() - cell.start() > _MAX_TABLE_LINE or not _TABLE_WORD_RE.search(cell.group()):
            continue
        floor = _MIN_FIRST if _overlaps(taken, cell.start(), cell.end()) else 0
        pairs = []
        for match in _TABLE_PAIR_RE.finditer(text, cell.start(), cell.end()):
            start, end = match.span("number")
            value = parse_number(match.group("number"))
            if value is None or value < floor or _is_year(match.group("number"), value):
                continue
            if not _overlaps(taken, start, end):
                pairs.append(Amount(start, end, value, unit_assumed=True))
        if len(pairs) >= _MIN_TABLE_PAIRS:
            table.extend(pairs)
    return table


def _tab_amounts(text: str, found: list[Amount]) -> list[Amount]:
    """The number after the label of a pasted table row, "Location bus<TAB>2 400<TAB>CAF",
    "Habitat 76 (bailleur)<TAB>600,00": euros by assumption."""
    taken = sorted((a.start, a.end) for a in found)
    rows = []
    for row in _TAB_ROW_RE.finditer(text):
        start, end = row.span("number")
        value = parse_number(row.group("number").strip())
        if value is None or _is_year(row.group("number").strip(), value) \
                or _overlaps(taken, start, end):
            continue
        rows.append(Amount(start, start + len(row.group("number").rstrip()), value,
                           unit_assumed=True))
    return rows


def _given_amounts(text: str, found: list[Amount]) -> list[Amount]:
    """Bare numbers after a verb of giving, in a field that writes a currency elsewhere: "env
    2k€ par an, la MSA donne 1200 et la commune 800". Euros by assumption."""
    if not found:
        return []
    taken = sorted((a.start, a.end) for a in found)
    given = []
    for verb in _GIVES_RE.finditer(text):
        stop = _SENTENCE_END_RE.search(text, verb.end())
        end_of = stop.start() if stop else len(text)
        reach = verb.end() + _GIVEN_REACH  # a list goes on from each number it gives
        for match in _GIVEN_NUMBER_RE.finditer(text, verb.end(), end_of):
            value = parse_number(match.group("number"))
            start, end = match.span("number")
            if start > reach:
                break
            if value is None or _is_year(match.group("number"), value) \
                    or _overlaps(taken, start, end):
                continue  # "ont commencé en mars 2023 et": a year
            given.append(Amount(start, end, value, unit_assumed=True))
            bisect.insort(taken, (start, end))
            reach = end + _GIVEN_REACH
    return given


@Language.factory(
    "fiches_money",
    assigns=["doc.spans"],
)
def make_money(nlp: Language, name: str) -> MoneyFinder:
    """Build the fiches_money component."""
    return MoneyFinder()


__all__ = ["AMOUNT_RE", "SPANS_KEY", "MoneyFinder", "make_money"]
