"""Reads the catalogue's text export and JSONL records into `Fiche` records, with line numbers."""

from __future__ import annotations

import functools
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pipeline.reading.decode import InputError, codec_name, decode_lines, detect_encoding
from pipeline.reading.form import (
    HEADINGS,
    LIST_KEYS,
    OPTIONAL_HEADINGS,
    SPACES_RE,
    UNBULLETED_HEADINGS,
    Draft,
    draft_to_fiche,
)
from pipeline.reading.jsonl import read_jsonl
from pipeline.reading.stats import ReadStats, Rejection
from pipeline.records import Fiche

__all__ = ["HEADINGS", "InputError", "ReadStats", "Rejection", "read_fiches", "read_many",
           "read_string"]

PAGE_HEADER = "Les actions des centres sociaux"
FICHE_MARKER = "Actions"

_SPACE_BEFORE_PUNCT = re.compile(r"\s+([?:!;.,)])")
_SPACE_AFTER_PAREN = re.compile(r"\(\s+")
# A listing table row of the export's front page: "Nom | Département | Année |".
_TABLE_ROW = re.compile(r"^[^|\n]{0,200}\|")
# A line shaped like a form question ("- Something ?" or "- Something :") that we do not know.
_HEADING_SHAPE = re.compile(r"^- [A-ZÉÈÀ][^\n]{2,100}[?:]$")
_MAX_LINE = 1_000_000
# A fiche opens with one of its first headings (structure, attached files, status).
_FIRST_HEADINGS = 2
# How many required headings may be missing between two headings read in a row.
_MAX_SKIPPED = 2


@functools.lru_cache(maxsize=4096)
def normalise_heading(text: str) -> str:
    """Casefolded, accent-free, space-collapsed form used to recognise headings."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").casefold()
    text = SPACES_RE.sub(" ", text).strip()
    text = _SPACE_AFTER_PAREN.sub("(", text)
    # A trailing colon is typed or dropped at will ("Public :", "Partenaires d'action").
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text).rstrip(":").rstrip()


_HEADING_INDEX: dict[str, list[int]] = {}
for _position, (_, _heading) in enumerate(HEADINGS):
    _HEADING_INDEX.setdefault(normalise_heading(_heading), []).append(_position)
_PAGE_HEADER_NORM = normalise_heading(PAGE_HEADER)
_MARKER_NORM = normalise_heading(FICHE_MARKER)
# Most lines are text. Normalising a whole line costs more than reading it, so a line is
# normalised only when its first letters, normalised, can start a heading or marker.
_PREFIX = 5
_PREFIXES = frozenset(h[:_PREFIX] for h in [*_HEADING_INDEX, _PAGE_HEADER_NORM, _MARKER_NORM])
_LEAD_CHARS = " \t\u00a0\u202f-\u2013\u2022"
_BULLETS = ("-", "\u2013", "\u2022")


_FIRST_LETTERS = frozenset(prefix[0] for prefix in _PREFIXES)


def _maybe_heading(text: str) -> bool:
    body = text.lstrip(_LEAD_CHARS)
    if not body:
        return False
    first = body[0]
    if first.isascii() and first.lower() not in _FIRST_LETTERS:
        return False  # the common case, decided without normalising
    return normalise_heading(body[:2 * _PREFIX])[:_PREFIX] in _PREFIXES


def heading_positions(line: str) -> list[int]:
    """Positions in HEADINGS that `line` ("- Heading" or "Heading") names, else []."""
    return _classify_line(line.strip())[1]


_NOT_A_HEADING: tuple[str, list[int]] = ("", [])


def _classify_line(stripped: str) -> tuple[str, list[int]]:
    """`(normalised line, heading positions)` of a stripped line; ("", []) for plain text."""
    if not stripped or len(stripped) > 120 or not _maybe_heading(stripped):
        return _NOT_A_HEADING
    unbulleted = stripped[1:] if stripped.startswith("-") else stripped
    return normalise_heading(stripped), _HEADING_INDEX.get(normalise_heading(unbulleted), [])


# ---------------------------------------------------------------------------------------------
# Decoding


def iter_lines(path: str | Path, name: str, stats: ReadStats, stdin: IO[bytes] | None = None,
               encoding: str | None = None, issues: dict[int, str] | None = None
               ) -> Iterator[str]:
    """The lines of a file (or `-` for stdin) as text without line ends; CR, LF, CRLF all end
    lines. Encoding notices go to `stats.notices`; lines with bytes that do not decode go to
    `issues` (line number -> reason).

    Args:
        encoding: the file's encoding as the user named it; None to decide from the bytes.

    Raises:
        InputError: as `detect_encoding`, or when the file cannot be opened.
    """
    issues = issues if issues is not None else {}
    try:
        if str(path) == "-":
            raw: IO[bytes] = io.BytesIO((stdin or sys.stdin.buffer).read())
        else:
            raw = open(path, "rb")  # noqa: SIM115 (closed below)
        with raw:
            if encoding is None:
                codec, notice = detect_encoding(raw, name)
                raw.seek(0)
                if notice:
                    stats.notices.append(notice)
            else:
                codec = codec_name(encoding)
            yield from decode_lines(raw, codec, issues)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


class _Lookahead:
    """An iterator of lines that can peek at the next few."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._it = iter(lines)
        self._buffer: list[str] = []

    def peek(self, n: int) -> list[str]:
        while len(self._buffer) < n:
            try:
                self._buffer.append(next(self._it))
            except StopIteration:
                break
        return self._buffer[:n]

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._buffer:
            return self._buffer.pop(0)
        return next(self._it)


