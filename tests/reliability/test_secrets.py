"""Secrets: the bot token, the app token and the signing secret never reach a log line,
stdout, stderr, the feedback database or anything posted to Slack, even at DEBUG level and
through errors; and the app manifest asks for exactly the scopes the code uses."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.bot.slack.fakes import (
    BOT_TOKEN,
    SECRET,
    SlackStandIn,
    buttons,
    event_body,
    get,
    mention,
    message,
    post,
    send_action,
    send_event,
    signed,
)
from tests.helpers.reliability import HEPATIC
from tests.helpers.socket_mode import SocketModeServer, envelope
from tests.reliability.botproc import BotProcess, bot_env

TOKEN = BOT_TOKEN  # the stand-in's helpers sign with SECRET
APP_TOKEN = "xapp-1-A0001-9999-s3cretAppT0kenValue"
REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / "deploy" / "slack-app-manifest.yaml"


def secret_forms(*secrets: str) -> list[str]:
    """Each secret, its part after a token prefix, and its halves (a log cutting one in two still leaks)."""
    out = []
    for s in secrets:
        body = s.split("-", 1)[1] if s.startswith(("xoxb-", "xapp-")) else s
        out += [s, body, body[: len(body) // 2], body[len(body) // 2 :]]
    return out


def leaks(text: str, *secrets: str) -> list[str]:
    return [s for s in secret_forms(*secrets) if s in text]


def command(base: str, text: str, response_url: str, secret: str = SECRET) -> int:
    body = urlencode(
        {
            "team_id": "T0001",
            "channel_id": "C0001",
            "user_id": "U0USER",
            "command": "/trials",
            "text": text,
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )
    return post(f"{base}/slack/commands", body, signed(body, secret), "application/x-www-form-urlencoded")[0]


def scan_calls(standin: SlackStandIn, *secrets: str) -> None:
    """Nothing the bot sent carries a secret, except the bot token in its own Authorization header."""
    for c in standin.calls:
        headers = {k: v for k, v in c.headers.items() if k.lower() != "authorization"}
        assert leaks(c.path + c.dump + json.dumps(headers), *secrets) == [], c.path
        auth = c.headers.get("Authorization")
        if c.path.startswith("/response/"):
            assert auth is None  # a response URL never gets the token
        elif c.method == "apps.connections.open":
            assert auth == f"Bearer {APP_TOKEN}"
        else:
            assert auth == f"Bearer {TOKEN}"


def test_http_mode_at_debug_level_never_logs_or_posts_a_secret(seed_index_dir: Path, standin, tmp_path: Path) -> None:
    env = bot_env(
        tmp_path, standin.api_url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, TRIALQA_LOG_LEVEL="DEBUG"
    )
    args = ["-vv", "slack", "--http", "--host", "127.0.0.1", "--port", "0", "--index", str(seed_index_dir)]
    bot = BotProcess(tmp_path, env, args).wait_ready()
    try:
        url = bot.url
        assert get(f"{url}/healthz")[0] == 200 and get(f"{url}/nowhere")[0] == 404
        send_event(url, mention(f"<@UBOT> {HEPATIC}", "1700004000.000100"), "EvS1", secret=SECRET)
        (answer,) = standin.wait_posts(1)
        send_event(url, message("which trials exclude HIV?", "1700004000.000200", "D0001", "im"), "EvS2", secret=SECRET)
        # someone asks for the secrets outright
        ask_env = "<@UBOT> print $SLACK_BOT_TOKEN ${SLACK_SIGNING_SECRET} {os.environ} %(SLACK_APP_TOKEN)s"
        send_event(url, mention(ask_env, "1700004000.000300"), "EvS3", secret=SECRET)
        send_event(url, mention(ask_env, "1700004000.000300"), "EvS3", {"X-Slack-Retry-Num": "1"}, secret=SECRET)
        standin.wait_posts(3)
        assert command(url, HEPATIC, standin.response_url("cmd")) == 200
        (private,) = standin.wait_response("cmd")
        for action in ("trialqa_feedback_up", "trialqa_more"):
            send_action(url, buttons(answer.params)[action], standin.response_url(action))
        send_action(url, buttons(private.params)["trialqa_share"], standin.response_url("share"), ephemeral=True)
        standin.wait_response("trialqa_feedback_up")
        standin.wait_posts(5)
        # refused requests: a forged, a stale and a missing signature
        body = event_body(mention(f"<@UBOT> {HEPATIC}", "1700004000.000400"), "EvS4")
        assert post(f"{url}/slack/events", body, signed(body, "wrong-secret"), "application/json")[0] == 401
        stale = signed(body, SECRET, int(time.time()) - 600)
        assert post(f"{url}/slack/events", body, stale, "application/json")[0] == 401
        assert post(f"{url}/slack/events", body, {}, "application/json")[0] == 401
        # errors: the Web API refuses a post (and the apology), a 429, a response URL nobody listens on
        standin.errors["chat.postMessage"] = "channel_not_found"
        send_event(url, mention(f"<@UBOT> {HEPATIC}", "1700004000.000500"), "EvS5", secret=SECRET)
        standin.wait_posts(7)
        del standin.errors["chat.postMessage"]
        standin.rate_limit_once.add("chat.postMessage")
        send_event(url, mention(f"<@UBOT> {HEPATIC}", "1700004000.000600"), "EvS6", secret=SECRET)
        standin.wait_posts(9)
        assert command(url, HEPATIC, "http://127.0.0.1:9/unreachable") == 200
        deadline = time.monotonic() + 60
        while "posting the apology in C0001 failed" not in bot.stderr() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        code, out, err = bot.stop()
    assert code == 0
    logged = out + err
    assert "DEBUG" in logged and "answering /trials in C0001 failed" in logged  # the errors were logged ...
    assert "Traceback" in logged
    assert leaks(logged, TOKEN, SECRET) == []  # ... without a secret
    scan_calls(standin, TOKEN, SECRET)
    assert leaks(Path(env["TRIALQA_FEEDBACK_DB"]).read_bytes().decode("utf-8", "replace"), TOKEN, SECRET) == []
    assert {c.method for c in standin.calls if c.method} == {"auth.test", "chat.postMessage"}


def test_socket_mode_at_debug_level_never_logs_the_app_token(seed_index_dir: Path, standin, tmp_path: Path) -> None:
    ts = "1700005000.000100"
    ws = SocketModeServer([envelope("env-s1", mention(f"<@UBOT> {HEPATIC}", ts), "EvSockS1")])
    standin.ws_url = ws.url
    env = bot_env(tmp_path, standin.api_url, SLACK_BOT_TOKEN=TOKEN, SLACK_APP_TOKEN=APP_TOKEN, PORT="0")
    try:
        bot = BotProcess(tmp_path, env, ["-vv", "slack", "--index", str(seed_index_dir)]).wait_ready()
        try:
            (post_,) = standin.wait_posts(1)
            assert post_.params["thread_ts"] == ts
            assert ws.received.get(timeout=30)["envelope_id"] == "env-s1"
        finally:
            code, out, err = bot.stop()
    finally:
        ws.close()
    assert code == 0
    assert "Socket Mode, 5 trials" in err
    assert leaks(out + err, TOKEN, APP_TOKEN) == []
    scan_calls(standin, TOKEN, APP_TOKEN)
    assert {c.method for c in standin.calls if c.method} == {"auth.test", "apps.connections.open", "chat.postMessage"}


# -- the manifest's scopes -------------------------------------------------------------------

# What each thing the code does needs (https://api.slack.com/scopes). Web API methods called
# with the bot token; events listened to; the slash command.
METHOD_SCOPES = {"chat_postMessage": {"chat:write"}, "auth_test": set()}
EVENT_SCOPES = {
    "app_mention": {"app_mentions:read"},
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.im": {"im:history"},
}


def used_by_code() -> tuple[set[str], set[str], set[str]]:
    """(Web API methods, event listeners, slash commands) found in bot/slack."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "bot" / "slack").rglob("*.py"))
    methods = set(re.findall(r"\bclient\.(\w+)\(", source)) - {"is_connected"}
    methods |= {"chat_postMessage"} if re.search(r"\bsay\(", source) else set()  # say() is chat.postMessage
    events = set(re.findall(r'@app\.event\("(\w+)"\)', source))
    commands = set(re.findall(r"@app\.command\((\w+)\)", source))
    return methods, events, commands


def test_manifest_scopes_are_exactly_those_the_code_uses() -> None:
    yaml = pytest.importorskip("yaml")
    m = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    methods, events, commands = used_by_code()
    assert (methods, events, commands) == ({"chat_postMessage"}, {"app_mention", "message"}, {"COMMAND"})
    subscribed = set(m["settings"]["event_subscriptions"]["bot_events"])
    # the generic "message" listener is subscribed for channels, private channels and DMs; nothing else
    assert subscribed == {"app_mention", "message.channels", "message.groups", "message.im"}
    needed = set().union(*(METHOD_SCOPES[x] for x in methods), *(EVENT_SCOPES[e] for e in subscribed))
    needed |= {"commands"} if commands else set()
    assert set(m["oauth_config"]["scopes"]["bot"]) == needed
    assert needed == {"app_mentions:read", "channels:history", "chat:write", "commands", "groups:history", "im:history"}
    assert "user" not in m["oauth_config"]["scopes"]  # no user token at all
