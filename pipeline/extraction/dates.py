"""Turns the date spans of a fiche's fields into its start, end and the years it mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from pipeline.extraction.components.date_mentions import SPANS_KEY, DateMention, find_dates
from pipeline.extraction.date_cues import tells_origin
from pipeline.extraction.date_subjects import (
    names_another_service,
    names_the_title,
    restarts_after_a_stop,
    runs_a_while,
)
from pipeline.normalize import fold
from pipeline.records import TEXT_FIELDS

# Fields that tell the story of the action; dates elsewhere (results, limits, perspectives,
# budget) are about other things and never give the start.
NARRATIVE_FIELDS: tuple[str, ...] = ("summary", "initiative_detail", "experience", "description")
MONEY_KEY = "money"
_YEAR_DIGITS = 4
_CLAUSE_CHARS = 150
_CLAUSE_END_RE = re.compile(r"[.;!?\n]")
TITLE_FIELD = "title"
# "chaque année en juin", "tous les mois de juillet", "en octobre de chaque année": a month that
# comes back is no step of the start.
_RECURRING_RE = re.compile(r"\b(?:chaque|tous[ \u00a0]les|toutes[ \u00a0]les|par[ \u00a0]an"
                           # a habit told in the present: "les ateliers ont lieu d'octobre à mai"
                           r"|(?:a|ont)[ \u00a0]lieu|se[ \u00a0]d[ée]roulen?t"
                           r"|se[ \u00a0]tien(?:nen)?t"
                           # or a slot of a programme: "Programme : sorties en mars et juin"
                           r"|programme|programmation|planning)\b", re.IGNORECASE)
_RECURRING_WINDOW = 30
# The months a season spans: "Été 2023 : ouverture le 10 juillet" began in July, while
# "printemps 2016 ... ouverture en octobre" tells a later step.
_SEASON_MONTHS: dict[str, frozenset[int]] = {
    "printemps": frozenset({3, 4, 5, 6}), "ete": frozenset({6, 7, 8, 9}),
    "automne": frozenset({9, 10, 11, 12}), "hiver": frozenset({12, 1, 2, 3}),
    "rentree": frozenset({8, 9, 10}),
}
# "en 2019 puis en juillet", "ensuite en octobre": a later step, not the month of the start.
_LATER_RE = re.compile(r"\b(?:puis|ensuite|apr[èe]s|jusqu|enfin)\b", re.IGNORECASE)
# A title is one line; a longer one is read up to this bound (find_dates is linear anyway).
MAX_TITLE_CHARS = 1_000
# The structure's documents and agreements that a pair of years in a title may date: the
# pair is theirs, not the action's.
_DOCUMENT_RE = re.compile(
    r"\b(?:projet[ \u00a0]{1,3}(?:social|de[ \u00a0]{1,3}(?:centre|structure))|contrat"
    r"|convention|agr[ée]ment|cpo|projet[ \u00a0]{1,3}d['’]animation)\b[^,;:()]{0,40}$",
    re.IGNORECASE)
# Why the action has its status: "Opération réalisée le samedi 30 septembre 2023" dates a
# one-off action that the story does not date.
STATUS_FIELD = "status_reason"
_DONE_RE = re.compile(
    r"\b(?:r[ée]alis[ée]e?s?|effectu[ée]e?s?|organis[ée]e?s?|men[ée]e?s?|d[ée]roul[ée]e?s?"
    r"|tenue?s?|eu[ \u00a0]lieu|ponctuel(?:le)?s?|uniques?)\b"
    # or the one-off event itself, first: "Séjour du 4 au 8 août 2023"
    r"|^[\W]{0,3}(?:s[ée]jour|sortie|f[êe]te|forum|spectacle|journ[ée]e|soir[ée]e|week-end"
    r"|concert|stage|festival|exposition|[ée]v[ée]nement|voyage|carnaval|kermesse|bal)\b",
    re.IGNORECASE)


def build_dates(docs: dict[str, Doc], title: str | None = None) -> dict[str, Any]:
    """Start, end and years of a fiche from its fields' date spans and its title.

    `start` is the earliest date a narrative field ties to the beginning ("a débuté en avril
    2018", "1ère réunion : oct. 2018", "les premiers bacs ont été installés en avril 2020");
    without one, the earliest dated event those fields tell in the past ("3 réunions mai-juin
    2018", "1er semestre 2016 : repérage"). "Depuis 2016" / "dès 2017" tie a date to the
    beginning only when the story opens with it; told after other dates ("Depuis 2022, des
    séances de gym complètent le parcours") it dates a later addition and weighs as an uncued
    date. Without a told beginning, a date the action has run since its group or structure
    began ("depuis sa création en 2009") gives it; "depuis sa naissance" with no date makes it
    the earliest date of the story. Year ranges ("thème de l'année 2017-2018"), future dates
    ("d'ici 2017"), later editions ("41e édition"), the structure's history, a diagnosis, a
    review or a statistics source never give the start, nor does the title after a later
    edition. A month whose year is only guessed gives no start and no year. A date in the
    title ("Sorties familles été 2018") is a year, and the start when the fields date nothing.

    Returns:
        `{start, end, years, mentions}`: start/end "YYYY-MM", "YYYY" or None; `years` sorted
        ints; `mentions` `[{text, value, field, start, end}]`.
    """
    mentions: list[dict[str, Any]] = []
    years: set[int] = set()
    pools = _Pools(title=title or "")
    for name in _field_order(docs):
        _read_field(name, docs[name], pools, mentions, years)
    start, end = _start_end(pools, years)
    title_start = _read_title(title, mentions, years)
    if start is None and not (pools.later or pools.ran_before):
        start = _status_start(docs, pools) or _title_month(title_start, pools, years)
    return {"start": start, "end": end, "years": sorted(years), "mentions": mentions}


def _read_field(name: str, doc: Doc, pools: _Pools, mentions: list[dict[str, Any]],
                years: set[int]) -> None:
    """Add the date spans of field `name` to `mentions` and `years`, and those of a narrative
    field to `pools`."""
    text = pools.texts[id(doc)] = doc.text
    if name in NARRATIVE_FIELDS and tells_origin(text):
        pools.from_origin = True
    if name in NARRATIVE_FIELDS and runs_a_while(text, pools.title):
        pools.ran_before = True
    if SPANS_KEY not in doc.spans:
        return
    money = [(s.start_char, s.end_char) for s in doc.spans[MONEY_KEY]] \
        if MONEY_KEY in doc.spans else []
    for span in doc.spans[SPANS_KEY]:
        if _read_as_money(span, money):
            continue
        mentions.append({"text": span.text, "value": span._.date_value, "field": name,
                         "start": span.start_char, "end": span.end_char})
        if span._.date_inferred or not span._.date_years:
            if name in NARRATIVE_FIELDS and span._.date_kind == "month":
                pools.months.append(span)
            continue
        years.update(span._.date_years)
        if name in NARRATIVE_FIELDS:
            pools.add(span)


def _title_month(title_start: str | None, pools: _Pools, years: set[int]) -> str | None:
    """The title's start, with the month the story gives a beginning in its year ("Atelier
    cuisine 2023" and "les ateliers ont démarré en janvier")."""
    if title_start is None or "-" in title_start:
        return title_start
    return _month_in_year(title_start, pools, years)


@dataclass
class _Pools:
    """The narrative dates sorted by what their sentence says, in reading order."""

    strong: list[Span] = field(default_factory=list)
    weak: list[Span] = field(default_factory=list)
    ends: list[Span] = field(default_factory=list)
    # months written without a year ("en octobre"), whether the year was inferred or not
    months: list[Span] = field(default_factory=list)
    # dates the action has run since because it began with the group or the structure
    origins: list[Span] = field(default_factory=list)
    # new runs after a stop of years ("relancé en 2019 après dix ans d'interruption")
    restarts: list[Span] = field(default_factory=list)
    # a later edition is dated: the action began before any date the fiche gives
    later: bool = False
    # "depuis sa naissance" with no date: the story's earliest date is the start
    from_origin: bool = False
    # "organisées depuis plusieurs années": the action ran before what the story dates, so
    # only a told beginning gives the start
    ran_before: bool = False
    title: str = ""
    # each doc's text by id(doc)
    texts: dict[int, str] = field(default_factory=dict)

    def candidates(self) -> list[Span]:
        """The dates the start is chosen among: those tied to the beginning, else those the
        action has run since its group or structure began, else the uncued ones; all of them
        when a sentence says the action began with its group without dating it."""
        if self.restarts:
            return [max(self.restarts, key=lambda s: _sort_key(s._.date_first))]
        if self.from_origin:
            return self.strong + self.origins + self.weak
        if self.ran_before:
            return self.strong or self.origins
        return self.strong or self.origins or self.weak

    def text_of(self, span: Span) -> str:
        """The text of `span`'s doc, joined once per doc (Doc.text joins every token)."""
        return self.texts[id(span.doc)]

    def add(self, span: Span) -> None:
        cue = span._.date_cue
        text = self.text_of(span)
        # (whatever else the sentence says: "Après trois ans d'arrêt, la fête a repris en")
        if cue not in ("future", "plan", "founding") and restarts_after_a_stop(
                text, span.start_char, span.end_char):
            self.restarts.append(span)
        if cue == "since" and self.title and _another_service_since(span, self.title, text):
            return
        if cue == "since":
            opens_story = not (self.strong or self.weak)
            (self.strong if opens_story else self.weak).append(span)
        elif cue == "start":
            self.strong.append(span)
        elif cue == "origin":
            self.origins.append(span)
        elif cue == "founding" and self.title and _names_the_title(span, self.title, text):
            self.strong.append(span)
        elif cue == "later":
            self.later = True
        elif cue == "end":
            self.ends.append(span)
        elif cue is None and span._.date_kind != "year_range":
            self.weak.append(span)


def _status_start(docs: dict[str, Doc], pools: _Pools) -> str | None:
    """The start a status reason gives when it says the action took place on a date
    ("Forum réalisé le 6 avril 2024"): that month, or only its year when the story tells of
    an earlier month with no year ("ateliers CV en mars" before a forum in April)."""
    doc = docs.get(STATUS_FIELD)
    if doc is None or SPANS_KEY not in doc.spans:
        return None
    for span in doc.spans[SPANS_KEY]:
        if span._.date_inferred or not span._.date_years or span._.date_cue is not None \
                or span._.date_kind == "year_range" \
                or not _DONE_RE.search(doc.text, max(0, span.start_char - _CLAUSE_CHARS),
                                       span.start_char):
            continue
        value = _precise(span._.date_first)
        earlier = [m for m in pools.months if not m._.date_inferred
                   and int(m._.date_first[-2:]) <= _sort_key(value)[1]]
        return value[:4] if earlier else value
    return None


def _read_title(title: str | None, mentions: list[dict[str, Any]],
                years: set[int]) -> str | None:
    """Add the title's dates to `mentions` and `years`; return the start the title gives: its
    earliest dated mention that is no plan or history. A pair of years names the period of
    the action ("Ateliers ASL 2022-2024") unless it dates one of the structure's documents
    ("Projet social 2020-2023", "Contrat de ville 2015-2020")."""
    if not title:
        return None
    dated: list[DateMention] = []
    for mention in find_dates(title[:MAX_TITLE_CHARS]):
        mentions.append({"text": title[mention.start:mention.end], "value": mention.value,
                         "field": TITLE_FIELD, "start": mention.start, "end": mention.end})
        if mention.inferred or not mention.years:
            continue
        years.update(mention.years)
        if mention.cue in (None, "start", "since") and not (
                mention.kind == "year_range" and _DOCUMENT_RE.search(title, 0, mention.start)):
            dated.append(mention)
    if not dated:
        return None
    return _precise(min((m.first for m in dated), key=_sort_key))


def _start_end(pools: _Pools, years: set[int]) -> tuple[str | None, str | None]:
    """The start (earliest start-cued date, else earliest uncued one) and the end (latest
    end-cued date, else the end of the chosen start's range)."""
    chosen = _earliest(pools.candidates())
    start = _precise(_month_of(chosen, pools, years)) if chosen is not None else None
    end: str | None = None
    if pools.ends:
        end = _precise(max((s._.date_last for s in pools.ends), key=_sort_key))
    elif chosen is not None and chosen._.date_last != chosen._.date_first:
        end = _precise(chosen._.date_last)
    return start, end


def _month_of(chosen: Span, pools: _Pools, years: set[int]) -> str:
    """The chosen start, with its month when only the year is written and a month without a
    year tells the beginning: the next date of its field ("En 2016, un groupe de retraités
    s'est réuni. Le transport a démarré en octobre." starts in 2016-10), or else a start-cued
    month of that year anywhere in the story ("premier atelier en mars"; a month with no year
    at all when the fiche names no other year). A recurring month ("chaque année en juin"), a
    later step ("puis en juillet") or a month after a plan or the structure's history adds
    nothing."""
    value: str = chosen._.date_first
    season = _SEASON_MONTHS.get(fold(chosen.text.split()[0])) \
        if chosen._.date_kind == "season" else None
    if chosen._.date_kind != "year" and season is None:
        return value
    following = [s for s in chosen.doc.spans[SPANS_KEY] if s.start_char >= chosen.end_char][:1]
    # a season is refined only by a beginning told in one of its months ("Été 2023 :
    # ouverture le 10 juillet"), not by its outings ("été 2024, sorties en juillet et août")
    cues: tuple[str | None, ...] = ("start", "since", None) if season is None else ("start",)
    if following and following[0]._.date_inferred and _tells_month(
            following[0], value, cues, chosen.end_char, pools.text_of(following[0])) \
            and (season is None or _sort_key(following[0]._.date_first)[1] in season):
        return str(following[0]._.date_first)
    # a month of the story refines a year, a season only with the month it opens on
    return value if season is not None else _month_in_year(value, pools, years)


def _month_in_year(value: str, pools: _Pools, years: set[int]) -> str:
    """The year `value` with the month of a start-cued month of that year in the story, or of
    no year when the fiche names no other year ("premier atelier en mars")."""
    for month in pools.months:
        if (month._.date_inferred or years == {int(value)}) and _tells_month(
                month, value, ("start",), None, pools.text_of(month)):
            return f"{value}-{month._.date_first[-2:]}"
    return value


def _tells_month(month: Span, year: str, cues: tuple[str | None, ...],
                 after: int | None, text: str) -> bool:
    """Whether `month` (a month span with no written year, in its doc's `text`) gives the
    month of a start in `year`: of that year (or of none), cued as one of `cues`, neither
    recurring nor, when `after` (the start's end) is given, told as a later step."""
    first = str(month._.date_first)
    if month._.date_kind != "month" or month._.date_cue not in cues \
            or not first.startswith((f"{year}-", "--")):
        return False
    floor = month.start_char - _RECURRING_WINDOW if after is None \
        else max(after, month.start_char - _RECURRING_WINDOW)
    # within the month's sentence: "Démarré en janvier. Ils ont lieu chaque semaine." began
    before = _CLAUSE_END_RE.split(text[max(0, floor):month.start_char])[-1]
    after_month = _CLAUSE_END_RE.split(
        text[month.end_char:month.end_char + _RECURRING_WINDOW])[0]
    if _RECURRING_RE.search(before) or _RECURRING_RE.search(after_month):
        return False
    return after is None or not _LATER_RE.search(text, after, month.start_char)


def _another_service_since(span: Span, title: str, text: str) -> bool:
    """Whether the clause before `span` says another service has existed since it ("L'accueil
    de loisirs existe depuis 1995" when the title names something else)."""
    before = text[max(0, span.start_char - _CLAUSE_CHARS):span.start_char]
    return names_another_service(_CLAUSE_END_RE.split(before)[-1], title)


def _names_the_title(span: Span, title: str, text: str) -> bool:
    """Whether the clause before `span` names what the title names (see names_the_title)."""
    before = text[max(0, span.start_char - _CLAUSE_CHARS):span.start_char]
    return names_the_title(_CLAUSE_END_RE.split(before)[-1], title)


def _read_as_money(span: Span, money: list[tuple[int, int]]) -> bool:
    """Whether an amount covers the year of `span` (its last digits): "2019 €" is money, but
    "du 15 au 20 avril 2024" stays a date where a loose amount reader took "20"."""
    year_start = max(span.start_char, span.end_char - _YEAR_DIGITS)
    return any(s < span.end_char and year_start < e for s, e in money)


def _field_order(docs: dict[str, Doc]) -> list[str]:
    known = [name for name in TEXT_FIELDS if name in docs]
    return known + [name for name in docs if name not in TEXT_FIELDS]


def _sort_key(value: str) -> tuple[int, int]:
    year, _, month = value.partition("-")
    return int(year), int(month or 0)


def _earliest(spans: list[Span]) -> Span | None:
    """The earliest span; within its year, the earliest one that names a month, if any."""
    if not spans:
        return None
    first_year = min(_sort_key(s._.date_first)[0] for s in spans)
    same_year = [s for s in spans if _sort_key(s._.date_first)[0] == first_year]
    with_month = [s for s in same_year if "-" in s._.date_first]
    return min(with_month or same_year, key=lambda s: _sort_key(s._.date_first))


def _precise(value: str) -> str:
    """At most month precision: "2015-04-04" -> "2015-04"."""
    return value[:7]
