"""Tests for pipeline.extraction.amounts: French money normalisers."""

import time

import pytest

from pipeline.extraction.amounts import AMOUNT_RE, find_amounts, parse_amount, parse_number

# (text, expected euros or None when it is not an amount)
EXPRESSIONS = [
    ("1 500,00 €", 1500.0),
    ("1\u00a0500,00\u00a0€", 1500.0),
    ("1\u202f500,00\u202f€", 1500.0),
    ("25 500 euros", 25500.0),
    ("1000 e", 1000.0),
    ("350000€", 350000.0),
    ("14.000 euros", 14000.0),
    ("12 k€", 12000.0),
    ("12k€", 12000.0),
    ("15 K€", 15000.0),
    ("1,5 M€", 1_500_000.0),
    ("8 450,50 €", 8450.5),
    ("25 000 €/an", 25000.0),
    ("1 500 EUR", 1500.0),
    ("2 millions d'euros", 2_000_000.0),
    ("1,2 million d’euros", 1_200_000.0),
    ("3 400 Euros", 3400.0),
    ("640 EUROS", 640.0),
    ("1 euro", 1.0),
    ("75,5 €", 75.5),
    ("1.250,75 €", 1250.75),
    ("1 234 567 €", 1_234_567.0),
    ("0,50 €", 0.5),
    ("4 k euros", 4000.0),
    ("2,5 keuros", 2500.0),
    ("9.800 €", 9800.0),
    ("3 200€", 3200.0),
    ("18 000 EUR par an", 18000.0),
    ("un coût de 720 euros", 720.0),
    ("(2 300 e)", 2300.0),
    # Not amounts.
    ("en 2017", None),
    ("50 %", None),
    ("20h/an", None),
    ("jeunes de 16 à 25 ans", None),
    ("01 45 67 89 12", None),
    ("le 12/03/2018", None),
    ("2e édition", None),
    ("3e trimestre", None),
    ("15 personnes", None),
    ("1er semestre 2016", None),
]


@pytest.mark.parametrize(("text", "expected"), EXPRESSIONS)
def test_expressions(text: str, expected: float | None) -> None:
    found = find_amounts(text)
    if expected is None:
        assert found == []
    else:
        assert [a.value for a in found] == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("1 500,00", 1500.0), ("14.000", 14000.0), ("1.5", 1.5), ("1,5", 1.5), ("81190", 81190.0),
    ("1.500,50", 1500.5), ("2,000", 2000.0), ("abc", None), ("", None),
])
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


def test_multiplier_makes_separators_decimal() -> None:
    assert parse_number("1,500", multiplied=True) == 1.5


def test_parse_amount_bare_number_is_euros_but_words_are_not() -> None:
    assert parse_amount("81190") == 81190.0
    assert parse_amount("1 500,00 €") == 1500.0
    assert parse_amount("50 %") is None


def test_offsets_point_at_the_amount() -> None:
    text = "Soutien : CAF (2 000 €) et Ville (500 euros)"
    assert [text[a.start:a.end] for a in find_amounts(text)] == ["2 000 €", "500 euros"]


@pytest.mark.slow
@pytest.mark.parametrize(("unit", "times"), [
    ("1", 25_000),
    ("1 ", 125_000),
    ("1.", 125_000),
    ("(", 2_500),
    ("1 500,00 € ", 25_000),
])
def test_hostile_input_is_linear(unit: str, times: int) -> None:
    """Four times the input takes about four times as long (a backtracking pattern would take
    16 times or far more); compared within one run, so a busy machine does not fail it."""

    def cost(n: int) -> float:
        text = unit * n + (")" * n if unit == "(" else "") + ("€" if unit == "1." else "")
        start = time.perf_counter()
        find_amounts(text)
        AMOUNT_RE.search(text)
        return time.perf_counter() - start

    cost(times // 10)  # warm the regex caches
    small, large = cost(times), cost(4 * times)
    assert large < 8 * small + 0.5, (small, large)
