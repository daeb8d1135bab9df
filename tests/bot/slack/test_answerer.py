"""The answerer: a question in, a Slack message out."""

from __future__ import annotations


def test_a_bad_question_becomes_a_polite_no_answer(answerer, monkeypatch) -> None:
    from bot.slack.blocks import NO_ANSWER
    from index.errors import BadQuestion

    def refuse(question, k=10):
        raise BadQuestion("unknown filter 'colour:blue'; known: status, phase, age")

    monkeypatch.setattr(answerer.index, "ask", refuse)
    msg = answerer.reply("which trials are colour:blue?")
    assert msg.blocks[1]["text"]["text"] == f"{NO_ANSWER}\nunknown filter 'colour:blue'; known: status, phase, age"
