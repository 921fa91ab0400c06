"""Typed records: a parsed `Fiche`, its provenance, and conversion to and from plain dicts."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from typing import Any

# Free-text fields, in the order they appear in a fiche. Each becomes its own spaCy Doc.
TEXT_FIELDS: tuple[str, ...] = (
    "summary",
    "initiative_detail",
    "experience",
    "description",
    "financial_resources",
    "people_mobilised",
    "result_territory",
    "result_centre",
    "result_inhabitants",
    "limits",
    "perspectives",
    "status_reason",
)

LIST_FIELDS: tuple[str, ...] = (
    "attached_files",
    "keywords",
    "initiative",
    "public",
    "action_partners",
)


class RecordError(ValueError):
    """A dict that is not a valid fiche record."""


@dataclass(frozen=True)
class Source:
    """Where a fiche came from: input file name, 0-based ordinal, 1-based line of its title."""

    file: str
    ordinal: int
    line: int


@dataclass(frozen=True)
class Structure:
    """The organising structure and its département."""

    name: str | None = None
    departement: str | None = None


@dataclass
class Fiche:
    """One fiche action as read from the catalogue. Empty text is `None`, empty lists are `[]`."""

    source: Source
    title: str | None = None
    structure: Structure = field(default_factory=Structure)
    attached_files: list[str] = field(default_factory=list)
    status: str | None = None
    status_reason: str | None = None
    dimension: str | None = None
    keywords: list[str] = field(default_factory=list)
    summary: str | None = None
    initiative: list[str] = field(default_factory=list)
    initiative_detail: str | None = None
    territory: str | None = None
    experience: str | None = None
    public: list[str] = field(default_factory=list)
    action_partners: list[str] = field(default_factory=list)
    description: str | None = None
    financial_resources: str | None = None
    people_mobilised: str | None = None
    result_territory: str | None = None
    result_centre: str | None = None
    result_inhabitants: str | None = None
    limits: str | None = None
    perspectives: str | None = None
    duplicate_of: int | None = None
    warnings: list[str] = field(default_factory=list)

    def _fields(self) -> dict[str, Any]:
        """All fields as plain JSON-able values, in declaration order (a fast `asdict`: the
        nested records are flat and lists hold strings)."""
        data: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, Source):
                value = {"file": value.file, "ordinal": value.ordinal, "line": value.line}
            elif isinstance(value, Structure):
                value = {"name": value.name, "departement": value.departement}
            elif isinstance(value, list):
                value = list(value)
            data[name] = value
        return data

    def content(self) -> dict[str, Any]:
        """The fiche's own content: everything but provenance and reader notes."""
        data = self._fields()
        for key in ("source", "duplicate_of", "warnings"):
            data.pop(key)
        return data

    @functools.cached_property
    def id(self) -> str:
        """Stable hash of the content: same content, same id, on every run and machine.

        Computed once: a fiche's content is not changed after it is read.
        """
        return content_hash(self.content())

    def text_fields(self) -> dict[str, str]:
        """The non-empty free-text fields, by field name."""
        return {name: text for name in TEXT_FIELDS if (text := getattr(self, name))}

    def to_dict(self) -> dict[str, Any]:
        """The record as written to JSONL, `id` first."""
        data = self._fields()
        ordered: dict[str, Any] = {"id": self.id, "source": data.pop("source")}
        ordered["duplicate_of"] = data.pop("duplicate_of")
        ordered["warnings"] = data.pop("warnings")
        ordered.update(data)
        return ordered

    @classmethod
    def from_dict(cls, data: Any) -> Fiche:
        """Build a fiche from a record dict; extra keys (enrichment) are ignored.

        Raises:
            RecordError: when a field is missing or has the wrong type.
        """
        if not isinstance(data, dict):
            raise RecordError(f"expected a JSON object, got {type(data).__name__}")
        try:
            src = data["source"]
            if not isinstance(src, dict):
                raise RecordError(f"source must be an object, got {src!r:.40}")
            source = Source(file=_str(src["file"]), ordinal=_int(src["ordinal"]),
                            line=_int(src["line"]))
            struct = data.get("structure") or {}
            if not isinstance(struct, dict):
                raise RecordError("structure must be an object")
            kwargs: dict[str, Any] = {
                "source": source,
                "structure": Structure(name=_opt_str(struct.get("name")),
                                       departement=_opt_str(struct.get("departement"))),
                "duplicate_of": _opt_int(data.get("duplicate_of")),
                "warnings": _str_list(data.get("warnings", [])),
            }
        except KeyError as exc:
            raise RecordError(f"missing field {exc.args[0]!r}") from None
        for f in fields(cls):
            if f.name in kwargs:
                continue
            value = data.get(f.name)
            if f.name in LIST_FIELDS:
                kwargs[f.name] = [] if value is None else _str_list(value)
            else:
                kwargs[f.name] = _opt_str(value)
        fiche = cls(**kwargs)
        if "id" in data and data["id"] != fiche.id:
            raise RecordError(f"id {data['id']!r} does not match the content (expected {fiche.id})")
        return fiche


_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Fiche))


def content_hash(content: Any) -> str:
    """sha256 of canonical JSON, shortened to 16 hex digits."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


# A lone surrogate ("\ud800" in JSON) is no character: it cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise RecordError(f"expected a string, got {value!r:.60}")
    if _SURROGATE.search(value):
        raise RecordError("a string holds a lone surrogate (an escape such as \\ud800), "
                          "which is no character")
    return value


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    return _str(value) or None


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise RecordError(f"expected an integer, got {value!r:.60}")
    return value


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _str_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise RecordError(f"expected a list, got {value!r:.60}")
    return [_str(v) for v in value]
