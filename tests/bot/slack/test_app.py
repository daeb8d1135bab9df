"""The real Bolt app over real HTTP on 127.0.0.1, against a stand-in Slack Web API."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from argparse import Namespace
from datetime import UTC, datetime

import pytest

from bot.slack.app import build_app
from bot.slack.blocks import ACTION_DOWN, ACTION_MORE, ACTION_SHARE, ACTION_UP, APOLOGY
from bot.slack.settings import SlackSettings
from bot.slack.state import SQLiteState
from index.errors import ConfigError
from tests.bot.slack.fakes import (
    USER,
    buttons,
    event_body,
    get,
    mention,
    message,
    post,
    send_action,
    send_command,
    send_event,
    signed,
    texts,
)
from tests.helpers.slack_bots import bot_env

HEPATIC = "which trials use the hepatic artery?"
HEPATIC_TRIAL = (
    "*<https://clinicaltrials.gov/study/NCT01724697|Safety and Efficacy of Human Bone Marrow Stem Cells for "
    "Treatment of HBV-related Liver Cirrhosis>*  `NCT01724697`\n"
    "_240 participants in 2 patient groups_\n"
    ">“conventional treatment \\&amp; antiviral treatment \\&amp; autologous bone marrow stem cell transplantation "
    "via *hepatic artery*”\n"
    "_About_\n"
    ">“In this study, the patients with HBV-related liver cirrhosis will undergo administration of human "
    "autologous BMSCs via *hepatic artery* to evaluate the safty and efficacy of human autologous BMSCs treatment "
    "for these patients.”"
)
HEPATIC_TEXT = (
    "Q: which trials use the hepatic artery?\n1 trial matches: NCT01724697 (Safety and Efficacy of Human Bone "
    "Marrow Stem Cells for Treatment of HBV-related Liver Cirrhosis)"
)
HIV_TRIALS = ["NCT03209986", "NCT00713934"]


def ncts(params: dict) -> list[str]:
    """NCT IDs in the order the message's sections show them (each once)."""
    seen: list[str] = []
    for t in texts(params):
        for m in re.findall(r"`(NCT\d{8})`", t):
            seen.append(m)
    return seen


def test_healthz_and_unknown_paths(bot):
    assert get(f"{bot.url}/healthz") == (200, '{"ok": true, "trials": 5}')
    assert get(f"{bot.url}/")[0] == 404
    assert get(f"{bot.url}/slack/events")[0] == 404  # Slack only POSTs there
    body = event_body(mention("<@UBOT> hi", "1.1"), "Ev404")
    assert post(f"{bot.url}/elsewhere", body, signed(body), "application/json")[0] == 404


def test_mention_gets_a_threaded_cited_answer(bot, standin):
    t0 = time.monotonic()
    status, _ = send_event(bot.url, mention(f"<@UBOT> {HEPATIC}", "1700000000.000100"), "Ev0001")
    assert status == 200
    assert time.monotonic() - t0 < 3  # acked within Slack's 3 seconds
    (call,) = standin.wait_posts(1)
    p = call.params
    assert call.headers["Authorization"] == "Bearer xoxb-1111-2222-testtokenvalue"
    assert (p["channel"], p["thread_ts"]) == ("C0001", "1700000000.000100")
    assert p["text"] == HEPATIC_TEXT
    assert texts(p) == [f"*Q:* {HEPATIC}", HEPATIC_TRIAL, "1 trial matches (5 in the corpus)"]
    assert list(buttons(p)) == [ACTION_UP, ACTION_DOWN, ACTION_MORE]  # no share button in a channel answer
    assert json.loads(buttons(p)[ACTION_UP]["value"]) == {"q": HEPATIC, "t": ["NCT01724697"]}


def test_direct_message_is_answered(bot, standin):
    status, _ = send_event(bot.url, message("which trials exclude HIV?", "1700000001.000100", "D0001", "im"), "Ev0002")
    assert status == 200
    (call,) = standin.wait_posts(1)
    assert call.params["channel"] == "D0001"
    assert "thread_ts" not in call.params  # a DM is answered in the conversation itself
    assert ncts(call.params) == HIV_TRIALS
    assert texts(call.params)[-1] == "2 trials match (5 in the corpus)"


