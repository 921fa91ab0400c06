"""Reads the catalogue's text export and JSONL records into `Fiche` records, with line numbers."""

from __future__ import annotations

import functools
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pipeline.reading.decode import InputError, codec_name, decode_lines, detect_encoding
from pipeline.reading.jsonl import read_jsonl
from pipeline.reading.stats import ReadStats, Rejection
from pipeline.records import Fiche, Source, Structure

__all__ = ["InputError", "ReadStats", "Rejection", "read_fiches", "read_many", "read_string"]

PAGE_HEADER = "Les actions des centres sociaux"
FICHE_MARKER = "Actions"

# The headings of a fiche in export order: (key, heading text). A key may repeat (the territory
# question is asked twice). Keys map to record fields, except the few handled by `_assign`.
HEADINGS: tuple[tuple[str, str], ...] = (
    ("structure", "Structure organisatrice"),
    ("attached_files", "Fichier(s) associé(s)"),
    ("status", "Statut de l'action"),
    ("status_reason", "Raisons pour lesquelles l'action est terminée"),
    ("dimension", "Dimension"),
    ("keywords", "Mots clés associés à l'action"),
    ("summary", "Résumé"),
    ("initiative", "Qui est à l'initiative de l'action ?"),
    ("initiative_detail", "Précision ( si autre )"),
    ("territory", "Territoire concerné"),
    ("experience",
     "Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases."),
    ("public", "Public"),
    ("with_whom", "Avec qui cette action a-t-elle été menée ?"),
    ("action_partners", "Partenaires d'action:"),
    ("territory_again", "Territoire concerné"),
    ("description", "Description générale"),
    ("financial_resources", "Ressources financières mobilisées pour cette action"),
    ("people_mobilised", "Nombre de personnes mobilisés pour cette action"),
    ("result_territory", "Résultat sur le territoire"),
    ("result_centre", "Résultat pour le centre social"),
    ("result_inhabitants", "Résultat pour les habitants"),
    ("limits", "Suite de l'action : Limites"),
    ("perspectives", "Suite de l'action : Perspectives"),
)
# Headings the form shows only in some cases; their absence is not worth a warning.
OPTIONAL_HEADINGS = frozenset({"status_reason", "initiative_detail", "attached_files",
                               "with_whom", "action_partners", "territory_again"})
LIST_KEYS = frozenset({"attached_files", "keywords", "initiative", "public", "action_partners",
                       "with_whom"})
