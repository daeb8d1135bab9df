"""The shared uvicorn stack on 127.0.0.1: ports, listening sockets, a server in a thread."""

from __future__ import annotations

import http.client
import json

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.web.server import Server, listen, port_number
from index.errors import ConfigError


def test_port_number() -> None:
    assert (port_number("0", "--port"), port_number("65535", "--port")) == (0, 65535)
    with pytest.raises(ConfigError, match=r"^PORT must be a port number \(0-65535\), not 'eighty'$"):
        port_number("eighty", "PORT")
    with pytest.raises(ConfigError, match=r"^--port must be a port number \(0-65535\), not -1$"):
        port_number("-1", "--port")


def test_an_address_in_use_is_a_config_error_naming_the_settings() -> None:
    sock = listen("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        with pytest.raises(ConfigError, match=rf"^cannot listen on 127\.0\.0\.1:{port} \(--host/PORT\): "):
            listen("127.0.0.1", port, "--host/PORT")
    finally:
        sock.close()


def echo(request: Request) -> JSONResponse:
    return JSONResponse({"path": request.url.path})


def test_a_server_serves_with_the_body_limit_and_stops() -> None:
    server = Server(Starlette(routes=[Route("/echo", echo, methods=["GET", "POST"])]), listen("127.0.0.1", 0)).start()
    try:
        assert (server.host, server.alive) == ("127.0.0.1", True)
        conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
        conn.request("GET", "/echo")
        r = conn.getresponse()
        assert (r.status, json.loads(r.read()), r.getheader("server")) == (200, {"path": "/echo"}, None)
        conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
        conn.putrequest("POST", "/echo")
        conn.putheader("Content-Length", str((1 << 20) + 1))
        conn.endheaders()
        r = conn.getresponse()
        assert (r.status, json.loads(r.read())) == (413, {"error": "the request body is over 1,048,576 bytes (1 MiB)"})
    finally:
        server.stop()
    assert server.alive is False