def test_follow_up_in_an_answered_thread_needs_no_mention(bot, standin):
    send_event(bot.url, mention(f"<@UBOT> {HEPATIC}", "1700000002.000100"), "Ev0003")
    standin.wait_posts(1)
    ignored = [
        # a reply in a thread the bot never answered
        message("which trials exclude HIV?", "1700000002.000300", "C0001", "channel", thread_ts="1700000009.000000"),
        # a bot's message, and an edit, in the answered thread
        message("which trials exclude HIV?", "1700000002.000400", "C0001", "channel", thread_ts="1700000002.000100")
        | {"bot_id": "B0OTHER"},
        message("which trials exclude HIV?", "1700000002.000500", "C0001", "channel", thread_ts="1700000002.000100")
        | {"subtype": "message_changed"},
        # a top-level message in the channel
        message("which trials exclude HIV?", "1700000002.000600", "C0001", "channel"),
    ]
    for i, e in enumerate(ignored):
        assert send_event(bot.url, e, f"EvIgnored{i}")[0] == 200
    follow = message(
        "which trials exclude HIV?", "1700000002.000200", "C0001", "channel", thread_ts="1700000002.000100"
    )
    assert send_event(bot.url, follow, "Ev0004")[0] == 200
    _, second = standin.wait_posts(2)
    time.sleep(0.5)  # time for any wrongly answered message to show up
    assert len(standin.posts()) == 2
    assert second.params["thread_ts"] == "1700000002.000100"
    assert ncts(second.params) == HIV_TRIALS


def test_slash_command_is_private_and_share_posts_to_channel(bot, standin):
    status, body = send_command(bot.url, HEPATIC, standin.response_url("cmd"))
    assert (status, body) == (200, "")
    (reply,) = standin.wait_response("cmd")
    assert reply.params["response_type"] == "ephemeral"  # only the asker sees it
    assert reply.params["text"] == HEPATIC_TEXT
    assert texts(reply.params)[1] == HEPATIC_TRIAL
    share = buttons(reply.params)[ACTION_SHARE]
    assert share["text"]["text"] == "Share in channel"
    assert standin.posts() == [] and standin.posts("chat.postEphemeral") == []

    status, _ = send_action(bot.url, share, standin.response_url("share"), ephemeral=True)
    assert status == 200
    (shared,) = standin.wait_posts(1)
    assert shared.params["channel"] == "C0001"
    assert "thread_ts" not in shared.params
    assert texts(shared.params)[1] == HEPATIC_TRIAL
    assert texts(shared.params)[-1] == f"1 trial matches (5 in the corpus) · shared by <@{USER}>"
    assert ACTION_SHARE not in buttons(shared.params)
    (cleanup,) = standin.wait_response("share")
    assert cleanup.params == {"text": "", "delete_original": True}  # the private copy goes away


def test_slash_command_without_a_question_shows_usage(bot, standin):
    send_command(bot.url, "  ", standin.response_url("usage"))
    (reply,) = standin.wait_response("usage")
    assert reply.params["text"] == (
        "Ask about the trials: /trials QUESTION, e.g. /trials which trials use the hepatic artery?"
    )


def test_thumbs_up_is_recorded_in_sqlite(bot, standin):
    send_event(bot.url, mention(f"<@UBOT> {HEPATIC}", "1700000003.000100"), "Ev0005")
    (answer,) = standin.wait_posts(1)
    before = datetime.now(UTC).replace(microsecond=0)
    status, _ = send_action(
        bot.url,
        buttons(answer.params)[ACTION_UP],
        standin.response_url("fb"),
        message_ts="1800000000.000001",
        thread_ts="1700000003.000100",
    )
    assert status == 200
    (ack,) = standin.wait_response("fb")
    assert ack.params == {
        "text": "Thanks, your 👍 is recorded.",
        "response_type": "ephemeral",
        "replace_original": False,
    }
    (fb,) = bot.feedback.all()
    assert (fb.vote, fb.question, fb.trials, fb.user_id, fb.channel_id, fb.message_ts) == (
        "up",
        HEPATIC,
        ("NCT01724697",),
        USER,
        "C0001",
        "1800000000.000001",
    )
    assert before <= fb.at <= datetime.now(UTC)
    with sqlite3.connect(bot.settings.feedback_db) as db:
        rows = db.execute("SELECT vote, question, trials, user_id FROM feedback").fetchall()
    assert rows == [("up", HEPATIC, '["NCT01724697"]', USER)]


