"""The deploy kit agrees with the code: manifest scopes/events/command, env example, unit, image."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.slack.listeners.commands import COMMAND

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def test_manifest_asks_for_exactly_what_the_bot_uses() -> None:
    yaml = pytest.importorskip("yaml")
    m = yaml.safe_load((DEPLOY / "slack-app-manifest.yaml").read_text(encoding="utf-8"))
    assert [c["command"] for c in m["features"]["slash_commands"]] == [COMMAND]
    assert sorted(m["oauth_config"]["scopes"]["bot"]) == [
        "app_mentions:read",
        "channels:history",
        "chat:write",
        "commands",
        "groups:history",
        "im:history",
    ]
    s = m["settings"]
    assert sorted(s["event_subscriptions"]["bot_events"]) == [
        "app_mention",
        "message.channels",
        "message.groups",
        "message.im",
    ]
    assert (s["interactivity"]["is_enabled"], s["socket_mode_enabled"]) == (True, True)
    assert "request_url" not in s["event_subscriptions"] and "request_url" not in s["interactivity"]


def test_env_example_documents_every_variable() -> None:
    lines = (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines()
    names = [m.group(1) for ln in lines if (m := re.match(r"#?([A-Z][A-Z_]+)=", ln))]
    assert sorted(names) == [
        "PORT",
        "SLACK_ALLOWED_CHANNELS",
        "SLACK_API_URL",
        "SLACK_APP_TOKEN",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "TRIALQA_CORPUS",
        "TRIALQA_DATA_DIR",
        "TRIALQA_FEEDBACK_DB",
        "TRIALQA_INDEX",
        "TRIALQA_LOG_LEVEL",
        "TRIALQA_MODEL",
        "TRIALQA_SLACK_DELIVERY_TTL",
        "TRIALQA_SLACK_THREAD_TTL",
    ]
    for i, ln in enumerate(lines):  # each variable has a comment line right above it
        if re.match(r"[A-Z][A-Z_]+=", ln):
            assert lines[i - 1].startswith("# "), ln


def test_systemd_unit() -> None:
    unit = (DEPLOY / "trialqa-slack.service").read_text(encoding="utf-8")
    keys = dict(re.findall(r"^(\w+)=(.*)$", unit, re.M))
    assert keys["EnvironmentFile"] == "/etc/trialqa/slack.env"
    assert keys["ExecStart"] == "/opt/trialqa/venv/bin/trialqa slack"
    assert (keys["User"], keys["NoNewPrivileges"], keys["ProtectSystem"]) == ("trialqa", "yes", "strict")
    assert keys["RestartPreventExitStatus"] == "2 3"


def test_dockerfile() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    steps = [ln.split()[0] for ln in text.splitlines() if ln and not ln.startswith((" ", "#"))]
    assert steps[0] == "FROM" and "FROM python:3.11-slim" in text
    assert "RUN pip install -c constraints.txt ." in text
    assert "RUN trialqa index" in text and "/healthz" in text
    assert steps.index("USER") < steps.index("HEALTHCHECK") and "USER trialqa" in text
    assert text.rstrip().endswith('ENTRYPOINT ["trialqa", "slack"]')