# ---------------------------------------------------------------------------------------------
# Text export


def parse_export_lines(lines: Iterable[str], name: str, stats: ReadStats,
                       issues: dict[int, str] | None = None) -> Iterator[tuple[Draft, int]]:
    """Group the lines of a text export into drafts; yield `(draft, ordinal)` as each ends.

    A draft holding a line named in `issues` (bytes that did not decode) gets `invalid` set.
    """
    stream = _Lookahead(lines)
    issues = issues if issues is not None else {}
    draft: Draft | None = None
    current: int | None = None  # position in HEADINGS of the field being read
    ordinal = 0
    number = 0
    for raw in stream:
        number += 1
        raw = _screen(raw, number, draft, issues.get(number), stats, name)
        if len(raw) > _MAX_LINE:
            raw = raw[:_MAX_LINE]
            if draft is not None:
                draft.warnings.append(f"line {number} cut at {_MAX_LINE} characters")
        text = raw.rstrip()
        stripped = text.lstrip()
        norm, positions = _classify_line(stripped)
        if norm == _PAGE_HEADER_NORM:
            if draft is not None:
                yield draft, ordinal
                ordinal += 1
            draft, current = None, None
        elif norm == _MARKER_NORM and _starts_fiche(stream.peek(4)):
            if draft is not None:
                yield draft, ordinal
                ordinal += 1
            draft, current = Draft(line=number), None
            stats.found += 1
            number = _read_title(stream, draft, number, issues)
        elif draft is None:
            if stripped and not _TABLE_ROW.match(text):
                stats.notices.append(f"{name}:{number}: text outside any fiche ignored: "
                                     f"{stripped[:60]!r}")
        else:
            current = _add_line(draft, current, positions, text, number)
    if draft is not None:
        yield draft, ordinal


def _read_title(stream: _Lookahead, draft: Draft, number: int, issues: dict[int, str]) -> int:
    """Take the title that follows an "Actions" marker (the first non-blank line, unless it is a
    heading) into `draft`; the number of the last line consumed."""
    ahead = stream.peek(4)
    j = _first_nonblank(ahead)
    if j is None or heading_positions(ahead[j]):
        draft.warnings.append("no title")
        return number
    for _ in range(j + 1):
        next(stream)
        number += 1
        draft.invalid = draft.invalid or issues.get(number)
    draft.title, draft.title_line = ahead[j].strip(), number
    if "\x00" in draft.title:
        draft.title = draft.title.replace("\x00", "")
        draft.warnings.append(f"line {number}: NUL bytes removed")
    return number


def _add_line(draft: Draft, current: int | None, positions: list[int], text: str,
              number: int) -> int | None:
    """Add one line of a fiche to `draft`: a heading opens its field, other text goes to the
    field being read; the position in HEADINGS of the field being read after it."""
    stripped = text.lstrip()
    position = _next_heading(positions, current) if positions else None
    if position is not None:
        bulleted = stripped.startswith(_BULLETS) \
            or HEADINGS[position][0] in UNBULLETED_HEADINGS
        if draft.bulleted is None:
            draft.bulleted = bulleted
        elif draft.bulleted and not bulleted:
            position = None  # the fiche bullets its headings: "Public :" here is the text's own
    if position is not None:
        draft.seen.append(position)
        draft.values.setdefault(HEADINGS[position][0], [])
        return position
    if current is None:
        if stripped:
            draft.warnings.append(f"line {number}: text before the first heading: "
                                  f"{stripped[:60]!r}")
        return None
    if _HEADING_SHAPE.match(stripped) and HEADINGS[current][0] not in LIST_KEYS:
        draft.warnings.append(f"unknown heading {stripped[2:]!r} (line {number}), kept as text")
    draft.values[HEADINGS[current][0]].append(text)
    return current


