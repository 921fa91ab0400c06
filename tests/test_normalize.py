"""Tests for pipeline.normalize: one folding, one list of number words and of hedging words,
whichever stage reads the text."""

import pytest

from pipeline.extraction import numbers, partners, people_cues
from pipeline.extraction.amounts import Amount, find_amounts
from pipeline.extraction.components import money, organisations
from pipeline.normalize import fold
from pipeline.tagging import text


@pytest.mark.parametrize(("raw", "folded"), [
    ("L’Œuvre Élue", "l'oeuvre elue"),
    ("ÉTAT", "etat"),
    ("Cœur d’Æther", "coeur d'aether"),
    ("Bénévoles", "benevoles"),
])
def test_fold_is_one_answer_for_every_stage(raw, folded):
    assert fold(raw) == folded
    for stage in (organisations, partners, people_cues, text):  # one function, not copies
        assert stage.fold is fold, stage.__name__


@pytest.mark.parametrize(("words", "value"), [
    ("septante", 70), ("huitante", 80), ("nonante-cinq", 95), ("quatre-vingt-dix", 90),
    ("deux mille", 2000),
])
def test_a_number_word_is_money_and_a_count_alike(words, value):
    """The same words count people and price an action (the two lists used to disagree)."""
    amounts = find_amounts(f"Coût : {words} euros")
    assert [a.value for a in amounts] == [value]
    count = numbers.parse_count(words)
    assert count is not None and count.low == count.high == value


@pytest.mark.parametrize(("before", "after"), [
    ("environ ", ""), ("près de ", ""), ("autour de ", ""), ("à peu près ", ""),
    ("de l'ordre de ", ""), ("~ ", ""), ("", " environ"), ("", " approximativement"),
])
def test_a_hedging_word_makes_an_amount_and_a_count_approximate(before, after):
    sentence = f"Budget : {before}300 €{after}"
    (amount,) = find_amounts(sentence)
    assert money._is_approximate(sentence, amount)
    if before:
        count = numbers.parse_count(f"{before}20")
        assert count is not None and count.approximate


def test_a_plain_amount_and_count_are_exact():
    sentence = "Budget : 300 € pour 20 personnes"
    amount = find_amounts(sentence)[0]
    assert isinstance(amount, Amount) and not money._is_approximate(sentence, amount)
    count = numbers.parse_count("20")
    assert count is not None and not count.approximate
