"""Turns the headcount spans of a fiche's people field into counts by role and a total."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span

from pipeline.extraction.components.headcount_mentions import SPANS_KEY
from pipeline.extraction.numbers import NUMBER_WORDS_RE, parse_whole
from pipeline.normalize import fold

# Headcounts are read from this field only (gold README).
PEOPLE_FIELD = "people_mobilised"
ROLES = ("professionals", "volunteers", "beneficiaries")

# "les deux centres sociaux", "2 structures": how many units a "par centre social" count is for.
_UNIT_COUNT_RE = re.compile(
    rf"(?P<number>\b\d{{1,2}}\b|{NUMBER_WORDS_RE.pattern})"
    r"[ \u00a0]{1,3}(?P<unit>[^\W\d_]{2,30})",
    re.IGNORECASE,
)
_MAX_UNITS = 20


def build_headcount(docs: dict[str, Doc]) -> dict[str, Any]:
    """Counts by role from the people field's spans.

    A count stated "par centre social" is multiplied by the number of centres when a field of
    the fiche states it ("les deux centres sociaux"). `total` is the stated total ("une
    cinquantaine", "24 personnes dont..."), else the sum of professionals and volunteers.

    Args:
        docs: field name -> Doc, as made by `pipeline.extraction.extract.analyse_fields`.

    Returns:
        `{professionals, volunteers, beneficiaries, total}` each `{min, max, approximate}` or
        None, and `mentions`: `[{text, role, min, max, field, start, end}]`.
    """
    doc = docs.get(PEOPLE_FIELD)
    spans: list[Span] = list(doc.spans[SPANS_KEY]) if doc is not None and SPANS_KEY in doc.spans \
        else []
    sums: dict[str, list[int | bool]] = {}
    mentions = []
    units_of: dict[str, int | None] = {}
    for span in spans:
        role, low, high = span._.count_role, span._.count_min, span._.count_max
        if role is None or low is None:
            continue
        if span._.count_per:
            if span._.count_per not in units_of:
                units_of[span._.count_per] = count_units(docs, span._.count_per)
            units = units_of[span._.count_per]
            if units:
                low, high = low * units, high * units
        total = sums.setdefault(role, [0, 0, False])
        total[0] = int(total[0]) + low
        total[1] = int(total[1]) + high
        total[2] = bool(total[2]) or bool(span._.approximate)
        mentions.append({"text": span.text, "role": role, "min": low, "max": high,
                         "field": PEOPLE_FIELD, "start": span.start_char, "end": span.end_char})
    result: dict[str, Any] = {role: _value(sums.get(role)) for role in ROLES}
    result["total"] = _value(sums.get("total")) or _sum(result["professionals"],
                                                        result["volunteers"])
    result["mentions"] = mentions
    return result


def count_units(docs: dict[str, Doc], unit: str) -> int | None:
    """How many `unit`s ("centre") a fiche says there are, from any field; None if unsaid.

    The first plausible statement wins ("les deux centres sociaux" -> 2).
    """
    for doc in docs.values():
        for match in _UNIT_COUNT_RE.finditer(doc.text):
            word = fold(match.group("unit"))
            if word.rstrip("sx") != unit:
                continue
            value = parse_whole(match.group("number"))
            if value is not None and 2 <= value <= _MAX_UNITS:
                return value
    return None


def _value(acc: list[int | bool] | None) -> dict[str, Any] | None:
    if acc is None:
        return None
    return {"min": int(acc[0]), "max": int(acc[1]), "approximate": bool(acc[2])}


def _sum(*values: dict[str, Any] | None) -> dict[str, Any] | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return {"min": sum(v["min"] for v in present), "max": sum(v["max"] for v in present),
            "approximate": any(v["approximate"] for v in present)}
