"""Settings: flags over environment over defaults; missing secrets name their variable."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

import pytest

from bot.slack.settings import SlackSettings
from index.errors import ConfigError

BASE = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cr3t", "TRIALQA_DATA_DIR": "/srv/trialqa"}


def args(http: bool = False, port: int | None = None, host: str | None = None) -> Namespace:
    return Namespace(http=http, port=port, host=host)


def test_http_defaults() -> None:
    s = SlackSettings.from_args(args(), BASE)
    assert (s.mode, s.host, s.port, s.api_url) == ("http", "0.0.0.0", 3000, "https://slack.com/api/")
    assert s.feedback_db == Path("/srv/trialqa/feedback.sqlite3")
    assert s.allowed_channels == frozenset()
    assert (s.bot_token, s.signing_secret, s.app_token) == ("xoxb-1-2-abc", "s3cr3t", None)


def test_flags_and_environment() -> None:
    env = BASE | {
        "PORT": "8080",
        "SLACK_API_URL": "http://127.0.0.1:9999/api",
        "SLACK_ALLOWED_CHANNELS": " C012AB, G0XY ,",
        "TRIALQA_FEEDBACK_DB": "/tmp/fb.db",
    }
    s = SlackSettings.from_args(args(), env)
    assert (s.port, s.api_url, s.feedback_db) == (8080, "http://127.0.0.1:9999/api/", Path("/tmp/fb.db"))
    assert s.allowed_channels == {"C012AB", "G0XY"}
    assert (s.allowed("C012AB"), s.allowed("C999"), s.allowed("D0DM")) == (True, False, True)
    assert SlackSettings.from_args(args(port=4000, host="127.0.0.1"), env).port == 4000


def test_socket_mode_when_an_app_token_is_set() -> None:
    env = {k: v for k, v in BASE.items() if k != "SLACK_SIGNING_SECRET"} | {"SLACK_APP_TOKEN": "xapp-1-A-xyz"}
    s = SlackSettings.from_args(args(), env)
    assert (s.mode, s.port, s.app_token, s.signing_secret) == ("socket", None, "xapp-1-A-xyz", None)
    assert SlackSettings.from_args(args(), env | {"PORT": "8081"}).port == 8081  # /healthz there
    with pytest.raises(ConfigError, match=r"^SLACK_SIGNING_SECRET is not set"):
        SlackSettings.from_args(args(http=True), env)  # --http wins over the app token


def test_secrets_are_not_in_repr() -> None:
    s = SlackSettings.from_args(args(), BASE | {"SLACK_APP_TOKEN": "xapp-1-A-xyz"})
    assert "xoxb" not in repr(s) and "s3cr3t" not in repr(s) and "xapp" not in repr(s)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SLACK_BOT_TOKEN": ""}, "^SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "^SLACK_BOT_TOKEN must be a bot token starting with xoxb-"),
        ({"SLACK_SIGNING_SECRET": " "}, "^SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, "^SLACK_APP_TOKEN must be an app-level token"),
        ({"SLACK_API_URL": "slack.com/api"}, "^SLACK_API_URL must be an http"),
        ({"SLACK_ALLOWED_CHANNELS": "general,C0123"}, "^SLACK_ALLOWED_CHANNELS must list channel IDs"),
        ({"PORT": "http"}, "^PORT must be a port number"),
        ({"PORT": "70000"}, "^PORT must be a port number"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as e:
        SlackSettings.from_args(args(), BASE | env)
    assert "xoxb-1-2-abc" not in str(e.value) and "s3cr3t" not in str(e.value)


def test_state_lifetimes() -> None:
    s = SlackSettings.from_args(args(), BASE)
    assert (s.delivery_ttl, s.thread_ttl) == (7200, 30 * 86400)  # Slack retries for up to an hour
    env = BASE | {"TRIALQA_SLACK_DELIVERY_TTL": "90m", "TRIALQA_SLACK_THREAD_TTL": " 7d "}
    assert (lambda s: (s.delivery_ttl, s.thread_ttl))(SlackSettings.from_args(args(), env)) == (5400, 7 * 86400)
    env = BASE | {"TRIALQA_SLACK_DELIVERY_TTL": "3600", "TRIALQA_SLACK_THREAD_TTL": "1.5h"}
    assert (lambda s: (s.delivery_ttl, s.thread_ttl))(SlackSettings.from_args(args(), env)) == (3600, 5400)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"TRIALQA_SLACK_DELIVERY_TTL": "10m"},
            r"^TRIALQA_SLACK_DELIVERY_TTL must be at least 1h \(Slack retries a delivery for up to an hour\), "
            r"not '10m'$",
        ),
        (
            {"TRIALQA_SLACK_DELIVERY_TTL": "two hours"},
            r"^TRIALQA_SLACK_DELIVERY_TTL must be a duration such as 2h, 90m, 30d or 7200 \(seconds\), "
            r"not 'two hours'$",
        ),
        ({"TRIALQA_SLACK_THREAD_TTL": "-1d"}, r"^TRIALQA_SLACK_THREAD_TTL must be a duration such as"),
        ({"TRIALQA_SLACK_THREAD_TTL": "0"}, r"^TRIALQA_SLACK_THREAD_TTL must be at least 1m, not '0'$"),
    ],
)
def test_bad_state_lifetimes_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SlackSettings.from_args(args(), BASE | env)
