"""The slash command `/trials QUESTION`: an answer only the asker sees, with "Share in channel"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.blocks import APOLOGY, plain_message
from bot.slack.services import Services

COMMAND = "/trials"
USAGE = "Ask about the trials: /trials QUESTION, e.g. /trials which trials use the hepatic artery?"
NOT_HERE = "I answer only in the channels I am set up for, and in direct messages."


def register(app: App, services: Services) -> None:
    @app.command(COMMAND)
    def on_trials(ack: Ack, command: dict[str, Any], respond: Respond, logger: logging.Logger) -> None:
        ack()
        handle_trials(services, command, respond, logger)


def handle_trials(services: Services, command: dict[str, Any], respond: Respond, logger: logging.Logger) -> None:
    asked = (command.get("text") or "").strip()
    channel = command.get("channel_id") or ""
    try:
        if not asked:
            msg = plain_message(USAGE)
        elif not services.settings.allowed(channel):
            msg = plain_message(NOT_HERE)
        else:
            msg = services.answerer.reply(asked, share=True)
        respond(response_type="ephemeral", **msg.kwargs())
    except Exception:
        logger.exception("answering %s in %s failed", COMMAND, channel)
        try:
            respond(text=APOLOGY, response_type="ephemeral")
        except Exception:
            logger.exception("posting the apology in %s failed", channel)