SINGLE_KEYS = frozenset({"status", "dimension", "territory", "territory_again"})

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([?:!;.,)])")
_SPACE_AFTER_PAREN = re.compile(r"\(\s+")
_BULLET = re.compile(r"^\s*[-\u2013\u2022]\s?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
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
    text = _SPACES.sub(" ", text).strip()
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


@dataclass
class _Draft:
    """A fiche being read: raw lines per heading key."""

    line: int
    title: str | None = None
    title_line: int = 0
    values: dict[str, list[str]] = field(default_factory=dict)
    seen: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    invalid: str | None = None  # why the fiche cannot be trusted (a line that did not decode)


def parse_export_lines(lines: Iterable[str], name: str, stats: ReadStats,
                       issues: dict[int, str] | None = None) -> Iterator[tuple[_Draft, int]]:
    """Group the lines of a text export into drafts; yield `(draft, ordinal)` as each ends.

    A draft holding a line named in `issues` (bytes that did not decode) gets `invalid` set.
    """
    stream = _Lookahead(lines)
    issues = issues if issues is not None else {}
    draft: _Draft | None = None
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
            draft, current = _Draft(line=number), None
            stats.found += 1
            ahead = stream.peek(4)
            j = _first_nonblank(ahead)
            if j is not None and not heading_positions(ahead[j]):
                for _ in range(j + 1):
                    next(stream)
                    number += 1
                    draft.invalid = draft.invalid or issues.get(number)
                draft.title, draft.title_line = ahead[j].strip(), number
                if "\x00" in draft.title:
                    draft.title = draft.title.replace("\x00", "")
                    draft.warnings.append(f"line {number}: NUL bytes removed")
            else:
                draft.warnings.append("no title")
        elif draft is None:
            if stripped and not _TABLE_ROW.match(text):
                stats.notices.append(f"{name}:{number}: text outside any fiche ignored: "
                                     f"{stripped[:60]!r}")
        else:
            position = _next_heading(positions, current) if positions else None
            if position is not None:
                current = position
                draft.seen.append(position)
                draft.values.setdefault(HEADINGS[position][0], [])
            elif current is None:
                if stripped:
                    draft.warnings.append(f"line {number}: text before the first heading: "
                                          f"{stripped[:60]!r}")
            else:
                if _HEADING_SHAPE.match(stripped) and HEADINGS[current][0] not in LIST_KEYS:
                    draft.warnings.append(f"unknown heading {stripped[2:]!r} "
                                          f"(line {number}), kept as text")
                draft.values[HEADINGS[current][0]].append(text)
    if draft is not None:
        yield draft, ordinal


def _screen(raw: str, number: int, draft: _Draft | None, issue: str | None, stats: ReadStats,
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


def draft_to_fiche(draft: _Draft, name: str, ordinal: int) -> Fiche:
    """Turn a draft into a Fiche, noting missing headings and truncation in warnings."""
    warnings = list(draft.warnings)
    values = draft.values
    last_seen = max(draft.seen) if draft.seen else -1
    missing_inside = [HEADINGS[p][1] for p in range(last_seen)
                      if p not in draft.seen and HEADINGS[p][0] not in OPTIONAL_HEADINGS]
    missing_after = [HEADINGS[p][1] for p in range(last_seen + 1, len(HEADINGS))
                     if HEADINGS[p][0] not in OPTIONAL_HEADINGS]
    for heading in missing_inside:
        warnings.append(f"missing heading: {heading}")
    if missing_after:
        warnings.append("truncated: missing headings: " + "; ".join(missing_after))

    single = {key: _single(values.get(key, [])) for key in SINGLE_KEYS}
    territory = single["territory"] or single["territory_again"]
    if (single["territory"] and single["territory_again"]
            and single["territory"] != single["territory_again"]):
        warnings.append(f"territory answered twice differently: {single['territory']!r} "
                        f"then {single['territory_again']!r}; kept the first")
    partners = _items(values.get("with_whom", [])) + _items(values.get("action_partners", []))
    return Fiche(
        source=Source(file=name, ordinal=ordinal, line=draft.title_line or draft.line),
        title=_clean_short(draft.title) if draft.title else None,
        structure=_structure(values.get("structure", [])),
        attached_files=_items(values.get("attached_files", [])),
        status=single["status"],
        status_reason=_text(values.get("status_reason", [])),
        dimension=single["dimension"],
        keywords=_items(values.get("keywords", [])),
        summary=_text(values.get("summary", [])),
        initiative=_items(values.get("initiative", [])),
        initiative_detail=_text(values.get("initiative_detail", [])),
        territory=territory,
        experience=_text(values.get("experience", [])),
        public=_items(values.get("public", [])),
        action_partners=partners,
        description=_text(values.get("description", [])),
        financial_resources=_text(values.get("financial_resources", [])),
        people_mobilised=_text(values.get("people_mobilised", [])),
        result_territory=_text(values.get("result_territory", [])),
        result_centre=_text(values.get("result_centre", [])),
        result_inhabitants=_text(values.get("result_inhabitants", [])),
        limits=_text(values.get("limits", [])),
        perspectives=_text(values.get("perspectives", [])),
        warnings=warnings,
    )


def _clean_short(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _is_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped in {"-", "\u2013", "\u2022"}


def _items(lines: list[str]) -> list[str]:
    """List values: one per line, bullet removed, blanks and lone dashes dropped."""
    return [_clean_short(_BULLET.sub("", line)) for line in lines if not _is_blank(line)]


def _single(lines: list[str]) -> str | None:
    items = _items(lines)
    return " ".join(items) if items else None


def _text(lines: list[str]) -> str | None:
    """Free text: line breaks and bullets kept, blank (or lone-dash) edges trimmed."""
    start, end = 0, len(lines)
    while start < end and _is_blank(lines[start]):
        start += 1
    while end > start and _is_blank(lines[end - 1]):
        end -= 1
    if start == end:
        return None
    return "\n".join(line.rstrip() for line in lines[start:end])


def _structure(lines: list[str]) -> Structure:
    """"NAME - Département", split on the last " - " (names may contain " - " themselves)."""
    value = _single(lines)
    if not value:
        return Structure()
    name, sep, dept = value.rpartition(" - ")
    if not sep:
        return Structure(name=value, departement=None)
    return Structure(name=name.strip() or None, departement=dept.strip() or None)


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
