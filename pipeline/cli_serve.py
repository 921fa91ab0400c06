"""`fiches serve`: the HTTP API and review page for the entry form (thin over `service/`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from pipeline.commandline import (
    DEFAULT_MODEL,
    EXIT_USAGE,
    ConfigOption,
    ModelOption,
    fail,
    say,
    tagger_model,
)
from pipeline.config import CONFIG_DIR


def serve_cmd(
    host: Annotated[str, typer.Option(metavar="HOST",
                                      help="Address to bind; 127.0.0.1 keeps it local.")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, metavar="PORT",
                                      help="Port to listen on.")] = 8000,
    model: ModelOption = DEFAULT_MODEL,
    feedback: Annotated[Path, typer.Option(
        metavar="DB", help="SQLite file where staff decisions are stored (read by training).")
    ] = Path("feedback.sqlite"),
    cors_origin: Annotated[list[str] | None, typer.Option(
        metavar="ORIGIN",
        help="Allow browser calls from this origin (repeatable); none by default.")] = None,
    workers: Annotated[int | None, typer.Option(
        min=0, metavar="N", show_default=False,
        help="Processes for the NLP, each loading the models; 0 runs it in the server's "
             "process; default: the machine's cores.")] = None,
    config: ConfigOption = CONFIG_DIR,
) -> None:
    """Serve the HTTP API and the review page; the models load once at start-up.

    Endpoints under /v1: health, vocabulary, suggest, suggest-batch, enrich, feedback; the
    review page at /, the API's description at /docs. Feedback needs FICHES_API_TOKEN set in
    the environment (callers send it as a bearer token, e.g. FICHES_API_TOKEN=secret before the
    command); without it feedback is refused.

    Example:

        fiches serve --port 8000 --feedback data/feedback.sqlite
    """
    import uvicorn

    from pipeline.running.stages import Settings
    from pipeline.service.app import ServiceConfig, create_app

    _check_listen(host, port)
    token = os.environ.get("FICHES_API_TOKEN") or None
    if token is None:
        say("note: FICHES_API_TOKEN is not set: POST /v1/feedback is disabled (403)")
    service = ServiceConfig(Settings(config_dir=config, model=tagger_model(model)),
                            feedback=feedback, token=token, cors_origins=cors_origin or [],
                            workers=(os.cpu_count() or 1) if workers is None else workers)
    say(f"loading the models, then serving http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.run(create_app(service), host=host, port=port, log_level="info", access_log=False,
                limit_concurrency=64, timeout_graceful_shutdown=5)


def _check_listen(host: str, port: int) -> None:
    """Exit with code 2 now, not after loading the models, when `host:port` cannot be bound."""
    import socket

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", EXIT_USAGE)
