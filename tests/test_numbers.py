"""Tests for the French count normalisers."""

import time

import pytest

from pipeline.extraction.numbers import COUNT_RE, Count, parse_count, parse_whole
from pipeline.normalize import fold


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12),
    ("1 200", 1200),
    ("1.200", 1200),
    ("12.500", 12500),
    ("1.5", None),
    ("12.03", None),
    ("deux", 2),
    ("une", 1),
    ("vingt-cinq", 25),
    ("quatre-vingt-dix", 90),
    ("vingt et un", 21),
    ("trois cents", 300),
    ("bonjour", None),
    ("", None),
    ("1" * 20, None),
])
def test_parse_whole(text, expected):
    assert parse_whole(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("7", Count(7, 7)),
    ("deux", Count(2, 2)),
    ("une dizaine", Count(10, 10, True)),
    ("une douzaine", Count(12, 12, True)),
    ("une quinzaine", Count(15, 15, True)),
    ("une bonne vingtaine", Count(20, 20, True)),
    ("une trentaine", Count(30, 30, True)),
    ("une quarantaine", Count(40, 40, True)),
    ("cinquantaine", Count(50, 50, True)),
    ("une soixantaine", Count(60, 60, True)),
    ("une petite centaine", Count(100, 100, True)),
    ("3 à 5", Count(3, 5)),
    ("5-10", Count(5, 10)),
    ("1 ou 2", Count(1, 2)),
    ("entre 10 et 15", Count(10, 15)),
    ("deux à trois", Count(2, 3)),
    ("environ 20", Count(20, 20, True)),
    ("près de 40", Count(40, 40, True)),
    ("environ 1.200", Count(1200, 1200, True)),
    ("10 à 5", None),
    ("des dizaines", None),
    ("beaucoup", None),
    ("12 bénévoles", None),
])
def test_parse_count(text, expected):
    assert parse_count(text) == expected


def test_fold():
    assert fold("Bénévoles Œuvre") == "benevoles oeuvre"


@pytest.mark.parametrize("text", [
    "1" * 100_000,
    "deux " * 200_000,
    "deux" + " " * 200_000 + "x",
    "1 000 " * 100_000,
    "(" * 10_000 + "3" + ")" * 10_000,
])
def test_count_regex_is_linear_on_hostile_input(text):
    started = time.perf_counter()
    for _ in COUNT_RE.finditer(text):
        pass
    assert time.perf_counter() - started < 5
