"""Listener groups; each module's `register(app, services)` adds its listeners to the app."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events
from bot.slack.services import Services


def register_listeners(app: App, services: Services) -> None:
    events.register(app, services)
    commands.register(app, services)
    actions.register(app, services)
