"""The project's one way to cut a stream into batches (fiches for the NLP, docs for `nlp.pipe`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int, *, cost: Callable[[T], int] | None = None,
            budget: int | None = None) -> Iterator[list[T]]:
    """`items` in order, in lists of at most `size`; with `cost` and `budget`, also of at most
    `budget` total cost (an item costlier than the budget makes a batch of its own).

    A batch is yielded as soon as it is full, before the next item is read, so a streaming
    source starts work as early as it can.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    batch: list[T] = []
    total = 0
    for item in items:
        weight = cost(item) if cost is not None else 0
        if batch and budget is not None and total + weight > budget:
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += weight
        if len(batch) >= size:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch
