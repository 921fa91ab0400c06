"""The enriched record's parts as types: what extraction and the tagger add to a `Fiche`.

Every part is a frozen dataclass with `to_dict` / `from_dict`; line kinds, funder and partner
types are `Literal`s. `from_dict` checks every key and value against the annotations (unknown or
missing keys, wrong types and values outside a `Literal` are a `RecordError` naming the path), and
`json_schema()` derives the shipped JSON Schema (`enriched.schema.json`) from the same
annotations, so the types, the schema and the records cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Self, get_args, get_origin

from pipeline.records import Fiche, RecordError

LineKind = Literal["expense", "funding", "total", "in_kind", "other", "unconfirmed", "passed_on"]
Basis = Literal["explicit_total", "sum_of_expenses", "sum_of_funding", "single_amount"]
FunderType = Literal["CAF", "MSA", "CARSAT", "CPAM", "ARS", "État", "CGET", "Région",
                     "Département", "Commune", "Intercommunalité", "Europe", "Bailleur social",
                     "Fondation", "Familles", "Autre"]
PartnerType = Literal["CAF", "MSA", "CARSAT", "CPAM", "ARS", "État", "CGET", "Région",
                      "Département", "Commune", "CCAS", "Intercommunalité", "Europe",
                      "Bailleur social", "Fondation", "Éducation nationale",
                      "Emploi et insertion", "Santé", "Culture et sport", "Association",
                      "Entreprise", "Autre"]
Role = Literal["professionals", "volunteers", "beneficiaries", "total"]


class Part:
    """Conversion shared by every part: dataclass fields <-> JSON object, checked."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _dump(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Self:
        """Build from a JSON object, or RecordError naming the first bad path."""
        if not isinstance(data, dict):
            raise RecordError(f"{path or cls.__name__}: expected an object")
        hints = _hints(cls)
        unknown = sorted(set(data) - set(hints))
        if unknown:
            raise RecordError(f"{path}.{unknown[0]}: unknown field".lstrip("."))
        kwargs = {}
        for name, hint in hints.items():
            where = f"{path}.{name}".lstrip(".")
            if name not in data:
                raise RecordError(f"{where}: missing")
            kwargs[name] = _load(data[name], hint, where)
        return cls(**kwargs)


@dataclass(frozen=True)
class Entity(Part):
    text: str
    label: str
    field: str
    start: int
    end: int
    id: str | None


@dataclass(frozen=True)
class BudgetLine(Part):
    label: str
    amount_eur: float
    kind: LineKind
    funder: FunderType | None
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Budget(Part):
    total_eur: float | None
    basis: Basis | None
    approximate: bool | None  # null without an amount
    unit_assumed: bool | None
    consistent: bool | None
    lines: list[BudgetLine]


@dataclass(frozen=True)
class Funder(Part):
    type: FunderType
    name: str
    amount_eur: float | None
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Partner(Part):
    type: PartnerType
    name: str
    field: str  # a text field, or "action_partners[i]" for an item of the form's list
    start: int
    end: int


@dataclass(frozen=True)
class Count(Part):
    min: int
    max: int
    approximate: bool


@dataclass(frozen=True)
class HeadcountMention(Part):
    text: str
    role: Role
    min: int
    max: int
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Headcount(Part):
    professionals: Count | None
    volunteers: Count | None
    beneficiaries: Count | None
    total: Count | None
    mentions: list[HeadcountMention]


@dataclass(frozen=True)
class DateMention(Part):
    text: str
    value: str
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Dates(Part):
    start: str | None
    end: str | None
    years: list[int]
    mentions: list[DateMention]


@dataclass(frozen=True)
class Suggestion(Part):
    label: str
    score: float
    evidence: list[str]


@dataclass(frozen=True)
class Suggestions(Part):
    keywords: list[Suggestion]
    dimension: Suggestion | None
    model: dict[str, Any]


@dataclass(frozen=True)
class Extraction(Part):
    """What the extraction stage adds to a fiche."""

    entities: list[Entity]
    budget: Budget
    funders: list[Funder]
    headcount: Headcount
    dates: Dates
    partners: list[Partner]


