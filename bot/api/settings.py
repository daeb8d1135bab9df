"""The API server's settings, read in one place: flags, then environment variables, then defaults.

| variable | flag | meaning | default |
| --- | --- | --- | --- |
| TRIALQA_API_HOST | --host | address to listen on | 127.0.0.1 |
| TRIALQA_API_PORT | --port | port (0: any free one) | 8000 |
| TRIALQA_API_TOKEN | - | bearer token every route but /healthz and /readyz requires; unset: no auth | unset |
| TRIALQA_API_CORS_ORIGINS | --cors-origin | browser origins allowed, comma-separated (`*`: any) | none: CORS off |

The token is kept out of `repr` and never logged.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.web.server import port_number
from index.errors import ConfigError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class ApiSettings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    token: str | None = field(default=None, repr=False)
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args: argparse.Namespace | None = None, env: Mapping[str, str] | None = None) -> ApiSettings:
        """Settings from the `trialqa serve` flags and the environment; a malformed value raises
        `ConfigError` naming the flag or variable."""
        e = os.environ if env is None else env
        flag_port = getattr(args, "port", None)
        if flag_port is not None:
            port = port_number(str(flag_port), "--port")
        elif e.get("TRIALQA_API_PORT"):
            port = port_number(e["TRIALQA_API_PORT"], "TRIALQA_API_PORT")
        else:
            port = DEFAULT_PORT
        token = e.get("TRIALQA_API_TOKEN")
        if token is not None:
            token = token.strip() or None
        if token is not None and (len(token) < MIN_TOKEN_CHARS or any(c.isspace() for c in token)):
            raise ConfigError(
                f"TRIALQA_API_TOKEN must be at least {MIN_TOKEN_CHARS} characters without spaces "
                "(e.g. the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        flag_origins = getattr(args, "cors_origin", None) or []
        origins = flag_origins or [o for o in (e.get("TRIALQA_API_CORS_ORIGINS") or "").split(",")]
        return cls(
            host=getattr(args, "host", None) or e.get("TRIALQA_API_HOST") or DEFAULT_HOST,
            port=port,
            token=token,
            cors_origins=tuple(_origin(o.strip()) for o in origins if o.strip()),
        )


def _origin(value: str) -> str:
    if value == "*":
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ConfigError(
            f"CORS origins (--cors-origin / TRIALQA_API_CORS_ORIGINS) are scheme://host[:port] or *, not {value!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"
