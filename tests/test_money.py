"""Tests for the fiches_money component: spans, extensions, approximations, bare numbers."""

import time

import pytest
import spacy
from spacy.language import Language

import pipeline.extraction.components  # noqa: F401  (registers the factories)


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.blank("fr")
    nlp.add_pipe("fiches_money")
    return nlp


def amounts(nlp: Language, text: str) -> list[tuple[str, float, bool, bool]]:
    doc = nlp(text)
    return [(s.text, s._.amount_eur, s._.approximate, s._.unit_assumed)
            for s in doc.spans["money"]]


def test_amounts_become_spans(nlp: Language) -> None:
    assert amounts(nlp, "Matériel 2 450,00 € et goûters 12k€ (aide : 900 e)") == [
        ("2 450,00 €", 2450.0, False, False), ("12k€", 12000.0, False, False),
        ("900 e", 900.0, False, False)]


@pytest.mark.parametrize("text", [
    "environ 4 000 €", "autour de 4000€", "près de 4 k€", "~ 4000 euros",
    "approximativement 4 000 EUR", "4 000 € environ",
])
def test_approximations(nlp: Language, text: str) -> None:
    assert amounts(nlp, text)[0][1:3] == (4000.0, True)


def test_bare_number_alone_is_assumed_euros(nlp: Language) -> None:
    assert amounts(nlp, "64200") == [("64200", 64200.0, False, True)]
    assert amounts(nlp, "Coût total : 3 150\n") == [("3 150", 3150.0, False, True)]


def test_a_field_without_currency_reads_numbers_after_their_label(nlp: Language) -> None:
    # Thousands apart by a space of any width (a non-breaking one from a spreadsheet too); a
    # year after a label is no amount.
    assert amounts(nlp, "Animatrice 1\u00a0800\nKermesse 2019") == [
        ("1\u00a0800", 1800.0, False, True)]


@pytest.mark.parametrize("text", [
    "Action menée en 2016 et 2017 pour 40 jeunes.",
    "Intervention de 20h/an, 30 % de réussite.",
    "Tél. 05 49 21 33 10, le 03/02/2018.",
    "Jeunes de 16 à 25 ans, 2e édition.",
])
def test_not_money(nlp: Language, text: str) -> None:
    assert amounts(nlp, text) == []


def test_spans_cover_amounts_glued_to_words(nlp: Language) -> None:
    doc = nlp("Budget:3500€.")
    assert [s._.amount_eur for s in doc.spans["money"]] == [3500.0]


@pytest.mark.slow
def test_hostile_field_is_bounded(nlp: Language) -> None:
    nlp.max_length = 6_000_000
    start = time.perf_counter()
    nlp("1" * 100_000)
    nlp("Personnel 1 500,00 € " * 50_000)
    assert time.perf_counter() - start < 60
