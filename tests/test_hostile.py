"""Hostile input driven by hypothesis: the reader on random bytes and random JSON values, and
every normaliser on random French fragments. No exception but the project's own; every call
well under a second (hypothesis's deadline); every fiche read is written or rejected."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline import normalize
from pipeline.config import CONFIG_DIR, check_config
from pipeline.extraction import amounts, numbers
from pipeline.extraction.components.date_mentions import find_dates
from pipeline.extraction.components.headcount_mentions import HeadcountFinder
from pipeline.reading.parse import InputError, ReadStats, read_fiches
from pipeline.running.output import dumps

FAST = settings(deadline=1000, max_examples=100,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces of the catalogue's text: headings, markers, French words, numbers, money, bytes that
# matter to decoding (0xA4, 0x80-0x9F, cut UTF-8), NUL, CR.
_PIECES = [b"Actions\n", b"Les actions des centres sociaux\n", b"- Structure organisatrice\n",
           b"- Statut de l'action\n", b"- Ressources financi\xc3\xa8res mobilis\xc3\xa9es pour "
           b"cette action\n", b"- Public\n", b"{", b"}", b'"source": ', b"\n", b"\r", b"\r\n",
           b"\x00", b"\xa4", b"\x80", b"\x8f", b"\xc3", b"\xe9", b"1 500 ", b"\xe2\x82\xac",
           b"CAF ", b"b\xc3\xa9n\xc3\xa9voles ", b"- ", b"|"]
random_export = st.lists(st.one_of(st.sampled_from(_PIECES), st.binary(max_size=20)),
                         max_size=60).map(b"".join)


def _read(raw: bytes) -> tuple[list, ReadStats]:
    stats = ReadStats()
    try:
        fiches = list(read_fiches("-", stats, stdin=io.BytesIO(raw)))
    except InputError as exc:
        assert str(exc).startswith("-")  # names the input
        fiches = []
    return fiches, stats


@pytest.mark.slow
@FAST
@given(random_export)
@example(b"Actions\nTitre\n- Structure organisatrice\n- X\n\xc3")
@example(b"\x00" * 10 + b"Actions\n")
def test_reader_on_random_bytes_writes_or_rejects_every_fiche(raw):
    fiches, stats = _read(raw)
    assert stats.found == stats.read + len(stats.rejected)
    assert len(fiches) == stats.read
    for fiche in fiches:
        line = dumps(fiche.to_dict())  # writable: no lone surrogate, no NUL left
        assert "\x00" not in line
        json.loads(line)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=8)
_FIELDS = ["source", "title", "structure", "keywords", "duplicate_of", "warnings", "id",
           "summary", "public"]
_BASE = {"source": {"file": "a.txt", "ordinal": 0, "line": 2}, "title": "Jardin",
         "keywords": ["Environnement"]}


@pytest.mark.slow
@FAST
@given(st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={name: json_values for name in _FIELDS}),
    st.builds(lambda key, value: {**_BASE, key: value}, st.sampled_from(_FIELDS), json_values),
))
def test_reader_on_random_json_values_accepts_only_valid_records(value):
    line = json.dumps(value, ensure_ascii=False)
    if not line.startswith("{"):
        line = "{}\n" + line  # a JSONL file is recognised by its first line
    fiches, stats = _read(line.encode("utf-8", "surrogatepass"))
    assert stats.found == stats.read + len(stats.rejected)
    for fiche in fiches:
        record = json.loads(dumps(fiche.to_dict()))
        assert isinstance(record["keywords"], list) and isinstance(record["source"], dict)
    for rejection in stats.rejected:
        assert rejection.file == "<stdin>" and rejection.line >= 1


_WORDS = ["environ", "une", "dizaine", "vingtaine", "de", "bénévoles", "salariés", "deux",
          "quatre-vingt-dix", "mille", "euros", "€", "k€", "M€", "e", "à", "ou", "entre", "et",
          "1 500", "12", "2018", "mai", "printemps", "depuis", "²", "³", "½", "٣", "%", ",", ".",
          "-", "(", ")", "[", "\u00a0", "\u202f", "\n", "CAF", "2017-2018", "1er", "semestre"]
french = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=40).map(
    " ".join)
_FINDER = HeadcountFinder(check_config(CONFIG_DIR).roles)


@pytest.mark.slow
@FAST
@given(french)
@example("²")
@example("environ 20 " * 500)
def test_every_normaliser_on_random_french_fragments(text):
    assert numbers.parse_whole(text) is None or numbers.parse_whole(text) >= 0
    count = numbers.parse_count(text)
    assert count is None or count.low <= count.high
    normalize.fold(text)
    for match in numbers.COUNT_RE.finditer(text):
        numbers.count_from_match(match)
    value = amounts.parse_amount(text)
    assert value is None or value >= 0
    amounts.parse_number(text)
    for amount in amounts.find_amounts(text):
        assert 0 <= amount.start <= amount.end <= len(text)
    for mention in find_dates(text):
        assert 0 <= mention.start <= mention.end <= len(text)
    _FINDER.find(text)


def test_parse_whole_of_a_superscript_digit_is_none():
    assert numbers.parse_whole("²") is None
    assert numbers.parse_whole("1²") is None
