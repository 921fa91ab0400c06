"""The fiches_dates component: years and months written in French, in `doc.spans["dates"]`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from pipeline.extraction.date_cues import read_cue
from pipeline.normalize import fold

SPANS_KEY = "dates"
MIN_YEAR, MAX_YEAR = 1600, 2100
# Before this year a number is read as a year only after a word that dates ("le four date de
# 1850", "construit en 1905", "depuis 1936") or with a month: a count ("1850 habitants") or an
# amount ("financeurs 1800 / ...") is far more often written that way than a year.
MODERN_YEAR = 1950

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}
# Abbreviations are read with or without their dot ("oct 2016", "nov. 2018"): terse authors
# drop it, and the guard after a month (no letter follows) keeps "octave" or "decor" out.
_MONTH = (r"(?:janvier|janv\.?|f[ée]vrier|f[ée]vr?\.?|mars|avril|avr\.?|mai|juin|juillet"
          r"|juil\.?|ao[uû]t|septembre|sept\.?|octobre|oct\.?|novembre|nov\.?|d[ée]cembre"
          r"|d[ée]c\.?)")
_YEAR = r"(?:1[6-9]\d\d|20\d\d|2100)"
_SP = r"[ \u00a0]{1,3}"
_ORDINAL = (r"(?:1er|1ere|1ère|premier|première|2e|2eme|2ème|2nd|2nde|second|seconde|deuxième"
            r"|deuxieme|3e|3eme|3ème|troisième|troisieme|4e|4eme|4ème|quatrième|quatrieme)")
# Seasons and the holidays that name a time of year ("vacances de Pâques 2019", "Noël 2018"):
# year precision, as the gold README reads "printemps 2015".
_SEASON = (r"(?:printemps|[ée]t[ée]|automne|hiver|rentr[ée]e(?:[ \u00a0]scolaire)?"
           r"|p[âa]ques|no[ëe]l|toussaint"
           rf"|{_ORDINAL}{_SP}(?:semestre|trimestre))")
# "de nov a juin": terse authors drop the accent of "à".
_RANGE_SEP = r"[ \u00a0]{0,3}(?:-|–|/|à|a|au|et|ou)[ \u00a0]{0,3}"
_NO_DIGIT_BEFORE = r"(?<![\d.,/])(?<!\d[\-–])"
_NO_DIGIT_AFTER = r"(?![\d]|[.,/\-]\d)"

# One alternative per form; at one position the earlier alternative wins. Every repetition is
# bounded, so no input makes the pattern backtrack for long.
DATE_RE = re.compile(
    # 04/04/2015, 4-4-15, 04.04.2015
    rf"{_NO_DIGIT_BEFORE}(?P<nd>\d{{1,2}})[/.\-](?P<nm>\d{{1,2}})[/.\-](?P<ny>\d{{4}}|\d{{2}})"
    rf"{_NO_DIGIT_AFTER}"
    # 2015-04-04
    rf"|{_NO_DIGIT_BEFORE}(?P<iy>{_YEAR})-(?P<im>\d{{2}})-\d{{2}}{_NO_DIGIT_AFTER}"
    # 07/2019, 7-2019
    rf"|{_NO_DIGIT_BEFORE}(?P<mm>\d{{1,2}})[/.\-](?P<mmy>{_YEAR}){_NO_DIGIT_AFTER}"
    # le 4 avril 2015, mai-juin 2018, janvier à juin, septembre 2018, mars/avril 2019
    rf"|(?:(?:1er|\d{{1,2}}){_SP})?\b(?P<m1>{_MONTH})(?![^\W\d_])"
    rf"(?:{_RANGE_SEP}(?:(?:1er|\d{{1,2}}){_SP})?(?P<m2>{_MONTH})(?![^\W\d_]))?"
    rf"(?:{_SP}(?:de{_SP}l['’]ann[ée]e{_SP})?{_NO_DIGIT_BEFORE}(?P<my>{_YEAR}){_NO_DIGIT_AFTER})?"
    # printemps 2015, 1er semestre 2016, rentrée 2018, été 2017-2018
    rf"|\b(?P<season>{_SEASON}){_SP}(?:de{_SP}l['’]ann[ée]e{_SP})?{_NO_DIGIT_BEFORE}"
    rf"(?P<sy>{_YEAR}){_NO_DIGIT_AFTER}"
    # 2017-2018, 2017/2018, de 2016 à 2018, 2016-17, en 2019 et 2020
    # (a two-digit second year only right after a dash or slash: "2016-17", not "2019 à 15 ans")
    rf"|{_NO_DIGIT_BEFORE}(?P<ya>{_YEAR})(?P<ysep>{_RANGE_SEP})(?P<yb>{_YEAR}|(?<=[\-–/])\d{{2}})"
    rf"{_NO_DIGIT_AFTER}"
    # a bare year, kept only in a date context (see _bare_year_is_date)
    rf"|{_NO_DIGIT_BEFORE}(?P<y>{_YEAR}){_NO_DIGIT_AFTER}",
    re.IGNORECASE,
)
# How the two years of a pair relate: "2017-2018" names a season (kind year_range), "de 2014 à
# 2016" and "entre 2016 et 2018" a span of time (year_span), "en 2019 et 2020" two years
# (year_list).
_SPAN_SEPS = frozenset({"a", "au"})
_LIST_SEPS = frozenset({"et", "ou"})
_BETWEEN_RE = re.compile(r"\bentre[ \u00a0]{1,3}$", re.IGNORECASE)
# A season introduced as the time the action ran over ("mené sur l'année scolaire 2017-2018",
# "pendant la saison 2019/2020") is a span of time, not a season's label ("thème de l'année
# 2017-2018", "Saison 2022-2023 : 5 représentations").
_PERIOD_BEFORE_RE = re.compile(
    r"\b(?:sur|pendant|durant|pour|au[ \u00a0]cours[ \u00a0]de"
    r"|tout[ \u00a0]au[ \u00a0]long[ \u00a0]de)"
    r"[ \u00a0]{1,3}(?:l['’][ \u00a0]{0,2}|la[ \u00a0]{1,3})(?:ann[ée]e|saison|p[ée]riode)"
    r"(?:[ \u00a0]{1,3}scolaire)?[ \u00a0]{1,3}$",
    re.IGNORECASE,
)
# A school year or a season named for itself ("Année scolaire 2018/2019.", "6 soirs dans la
# saison 2023/2024") is the time the action ran over; one that qualifies a noun ("le programme
# de la saison 2019-2020") stays a label.
_SEASON_BEFORE_RE = re.compile(
    r"\b(?:saison|ann[ée]e[ \u00a0]{1,3}scolaire|rentr[ée]e(?:[ \u00a0]{1,3}scolaire)?)"
    r"[ \u00a0]{1,3}$", re.IGNORECASE)
_OF_BEFORE_RE = re.compile(r"\b(?:de|du|d['’])[ \u00a0]{0,3}(?:(?:la|cette)[ \u00a0]{1,3}"
                           r"|l['’][ \u00a0]{0,2})?$", re.IGNORECASE)
# Words after which a bare four-digit number reads as a year ("en 2019", "depuis 2016").
_YEAR_INTRODUCERS = frozenset(
    "en depuis des dès sur pour dans de d du a à au aux jusqu avant apres après ici fin debut "
    "début mi courant milieu annee année annees années an saison exercice rentree rentrée et ou "
    "entre puis vers durant pendant lors bilan edition édition budget campagne promotion session "
    "annuel annuelle annuels calendrier programme programmation plan contrat cloture clôture "
    "scolaire printemps ete été automne hiver semestre trimestre le the "
    # events named by their year: "le carnaval 2022", "fréquentation 2019 :"
    "fête fete festival carnaval forum salon séjour sejour cohorte fréquentation frequentation "
    "effectifs effectif bilan rapport "
    # holidays and school breaks ("vacances de Pâques 2019", "Noël 2018"), written capitalised
    "vacances paques pâques noel noël toussaint "
    # what is observed, counted or agreed in a year ("diagnostic 2017", "INSEE 2019")
    "diagnostic diagnostics constat enquete enquête etude étude recensement insee donnees données "
    "chiffres statistiques agrement agrément convention ag promo activite activité "
    # a budget forecast or account of a year, written short ("BP 2024", "CA 2023")
    "bp previsionnel prévisionnel".split()
    + list(MONTHS)
)
_FOLDED_INTRODUCERS = frozenset(fold(w) for w in _YEAR_INTRODUCERS)
# Nouns a number follows as a room, a road or a reference ("salle 2019", "ligne 2012") and
# words of quantity ("environ 2015", "soit 2018"): after them a four-digit number is no year.
_NUMBERED_NOUNS = frozenset(
    "salle salles bureau local batiment bâtiment porte rue route avenue ligne bus article page "
    "numero numéro code chambre appartement lot bloc escalier etage étage module niveau version "
    "modele modèle serie série reference référence ref poste boite boîte case compte dossier "
    "environ plus moins pres près total soit quelque dont fois x".split()
)
_WORD_AFTER_RE = re.compile(r"[ \u00a0]{1,3}(?P<word>[^\W\d_]{1,30})")
_GRAMMATICAL_WORDS = frozenset(
    "a à au aux avec chez dans de des du en et est etait était ete été entre l la le les mais ni "
    "ou par pour puis qui que qu sans se sur un une ont sont fut avait avaient nous ils elles on "
    "il elle ce cette ces son sa ses leur leurs notre nos y ne n grace grâce aupres auprès lors "
    "afin car donc alors apres après avant depuis pendant durant vers selon comme aussi deja déjà "
    "s d c j m t".split()
)
_SENTENCE_START_RE = re.compile(r"(?:^|[\n.!?:;•*(\-–\"«])[ \u00a0]{0,3}$")
_WORD_BEFORE_RE = re.compile(r"(?P<word>[^\W\d_]+)['’]?[ \u00a0\-]{0,3}$")
_PUNCT_BEFORE_RE = re.compile(r"(?:^|[\n(:;,\-–•*])[ \u00a0]{0,3}$")
# What makes a four-digit number an amount, a count or an age rather than a year.
_NOT_YEAR_AFTER_RE = re.compile(
    r"[ \u00a0]{0,3}(?:€|euros?\b|eur\b|k€|keur|ans?\b|%|personnes?\b|habitants?\b|h\b|\d"
    r"|heures?\b|m2|m²|km\b|exemplaires?\b|participants?\b|familles?\b|jeunes\b|enfants\b"
    r"|bénéficiaires?\b|adhérents?\b|visiteurs?\b|places?\b|repas\b|[.,]\d)",
    re.IGNORECASE,
)
# "Fréquentation 2019 : 61 enfants": a year that heads a statement.
_LABEL_AFTER_RE = re.compile(r"[ \u00a0]{0,3}:(?![\d])")
_NOT_YEAR_BEFORE_RE = re.compile(r"(?:n°|\bno\.?|\bnum[ée]ro|\btél\.?|\btel\.?|\bcode|\+)"
                                 r"[ \u00a0]{0,3}$", re.IGNORECASE)

_CONTEXT_YEAR_WINDOW = 200
_CLAUSE_END_RE = re.compile(r"[.;!?\n]")
_EACH_RE = re.compile(r"\b(?:chaque|tous|toutes)\b[^.;\n]*$", re.IGNORECASE)  # a month that returns
_OLD_YEAR_BEFORE_RE = re.compile(
    r"(?:\b(?:en|depuis|d[èe]s|vers|avant|dat(?:e|ent|ait|aient|ant)[ \u00a0]{1,3}de"
    r"|remont(?:e|ent|ait|ant)[ \u00a0]{1,3}[àa])[ \u00a0]{1,3}|\()$", re.IGNORECASE)


@dataclass
class DateMention:
    """One date expression: its text bounds, value, years, and what the sentence says of it."""

    start: int
    end: int
    value: str
    first: str
    last: str
    years: list[int] = field(default_factory=list)
    kind: str = "year"
    inferred: bool = False
    cue: str | None = None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    if len(text) == 2:
        value += 2000
    return value if MIN_YEAR <= value <= MAX_YEAR else None


def _month(text: str) -> int:
    return MONTHS[fold(text).rstrip(".")]


def _ym(year: int | None, month: int) -> str:
    return f"{year}-{month:02d}" if year else f"--{month:02d}"


def read_date(match: re.Match[str]) -> DateMention | None:
    """The `DateMention` of a `DATE_RE` match, or None when it is no plausible date."""
    start, end = match.span()
    if match.group("nd"):
        day, month, year = int(match.group("nd")), int(match.group("nm")), _year(match.group("ny"))
        if year is None or not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return DateMention(start, end, _ym(year, month), _ym(year, month), _ym(year, month),
                           [year], "day")
    if match.group("iy"):
        year, month = int(match.group("iy")), int(match.group("im"))
        if not 1 <= month <= 12:
            return None
        return DateMention(start, end, _ym(year, month), _ym(year, month), _ym(year, month),
                           [year], "day")
    if match.group("mm"):
        month, year = int(match.group("mm")), _year(match.group("mmy"))
        if year is None or not 1 <= month <= 12:
            return None
        return DateMention(start, end, _ym(year, month), _ym(year, month), _ym(year, month),
                           [year], "month")
    if match.group("m1"):
        return _month_mention(match)
    if match.group("season"):
        year = _year(match.group("sy"))
        if year is None:
            return None
        return DateMention(start, end, str(year), str(year), str(year), [year], "season")
    if match.group("ya"):
        low, high = _year(match.group("ya")), _year(match.group("yb"))
        if match.group("yb") and len(match.group("yb")) == 2 and low:
            high = low // 100 * 100 + int(match.group("yb"))
        if low is None or high is None or not 0 < high - low <= 10:
            return None
        # A pair gives the two years it writes, never the ones between: "agrément 2018-2021"
        # or "de 2014 à 2016" mention 2018 and 2021, 2014 and 2016 (`years` lists the years
        # the fiche mentions as dates, as the gold sets read them).
        return DateMention(start, end, f"{low}/{high}", str(low), str(high), [low, high],
                           _pair_kind(match))
    year = _year(match.group("y"))
    if year is None:
        return None
    return DateMention(start, end, str(year), str(year), str(year), [year], "year")


def _month_mention(match: re.Match[str]) -> DateMention:
    """"septembre 2018", "mai-juin 2018", "de janvier à juin" (no year yet: "--01/--06")."""
    year = _year(match.group("my"))
    opens = _month(match.group("m1"))
    closes = _month(match.group("m2")) if match.group("m2") else opens
    # "de novembre à juin 2019" began in November 2018
    before = year - 1 if year is not None and closes < opens else year
    first, last = _ym(before, opens), _ym(year, closes)
    value = first if first == last else f"{first}/{last}"
    years = [] if year is None or before is None else sorted({before, year})
    return DateMention(match.start(), match.end(), value, first, last, years, "month")


def _pair_kind(match: re.Match[str]) -> str:
    """year_range for "2017-2018", year_span for "2014 à 2016" / "entre 2016 et 2018" / "mené
    sur l'année scolaire 2017-2018", year_list for "2019 et 2020" / "2019 ou 2020"."""
    separator = fold(match.group("ysep")).strip()
    if separator in _SPAN_SEPS:
        return "year_span"
    if separator not in _LIST_SEPS and (_PERIOD_BEFORE_RE.search(
            match.string, max(0, match.start() - 60), match.start()) or _names_season(match)):
        return "year_span"
    if separator in _LIST_SEPS:
        before = match.string[max(0, match.start() - 12):match.start()]
        return "year_span" if separator == "et" and _BETWEEN_RE.search(before) else "year_list"
    return "year_range"


