"""Builds the Bolt `App`: the Web API client, the middleware, and one `register` per listener group.

Listeners run in Bolt's worker threads after the ack (`process_before_response=False`: this
is a long-running server, not a FaaS), so Slack gets its 200 within 3 seconds whatever the
answer costs. Retried event deliveries are answered with a bare 200 and dropped: deliveries are
remembered in the bot's state, so this holds across restarts and between processes sharing it.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltError
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack.answerer import Answerer
from bot.slack.listeners import register_listeners
from bot.slack.services import Services
from bot.slack.settings import SlackSettings
from bot.slack.state import BotState, delivery_key
from index.errors import ConfigError

log = logging.getLogger("trialqa.slack")

RATE_LIMIT_RETRIES = 3


def web_client(settings: SlackSettings) -> WebClient:
    """The Web API client: base URL from SLACK_API_URL, 429s retried after their Retry-After."""
    client = WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=30, logger=log)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def build_app(settings: SlackSettings, answerer: Answerer, state: BotState) -> App:
    """The app, its token checked with auth.test (a refused token is a `ConfigError`). `state`
    (see `bot.slack.state.open_state`) remembers deliveries, answered threads and feedback."""
    # Bolt also reads SLACK_BOT_TOKEN itself and warns that the client's token wins: it is the same token.
    quiet = _Without(warning_client_prioritized_and_token_skipped())
    log.addFilter(quiet)
    try:
        app = App(
            client=web_client(settings),
            signing_secret=settings.signing_secret or "",
            process_before_response=False,
            name="trialqa",
            logger=log,
        )
    except BoltError:
        raise ConfigError(
            "SLACK_BOT_TOKEN was refused by Slack's auth.test: check the token and that the app is installed"
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"could not reach the Slack Web API at {settings.api_url} (SLACK_API_URL): {type(exc).__name__}"
        ) from None
    finally:
        log.removeFilter(quiet)
    services = Services(answerer=answerer, state=state, settings=settings)
    app.use(_drop_repeated_events(services))
    app.error(_log_error)
    register_listeners(app, services)
    return app


def _drop_repeated_events(services: Services) -> Any:
    def drop_repeated_events(
        body: dict[str, Any], request: Any, next_: Any, logger: logging.Logger
    ) -> BoltResponse | None:
        """An event seen before, by this process or an earlier one (Slack retries when it thinks
        we were slow or down): 200 at once, no answer."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not services.first_delivery(delivery_key("event", str(event_id))):
            retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
            logger.info("dropping a repeated delivery of event %s (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="")
        return next_()

    return drop_repeated_events


class _Without(logging.Filter):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != self.message


def _log_error(error: Exception, logger: logging.Logger) -> None:
    logger.error("unhandled error in a Slack listener", exc_info=error)
