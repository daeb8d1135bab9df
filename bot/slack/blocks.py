"""Block Kit for answers, within Slack's limits (50 blocks, 3,000 characters per text).

An answer message: what was asked; per trial its title linked to the record, the NCT ID,
and each cited snippet under its section heading, quoted, with the matched words bold; a
context line with how many trials matched; 👍 / 👎 buttons; "More" when trials or weaker
candidates did not fit; "Share in channel" on a private (slash command) answer. Every
piece of document or user text goes through `mrkdwn.escape` (via `clip`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.slack.mrkdwn import ELLIPSIS, clip, escape, unescape
from index.results import Answer, Citation, TrialAnswer

MAX_BLOCKS = 50
MAX_TEXT = 3000  # Slack's limit for a section's text
TEXT_LIMIT = 2900  # what we fill, leaving room for characters Slack counts twice
MAX_VALUE = 2000  # a button's value
PER_PAGE = 5  # trials per message
NO_ANSWER = "No trial in the corpus supports this."
APOLOGY = "Sorry, something went wrong answering that. The error has been logged."

ACTION_UP = "trialqa_feedback_up"
ACTION_DOWN = "trialqa_feedback_down"
ACTION_MORE = "trialqa_more"
ACTION_SHARE = "trialqa_share"

_SAFE_URL = re.compile(r"https?://[^\s<>|&\"']+")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


@dataclass(frozen=True)
class Message:
    text: str  # the plain fallback shown in notifications
    blocks: list[dict[str, Any]]

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def plain_message(text: str) -> Message:
    """A one-section message from bot-written text (escaped all the same)."""
    t = clip(text, TEXT_LIMIT)
    return Message(t, [_section(t)])


def answer_message(
    answer: Answer, asked: str, *, corpus_size: int, share: bool = False, shared_by: str | None = None
) -> Message:
    """The message for an answer. `asked` is the question as the user typed it in Slack."""
    items = [*answer.trials, *answer.more]
    shown = list(answer.trials[:PER_PAGE])
    blocks: list[dict[str, Any]] = [_section(f"*Q:* {clip(unescape(asked), TEXT_LIMIT - 10)}")]
    if answer.context is not None and answer.context.summary:  # how the thread's follow-up was read
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(answer.context.summary)}]})
    if answer.no_answer:
        text = NO_ANSWER
        if answer.message and answer.message.strip() != NO_ANSWER:
            text += "\n" + clip(answer.message, TEXT_LIMIT - len(NO_ANSWER) - 1)
        blocks.append(_section(text))
    elif answer.message:  # what a fact question was understood as ("age > 65 · status: Recruiting")
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": clip(escape(answer.message), 2900)}]})
    values = {row.nct_id: row.value for row in answer.table or ()}
    for i, t in enumerate(shown):
        if i:
            blocks.append({"type": "divider"})
        if t.nct_id in values:  # a "compare" row: the value first, then its citation
            field = (answer.compared or "value").capitalize()
            blocks.append(
                {
                    "type": "section",
                    "fields": [
                        {"type": "mrkdwn", "text": f"*{escape(t.nct_id)}*"},
                        {"type": "mrkdwn", "text": f"*{escape(field)}:* {clip(escape(str(values[t.nct_id])), 1900)}"},
                    ],
                }
            )
        blocks.append(_section(trial_text(t)))
    context = _count_line(answer, corpus_size)
    if len(answer.trials) > len(shown):
        context += f" · showing {len(shown)}; More lists the rest"
    if shared_by:
        context += f" · shared by {_user(shared_by)}"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]})
    buttons = [
        _button("👍 Helpful", ACTION_UP, {"q": asked, "t": [t.nct_id for t in answer.trials]}),
        _button("👎 Not helpful", ACTION_DOWN, {"q": asked, "t": [t.nct_id for t in answer.trials]}),
    ]
    if len(items) > len(shown):
        buttons.append(_button("More", ACTION_MORE, {"q": asked, "from": len(shown)}))
    if share:
        buttons.append(_button("Share in channel", ACTION_SHARE, {"q": asked}, style="primary"))
    blocks.append({"type": "actions", "block_id": "trialqa_answer_actions", "elements": buttons})
    return Message(fallback_text(answer, asked), blocks[:MAX_BLOCKS])


def more_message(answer: Answer, asked: str, start: int, *, corpus_size: int) -> Message:
    """The trials after the first `start` of an answer, then its weaker candidates (Answer.more)."""
    items = [*answer.trials, *answer.more]
    start = max(0, int(start))
    page = items[start : start + PER_PAGE]
    q = clip(unescape(asked), TEXT_LIMIT - 20)
    if not page:
        return plain_message(f"Nothing more to show for: {unescape(asked)}")
    blocks: list[dict[str, Any]] = [_section(f"*More for:* {q}")]
    n_listed = len(answer.trials)
    for i, t in enumerate(page, start):
        if i == n_listed:
            blocks.append(
                _section(
                    "_Weaker candidates: these trials did not clear the bar for this question; "
                    "the passages may not answer it._"
                )
            )
        elif i > start:
            blocks.append({"type": "divider"})
        blocks.append(_section(trial_text(t)))
    end = start + len(page)
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Trials {start + 1}–{end} of {len(items)}"}]}
    )
    if end < len(items):
        blocks.append(
            {
                "type": "actions",
                "block_id": "trialqa_more_actions",
                "elements": [_button("More", ACTION_MORE, {"q": asked, "from": end})],
            }
        )
    text = clip(f"More for: {unescape(asked)}\n" + ", ".join(t.nct_id for t in page), TEXT_LIMIT)
    return Message(text, blocks[:MAX_BLOCKS])


def fallback_text(answer: Answer, asked: str) -> str:
    """The plain notification text: the question and the trials, escaped, at most TEXT_LIMIT."""
    lines = [f"Q: {unescape(asked)}"]
    if answer.no_answer:
        lines.append(NO_ANSWER)
    else:
        lines.append(_count_words(answer) + ": " + "; ".join(f"{t.nct_id} ({t.title})" for t in answer.trials))
    return clip("\n".join(lines), TEXT_LIMIT)


def trial_text(t: TrialAnswer, limit: int = TEXT_LIMIT) -> str:
    """One trial's section text: linked title, NCT ID, and each citation under its heading."""
    title = clip(t.title, 250)
    url = t.url if _SAFE_URL.fullmatch(t.url or "") else None
    head = f"*<{url}|{title}>*" if url else f"*{title}*"
    head += f"  `{escape(t.nct_id)}`"
    out = [head]
    used = len(head)
    cits = list(t.citations)
    for i, c in enumerate(cits):
        label = f"\n_{clip(c.section, 120)}_\n>"
        share = (limit - used) // (len(cits) - i) - len(label)
        if share < 24:  # no room for a meaningful quote
            out.append("\n" + ELLIPSIS)
            break
        part = label + quote(c, share)
        out.append(part)
        used += len(part)
    return "".join(out)