def _names_season(match: re.Match[str]) -> bool:
    """Whether the pair of `match` follows "saison" or "année scolaire" that no "de" ties to
    a noun before it."""
    label = _SEASON_BEFORE_RE.search(match.string, max(0, match.start() - 40), match.start())
    return label is not None and not _OF_BEFORE_RE.search(
        match.string, max(0, label.start() - 20), label.start())


def _counts_a_noun(text: str, end: int) -> bool:
    """Whether a lowercase word that is no grammatical word follows the number ending at `end`."""
    after = _WORD_AFTER_RE.match(text, end)
    if after is None:
        return False
    word = after.group("word")
    return word[0].islower() and fold(word) not in _GRAMMATICAL_WORDS


def _bare_year_is_date(text: str, start: int, end: int) -> bool:
    """A four-digit number is a year only where French puts years: "en 2019", "(2017)", "2018 :",
    or after a common noun that it dates ("le diagnostic 2017", "la kermesse 2018").

    "Horizons 2000", "l'Agenda 2030", "l'association Génération 2000 :" (a capitalised word
    inside a sentence makes a name; an acronym dates only a heading: "FPH 2024 :"), "2000 €"
    (an amount), "n° 2019", "salle 2019" are not. A round hundred ("2000") after an unlisted
    noun is more often a quantity than a year, so is not one either.
    """
    window = max(0, start - 40)
    before = text[window:start]
    if _NOT_YEAR_AFTER_RE.match(text, end) or _NOT_YEAR_BEFORE_RE.search(before):
        return False
    word = _WORD_BEFORE_RE.search(before)
    if word is not None:
        folded = fold(word.group("word"))
        if folded in _FOLDED_INTRODUCERS:
            return True
        if word.group("word").isupper() and len(folded) > 1:
            return bool(_LABEL_AFTER_RE.match(text, end))
        if word.group("word")[0].isupper() and not _SENTENCE_START_RE.search(
                text, max(0, window + word.start() - 4), window + word.start()):
            return False
        # A sentence or a title may begin with the noun it dates ("Kermesse 2022"). A number
        # followed by a noun counts it ("distribué 2016 colis"), so only punctuation or a
        # grammatical word may follow ("la kermesse 2018 a réuni", "le diagnostic 2017 (...)").
        if (folded not in _NUMBERED_NOUNS and len(folded) > 2 and int(text[start:end]) % 100
                and not _counts_a_noun(text, end)):
            return True
    return bool(_PUNCT_BEFORE_RE.search(before) or _LABEL_AFTER_RE.match(text, end))