def test_more_posts_the_weaker_candidates_in_the_thread(bot, standin):
    send_event(bot.url, mention("<@UBOT> which trials exclude HIV?", "1700000004.000100"), "Ev0006")
    (answer,) = standin.wait_posts(1)
    assert ncts(answer.params) == HIV_TRIALS
    more = buttons(answer.params)[ACTION_MORE]
    send_action(
        bot.url, more, standin.response_url("more"), message_ts="1800000000.000001", thread_ts="1700000004.000100"
    )
    _, page = standin.wait_posts(2)
    assert page.params["thread_ts"] == "1700000004.000100"
    assert ncts(page.params) == ["NCT01724697", "NCT01218464", "NCT05106972"]  # by retrieval score: none covers HIV
    assert texts(page.params)[:2] == [
        "*More for:* which trials exclude HIV?",
        "_Weaker candidates: these trials did not clear the bar for this question; the passages may not answer it._",
    ]
    assert texts(page.params)[-1] == "Trials 3–5 of 5"
    assert buttons(page.params) == {}  # nothing further


def test_bad_missing_or_stale_signatures_get_401_and_no_reply(bot, standin):
    body = event_body(mention(f"<@UBOT> {HEPATIC}", "1700000005.000100"), "Ev0007")
    forged = signed(body, secret="not-the-secret")
    stale = signed(body, ts=int(time.time()) - 6 * 60)
    assert post(f"{bot.url}/slack/events", body, forged, "application/json")[0] == 401
    assert post(f"{bot.url}/slack/events", body, stale, "application/json")[0] == 401
    assert post(f"{bot.url}/slack/events", body, {}, "application/json")[0] == 401
    tampered = body.replace("hepatic", "portal")
    assert post(f"{bot.url}/slack/events", tampered, signed(body), "application/json")[0] == 401
    time.sleep(1.0)
    assert [c.method for c in standin.calls] == ["auth.test"]  # nothing posted


def test_retried_delivery_is_acked_and_not_answered_twice(bot, standin):
    event = mention(f"<@UBOT> {HEPATIC}", "1700000006.000100")
    assert send_event(bot.url, event, "Ev0008")[0] == 200
    t0 = time.monotonic()
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert send_event(bot.url, event, "Ev0008", retry) == (200, "")
    assert time.monotonic() - t0 < 3
    # A later, different question is answered: by then a duplicate would have been too.
    send_event(bot.url, mention("<@UBOT> which trials exclude HIV?", "1700000006.000200"), "Ev0009")
    standin.wait_posts(2)
    time.sleep(0.5)
    assert sorted(c.params["thread_ts"] for c in standin.posts()) == ["1700000006.000100", "1700000006.000200"]


def test_rate_limited_post_is_retried_after_retry_after(bot, standin):
    standin.rate_limit_once.add("chat.postMessage")
    send_event(bot.url, mention(f"<@UBOT> {HEPATIC}", "1700000007.000100"), "Ev0010")
    first, second = standin.wait_posts(2)
    assert first.params == second.params  # the same message, sent again
    assert second.at - first.at >= 0.9  # after Retry-After: 1
    assert second.params["thread_ts"] == "1700000007.000100"
    time.sleep(0.3)
    assert len(standin.posts()) == 2


def test_mrkdwn_in_a_question_is_neutralised(bot, standin):
    send_event(bot.url, mention("<@UBOT> <!channel> which trials exclude HIV? <http://evil|click>", "1.5"), "Ev0011")
    (call,) = standin.wait_posts(1)
    sent = call.dump
    assert "<!channel>" not in sent and "<http://evil" not in sent
    assert texts(call.params)[:2] == [
        "*Q:* &lt;!channel&gt; which trials exclude HIV? &lt;http://evil|click&gt;",
        "No trial in the corpus supports this.",
    ]
    assert call.params["text"] == (
        "Q: &lt;!channel&gt; which trials exclude HIV? &lt;http://evil|click&gt;\nNo trial in the corpus supports this."
    )


def test_allow_list_ignores_other_channels_but_not_dms(make_bot, standin):
    bot = make_bot(SLACK_ALLOWED_CHANNELS="C0001, C0003")
    send_event(bot.url, mention(f"<@UBOT> {HEPATIC}", "1700000008.000100", channel="C0002"), "Ev0012")
    send_event(bot.url, message(HEPATIC, "1700000008.000200", "D0009", "im"), "Ev0013")
    send_event(bot.url, mention(f"<@UBOT> {HEPATIC}", "1700000008.000300", channel="C0003"), "Ev0014")
    standin.wait_posts(2)
    time.sleep(0.5)
    assert sorted(c.params["channel"] for c in standin.posts()) == ["C0003", "D0009"]