def quote(c: Citation, limit: int) -> str:
    """The snippet in curly quotes, matched words bold, escaped, at most `limit` characters
    (cut with "…" without breaking an entity or a bold span)."""
    s = c.snippet.replace("\r", " ").replace("\n", " ")  # one line, so the quote stays one block
    parts: list[tuple[str, bool]] = []
    pos = 0
    for a, b in _merged(s, c.highlights):
        parts.append((s[pos:a], False))
        parts.append((s[a:b], True))
        pos = b
    parts.append((s[pos:], False))
    out = ["“"]
    used = 2  # both quote marks
    for text, bold in parts:
        if not text:
            continue
        mark = "*" if bold else ""
        esc = escape(text)
        if used + len(esc) + 2 * len(mark) <= limit:
            out.append(f"{mark}{esc}{mark}")
            used += len(esc) + 2 * len(mark)
            continue
        room = limit - used - 1 - 2 * len(mark)  # 1 for the ellipsis
        piece = _fit(text, room).rstrip()
        if piece:
            out.append(f"{mark}{piece}{mark}" if bold else piece)
        out.append(ELLIPSIS)
        break
    out.append("”")
    return "".join(out)


def parse_value(value: str | None) -> dict[str, Any]:
    """A button's value back into its payload ({} when it is not ours)."""
    try:
        v = json.loads(value or "")
    except ValueError:
        return {}
    if not isinstance(v, dict):
        return {}
    if isinstance(v.get("q"), str):
        v["q"] = unescape(v["q"])
    return v


def _fit(text: str, room: int) -> str:
    out, used = [], 0
    for ch in text:
        e = escape(ch)
        if used + len(e) > room:
            break
        out.append(e)
        used += len(e)
    return "".join(out)


def _merged(s: str, highlights: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Highlight spans sorted, clamped, and joined when only spaces separate them."""
    spans: list[list[int]] = []
    for a, b in sorted(highlights):
        a, b = max(0, a), min(len(s), b)
        if a >= b:
            continue
        if spans and (a <= spans[-1][1] or not s[spans[-1][1] : a].strip()):
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]


def _count_words(answer: Answer) -> str:
    n = len(answer.trials)
    if answer.kind == "lookup":
        return f"Answered from {n} trial" + ("" if n == 1 else "s")
    return "1 trial matches" if n == 1 else f"{n} trials match"


def _count_line(answer: Answer, corpus_size: int) -> str:
    words = "No trial matches" if answer.no_answer else _count_words(answer)
    return f"{words} ({corpus_size} in the corpus)"


def _user(user_id: str) -> str:
    return f"<@{user_id}>" if _USER_ID.fullmatch(user_id) else escape(user_id)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_TEXT]}}


def _button(label: str, action_id: str, payload: dict[str, Any], style: str | None = None) -> dict[str, Any]:
    b: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": _value(payload),
    }
    if style:
        b["style"] = style
    return b


def _value(payload: dict[str, Any]) -> str:
    """JSON within Slack's 2,000 characters: an over-long question is cut (with "…"). The
    question is kept escaped, so even a value never carries live markup."""
    p = dict(payload)
    if isinstance(p.get("q"), str):
        p["q"] = escape(p["q"])
    v = json.dumps(p, ensure_ascii=False, separators=(",", ":"))
    while len(v) > MAX_VALUE and len(p.get("q") or "") > 1:
        q = p["q"]
        p["q"] = q[: max(0, len(q) - (len(v) - MAX_VALUE) - 1)].rstrip(ELLIPSIS) + ELLIPSIS
        v = json.dumps(p, ensure_ascii=False, separators=(",", ":"))
    return v
