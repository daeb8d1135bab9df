"""Slack text in and out: mrkdwn escaping, clipping, and the question taken out of a mention."""

from __future__ import annotations

from bot.slack.mrkdwn import clip, escape, query_text, shown_question, unescape, without_mention


def test_escape_and_unescape_the_three_control_characters() -> None:
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert escape("<!channel> <@U1>") == "&lt;!channel&gt; &lt;@U1&gt;"
    assert escape("&lt;") == "&amp;lt;"  # an entity in a document is shown as typed
    assert unescape("a &lt; b &amp; c &gt; d") == "a < b & c > d"
    assert unescape(escape("&lt; <x> & &amp;")) == "&lt; <x> & &amp;"


def test_clip_counts_escaped_characters_and_never_cuts_an_entity() -> None:
    assert clip("abc", 10) == "abc"
    assert clip("abcdef", 4) == "abc…"
    assert clip("a<b", 5) == "a…"  # "&lt;" does not fit in the 4 left before the ellipsis
    assert clip("a<b", 6) == "a&lt;…"


def test_the_bot_mention_is_taken_out_of_the_question() -> None:
    assert without_mention("<@UBOT> which trials use the hepatic artery?", "UBOT") == (
        "which trials use the hepatic artery?"
    )
    assert without_mention("hi <@UBOT|trialqa>   there <@UOTHER>", "UBOT") == "hi there <@UOTHER>"
    assert without_mention("  <@UBOT> x ", None) == "<@UBOT> x"


def test_query_text_replaces_markup_with_plain_words() -> None:
    assert query_text("<!here> trials with <@U1> in <#C1|oncology>?") == "trials with in #oncology ?"
    assert query_text("see <https://example.org/a|the page> and <https://example.org/b>") == (
        "see the page and https://example.org/b"
    )
    assert query_text("age &gt; 18 &amp; &lt;65") == "age > 18 & <65"
    assert query_text("<#C1>") == ""


def test_shown_question_shows_markup_as_typed() -> None:
    assert shown_question("&lt;!channel&gt; ping") == "&lt;!channel&gt; ping"
    assert shown_question("<!channel> a & b") == "&lt;!channel&gt; a &amp; b"