def test_internal_error_gets_an_apology_and_a_logged_traceback(make_bot, answerer, standin, caplog, monkeypatch):
    bot = make_bot()

    def broken(question, k=10):
        raise RuntimeError("internal detail /srv/secret/path")

    monkeypatch.setattr(answerer.index, "ask", broken)
    with caplog.at_level(logging.ERROR, logger="trialqa.slack"):
        send_event(bot.url, mention(f"<@UBOT> {HEPATIC}", "1700000009.000100"), "Ev0015")
        (call,) = standin.wait_posts(1)
        send_command(bot.url, HEPATIC, standin.response_url("err"))
        (reply,) = standin.wait_response("err")
    assert (call.params["text"], call.params["thread_ts"]) == (APOLOGY, "1700000009.000100")
    assert reply.params == {"text": APOLOGY, "response_type": "ephemeral"}
    assert "internal detail" not in call.dump + reply.dump
    logged = [r for r in caplog.records if r.exc_info and "internal detail" in str(r.exc_info[1])]
    assert [r.getMessage() for r in logged] == [
        "answering a message in C0001 failed",
        "answering /trials in C0001 failed",
    ]


def test_mention_delivered_as_two_events_is_answered_once(bot, standin):
    """A mention in an answered thread arrives as app_mention and as message.channels: one answer."""
    send_event(bot.url, mention(f"<@UBOT> {HEPATIC}", "1700000010.000100"), "Ev0016")
    standin.wait_posts(1)
    text, ts, thread = "<@UBOT> which trials exclude HIV?", "1700000010.000200", "1700000010.000100"
    send_event(bot.url, message(text, ts, "C0001", "channel", thread_ts=thread), "Ev0017")
    send_event(bot.url, mention(text, ts, thread_ts=thread), "Ev0018")
    _, second = standin.wait_posts(2)
    time.sleep(0.5)
    assert len(standin.posts()) == 2
    assert (second.params["thread_ts"], ncts(second.params)) == (thread, HIV_TRIALS)


def test_more_on_a_private_answer_stays_private(bot, standin):
    send_command(bot.url, "which trials exclude HIV?", standin.response_url("cmd"))
    (reply,) = standin.wait_response("cmd")
    send_action(bot.url, buttons(reply.params)[ACTION_MORE], standin.response_url("more"), ephemeral=True)
    (page,) = standin.wait_response("more")
    assert (page.params["response_type"], page.params["replace_original"]) == ("ephemeral", False)
    assert ncts(page.params) == ["NCT01724697", "NCT01218464", "NCT05106972"]  # by retrieval score: none covers HIV
    assert standin.posts() == []


def test_share_where_the_bot_is_not_a_member_uses_the_response_url(bot, standin):
    standin.errors["chat.postMessage"] = "not_in_channel"
    send_command(bot.url, HEPATIC, standin.response_url("cmd"))
    (reply,) = standin.wait_response("cmd")
    send_action(bot.url, buttons(reply.params)[ACTION_SHARE], standin.response_url("share"), ephemeral=True)
    shared, cleanup = standin.wait_response("share", 2)
    assert (shared.params["response_type"], shared.params["replace_original"]) == ("in_channel", False)
    assert texts(shared.params)[1] == HEPATIC_TRIAL
    assert cleanup.params == {"text": "", "delete_original": True}
    assert len(standin.posts()) == 1  # the refused chat.postMessage


def test_url_verification_challenge_is_answered(bot, standin):
    body = json.dumps(
        {"token": "legacy-verification-token", "challenge": "3eZbrw1aBm2rZgRNFdxV2595", "type": "url_verification"}
    )
    assert post(f"{bot.url}/slack/events", body, signed(body), "application/json") == (
        200,
        '{"challenge": "3eZbrw1aBm2rZgRNFdxV2595"}',
    )
    assert post(f"{bot.url}/slack/events", body, signed(body, "wrong"), "application/json")[0] == 401


def test_a_refused_or_unreachable_web_api_is_a_config_error(answerer, standin, tmp_path):
    def settings(**env):
        return SlackSettings.from_args(Namespace(http=True, port=0), env=bot_env(standin, tmp_path, **env))

    state = SQLiteState(tmp_path / "fb.sqlite3")
    standin.errors["auth.test"] = "invalid_auth"
    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN was refused by Slack's auth.test"):
        build_app(settings(), answerer, state)
    with pytest.raises(ConfigError, match=r"^could not reach the Slack Web API at http://127.0.0.1:9/api/"):
        build_app(settings(SLACK_API_URL="http://127.0.0.1:9/api"), answerer, state)