def _old_year_is_date(text: str, mention: DateMention) -> bool:
    """Whether a date before `MODERN_YEAR` is one: with its month ("juin 1936", "12/05/1921"),
    or after a word that dates it and counting no noun ("date de 1850", "en 1905")."""
    if mention.kind in ("day", "month"):
        return True
    return bool(_OLD_YEAR_BEFORE_RE.search(text, max(0, mention.start - 20), mention.start)) \
        and not _NOT_YEAR_AFTER_RE.match(text, mention.end) \
        and not _counts_a_noun(text, mention.end)


def find_dates(text: str) -> list[DateMention]:
    """Every date in `text`, in order, with its cue and, for a month alone, the context's year."""
    found: list[DateMention] = []
    for match in DATE_RE.finditer(text):
        mention = read_date(match)
        if mention is None:
            continue
        if mention.kind == "year" and not _bare_year_is_date(text, *match.span("y")):
            continue
        if mention.years and min(mention.years) < MODERN_YEAR \
                and not _old_year_is_date(text, mention):
            continue
        found.append(mention)
    for i, mention in enumerate(found):
        previous_end = found[i - 1].end if i else 0
        next_start = found[i + 1].start if i + 1 < len(found) else len(text)
        mention.cue = read_cue(text, mention.start, mention.end, previous_end, next_start)
        if mention.kind == "month" and not mention.years:
            _infer_year(mention, found, i, text)
    return found


