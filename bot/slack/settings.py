"""The bot's settings, read in one place: flags, then environment variables, then defaults.

| variable | meaning |
| --- | --- |
| SLACK_BOT_TOKEN | bot token (xoxb-...); required |
| SLACK_APP_TOKEN | app-level token (xapp-..., scope connections:write): Socket Mode when set |
| SLACK_SIGNING_SECRET | signing secret; required in HTTP mode |
| SLACK_API_URL | Web API base URL (default https://slack.com/api/) |
| SLACK_ALLOWED_CHANNELS | comma-separated channel IDs the bot answers in (DMs always); default all |
| PORT | HTTP port (default 3000); in Socket Mode, where /healthz is served (unset: no server) |
| TRIALQA_FEEDBACK_DB | the bot's SQLite file: feedback, deliveries, threads (default <data dir>/feedback.sqlite3) |
| TRIALQA_REDIS_URL | the bot's state in Redis (`redis://HOST:6379/0`), shared by replicas (default: SQLite) |
| TRIALQA_SLACK_DELIVERY_TTL | how long deliveries are remembered to drop Slack's retries (default 2h, at least 1h) |
| TRIALQA_SLACK_THREAD_TTL | how long a thread the bot answered takes follow-ups without a mention (default 30d) |

Secrets are kept out of `repr` and never logged.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from bot.web.server import port_number
from index.config import Settings
from index.errors import ConfigError

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_HOST = "0.0.0.0"
TOP_K = 10
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")
DEFAULT_DELIVERY_TTL = 2 * 3600.0  # Slack retries a delivery for up to about an hour
MIN_DELIVERY_TTL = 3600.0
DEFAULT_THREAD_TTL = 30 * 86400.0
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class SlackSettings:
    mode: Literal["socket", "http"]
    bot_token: str = field(repr=False)
    app_token: str | None = field(repr=False)
    signing_secret: str | None = field(repr=False)
    host: str
    port: int | None  # HTTP mode: the port served; Socket Mode: the /healthz port, or None
    api_url: str
    allowed_channels: frozenset[str]
    feedback_db: Path
    delivery_ttl: float = DEFAULT_DELIVERY_TTL  # seconds
    thread_ttl: float = DEFAULT_THREAD_TTL  # seconds
    top_k: int = TOP_K
    redis_url: str | None = field(default=None, repr=False)  # may hold a password

    @classmethod
    def from_args(cls, args: argparse.Namespace | None = None, env: Mapping[str, str] | None = None) -> SlackSettings:
        """Settings from the `trialqa slack` flags and the environment; a missing or malformed
        value raises `ConfigError` naming the variable."""
        e = os.environ if env is None else env
        http = bool(getattr(args, "http", False))
        flag_port = getattr(args, "port", None)
        flag_host = getattr(args, "host", None)

        bot_token = (e.get("SLACK_BOT_TOKEN") or "").strip()
        if not bot_token:
            raise ConfigError(
                "SLACK_BOT_TOKEN is not set: set it to the app's Bot User OAuth Token (xoxb-...); see deploy/README.md"
            )
        if not bot_token.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb- (OAuth & Permissions page)")
        app_token = (e.get("SLACK_APP_TOKEN") or "").strip() or None
        if app_token and not app_token.startswith("xapp-"):
            raise ConfigError(
                "SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information > App-Level Tokens)"
            )
        mode: Literal["socket", "http"] = "socket" if app_token and not http else "http"
        secret = (e.get("SLACK_SIGNING_SECRET") or "").strip() or None
        if mode == "http" and not secret:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: HTTP mode needs the app's Signing Secret "
                "(Basic Information > App Credentials), or set SLACK_APP_TOKEN for Socket Mode"
            )

        port_text = e.get("PORT")
        env_port = port_number(port_text, "PORT") if port_text else None
        if flag_port is not None:
            port: int | None = port_number(str(flag_port), "--port")
        elif mode == "http":
            port = env_port if env_port is not None else DEFAULT_PORT
        else:
            port = env_port

        return cls(
            mode=mode,
            bot_token=bot_token,
            app_token=app_token,
            signing_secret=secret,
            host=flag_host or DEFAULT_HOST,
            port=port,
            api_url=_api_url(e.get("SLACK_API_URL") or DEFAULT_API_URL),
            allowed_channels=_channels(e.get("SLACK_ALLOWED_CHANNELS") or ""),
            feedback_db=Path(e["TRIALQA_FEEDBACK_DB"])
            if e.get("TRIALQA_FEEDBACK_DB")
            else Settings.from_env(dict(e)).data_dir / "feedback.sqlite3",
            delivery_ttl=_duration(e, "TRIALQA_SLACK_DELIVERY_TTL", DEFAULT_DELIVERY_TTL, MIN_DELIVERY_TTL),
            thread_ttl=_duration(e, "TRIALQA_SLACK_THREAD_TTL", DEFAULT_THREAD_TTL, 60.0),
            redis_url=_redis_url(e.get("TRIALQA_REDIS_URL") or ""),
        )

    def allowed(self, channel_id: str) -> bool:
        """Whether the bot answers in this channel: DMs always, others when allow-listed (or no list)."""
        return not self.allowed_channels or channel_id.startswith("D") or channel_id in self.allowed_channels


def _redis_url(value: str) -> str | None:
    url = value.strip()
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"TRIALQA_REDIS_URL must be a redis://, rediss:// or unix:// URL, got {url.split('@')[-1]!r}")
    return url


def _duration(e: Mapping[str, str], name: str, default: float, least: float) -> float:
    """Seconds from a duration such as 7200, 90m, 2h or 30d."""
    value = (e.get(name) or "").strip().lower()
    if not value:
        return default
    m = _DURATION.fullmatch(value)
    if not m:
        raise ConfigError(f"{name} must be a duration such as 2h, 90m, 30d or 7200 (seconds), not {value!r}")
    seconds = float(m.group(1)) * _UNIT[m.group(2)]
    if seconds < least:
        why = " (Slack retries a delivery for up to an hour)" if name == "TRIALQA_SLACK_DELIVERY_TTL" else ""
        raise ConfigError(f"{name} must be at least {_human(least)}{why}, not {value!r}")
    return seconds


def _human(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def _api_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_API_URL}, not {url!r}")
    return url if url.endswith("/") else url + "/"  # WebClient joins method names onto it


def _channels(value: str) -> frozenset[str]:
    ids = [c.strip() for c in value.split(",") if c.strip()]
    bad = [c for c in ids if not _CHANNEL_ID.fullmatch(c)]
    if bad:
        raise ConfigError(
            f"SLACK_ALLOWED_CHANNELS must list channel IDs such as C0123456789, separated by commas; "
            f"not {', '.join(map(repr, bad))}"
        )
    return frozenset(ids)