def _screen(raw: str, number: int, draft: Draft | None, issue: str | None, stats: ReadStats,
            name: str) -> str:
    """`raw` without NUL bytes (the draft warned); a line that did not decode (`issue`) makes
    its draft invalid, or is noted when outside any fiche."""
    if issue:
        if draft is not None:
            draft.invalid = draft.invalid or issue
        else:
            stats.notices.append(f"{name}: {issue}, outside any fiche: ignored")
    if "\x00" in raw:
        raw = raw.replace("\x00", "")
        if draft is not None:
            draft.warnings.append(f"line {number}: NUL bytes removed")
    return raw


def _first_nonblank(lines: list[str]) -> int | None:
    for j, line in enumerate(lines):
        if line.strip():
            return j
    return None


def _opens_fiche(line: str) -> bool:
    return any(p <= _FIRST_HEADINGS for p in heading_positions(line))


def _starts_fiche(ahead: list[str]) -> bool:
    """"Actions" starts a fiche when a title follows, then one of the form's first headings."""
    j = _first_nonblank(ahead)
    if j is None:
        return True  # a marker at the very end: an empty, truncated fiche
    if _opens_fiche(ahead[j]):
        return True  # title missing; still a fiche
    k = _first_nonblank(ahead[j + 1:])
    return k is None or _opens_fiche(ahead[j + 1 + k])


def _next_heading(positions: list[int], current: int | None) -> int | None:
    """The first of `positions` after `current` (headings come in order), else None.

    A jump over more than `_MAX_SKIPPED` required headings is taken for text that happens to
    read like a heading (a bullet "- Public" in a summary), not for a heading.
    """
    start = -1 if current is None else current
    for p in positions:
        if p > start:
            skipped = sum(1 for q in range(start + 1, p) if HEADINGS[q][0] not in OPTIONAL_HEADINGS)
            return p if skipped <= _MAX_SKIPPED else None
    return None


# ---------------------------------------------------------------------------------------------
# Entry points


def read_fiches(path: str | Path, stats: ReadStats | None = None,
                stdin: IO[bytes] | None = None, encoding: str | None = None) -> Iterator[Fiche]:
    """Stream the fiches of a text export or a JSONL file of records; `-` reads stdin.

    Duplicates (same content as an earlier fiche of the same input) get `duplicate_of`.
    Records that cannot be read are added to `stats.rejected` with their reason; so is a fiche
    holding a line whose bytes do not decode (the others are kept).

    Args:
        encoding: the input's encoding as named by the user; None to decide from the bytes.

    Raises:
        InputError: the input cannot be opened, decoded, or holds no fiche.
    """
    stats = stats if stats is not None else ReadStats()
    name = "<stdin>" if str(path) == "-" else Path(path).name
    issues: dict[int, str] = {}
    stream = _Lookahead(iter_lines(path, str(path), stats, stdin, encoding, issues))
    if _looks_like_jsonl(stream):
        yield from read_jsonl(stream, name, stats, issues)
        return
    found_before = stats.found
    seen: dict[str, int] = {}
    for draft, ordinal in parse_export_lines(stream, name, stats, issues):
        if draft.invalid:
            stats.rejected.append(Rejection(name, draft.title_line or draft.line, draft.invalid))
            continue
        if draft.title is None and not draft.values:
            stats.rejected.append(Rejection(name, draft.line, "empty fiche: no title, no field"))
            continue
        fiche = draft_to_fiche(draft, name, ordinal)
        first = seen.setdefault(fiche.id, ordinal)
        if first != ordinal:
            fiche.duplicate_of = first
            stats.duplicates += 1
        stats.read += 1
        yield fiche
    if stats.found == found_before:
        raise InputError(f"{path}: no fiche found; expected a catalogue text export "
                         f"(lines '{FICHE_MARKER}', title, '- Structure organisatrice'...) "
                         "or JSONL records")


def _looks_like_jsonl(stream: _Lookahead) -> bool:
    """True when the first non-blank line (within 50) opens a JSON object."""
    ahead = stream.peek(50)
    j = _first_nonblank(ahead)
    return j is not None and ahead[j].lstrip().startswith("{")


def read_many(paths: Iterable[str | Path], stats: ReadStats, stdin: IO[bytes] | None = None,
              encoding: str | None = None) -> Iterator[Fiche]:
    """Read several inputs in turn; a file that fails whole is recorded, not fatal.

    A failed file is added to `stats.failed_files` with the reason.
    """
    for path in paths:
        try:
            yield from read_fiches(path, stats, stdin=stdin, encoding=encoding)
        except InputError as exc:
            stats.failed_files.append(Rejection(str(path), 0, str(exc)))


def read_string(text: str, name: str = "<string>",
                stats: ReadStats | None = None) -> list[Fiche]:
    """Parse an export or JSONL given as a string (tests, notebooks)."""
    stats = stats if stats is not None else ReadStats()
    return list(read_fiches("-", stats, stdin=io.BytesIO(text.encode("utf-8"))))
