"""Events: @mentions in channels, direct messages, and follow-ups in threads the bot answered.

Bolt acknowledges events itself before these run (in its worker threads), so the 3-second
rule holds however long an answer takes.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, Say

from bot.slack.blocks import APOLOGY
from bot.slack.mrkdwn import without_mention
from bot.slack.services import Services
from bot.slack.state import delivery_key


def register(app: App, services: Services) -> None:
    @app.event("app_mention")
    def on_app_mention(event: dict[str, Any], say: Say, context: BoltContext, logger: logging.Logger) -> None:
        handle_mention(services, event, say, context.bot_user_id, logger)

    @app.event("message")
    def on_message(event: dict[str, Any], say: Say, context: BoltContext, logger: logging.Logger) -> None:
        handle_message(services, event, say, context.bot_user_id, logger)


def handle_mention(
    services: Services, event: dict[str, Any], say: Say, bot_user_id: str | None, logger: logging.Logger
) -> None:
    channel = event.get("channel") or ""
    if channel.startswith("D"):  # a direct message: its message.im event is the one answered
        return
    if not services.settings.allowed(channel):
        logger.info("ignoring a mention in %s: not in SLACK_ALLOWED_CHANNELS", channel)
        return
    answer_in_thread(services, event, say, event.get("thread_ts") or event.get("ts"), bot_user_id, logger)


def handle_message(
    services: Services, event: dict[str, Any], say: Say, bot_user_id: str | None, logger: logging.Logger
) -> None:
    if event.get("subtype") or event.get("bot_id") or not event.get("user") or event.get("user") == bot_user_id:
        return  # edits, joins, bots (the bot itself included)
    if event.get("channel_type") == "im":
        answer_in_thread(services, event, say, event.get("thread_ts"), bot_user_id, logger)
        return
    channel, thread_ts = event.get("channel") or "", event.get("thread_ts")
    if not thread_ts or thread_ts == event.get("ts"):
        return  # not a reply in a thread
    if bot_user_id and f"<@{bot_user_id}" in (event.get("text") or ""):
        return  # a mention: the app_mention event is the one answered
    if services.answered_thread(channel, thread_ts) and services.settings.allowed(channel):
        answer_in_thread(services, event, say, thread_ts, bot_user_id, logger)


def answer_in_thread(
    services: Services,
    event: dict[str, Any],
    say: Say,
    thread_ts: str | None,
    bot_user_id: str | None,
    logger: logging.Logger,
) -> None:
    """Answer a message (in `thread_ts`, when given) once, however often it is delivered."""
    channel = event.get("channel") or ""
    if not services.first_delivery(delivery_key("message", channel, event.get("ts") or "")):
        return
    asked = without_mention(event.get("text") or "", bot_user_id)
    try:
        msg = services.answerer.reply(asked, thread=services.thread(channel, thread_ts))
        say(thread_ts=thread_ts, **msg.kwargs())
        if thread_ts:
            services.remember_thread(channel, thread_ts)
    except Exception:
        logger.exception("answering a message in %s failed", channel)
        try:
            say(text=APOLOGY, thread_ts=thread_ts)
        except Exception:
            logger.exception("posting the apology in %s failed", channel)