@dataclass(frozen=True)
class EnrichedFiche:
    """One line of `fiches enrich`'s output: the fiche, its extraction, its suggestions."""

    fiche: Fiche
    extraction: Extraction
    suggestions: Suggestions | None

    def to_dict(self) -> dict[str, Any]:
        return {**self.fiche.to_dict(), **self.extraction.to_dict(),
                "suggestions": None if self.suggestions is None else self.suggestions.to_dict()}

    @classmethod
    def from_dict(cls, data: Any) -> EnrichedFiche:
        """Split an enriched record into its parts, each checked.

        Raises:
            RecordError: a part is missing or malformed; the message names the path.
        """
        if not isinstance(data, dict):
            raise RecordError("expected a JSON object")
        names = _hints(Extraction)
        extraction = Extraction.from_dict({k: data.get(k) for k in names})
        fiche = Fiche.from_dict({k: v for k, v in data.items()
                                 if k not in names and k != "suggestions"})
        raw = data.get("suggestions")
        suggestions = None if raw is None else Suggestions.from_dict(raw, "suggestions")
        return cls(fiche, extraction, suggestions)


def _hints(cls: type) -> dict[str, Any]:
    hints: dict[str, Any] | None = cls.__dict__.get("_resolved_hints")
    if hints is None:
        hints = typing.get_type_hints(cls)
        hints = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
        type.__setattr__(cls, "_resolved_hints", hints)
    return hints


def _dump(value: Any) -> Any:
    if isinstance(value, Part):
        return value.to_dict()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


def _is_optional(hint: Any) -> tuple[bool, Any]:
    if get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(get_args(hint)) == 2:
            return True, args[0]
    return False, hint


def _load(value: Any, hint: Any, where: str) -> Any:  # noqa: C901  (one branch per type kind)
    optional, hint = _is_optional(hint)
    if value is None:
        if optional:
            return None
        raise RecordError(f"{where}: must not be null")
    origin = get_origin(hint)
    if isinstance(hint, type) and issubclass(hint, Part):
        return hint.from_dict(value, where)
    if origin is Literal:
        if value not in get_args(hint):
            raise RecordError(f"{where}: {value!r} is not one of {list(get_args(hint))}")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise RecordError(f"{where}: expected a list")
        (item,) = get_args(hint)
        return [_load(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise RecordError(f"{where}: expected an object")
        return value
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, hint)
    if not ok:
        raise RecordError(f"{where}: expected {hint.__name__}, got {value!r}")
    return value


_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _schema_of(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    optional, hint = _is_optional(hint)
    origin = get_origin(hint)
    if isinstance(hint, type) and issubclass(hint, Part):
        if hint.__name__ not in defs:
            defs[hint.__name__] = {}  # reserve the name before recursing
            defs[hint.__name__] = _object_schema(hint, defs)
        schema: dict[str, Any] = {"$ref": f"#/$defs/{hint.__name__}"}
    elif origin is Literal:
        schema = {"enum": list(get_args(hint))}
    elif origin is list:
        schema = {"type": "array", "items": _schema_of(get_args(hint)[0], defs)}
    elif origin is dict:
        schema = {"type": "object"}
    else:
        schema = {"type": _JSON_TYPES[hint]}
    if optional:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = _hints(cls)
    return {"type": "object", "additionalProperties": False, "required": list(hints),
            "properties": {name: _schema_of(hint, defs) for name, hint in hints.items()}}


def json_schema(fiche_schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of an enriched record: the fiche's schema plus the extraction fields and
    `suggestions`, derived from the annotations above."""
    defs: dict[str, Any] = {}
    extraction = _object_schema(Extraction, defs)
    properties = {**fiche_schema["properties"], **extraction["properties"],
                  "suggestions": _schema_of(Suggestions | None, defs)}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "enriched.schema.json", "title": "Enriched fiche action",
            "type": "object", "additionalProperties": False,
            "required": [*fiche_schema.get("required", []), *extraction["required"],
                         "suggestions"],
            "properties": properties, "$defs": defs}
