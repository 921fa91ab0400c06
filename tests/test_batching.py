"""Tests for pipeline.batching: order kept, sizes and budgets respected, eager batches."""

import pytest

from pipeline.batching import batched


def test_batches_keep_order_and_size():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched([], 3)) == []


def test_a_budget_cuts_batches_and_a_costly_item_stands_alone():
    words = ["aa", "bbbb", "c", "dddddddddd", "e"]
    assert list(batched(words, 10, cost=len, budget=6)) == [
        ["aa", "bbbb"], ["c"], ["dddddddddd"], ["e"]]


def test_a_full_batch_is_yielded_before_the_next_item_is_read():
    read: list[int] = []

    def source():
        for i in range(4):
            read.append(i)
            yield i

    stream = batched(source(), 2)
    assert next(stream) == [0, 1] and read == [0, 1]


def test_a_size_below_one_is_refused():
    with pytest.raises(ValueError):
        list(batched([1], 0))
