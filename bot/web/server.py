"""Serve an ASGI app with uvicorn on a socket bound up front (so port 0 gives its real port
before serving), in a daemon thread, until a `threading.Event` is set.

Every server gets the same stack around its app: the access log, then the 1 MiB body limit.
Uvicorn's own logging configuration and access log are off (our handlers and `AccessLog` are
used); its WebSocket support is off (nothing here speaks it). The caller installs the signal
handlers (SIGTERM, Ctrl-C) that set the event.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

from bot.web.middleware import MAX_BODY, AccessLog, BodyLimit
from index.errors import ConfigError

BACKLOG = 2048  # a burst of connections (50 clients at once, Slack's retries) waits instead of being reset
MAX_HEAD = 256 * 1024  # request line and headers: a 100 KB path still reaches the app (a JSON 4xx)
GRACEFUL_SECONDS = 10  # requests in flight get this long to finish on shutdown


def port_number(value: str, name: str) -> int:
    """A TCP port from a flag's or variable's text (0: any free one); `ConfigError` naming ``name``."""
    try:
        port = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a port number (0-65535), not {value!r}") from None
    if not 0 <= port <= 65535:
        raise ConfigError(f"{name} must be a port number (0-65535), not {port}")
    return port


def listen(host: str, port: int, hint: str = "--host/--port") -> socket.socket:
    """A listening TCP socket; `ConfigError` naming the settings when the address is unusable."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port} ({hint}): {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def wrap(app: ASGIApp, max_body: int = MAX_BODY) -> ASGIApp:
    return AccessLog(BodyLimit(app, max_body))


class Server:
    """One uvicorn server on one socket, run in a daemon thread."""

    def __init__(self, app: ASGIApp, sock: socket.socket, name: str = "trialqa-http") -> None:
        self.sock = sock
        self.name = name
        config = uvicorn.Config(
            wrap(app),
            log_config=None,
            access_log=False,
            http="h11",
            h11_max_incomplete_event_size=MAX_HEAD,
            ws="none",
            lifespan="auto",
            server_header=False,
            backlog=BACKLOG,
            timeout_graceful_shutdown=GRACEFUL_SECONDS,
        )
        self.uvicorn = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self.sock.getsockname()[0]

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def start(self, timeout: float = 30) -> Server:
        """Serve in a daemon thread; return once uvicorn accepts connections."""
        self._thread = threading.Thread(
            target=self.uvicorn.run, kwargs={"sockets": [self.sock]}, name=self.name, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.uvicorn.started:
            if not self.alive:
                raise RuntimeError(f"{self.name}: the HTTP server stopped while starting (see the log above)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: the HTTP server did not start within {timeout:.0f} s")
            time.sleep(0.02)
        return self

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self.uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(GRACEFUL_SECONDS + 5)
        self.sock.close()


def serve_until(
    app: ASGIApp,
    sock: socket.socket,
    stop: threading.Event,
    on_ready: Callable[[Server], None] | None = None,
    name: str = "trialqa-http",
) -> None:
    """Serve `app` on `sock` until `stop` is set, then shut down gracefully."""
    server = Server(app, sock, name).start()
    try:
        if on_ready:
            on_ready(server)
        while not stop.wait(0.5):
            if not server.alive:
                raise RuntimeError(f"{name}: the HTTP server stopped unexpectedly (see the log above)")
    finally:
        server.stop()
