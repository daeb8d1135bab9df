"""Markup inside a source document is shown as text, never live (no @channel, no forged link)."""

from __future__ import annotations

import pytest

from bot.slack.answerer import Answerer
from tests.bot.slack.fakes import mention, send_event, texts

NOTES = """\
# <!here> Hepatic flux notes NCT09999999

## Summary

This trial measures hepatic flux in healthy volunteers <!channel> see <http://evil.example|click here> & more.

## Eligibility

Adults aged 18 to 65 years.
"""


@pytest.fixture(scope="module")
def notes_answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    from index.trial_index import TrialIndex

    d = tmp_path_factory.mktemp("notes")
    (d / "notes.md").write_text(NOTES, encoding="utf-8")
    a = Answerer(TrialIndex.build([d / "notes.md"], d / "index"))
    a.warm()
    return a


def test_markup_in_a_document_is_escaped(make_bot, notes_answerer: Answerer, standin) -> None:
    bot = make_bot(answerer=notes_answerer)
    send_event(bot.url, mention("<@UBOT> which trials measure hepatic flux?", "1700000100.000100"), "EvDoc1")
    (call,) = standin.wait_posts(1)
    sent = call.dump
    for raw in ("<!channel>", "<!here>", "<http://evil"):
        assert raw not in sent
    assert texts(call.params) == [
        "*Q:* which trials measure hepatic flux?",
        "*<https://clinicaltrials.gov/study/NCT09999999|&lt;!here&gt; Hepatic flux notes NCT09999999>*  "
        "`NCT09999999`\n_Summary_\n"
        ">“This trial *measures hepatic flux* in healthy volunteers &lt;!channel&gt; see "
        "&lt;http://evil.example|click here&gt; &amp; more.”",
        "1 trial matches (1 in the corpus)",
    ]
    assert call.params["text"] == (
        "Q: which trials measure hepatic flux?\n"
        "1 trial matches: NCT09999999 (&lt;!here&gt; Hepatic flux notes NCT09999999)"
    )
