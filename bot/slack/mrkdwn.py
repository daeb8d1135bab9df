"""Slack text in and out: mrkdwn escaping, and questions taken out of Slack's markup.

Everything that comes from a document or a user is escaped (`&`, `<`, `>`) before it is
put in a message, so no snippet or question can ping @channel, mention someone or forge a
link; only the bot's own markup (links to trials, bold, quotes) is live.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

_MARKUP = re.compile(r"<([^<>]*)>")
_SPACE = re.compile(r"\s+")


def escape(text: str) -> str:
    """mrkdwn-escape text: the three characters Slack treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack's entity encoding undone (message text arrives with &, <, > encoded)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def clip(text: str, limit: int) -> str:
    """At most `limit` characters of escaped text, cut with "…" (never inside an entity)."""
    out: list[str] = []
    used = 0
    for ch in text:
        e = escape(ch)
        if used + len(e) > limit - 1:
            out.append(ELLIPSIS)
            return "".join(out)
        out.append(e)
        used += len(e)
    return "".join(out)


def without_mention(raw: str, user_id: str | None) -> str:
    """Message text with the mentions of `user_id` (the bot) removed."""
    if user_id:
        raw = re.sub(rf"<@{re.escape(user_id)}(?:\|[^<>]*)?>", " ", raw)
    return _SPACE.sub(" ", raw).strip()


def _plain(m: re.Match[str]) -> str:
    target, _, label = m.group(1).partition("|")
    if target.startswith(("@", "!")):  # user mentions, @channel/@here, user groups: no search words
        return " "
    if target.startswith("#"):  # a channel: its name
        return f" #{label} " if label else " "
    return f" {label or target} "  # a link: its label, else the URL


def query_text(raw: str) -> str:
    """What to search for: Slack markup replaced by plain words and entities decoded."""
    return _SPACE.sub(" ", unescape(_MARKUP.sub(_plain, raw))).strip()


def shown_question(raw: str) -> str:
    """The question as asked, for display: decoded then escaped, so markup shows as typed."""
    return escape(unescape(raw))
