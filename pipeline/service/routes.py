"""The `/v1` endpoints and the review page; each is a few lines over the engine or the store."""

from __future__ import annotations

import asyncio
import hmac
import json
from concurrent.futures import BrokenExecutor, CancelledError
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from pipeline.records import Fiche
from pipeline.service.engine import ENRICH, SUGGEST, Engine, NoModel
from pipeline.service.schemas import (
    BadFiche,
    DecisionIn,
    FeedbackRequest,
    FeedbackResponse,
    OneFiche,
    SuggestBatchRequest,
    SuggestBatchResponse,
    SuggestRequest,
    SuggestResponse,
)

TIMEOUT = 120.0  # seconds a request waits for the NLP workers before a 503
router = APIRouter()


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _fiche(item: OneFiche, where: str = "") -> Fiche:
    try:
        return item.to_fiche()
    except BadFiche as exc:
        raise HTTPException(422, f"{where}{exc}") from None


async def _run(request: Request, what: str, fiches: list[Fiche], threshold: float | None = None,
               limit: int | None = None) -> list[str]:
    engine = _engine(request)
    if what != ENRICH and not engine.has_model:
        raise HTTPException(503, "no tagger model loaded: train one with `fiches train`")
    futures = [asyncio.wrap_future(engine.submit(what, f, threshold, limit)) for f in fiches]
    try:
        return list(await asyncio.wait_for(asyncio.gather(*futures), TIMEOUT))
    except TimeoutError:
        raise HTTPException(503, "the service is overloaded; try again") from None
    except NoModel as exc:
        raise HTTPException(503, str(exc)) from None
    except (BrokenExecutor, CancelledError, RuntimeError):  # a worker died, or shutting down
        raise HTTPException(503, "the service's workers are restarting; try again") from None
    except Exception as exc:  # noqa: BLE001  (FicheFailed, or a tagger error on this fiche)
        raise HTTPException(422, f"fiche could not be processed: {exc}") from None


def _json(text: str) -> Response:
    """JSON made by the workers, sent as is (no re-encoding in the server's process)."""
    return Response(content=text.encode("utf-8"), media_type="application/json")


@router.get("/v1/health", tags=["service"])
def health(request: Request) -> dict[str, Any]:
    """Whether the service is ready, the tagger model and a summary of its card."""
    engine = _engine(request)
    model = engine.settings.model if engine.has_model else None
    return {"status": "ready", "version": request.app.version,
            "suggestions": engine.has_model,
            "feedback": request.app.state.config.token is not None,
            "model": _card_summary(model) if model is not None else None}


@router.get("/v1/vocabulary", tags=["service"])
def vocabulary(request: Request) -> dict[str, list[str]]:
    """The keywords and dimensions that can be suggested and decided on."""
    vocab = request.app.state.vocabulary
    return {"keywords": list(vocab.get("keywords", [])),
            "dimensions": list(vocab.get("dimensions", []))}


@router.post("/v1/suggest", response_model=SuggestResponse, tags=["tagging"])
async def suggest(body: SuggestRequest, request: Request) -> Response:
    """Keyword and dimension suggestions for one fiche, with score and evidence words."""
    [result] = await _run(request, SUGGEST, [_fiche(body)], body.threshold, body.limit)
    return _json(result)


@router.post("/v1/suggest-batch", response_model=SuggestBatchResponse, tags=["tagging"])
async def suggest_batch(body: SuggestBatchRequest, request: Request) -> Response:
    """Suggestions for up to 32 fiches, in order."""
    fiches = [_fiche(item, f"fiches[{i}].") for i, item in enumerate(body.fiches)]
    results = await _run(request, SUGGEST, fiches, body.threshold, body.limit)
    return _json('{"results": [' + ", ".join(results) + "]}")


@router.post("/v1/enrich", tags=["tagging"])
async def enrich(body: OneFiche, request: Request) -> Response:
    """The whole enriched record of one fiche: the line `fiches enrich` writes for it."""
    [record] = await _run(request, ENRICH, [_fiche(body)])
    return _json(record)


def _authorised(request: Request,
                authorization: Annotated[str | None, Header()] = None) -> None:
    """The bearer token check, run before the body is read: 403 when feedback is off, 401 for
    a missing or wrong token."""
    token = request.app.state.config.token
    if not token:
        raise HTTPException(403, "feedback is disabled: the operator sets FICHES_API_TOKEN")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                             token.encode()):
        raise HTTPException(401, "missing or wrong bearer token",
                            headers={"WWW-Authenticate": "Bearer"})


@router.post("/v1/feedback", response_model=FeedbackResponse, tags=["feedback"],
             dependencies=[Depends(_authorised)])
def feedback(body: FeedbackRequest, request: Request) -> dict[str, Any]:
    """Store staff decisions (accepted / rejected) on suggestions, for `fiches train
    --feedback`. Needs `Authorization: Bearer <FICHES_API_TOKEN>`."""
    from pipeline.tagging.feedback import Decision, FeedbackError, FeedbackStore

    config = request.app.state.config
    vocab = request.app.state.vocabulary
    decisions = [Decision(d.fiche_id, _kind(d, i, vocab), d.label, d.verdict, d.who)  # type: ignore[arg-type]
                 for i, d in enumerate(body.decisions)]
    try:
        with FeedbackStore(config.feedback) as store:
            stored = store.add(decisions)
    except FeedbackError as exc:
        raise HTTPException(422 if "cannot" not in str(exc) else 503, str(exc)) from None
    return {"stored": stored, "file": config.feedback.name}


def _kind(decision: DecisionIn, index: int, vocab: dict[str, Any]) -> str:
    """The decision's kind, checked against the vocabulary; 422 for a label not in it."""
    kinds = [kind for kind, key in (("keyword", "keywords"), ("dimension", "dimensions"))
             if decision.label in vocab.get(key, [])]
    where = f"decisions[{index}].label"
    if decision.kind is not None:
        if decision.kind not in kinds:
            raise HTTPException(422, f"{where}: {decision.label!r} is not a {decision.kind} of "
                                     "the vocabulary")
        return decision.kind
    if not kinds:
        raise HTTPException(422, f"{where}: {decision.label!r} is not in the vocabulary")
    if len(kinds) > 1:
        raise HTTPException(422, f"{where}: {decision.label!r} is both a keyword and a "
                                 "dimension; give `kind`")
    return kinds[0]


def _card_summary(model: Path) -> dict[str, Any]:
    """Name, labels, training data and metrics from the model's card, whatever it lacks."""
    try:
        card = json.loads((model / "card.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        card = {}
    card = card if isinstance(card, dict) else {}
    labels = card.get("labels") or {}
    validation = card.get("cross_validation") or {}
    return {"name": model.name, "created": card.get("created"),
            "sha256": str(card.get("sha256", ""))[:16] or None,
            "labels": {k: len(v) for k, v in labels.items() if isinstance(v, list)},
            "trained_on": card.get("training_data"),
            "metrics": {k: v for k, v in validation.items() if k != "note"} or None,
            "threshold": card.get("threshold"), "limit": card.get("limit")}


@lru_cache(maxsize=1)
def _page() -> str:
    return resources.files("pipeline.service").joinpath("static/review.html").read_text(
        encoding="utf-8")


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page() -> HTMLResponse:
    """The review page (French, self-contained: no CDN)."""
    return HTMLResponse(_page(), headers={
        "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
                                   "style-src 'unsafe-inline'; img-src 'self' data:",
        "X-Content-Type-Options": "nosniff"})
