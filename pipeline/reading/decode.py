"""Decodes a catalogue file line by line: the encoding decided from its bytes, bad lines named.

UTF-8 is the norm. A file that is not UTF-8 is usually CP1252 (Windows) or ISO-8859-15
("Latin-9"); the two differ on a few bytes, and one of them matters for budgets: 0xA4 is "€" in
Latin-9 but "¤" in CP1252. The choice is made from what the bytes say (0x80-0x9F are letters in
CP1252 and control codes in Latin-9; 0xA4 beside digits is a euro sign; 0xBD between letters is
"œ"), or the file is refused with a message naming `--encoding`. A UTF-8 file with a few bad
bytes (a stray 0x8F, a tail cut mid-character) stays UTF-8: each bad line is reported, by
number, so the reader can reject the record holding it and keep the others.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

# Names people type, mapped to Python codecs; anything `codecs.lookup` knows is accepted too.
ALIASES = {"latin-9": "iso8859-15", "latin9": "iso8859-15", "latin-1": "latin-1",
           "windows-1252": "cp1252", "utf8": "utf-8"}
_LABELS = {"utf-8": "UTF-8", "cp1252": "CP1252/Latin-1", "iso8859-15": "ISO-8859-15 (Latin-9)"}
_BREAK = re.compile(rb"\r\n|\r|\n")
_CHUNK = 1 << 20
# A file whose first 64 KiB are this much NUL is binary data or UTF-16, not a text export; a few
# NUL bytes in a text file are handled line by line by the reader.
_PROBE = 65536
_NUL_SHARE = 0.1
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Bytes that are letters or signs in CP1252 but C1 control codes in ISO-8859-15.
_CP1252_ONLY = re.compile(rb"[\x80\x82-\x8c\x8e\x91-\x9c\x9e\x9f]")
# Bytes no code page here reads as text (undefined in CP1252, controls in Latin-9).
_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# 0xA4 touching a digit (a space between allowed): "150 \xa4", "\xa4 150" is an amount in euros.
_EURO_LATIN9 = re.compile(rb"\d[ \xa0]?\xa4|\xa4[ \xa0]?\d")
# 0xBC / 0xBD inside a word: "Œ" / "œ" in Latin-9 ("c\xbdur"), "¼" / "½" in CP1252.
_OE_LATIN9 = re.compile(rb"[A-Za-z\xc0-\xff][\xbc\xbd]|[\xbc\xbd][A-Za-z\xc0-\xff]")


class InputError(Exception):
    """A whole input cannot be read; the message names the file."""


def codec_name(encoding: str) -> str:
    """The Python codec for an encoding name as typed ("latin-9", "cp1252", "utf-8"...).

    Raises:
        LookupError: no such encoding.
    """
    return codecs.lookup(ALIASES.get(encoding.lower(), encoding)).name


def binary_lines(raw: IO[bytes]) -> Iterator[bytes]:
    """The lines of a byte stream without their ends; CR, LF and CRLF all end a line."""
    rest = b""
    while chunk := raw.read(_CHUNK):
        data = rest + chunk
        # A final CR may be the first half of a CRLF: keep it for the next chunk.
        cut = len(data) - 1 if data.endswith(b"\r") else len(data)
        parts = _BREAK.split(data[:cut])
        rest = parts.pop() + data[cut:]
        yield from parts
    if rest:
        yield rest[:-1] if rest.endswith(b"\r") else rest


@dataclass
class _Profile:
    """What the bytes of a file say about its encoding."""

    lines: int = 0
    utf8_lines: int = 0  # lines with valid UTF-8 multi-byte characters
    bad_lines: int = 0  # lines that are not UTF-8
    first_bad: int = 0
    last_cut: int = 0  # the line, if any, whose UTF-8 ends mid-character
    cp1252_only: int = 0
    undefined: int = 0
    euro_latin9: int = 0
    oe_latin9: int = 0
    lone_a4: int = 0  # first line with a 0xA4 that says nothing either way

    def add(self, number: int, line: bytes) -> None:
        self.lines = number
        if line.isascii():
            return
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.bad_lines += 1
            self.first_bad = self.first_bad or number
            self.last_cut = number if exc.reason == "unexpected end of data" else 0
        else:
            self.utf8_lines += 1
            return
        self.cp1252_only += bool(_CP1252_ONLY.search(line))
        self.undefined += bool(_UNDEFINED.search(line))
        self.euro_latin9 += bool(_EURO_LATIN9.search(line))
        self.oe_latin9 += bool(_OE_LATIN9.search(line))
        if b"\xa4" in line and not self.lone_a4:
            self.lone_a4 = number


def detect_encoding(raw: IO[bytes], name: str) -> tuple[str, str | None]:
    """Choose how to decode a byte stream, reading it once, line by line (constant memory).

    Returns:
        `(codec, notice)`: the codec name and a notice for the user, or None.

    Raises:
        InputError: binary data, or a byte whose meaning depends on the encoding and nothing in
            the file to decide it (the message names `--encoding`).
    """
    head = raw.read(_PROBE)
    if head.startswith(_UTF16_BOMS) or head.count(0) > _NUL_SHARE * len(head):
        raise InputError(f"{name}: binary data or UTF-16 text, not a catalogue export "
                         "(save it as UTF-8 text)")
    raw.seek(0)
    profile = _Profile()
    for number, line in enumerate(binary_lines(raw), start=1):
        profile.add(number, line)
    return _decide(profile, name)


def _decide(p: _Profile, name: str) -> tuple[str, str | None]:
    if not p.bad_lines:
        return "utf-8", None
    cut_tail = p.bad_lines == 1 and p.last_cut == p.lines
    if cut_tail or p.undefined or p.utf8_lines >= p.bad_lines:
        return "utf-8", None  # a UTF-8 file with bad bytes: the reader rejects those lines
    where = f"{name}: not UTF-8 (first bad byte on line {p.first_bad})"
    if p.cp1252_only:
        return "cp1252", f"{where}; read as CP1252/Latin-1"
    if p.euro_latin9 or p.oe_latin9:
        return "iso8859-15", (f"{where}; read as ISO-8859-15 (Latin-9): byte 0xA4 beside "
                              "digits is '€', 0xBD in a word 'œ' (--encoding to override)")
    if p.lone_a4:
        raise InputError(f"{name}:{p.lone_a4}: not UTF-8, and byte 0xA4 is '€' in ISO-8859-15 "
                         "but '¤' in CP1252/Latin-1; say which with --encoding latin-9 or "
                         "--encoding cp1252")
    return "cp1252", f"{where}; read as CP1252/Latin-1"


def decode_lines(raw: IO[bytes], codec: str, issues: dict[int, str]) -> Iterator[str]:
    """The lines of `raw` decoded with `codec` (a UTF-8 BOM dropped); a line holding bytes the
    codec cannot decode is yielded with U+FFFD in their place and named in `issues` (line number
    -> reason), so that the reader rejects the record it belongs to."""
    label = _LABELS.get(codec, codec)
    for number, line in enumerate(binary_lines(raw), start=1):
        if number == 1 and codec == "utf-8" and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        try:
            yield line.decode(codec)
        except UnicodeDecodeError as exc:
            byte = line[exc.start]
            cut = exc.reason == "unexpected end of data"
            issues[number] = (f"line {number}: byte 0x{byte:02X} at column {exc.start + 1} is "
                              f"not {label}" + (" (the text is cut mid-character)" if cut else ""))
            yield line.decode(codec, "replace")