def _infer_year(mention: DateMention, found: list[DateMention], index: int, text: str) -> None:
    """Give a month with no year the single year of the date just before it, when close (a
    guess: `inferred`); else, read, that of the next date of its sentence later in its year,
    as a story is told in order ("réunions en avril, puis la fête le 17 juin 2023")."""
    for other in reversed(found[max(0, index - 20):index]):
        if mention.start - other.end > _CONTEXT_YEAR_WINDOW or len(other.years) > 1:
            break
        if other.years and not other.inferred:
            # "de nov à juin" after "oct 2018": the range runs into the next year
            _give_year(mention, other.years[0], mention.last[1:] < mention.first[1:])
            mention.inferred = True
            return
    following = found[index + 1] if index + 1 < len(found) else None
    if following is not None and len(following.years) == 1 and not following.inferred \
            and following.kind in ("day", "month") and mention.last[-2:] <= following.first[5:7] \
            and not _CLAUSE_END_RE.search(text, mention.end, following.start) \
            and not _EACH_RE.search(text, max(0, mention.start - 30), mention.start):
        _give_year(mention, following.years[0], False)
        mention.years = [following.years[0]]


def _give_year(mention: DateMention, year: int, rolls: bool) -> None:
    mention.first, mention.last = f"{year}{mention.first[1:]}", f"{year + rolls}{mention.last[1:]}"
    mention.value = mention.first if mention.first == mention.last \
        else f"{mention.first}/{mention.last}"


class DateFinder:
    """Finds dates with a character-level regex and maps them to spans."""

    def __init__(self) -> None:
        for name in ("date_value", "date_first", "date_last", "date_years", "date_kind",
                     "date_cue", "date_inferred"):
            if not Span.has_extension(name):
                Span.set_extension(name, default=None)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for mention in find_dates(doc.text):
            span = doc.char_span(mention.start, mention.end, label="DATE",
                                 alignment_mode="expand")
            if span is None:
                continue
            span._.date_value = mention.value
            span._.date_first = mention.first
            span._.date_last = mention.last
            span._.date_years = list(mention.years)
            span._.date_kind = mention.kind
            span._.date_cue = mention.cue
            span._.date_inferred = mention.inferred
            spans.append(span)
        doc.spans[SPANS_KEY] = SpanGroup(doc, name=SPANS_KEY, spans=spans)
        return doc


@Language.factory(
    "fiches_dates",
    assigns=["doc.spans"],
)
def make_dates(nlp: Language, name: str) -> DateFinder:
    """Build the fiches_dates component."""
    return DateFinder()
