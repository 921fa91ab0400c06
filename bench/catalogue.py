"""Builds test catalogues of N distinct fiches from the sample export."""

from __future__ import annotations

import re
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "fiches_sample.txt"
_FICHE_START = re.compile(r"^Actions\n(?P<title>[^\n]*)\n", re.MULTILINE)


def sample_fiches(sample: Path = SAMPLE) -> list[str]:
    """The sample's fiches as export text blocks, each starting with its "Actions" line."""
    text = sample.read_text(encoding="utf-8")
    starts = [m.start() for m in _FICHE_START.finditer(text)]
    blocks = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    return [b if b.endswith("\n") else b + "\n" for b in blocks]


def build_catalogue(n: int, sample: Path = SAMPLE) -> str:
    """An export of `n` fiches, all distinct: the sample's, cycled, each title numbered."""
    fiches = sample_fiches(sample)
    blocks = []
    for i in range(n):
        block = fiches[i % len(fiches)]
        blocks.append(_FICHE_START.sub(lambda m, i=i: f"Actions\n{m['title']} (n° {i})\n",
                                       block, count=1))
    return "Les actions des centres sociaux\n" + "".join(blocks)
