"""The API server's settings: flags, then environment variables, then defaults; bad values name themselves."""

from __future__ import annotations

from argparse import Namespace

import pytest

from bot.api.settings import ApiSettings
from index.errors import ConfigError

TOKEN = "0123456789abcdef-token"


def test_defaults() -> None:
    assert ApiSettings.from_args(None, {}) == ApiSettings("127.0.0.1", 8000, None, ())


def test_from_the_environment() -> None:
    s = ApiSettings.from_args(
        None,
        {
            "TRIALQA_API_HOST": "0.0.0.0",
            "TRIALQA_API_PORT": "9001",
            "TRIALQA_API_TOKEN": f"  {TOKEN} ",
            "TRIALQA_API_CORS_ORIGINS": "https://a.example, http://b.example:8080/,",
        },
    )
    assert (s.host, s.port, s.token, s.cors_origins) == (
        "0.0.0.0",
        9001,
        TOKEN,
        ("https://a.example", "http://b.example:8080"),
    )
    assert TOKEN not in repr(s)


def test_flags_win_over_the_environment() -> None:
    args = Namespace(host="::1", port=0, cors_origin=["*"])
    env = {"TRIALQA_API_HOST": "0.0.0.0", "TRIALQA_API_PORT": "9001", "TRIALQA_API_CORS_ORIGINS": "https://a.example"}
    assert ApiSettings.from_args(args, env) == ApiSettings("::1", 0, None, ("*",))


def test_a_blank_token_is_no_token() -> None:
    assert ApiSettings.from_args(None, {"TRIALQA_API_TOKEN": "  "}).token is None


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (None, {"TRIALQA_API_PORT": "http"}, "TRIALQA_API_PORT must be a port number (0-65535), not 'http'"),
        (Namespace(port=70000), {}, "--port must be a port number (0-65535), not 70000"),
        (None, {"TRIALQA_API_TOKEN": "short"}, "TRIALQA_API_TOKEN must be at least 16 characters without spaces"),
        (None, {"TRIALQA_API_TOKEN": "0123456789 abcdefgh"}, "TRIALQA_API_TOKEN must be at least 16 characters"),
        (
            None,
            {"TRIALQA_API_CORS_ORIGINS": "a.example"},
            "CORS origins (--cors-origin / TRIALQA_API_CORS_ORIGINS) are scheme://host[:port] or *, not 'a.example'",
        ),
        (
            Namespace(cors_origin=["https://a.example/path"]),
            {},
            "are scheme://host[:port] or *, not 'https://a.example/path'",
        ),
    ],
)
def test_bad_values_are_config_errors_naming_the_setting(args, env, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        ApiSettings.from_args(args, env)
    assert message in str(exc.value)
