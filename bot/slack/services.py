"""What every listener needs, built once and passed to each `register(app, services)`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.answerer import Answerer
from bot.slack.feedback import FeedbackStore
from bot.slack.memory import Memory
from bot.slack.settings import SlackSettings


@dataclass(frozen=True)
class Services:
    answerer: Answerer
    feedback: FeedbackStore
    memory: Memory
    settings: SlackSettings
