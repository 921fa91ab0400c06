"""The FastAPI application: models loaded once at start-up, bounded bodies, one-line errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline import __version__
from pipeline.config import load_json
from pipeline.running.stages import Settings

MAX_BODY = 1 << 20  # bytes; a fiche is a few kB, the batch endpoint's 32 fit easily
log = logging.getLogger("fiches.service")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass
class ServiceConfig:
    """What the operator chose: models, where decisions go, the token, allowed origins."""

    settings: Settings = field(default_factory=Settings)
    feedback: Path = Path("feedback.sqlite")
    token: str | None = None
    cors_origins: list[str] = field(default_factory=list)
    workers: int = 0  # NLP processes; 0 runs the NLP on a thread of the server process


class _TooLarge(StarletteHTTPException):
    """Raised while the body streams in; an HTTP error so that FastAPI passes it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


class BodyLimit:
    """ASGI middleware answering 413 to a body over `limit` bytes, declared or streamed, before
    anything parses it."""

    def __init__(self, app: Any, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _TooLarge(self.limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except _TooLarge:
            if not started:
                await _too_large(send, self.limit)


async def _too_large(send: Send, limit: int) -> None:
    response = JSONResponse({"detail": f"request body over {limit} bytes"}, status_code=413)
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "fiche", "keywords", 0)` -> `fiche.keywords[0]`."""
    out = ""
    for part in loc[1:] if loc and loc[0] == "body" else loc:
        out += f"[{part}]" if isinstance(part, int) else f"{'.' if out else ''}{part}"
    return out or "body"


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            message = f"invalid JSON: {error.get('ctx', {}).get('error', 'cannot parse')}"
            errors.append({"field": "body", "message": message})
        else:
            errors.append({"field": _field(error.get("loc", ())),
                           "message": str(error.get("msg", "invalid"))})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return JSONResponse({"detail": detail, "errors": errors[:50]}, status_code=422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # FastAPI's "error parsing the body": not UTF-8, too deep...
        message = "invalid JSON (not UTF-8 text, or nested too deep)"
        return JSONResponse({"detail": f"body: {message}",
                             "errors": [{"field": "body", "message": message}]},
                            status_code=422)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
    return JSONResponse({"detail": "internal error; the server log has the reason"},
                        status_code=500)


def _offline_docs(app: FastAPI, assets: str = "/docs-assets") -> None:
    """`/docs` (Swagger UI) and `/redoc` with their scripts served by the service itself, from
    the copies the pinned `fastapi-offline` package ships: they work with no Internet access
    (FastAPI's own pages load them from a CDN)."""
    from importlib import resources

    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    folder = resources.files("fastapi_offline") / "static"
    app.mount(assets, StaticFiles(directory=str(folder)), name="docs-assets")
    title, spec = f"{app.title} API", app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=spec, title=title, swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url=spec, title=title,
                              redoc_js_url=f"{assets}/redoc.standalone.js",
                              redoc_favicon_url=f"{assets}/favicon.png", with_google_fonts=False)


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    """The service for `config`; the spaCy pipeline and the tagger load when it starts."""
    from pipeline.service.engine import Engine
    from pipeline.service.routes import router

    config = config or ServiceConfig()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = Engine(config.settings, config.workers)
        engine.start()
        app.state.engine = engine
        app.state.vocabulary = load_json("vocabulary.json", config.settings.config_dir)
        try:
            yield
        finally:
            engine.stop()

    app = FastAPI(title="fiches", version=__version__, lifespan=lifespan,
                  description="Keyword and dimension suggestions, enrichment and staff "
                              "feedback for the catalogue's fiches action.",
                  docs_url=None, redoc_url=None)
    app.state.config = config
    app.include_router(router)
    _offline_docs(app)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    if config.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=config.cors_origins,
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodyLimit)
    return app
