"""The FastAPI app: routes (thin: `TrialService` does the work), error bodies, auth and CORS.

Statuses: 200; 400 when the body is not a JSON document (empty, malformed, or not sent as
`application/json`); 422 when it is JSON but not a valid request (wrong types, unknown fields,
an empty or over-long question, k out of range, an unreadable filter, a malformed NCT ID);
404 for an NCT ID the index does not hold; 401 without the bearer token when one is set; 413
for a body over 1 MiB (refused before it is read, by `bot.web`); 503 while the index cannot
answer. Every error body is `{"error": "...", "field": ...}` with the CLI's message. Routes
are plain functions, so FastAPI runs each request in a worker thread: a slow question does not
hold up the others.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.api.models import (
    AskRequest,
    AskResponse,
    ErrorBody,
    Health,
    Ready,
    SearchRequest,
    SearchResponse,
    TrialRecord,
)
from bot.api.settings import ApiSettings
from bot.serialize import trial_json
from bot.service import NCT_PATTERN, TrialService, UnknownTrial
from bot.web.middleware import MAX_BODY, send_json
from index import BadQuestion, IndexCorrupt, IndexMissing, IndexStale

log = logging.getLogger("trialqa.api")

OPEN_PATHS = ("/healthz", "/readyz")  # answered without the token


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    what = {
        400: "the body is not a JSON document (empty, malformed, or not sent as application/json)",
        404: "no such trial in the index",
        413: f"the body is over {MAX_BODY:,} bytes (refused before it is read)",
        422: "the JSON is not a valid request; the message says what to send instead",
        503: "the index cannot answer (removed or damaged; rebuild it)",
    }
    return {s: {"model": ErrorBody, "description": what[s]} for s in statuses}


def create_app(
    service: TrialService, settings: ApiSettings | None = None, extra_routes: Sequence[BaseRoute] = ()
) -> FastAPI:
    """The API for one loaded index. `extra_routes` (Slack's Request URLs) are served beside
    it, outside the OpenAPI document and the token check (Slack signs its requests)."""
    settings = settings or ApiSettings()
    app = FastAPI(
        title="trialqa",
        version="1",
        summary="Cited answers about clinical-trial records (BM25 + embeddings).",
        description="Every answer lists the matching trials with verbatim snippets, their sections and exact "
        'locations in the source files. Errors are `{"error": ...}` with the CLI\'s messages.',
        docs_url="/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    _answer_routes(app, service)
    _status_routes(app, service)
    _handle_errors(app)
    app.router.routes.extend(extra_routes)
    _protect(app, settings, extra_routes)
    return app


def _answer_routes(app: FastAPI, service: TrialService) -> None:
    """POST /ask, POST /search and GET /trials/{nct_id}."""

    @app.post(
        "/ask",
        operation_id="ask",
        response_model=AskResponse,
        summary="A cited answer (the `trialqa ask --json` object)",
        responses=_errors(400, 404, 413, 422, 503),
    )
    def ask(request: AskRequest) -> JSONResponse:
        answer = service.ask(request.question, request.k, request.filters, request.conversation_id)
        log.info("ask %r k=%d -> %s", request.question[:200], request.k, [t.nct_id for t in answer.trials])
        return JSONResponse(answer.to_dict())

    @app.post(
        "/search",
        operation_id="search",
        response_model=SearchResponse,
        summary="The best chunks, with their BM25 and dense contributions",
        responses=_errors(400, 413, 422, 503),
    )
    def search(request: SearchRequest) -> JSONResponse:
        hits = service.search(request.query, request.k)
        log.info("search %r k=%d -> %d hits", request.query[:200], request.k, len(hits))
        return JSONResponse({"query": request.query, "hits": hits})

    @app.get(
        "/trials/{nct_id}",
        operation_id="trial",
        response_model=TrialRecord,
        summary="A trial's fields and sections (as `trialqa corpus --json` lists them)",
        responses=_errors(404, 422, 503),
    )
    def trial(
        nct_id: Annotated[
            str,
            Path(
                description="the trial's NCT ID (any case)",
                json_schema_extra={"pattern": NCT_PATTERN},
                examples=["NCT01724697"],
            ),
        ],
    ) -> JSONResponse:
        return JSONResponse(trial_json(service.trial(nct_id)))


def _status_routes(app: FastAPI, service: TrialService) -> None:
    """GET /healthz and GET /readyz."""

    @app.get(
        "/healthz",
        operation_id="healthz",
        response_model=Health,
        summary="The index is loaded; which generation answers",
    )
    def healthz() -> JSONResponse:
        return JSONResponse(service.health())

    @app.get(
        "/readyz",
        operation_id="readyz",
        response_model=Ready,
        summary="Warmed up and answering",
        responses={503: {"model": Ready, "description": "not ready (warming up, or the index went away)"}},
    )
    def readyz() -> JSONResponse:
        ready = service.ready()
        return JSONResponse({"ready": ready}, status_code=200 if ready else 503)


def _protect(app: FastAPI, settings: ApiSettings, extra_routes: Sequence[BaseRoute]) -> None:
    """The bearer token (when set) on every route but the health checks and Slack's, and CORS
    (when configured)."""
    if settings.token:
        open_paths = OPEN_PATHS + tuple(getattr(r, "path", "") for r in extra_routes)
        app.add_middleware(BearerAuth, token=settings.token, open_paths=open_paths)
        app.openapi = lambda: _with_bearer(app)  # type: ignore[method-assign]
    if settings.cors_origins:  # added last: outside the token check, so preflight requests are answered
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, body = validation_error(exc.errors())
        return JSONResponse(body, status_code=status)

    @app.exception_handler(BadQuestion)
    async def bad_question(request: Request, exc: BadQuestion) -> JSONResponse:
        return JSONResponse({"error": str(exc), "field": None}, status_code=422)

    @app.exception_handler(UnknownTrial)
    async def unknown_trial(request: Request, exc: UnknownTrial) -> JSONResponse:
        return JSONResponse({"error": str(exc), "field": None}, status_code=404)

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.error("the index cannot answer: %s", exc)
        return JSONResponse({"error": str(exc), "field": None}, status_code=503)

    for exc_type in (IndexMissing, IndexCorrupt, IndexStale):
        app.add_exception_handler(exc_type, unavailable)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        message = {404: "no such route", 405: "method not allowed"}.get(exc.status_code, str(exc.detail))
        return JSONResponse({"error": message, "field": None}, status_code=exc.status_code, headers=exc.headers)


def validation_error(errors: Sequence[Any]) -> tuple[int, dict[str, Any]]:
    """(status, error body) for pydantic's errors about a request: 400 when the body is not JSON
    at all, 422 naming the first field at fault otherwise."""
    first: dict[str, Any] = dict(errors[0]) if errors else {"type": "", "loc": (), "msg": "invalid request"}
    loc = tuple(first.get("loc") or ())
    kind = first.get("type", "")
    if kind == "json_invalid":
        reason = (first.get("ctx") or {}).get("error", "malformed")
        return 400, {"error": f"the body is not valid JSON ({reason} at character {loc[-1]})", "field": None}
    if loc == ("body",) and kind == "missing":
        return 400, {"error": 'send a JSON object, e.g. {"question": "which trials exclude HIV?"}', "field": None}
    if loc == ("body",) and isinstance(first.get("input"), bytes | bytearray):
        return 400, {"error": "send the body as JSON with Content-Type: application/json", "field": None}
    if loc == ("body",):  # JSON, but not an object
        return 422, {"error": 'send a JSON object, e.g. {"question": "which trials exclude HIV?"}', "field": None}
    field = ".".join(str(p) for p in loc[1:]) or None
    if kind == "extra_forbidden":
        message = f"unknown field {field!r}"
    elif kind == "missing":
        message = f"{field} is required"
    elif kind == "value_error":
        message = str((first.get("ctx") or {}).get("error", first.get("msg", "")))
    else:
        message = f"{field}: {first.get('msg', 'invalid')}" if field else str(first.get("msg", "invalid request"))
    return 422, {"error": message, "field": field}


class BearerAuth:
    """Every request but the health checks (and Slack's own, signed, Request URLs) must carry
    `Authorization: Bearer <TRIALQA_API_TOKEN>`; 401 otherwise. Compared in constant time."""

    def __init__(self, app: ASGIApp, token: str, open_paths: Sequence[str] = OPEN_PATHS) -> None:
        self.app = app
        self.token = token.encode()
        self.open_paths = frozenset(open_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.open_paths:
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope.get("headers", ()) if k == b"authorization"), b"")
        scheme, _, credentials = given.partition(b" ")
        if scheme.lower() != b"bearer" or not hmac.compare_digest(credentials.strip(), self.token):
            await send_json(
                send,
                401,
                {"error": "this server needs a token: send Authorization: Bearer <TRIALQA_API_TOKEN>", "field": None},
                [(b"www-authenticate", b"Bearer")],
            )
            return
        await self.app(scope, receive, send)


def _with_bearer(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document with the bearer scheme and its 401 on every operation that needs it."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    schema.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "TRIALQA_API_TOKEN"}
    }
    for path, operations in schema["paths"].items():
        if path in OPEN_PATHS:
            continue
        for op in operations.values():
            op["security"] = [{"bearer": []}]
            op["responses"]["401"] = {
                "description": "no or wrong bearer token",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
            }
    app.openapi_schema = schema
    return schema
