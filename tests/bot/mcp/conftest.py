"""The MCP tests reuse the API's loaded index (one `TrialService` per module)."""

from tests.bot.api.conftest import service  # noqa: F401 - fixture reused here
