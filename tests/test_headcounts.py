"""Tests for the fiches_headcounts component and build_headcount."""

import time

import pytest
import spacy

from pipeline.config import check_config
from pipeline.extraction.components.headcount_mentions import SPANS_KEY
from pipeline.extraction.extract import MAX_FIELD_CHARS
from pipeline.extraction.headcount import PEOPLE_FIELD, build_headcount
from pipeline.extraction.nlp import CONFIG_DIR, add_components


@pytest.fixture(scope="module")
def nlp():
    blank = spacy.blank("fr")
    add_components(blank, CONFIG_DIR, ("fiches_headcounts",))
    return blank


def counts(nlp, text, **other_fields):
    docs = {PEOPLE_FIELD: nlp(text)}
    docs.update({name: nlp(value) for name, value in other_fields.items()})
    result = build_headcount(docs)
    return {role: (v["min"], v["max"]) for role, v in result.items()
            if role != "mentions" and v is not None}


# Expected counts by role: (min, max). Roles absent from the dict must be absent (None).
CASES = [
    ("3 salariés et 12 bénévoles", {"professionals": (3, 3), "volunteers": (12, 12)}),
    ("Deux animatrices, une coordinatrice", {"professionals": (3, 3)}),
    ("une dizaine de bénévoles", {"volunteers": (10, 10)}),
    ("Une quinzaine d'habitants", {"volunteers": (15, 15)}),
    ("entre 10 et 15 bénévoles", {"volunteers": (10, 15)}),
    ("3 à 5 animateurs", {"professionals": (3, 5)}),
    ("5-10 bénévoles", {"volunteers": (5, 10)}),
    ("1 ou 2 salariés", {"professionals": (1, 2)}),
    ("vingt-cinq bénévoles", {"volunteers": (25, 25)}),
    ("quatre-vingt-dix participants", {"beneficiaries": (90, 90)}),
    ("Salariés : 4\nBénévoles : 12", {"professionals": (4, 4), "volunteers": (12, 12)}),
    ("Bénévoles 8", {"volunteers": (8, 8)}),
    ("2 professionels et 6 bénévols", {"professionals": (2, 2), "volunteers": (6, 6)}),
    ("3 animateus, 4 benevoles", {"professionals": (3, 3), "volunteers": (4, 4)}),
    ("la directrice et 2 éducateurs spécialisés", {"professionals": (3, 3)}),
    ("1 CESF, 1 référente famille", {"professionals": (2, 2)}),
    ("40 familles ont bénéficié de l'action", {"beneficiaries": (40, 40)}),
    ("25 seniors inscrits", {"beneficiaries": (25, 25)}),
    ("12 jeunes accueillis chaque semaine", {"beneficiaries": (12, 12)}),
    ("6 parents impliqués dans l'organisation", {"volunteers": (6, 6)}),
    ("une trentaine de personnes dont 5 salariés", {"total": (30, 30),
                                                   "professionals": (5, 5)}),
    ("30 bénévoles dont 10 jeunes", {"volunteers": (30, 30), "total": (30, 30)}),
    ("10 personnes bénévoles", {"volunteers": (10, 10), "total": (10, 10)}),
    ("3 personnes salariées du centre", {"professionals": (3, 3), "total": (3, 3)}),
    # not people, not counts
    ("jeunes de 16 à 18 ans", {}),
    ("jeunes de 11-17 ans", {}),
    ("public 16 / 25 ans", {}),
    ("15 associations et 3 partenaires institutionnels", {}),
    ("2 écoles, 1 collège", {}),
    ("mobilisé à 50% de son temps", {}),
    ("3 réunions de 2 heures", {}),
    ("2 000 € de budget", {}),
    ("depuis 15 ans", {}),
    ("de 18H30 à 20H", {}),
    ("les bénévoles de l'association Horizons 2000", {}),
    ("Partenaires : 12", {}),
    ("une action menée avec les habitants", {}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_headcount_expressions(nlp, text, expected):
    got = counts(nlp, text)
    if "total" not in expected:
        got.pop("total", None)
    assert got == expected


def test_spans_carry_role_and_range(nlp):
    doc = nlp("environ 5 à 10 bénévoles")
    (span,) = doc.spans[SPANS_KEY]
    assert (span._.count_role, span._.count_min, span._.count_max) == ("volunteers", 5, 10)
    assert span._.approximate is True
    assert "bénévoles" in span.text


def test_breakdown_in_brackets_is_not_counted_twice(nlp):
    got = counts(nlp, "- 4 animateurs (2 par structure)\n- 3 coordinateurs (1 par quartier)")
    assert got["professionals"] == (7, 7)


def test_repeated_role_in_one_sentence_is_a_detail(nlp):
    got = counts(nlp, "Nous mobilisons trois animateurs, un animateur sportif et "
                      "un autre animateur pour le suivi.")
    assert got["professionals"] == (3, 3)


def test_people_in_brackets_after_an_organisation(nlp):
    got = counts(nlp, "10 associations bénévoles (environ 25 personnes)")
    assert got == {"volunteers": (25, 25), "total": (25, 25)}


def test_per_centre_counts_are_multiplied_by_the_centres_stated(nlp):
    text = "- 1 animateur par centre social\n- 2 bénévoles par centre social"
    got = counts(nlp, text, summary="Une action des trois centres sociaux de la ville.")
    assert got["professionals"] == (3, 3)
    assert got["volunteers"] == (6, 6)
    assert counts(nlp, text)["professionals"] == (1, 1)


def test_total_is_the_stated_total_or_the_sum(nlp):
    assert counts(nlp, "une cinquantaine : 30 professionnels et 20 bénévoles")["total"] == (50, 50)
    assert counts(nlp, "3 salariés et 4 bénévoles")["total"] == (7, 7)


def test_mentions_have_field_offsets(nlp):
    text = "Bénévoles : 20"
    result = build_headcount({PEOPLE_FIELD: nlp(text)})
    (mention,) = result["mentions"]
    assert mention["field"] == PEOPLE_FIELD
    assert text[mention["start"]:mention["end"]] == mention["text"]
    assert (mention["role"], mention["min"], mention["max"]) == ("volunteers", 20, 20)


def test_no_people_field_gives_nulls(nlp):
    result = build_headcount({"summary": nlp("12 bénévoles")})
    assert result == {"professionals": None, "volunteers": None, "beneficiaries": None,
                      "total": None, "mentions": []}


# Fields are cut at MAX_FIELD_CHARS before NLP (pipeline/extraction/extract.py): hostile inputs
# of that size must finish quickly, and four times the input must take about four times as long.
HOSTILE = [
    "1" * MAX_FIELD_CHARS,
    "(" * 10_000 + "3 bénévoles" + ")" * 10_000,
    "mot " * (MAX_FIELD_CHARS // 4),
    "deux " * (MAX_FIELD_CHARS // 5),
    "Bénévoles :\n" + "\n" * MAX_FIELD_CHARS + "8 personnes",
    "12 bénévoles, (3 agents) le directeur, 2 personnes au centre. 0,5 ETP x 2 sites\n"
    * (MAX_FIELD_CHARS // 80),
    # lists of counts, attendances per occasion, titles and brackets after counts
    "3 salariés, 80 convives par séance, en moyenne 9 enfants et 7 mamans "
    * (MAX_FIELD_CHARS // 70),
    "conseillère en économie sociale et familiale (CESF), la diététicienne + 2 anim, "
    * (MAX_FIELD_CHARS // 80),
    "2 ou 3 accompagnateurs (" + "la directrice + " * (MAX_FIELD_CHARS // 16) + ")",
    "Apprenants :\n42 (dont 35 femmes)\n" * (MAX_FIELD_CHARS // 32),
    "1 " + "mot " * (MAX_FIELD_CHARS // 4) + "et 2 convives",
    # pronouns, "autant de", part lists, households, lists of lines, the writer
    "des parents, on est 4 à tourner et autant de jeunes, moi (stagiaire) "
    * (MAX_FIELD_CHARS // 70),
    "8 salariés y compris la directrice" + " et l'agent" * (MAX_FIELD_CHARS // 11),
    "14 familles, 16 parents et 19 ados\n12 bénévoles\n180 convives\n"
    * (MAX_FIELD_CHARS // 60),
    # tables, parts that add up, shared nouns, zeros, sections (fifth round)
    "|" * MAX_FIELD_CHARS,
    "| Formatrice | 1 |\nRôle\nEffectif\nFormatrice\n1\n" * (MAX_FIELD_CHARS // 44),
    "1000 femmes, " * (MAX_FIELD_CHARS // 13),
    "devant " + "90, " * (MAX_FIELD_CHARS // 4) + "et 75 spectateurs",
    "aucun salarié, pas d'animateur, zéro bénévole " * (MAX_FIELD_CHARS // 46),
    "Jeunes " + "(11-17 ans) " * (MAX_FIELD_CHARS // 12) + ": 14",
    "Équipe :\n" + "2 animateurs, 16 habitants relais, " * (MAX_FIELD_CHARS // 35),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_in_bounded_time(text):
    from pipeline.extraction.components.headcount_mentions import HeadcountFinder

    finder = HeadcountFinder(check_config(CONFIG_DIR).roles)
    started = time.perf_counter()
    finder.find(text)
    assert time.perf_counter() - started < 10


def _seconds(finder, text):
    started = time.perf_counter()
    finder.find(text)
    return time.perf_counter() - started


@pytest.mark.parametrize("unit", [
    "12 bénévoles, (3 agents) le directeur, 2 personnes au centre. ",
    "Salariés :\n2 animateurs\n1 ETP\n",
    "(" * 50 + "deux " * 10,
    "3 salariés, 80 convives par séance, en moyenne 9 enfants et 7 mamans, la directrice ",
    "Bénévoles : 6 dont 2 étudiantes\n4 bén. / 2 anim (la référente + l'aide-soignante)\n",
    "des mamans, elles sont 6 à aider (3 ou 4) et autant de jeunes\n14 familles, 16 parents, ",
    "| Bénévoles | 6 |\nApprenants : 96, 81 femmes et 15 hommes\ndevant 90, 120 et 75 "
    "spectateurs, aucun salarié, 5 d'entre eux bénévoles\n",
])
def test_time_is_linear_in_the_input(unit):
    from pipeline.extraction.components.headcount_mentions import HeadcountFinder

    finder = HeadcountFinder(check_config(CONFIG_DIR).roles)
    size = MAX_FIELD_CHARS // 4
    small = (unit * (size // len(unit) + 1))[:size]
    large = (unit * (4 * size // len(unit) + 1))[:4 * size]
    _seconds(finder, small)  # warm the lexicon and caches
    assert _seconds(finder, large) < 8 * _seconds(finder, small) + 0.5
