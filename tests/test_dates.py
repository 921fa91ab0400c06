"""Tests for the fiches_dates component and build_dates."""

import time

import pytest
import spacy

from pipeline.extraction.components.date_mentions import DATE_RE, SPANS_KEY, find_dates
from pipeline.extraction.date_cues import tells_origin
from pipeline.extraction.dates import build_dates
from pipeline.extraction.extract import MAX_FIELD_CHARS
from pipeline.extraction.nlp import CONFIG_DIR, add_components


@pytest.fixture(scope="module")
def nlp():
    blank = spacy.blank("fr")
    add_components(blank, CONFIG_DIR, ("fiches_dates",))
    return blank


def values(text):
    return [m.value for m in find_dates(text)]


CASES = [
    ("mai-juin 2018", ["2018-05/2018-06"]),
    ("début septembre 2018", ["2018-09"]),
    ("au printemps 2015", ["2015"]),
    ("1er semestre 2016 : repérage", ["2016"]),
    ("le 4 avril 2015", ["2015-04"]),
    ("04/04/2015", ["2015-04"]),
    ("2015-04-04", ["2015-04"]),
    ("sur l'année 2017-2018", ["2017/2018"]),
    ("thème 2017/2018", ["2017/2018"]),
    ("année scolaire 2016-2017", ["2016/2017"]),
    ("saison 2016-17", ["2016/2017"]),
    ("depuis 2017 à 18h", ["2017"]),
    ("En 2019 a 25 salariés", ["2019"]),
    ("de nov a juin 2019", ["2018-11/2019-06"]),
    ("depuis 2016", ["2016"]),
    ("en 2019", ["2019"]),
    ("rentrée 2018", ["2018"]),
    ("rentrée scolaire 2019", ["2019"]),
    ("fin 2017", ["2017"]),
    ("mi-2018", ["2018"]),
    ("de 2014 à 2016", ["2014/2016"]),
    ("Bilan 2018 :", ["2018"]),
    ("(2017)", ["2017"]),
    ("en septembre dernier", ["--09"]),
    ("de janvier à juin", ["--01/--06"]),
    ("En 2018, de janvier à juin", ["2018", "2018-01/2018-06"]),
    ("mars/avril 2019", ["2019-03/2019-04"]),
    ("le 1er décembre 2017", ["2017-12"]),
    # not dates
    ("l'association Horizons 2000", []),
    ("une subvention de 2000€", []),
    ("2 000 euros", []),
    ("la commune 2000 euros", []),
    ("les 16 / 25 ans", []),
    ("de 18H30 à 20H", []),
    ("Tél : 01 39 20 18 45", []),
    ("78200 Mantes-la-Jolie", []),
    ("n° 2019", []),
    ("1500 personnes", []),
    ("dans l'esprit de l'Agenda 2030", []),
    # a year before 1950 only where a word dates it, or with its month
    ("en 1850", ["1850"]),
    ("le lavoir date de 1905", ["1905"]),
    ("inauguré en mai 1936", ["1936-05"]),
    ("1850 habitants", []),
    ("le village compte 1850 âmes", []),
    ("un budget de 1850", []),
    ("financeurs (département) 1800 / adhérents 300", []),
    ("depuis 15 ans", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_date_expressions(text, expected):
    assert values(text) == expected


def test_spans_carry_value_and_years(nlp):
    doc = nlp("L'action a débuté en avril 2018 pour une fin en juin 2018.")
    spans = list(doc.spans[SPANS_KEY])
    assert [s._.date_value for s in spans] == ["2018-04", "2018-06"]
    assert [s._.date_years for s in spans] == [[2018], [2018]]
    assert [s._.date_cue for s in spans] == ["start", "end"]


def test_month_takes_the_year_from_context(nlp):
    doc = nlp("Mai 2018 : rencontre. Début juin : réunion.")
    (_, second) = doc.spans[SPANS_KEY]
    assert second._.date_value == "2018-06" and second._.date_inferred


def test_start_prefers_an_explicit_beginning(nlp):
    docs = {"summary": nlp("Nous avons organisé une fête en 2019."),
            "description": nlp("L'action a démarré en mars 2017.")}
    result = build_dates(docs)
    assert result["start"] == "2017-03"
    assert result["years"] == [2017, 2019]


def test_start_from_a_past_timeline(nlp):
    docs = {"description": nlp("3 réunions mai-juin 2018\nMai 2018 : rencontre des bailleurs")}
    result = build_dates(docs)
    assert (result["start"], result["end"]) == ("2018-05", "2018-06")


def test_no_start_from_ranges_future_or_perspectives(nlp):
    docs = {"experience": nlp("Le thème de l'année 2017-2018 a été voté."),
            "summary": nlp("Une ouverture est prévue d'ici 2019."),
            "perspectives": nlp("Poursuite de l'action en 2020.")}
    result = build_dates(docs)
    assert result["start"] is None
    assert result["years"] == [2017, 2018, 2019, 2020]


def test_mentions_have_field_offsets(nlp):
    text = "Depuis janvier 2016, le groupe se réunit."
    result = build_dates({"summary": nlp(text)})
    (mention,) = result["mentions"]
    assert mention["field"] == "summary" and mention["value"] == "2016-01"
    assert text[mention["start"]:mention["end"]] == mention["text"]
    assert result["start"] == "2016-01"


def test_empty_fiche(nlp):
    assert build_dates({}) == {"start": None, "end": None, "years": [], "mentions": []}


# Fields are cut at MAX_FIELD_CHARS before NLP (pipeline/extraction/extract.py): hostile inputs
# of that size must finish quickly, and four times the input must take about four times as long.
@pytest.mark.parametrize("text", [
    "1" * MAX_FIELD_CHARS,
    "(" * 10_000 + "mai 2018" + ")" * 10_000,
    "2017-2018/2019 " * (MAX_FIELD_CHARS // 15),
    "en " * (MAX_FIELD_CHARS // 3),
    "07/2019 " * (MAX_FIELD_CHARS // 8),
    "l'association créée " * (MAX_FIELD_CHARS // 20) + "en 1985",
    ("Depuis mai 2018, en 2019 (2017/2018) le 04/04/2015. " * 4_000)[:MAX_FIELD_CHARS],
    "depuis sa " * (MAX_FIELD_CHARS // 10),
    ("et sa halte-garderie a ouvert en 1999 " * 3_000)[:MAX_FIELD_CHARS],
    "12e édition " * (MAX_FIELD_CHARS // 12) + "en 2019",
    "a " * (MAX_FIELD_CHARS // 2) + "ouvert en 2019",
    ("le quartier, " * (MAX_FIELD_CHARS // 13))[:MAX_FIELD_CHARS - 20] + "construit en 1965",
    "Programme " * (MAX_FIELD_CHARS // 10) + "2024 : en mars",
    "la création du centre " * (MAX_FIELD_CHARS // 22) + "en 1987",
    "le service " * (MAX_FIELD_CHARS // 11) + "créé en 2009",
    "date de " * (MAX_FIELD_CHARS // 8) + "1850",
    ("depuis sa création " * 5_000)[:MAX_FIELD_CHARS],
    (", la salle a fermé en 2015 " * 4_000)[:MAX_FIELD_CHARS],
])
def test_hostile_input_in_bounded_time(text):
    started = time.perf_counter()
    find_dates(text)
    tells_origin(text)
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(("text", "expected"), [
    ("La référente suit le groupe depuis sa naissance.", True),
    ("Nous menons l'action depuis la création de l'association.", True),
    ("Le centre existe depuis sa création.", False),
    ("Le groupe suit l'atelier depuis sa création en 2015.", False),
    ("Le groupe se réunit depuis trois ans.", False),
    ("Des femmes d'origines diverses se retrouvent le mardi.", False),
])
def test_origin_without_a_date(text, expected):
    assert tells_origin(text) is expected


@pytest.mark.slow
def test_a_long_status_reason_in_bounded_time(nlp):
    # every date of the status reason is read once, within a bounded window before it
    text = ("Départ en 2019, réunion le 3 mars 2020 ; " * 5_000)[:MAX_FIELD_CHARS]
    started = time.perf_counter()
    result = build_dates({"summary": nlp("Une fête."), "status_reason": nlp(text)})
    assert time.perf_counter() - started < 10
    assert result["start"] is None and result["years"] == [2019, 2020]


def test_a_loose_amount_inside_a_date_leaves_the_date(nlp):
    # an amount reader may take the day of "du 15 au 20 avril" for an amount: the date stays;
    # an amount on the year's digits ("2024 €") still removes it
    doc = nlp("Budget du séjour : 900 €. Le séjour a eu lieu du 15 au 20 avril 2024.")
    doc.spans["money"] = [doc.char_span(*_span_of(doc.text, "20"), label="MONEY")]
    result = build_dates({"description": doc})
    assert result["years"] == [2024] and result["start"] == "2024-04"
    doc.spans["money"] = [doc.char_span(*_span_of(doc.text, "2024"), label="MONEY")]
    assert build_dates({"description": doc})["years"] == []


def _span_of(text, word):
    start = text.index(word, text.index("du 15"))
    return start, start + len(word)


def _seconds(text):
    started = time.perf_counter()
    find_dates(text)
    return time.perf_counter() - started


@pytest.mark.parametrize("unit", [
    "Depuis mai 2018, en 2019 (2017/2018) le 04/04/2015. ",
    "L'association, créée en 1985, porte l'action de 2014 à 2016 et en 2019 et 2020 ; ",
    "en " * 30 + "2019 ",
])
def test_time_is_linear_in_the_input(unit):
    size = MAX_FIELD_CHARS // 4
    small = (unit * (size // len(unit) + 1))[:size]
    large = (unit * (4 * size // len(unit) + 1))[:4 * size]
    assert _seconds(large) < 8 * _seconds(small) + 0.5


def test_regex_alone_is_linear():
    started = time.perf_counter()
    for _ in DATE_RE.finditer("9" * 1_000_000 + "/" * 100_000):
        pass
    assert time.perf_counter() - started < 5


@pytest.mark.slow
def test_full_pipeline_dates_and_headcounts(full_nlp):
    from pipeline.extraction.extract import analyse_fields, extract
    from pipeline.records import Fiche, Source

    fiche = Fiche(source=Source("t", 0, 1),
                  description="L'action a débuté au cours du printemps 2015.",
                  people_mobilised="7 professionnels et 9 habitants")
    (docs,) = analyse_fields([fiche], full_nlp)
    result = extract(docs)
    assert result["dates"]["start"] == "2015"
    assert result["headcount"]["volunteers"] == {"min": 9, "max": 9, "approximate": False}
