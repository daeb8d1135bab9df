"""Fixtures for the HTTP API: the real app on the real uvicorn stack on an ephemeral 127.0.0.1
port (the seed index loaded once per module). The HTTP client is in tests/helpers/api_client.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.api.app import create_app
from bot.api.settings import ApiSettings
from bot.service import TrialService
from bot.web.server import Server, listen


@pytest.fixture(scope="module")
def service(seed_index_dir: Path) -> TrialService:
    from index import TrialIndex

    s = TrialService(TrialIndex.load(seed_index_dir))
    s.warm()
    return s


@pytest.fixture(scope="module")
def serve(service: TrialService) -> Iterator[Callable[..., str]]:
    """Start the API (optionally with settings or extra routes); returns its base URL."""
    running: list[Server] = []

    def start(settings: ApiSettings | None = None, routes=(), svc: TrialService = service) -> str:
        app = create_app(svc, settings or ApiSettings(port=0), routes)
        server = Server(app, listen("127.0.0.1", 0)).start()
        running.append(server)
        return f"http://127.0.0.1:{server.port}"

    yield start
    for s in running:
        s.stop()


@pytest.fixture(scope="module")
def api(serve: Callable[..., str]) -> str:
    return serve()
