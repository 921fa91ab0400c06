"""Request and response bodies of the API, and turning a request's fiche into a `Fiche`."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from pipeline.reading.parse import InputError, ReadStats, read_fiches
from pipeline.records import LIST_FIELDS, Fiche, RecordError, Source

MAX_BATCH = 32
MAX_DECISIONS = 100
MAX_TEXT = 200
REQUEST_FILE = "<request>"
# What `fiches enrich` adds to a record: accepted in a posted record and ignored, as the CLI does.
ENRICHED_KEYS = ("entities", "budget", "funders", "headcount", "dates", "suggestions")


class BadFiche(ValueError):
    """The request's fiche cannot be read; the message names the field."""


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str
    ordinal: int = Field(ge=0)
    line: int = Field(ge=0)


class StructureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    departement: str | None = None


def _record_fields() -> dict[str, Any]:
    """The record's fields as pydantic fields, derived from `Fiche` so they never drift."""
    out: dict[str, Any] = {"id": (str | None, None)}
    for f in dataclasses.fields(Fiche):
        if f.name == "source":
            out[f.name] = (SourceIn | None, None)
        elif f.name == "structure":
            out[f.name] = (StructureIn | None, None)
        elif f.name == "duplicate_of":
            out[f.name] = (int | None, None)
        elif f.name in LIST_FIELDS or f.name == "warnings":
            out[f.name] = (list[str], [])
        else:
            out[f.name] = (str | None, None)
    out.update({key: (Any, None) for key in ENRICHED_KEYS})
    return out


FicheRecord: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "FicheRecord", __config__=ConfigDict(extra="forbid"), **_record_fields())
FicheRecord.__doc__ = ("A fiche as a JSON record (the fields `fiches parse` writes, all optional "
                       "but some text).")


class OneFiche(BaseModel):
    """One fiche: a JSON record (`fiche`) or the catalogue's text export of it (`text`)."""

    model_config = ConfigDict(extra="forbid")
    fiche: FicheRecord | None = None  # type: ignore[valid-type]
    text: str | None = Field(None, description="The text export of one fiche.")

    @model_validator(mode="after")
    def _one_of(self) -> OneFiche:
        if (self.fiche is None) == (self.text is None):
            raise ValueError("give either `fiche` (a JSON record) or `text` (a text export)")
        return self

    def to_fiche(self) -> Fiche:
        """The `Fiche` this request describes.

        Raises:
            BadFiche: no text at all, not one fiche in `text`, or an `id` that does not match.
        """
        fiche = _from_text(self.text) if self.text is not None else _from_record(self.fiche)
        if not fiche.title and not fiche.text_fields():
            raise BadFiche("fiche: no text (title, summary, description... are all empty)")
        return fiche


class Overrides(BaseModel):
    limit: int | None = Field(None, ge=0, le=50, description="At most this many keywords "
                              "(default: the model's).")
    threshold: float | None = Field(None, ge=0.0, le=1.0, description="Minimum keyword score "
                                    "(default: the model's tuned threshold).")


class SuggestRequest(OneFiche, Overrides):
    """One fiche and optional overrides."""


class SuggestBatchRequest(Overrides):
    """Up to 32 fiches, each `{"fiche": record}` or `{"text": export}`."""

    model_config = ConfigDict(extra="forbid")
    fiches: list[OneFiche] = Field(min_length=1, max_length=MAX_BATCH)


class DecisionIn(BaseModel):
    """A staff decision on one suggested label; `kind` is found from the vocabulary if omitted."""

    model_config = ConfigDict(extra="forbid")
    fiche_id: str = Field(min_length=1, max_length=MAX_TEXT)
    label: str = Field(min_length=1, max_length=MAX_TEXT)
    verdict: Literal["accepted", "rejected"]
    who: str = Field(min_length=1, max_length=MAX_TEXT)
    kind: Literal["keyword", "dimension"] | None = None

    @field_validator("fiche_id", "label", "who")
    @classmethod
    def _utf8(cls, value: str) -> str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("holds an invalid character (a lone surrogate)") from None
        return value


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decisions: list[DecisionIn] = Field(min_length=1, max_length=MAX_DECISIONS)


class Suggestion(BaseModel):
    model_config = ConfigDict(extra="allow")
    label: str
    score: float
    evidence: list[str]


class SuggestResponse(BaseModel):
    """Suggestions for one fiche, as `suggestions` in an enriched record, with the fiche's id."""

    model_config = ConfigDict(extra="allow")
    id: str
    title: str | None
    keywords: list[Suggestion]
    dimension: Suggestion | None
    model: dict[str, Any] | None = None


class SuggestBatchResponse(BaseModel):
    results: list[SuggestResponse]


class FeedbackResponse(BaseModel):
    stored: int
    file: str


def _check_text(name: str, value: Any) -> None:
    """JSON can escape a lone UTF-16 surrogate, which no UTF-8 text (id, output) can hold."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadFiche(f"{name}: holds an invalid character (a lone surrogate)") from None


def _from_record(record: BaseModel | None) -> Fiche:
    assert record is not None
    data = record.model_dump(exclude=set(ENRICHED_KEYS))
    for name, value in data.items():
        _check_text(f"fiche.{name}", value)
    if data["source"] is None:
        data["source"] = {"file": REQUEST_FILE, "ordinal": 0, "line": 1}
    if data["id"] is None:
        del data["id"]
    try:
        return Fiche.from_dict(data)
    except RecordError as exc:
        raise BadFiche(f"fiche: {exc}") from None


def _from_text(text: str | None) -> Fiche:
    import io

    assert text is not None
    _check_text("text", text)
    stats = ReadStats()
    try:
        fiches = list(read_fiches("-", stats, stdin=io.BytesIO(text.encode("utf-8"))))
    except InputError as exc:
        raise BadFiche(f"text: {str(exc).removeprefix('-: ')}") from None
    if stats.rejected:
        raise BadFiche(f"text: {stats.rejected[0].reason}")
    if len(fiches) != 1:
        raise BadFiche(f"text: {len(fiches)} fiches found; send one (or use /v1/suggest-batch)")
    fiche = fiches[0]
    return dataclasses.replace(fiche, source=Source(REQUEST_FILE, 0, fiche.source.line))
