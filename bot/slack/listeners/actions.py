"""Buttons on answers: 👍 / 👎 (recorded), "More" (the next trials, in the thread) and
"Share in channel" (a private answer posted for everyone). Each acks at once."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import ACTION_MORE, ACTION_SHARE, ACTION_UP, APOLOGY, parse_value
from bot.slack.listeners.commands import NOT_HERE
from bot.slack.mrkdwn import unescape
from bot.slack.services import Services

FEEDBACK = re.compile(r"^trialqa_feedback_(up|down)$")


def register(app: App, services: Services) -> None:
    @app.action(FEEDBACK)
    def on_feedback(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        _guarded(respond, logger, handle_feedback, services, body, action, respond)

    app.action(ACTION_MORE)(_posting(services, handle_more))
    app.action(ACTION_SHARE)(_posting(services, handle_share))


PostingHandler = Callable[[Services, dict[str, Any], dict[str, Any], WebClient, Respond], None]


def _posting(services: Services, handler: PostingHandler) -> Callable[..., None]:
    """The listener of a button whose handler posts with the Web API client ("More", "Share")."""

    def listener(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        logger: logging.Logger,
    ) -> None:
        ack()
        _guarded(respond, logger, handler, services, body, action, client, respond)

    listener.__name__ = f"on_{handler.__name__.removeprefix('handle_')}"
    return listener


def handle_feedback(services: Services, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
    vote = "up" if action.get("action_id") == ACTION_UP else "down"
    value = parse_value(action.get("value"))
    container = body.get("container") or {}
    services.feedback.record(
        vote=vote,
        question=unescape(str(value.get("q") or "")),
        trials=[str(t) for t in value.get("t") or []],
        user_id=(body.get("user") or {}).get("id") or "",
        channel_id=_channel(body),
        message_ts=container.get("message_ts") or (body.get("message") or {}).get("ts") or "",
    )
    respond(
        text=f"Thanks, your {'👍' if vote == 'up' else '👎'} is recorded.",
        response_type="ephemeral",
        replace_original=False,
    )


def handle_more(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    value = parse_value(action.get("value"))
    msg = services.answerer.more(str(value.get("q") or ""), _start(value.get("from")))
    container = body.get("container") or {}
    if container.get("is_ephemeral"):  # a private answer: the rest privately too
        respond(response_type="ephemeral", replace_original=False, **msg.kwargs())
        return
    message = body.get("message") or {}
    thread_ts = message.get("thread_ts") or container.get("thread_ts") or container.get("message_ts")
    client.chat_postMessage(channel=_channel(body), thread_ts=thread_ts, **msg.kwargs())


def handle_share(
    services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    channel = _channel(body)
    if not services.settings.allowed(channel):
        respond(text=NOT_HERE, response_type="ephemeral", replace_original=False)
        return
    user = (body.get("user") or {}).get("id")
    msg = services.answerer.reply(str(parse_value(action.get("value")).get("q") or ""), shared_by=user)
    try:
        posted = client.chat_postMessage(channel=channel, **msg.kwargs())
        services.remember_thread(channel, posted["ts"])
    except SlackApiError as exc:
        if exc.response.get("error") not in ("not_in_channel", "channel_not_found"):
            raise
        # The bot is not in that conversation: the response URL can still post there.
        respond(response_type="in_channel", replace_original=False, **msg.kwargs())
    respond(delete_original=True)  # the private copy is no longer needed


def _start(value: Any) -> int:
    """A "More" button's page start; anything but a whole number (a forged value) is 0."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError, OverflowError):
        return 0


def _channel(body: dict[str, Any]) -> str:
    return (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id") or ""


def _guarded(respond: Respond, logger: logging.Logger, handler: Any, *args: Any) -> None:
    """Run an action handler; on an error log the traceback and tell the user only that it failed."""
    try:
        handler(*args)
    except Exception:
        logger.exception("handling a button (%s) failed", handler.__name__)
        try:
            respond(text=APOLOGY, response_type="ephemeral", replace_original=False)
        except Exception:
            logger.exception("posting the apology failed")
