"""Block Kit and mrkdwn: exact output, escaping, and Slack's limits."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack.blocks import (
    ACTION_DOWN,
    ACTION_MORE,
    ACTION_SHARE,
    ACTION_UP,
    MAX_BLOCKS,
    MAX_TEXT,
    MAX_VALUE,
    TEXT_LIMIT,
    answer_message,
    more_message,
    parse_value,
    quote,
    trial_text,
)
from bot.slack.mrkdwn import clip, escape, query_text, shown_question, unescape, without_mention
from index.results import Answer, Citation, TrialAnswer

_ENTITY_OK = re.compile(r"&(?!amp;|lt;|gt;)")


def cit(snippet: str, highlights=(), section: str = "Exclusion criteria") -> Citation:
    return Citation(section, "eligibility_exclusion", snippet, "x.txt", None, 0, len(snippet), tuple(highlights))


def trial(nct: str, title: str, *cits: Citation) -> TrialAnswer:
    return TrialAnswer(nct, title, f"https://clinicaltrials.gov/study/{nct}", 1.0, cits)


def section_texts(blocks: list[dict]) -> list[str]:
    out = []
    for b in blocks:
        if b["type"] == "section":
            out.append(b["text"]["text"])
        elif b["type"] == "context":
            out.extend(e["text"] for e in b["elements"])
    return out


def test_escape_and_unescape() -> None:
    assert escape("a & b <!channel> <http://x|y>") == "a &amp; b &lt;!channel&gt; &lt;http://x|y&gt;"
    assert unescape("&lt;b&gt; &amp;lt;") == "<b> &lt;"
    assert unescape(escape("&lt; & <>")) == "&lt; & <>"


def test_clip_never_cuts_an_entity() -> None:
    assert clip("a<b", 10) == "a&lt;b"
    assert clip("abcdef", 4) == "abc…"
    assert clip("a<<<<", 6) == "a&lt;…"
    assert clip("a<<<<", 5) == "a…"  # "a&lt;" and the ellipsis would be 6: it stops before the entity
    assert clip("<<", 5) == "&lt;…"


def test_questions_out_of_slack_markup() -> None:
    raw = "<@UBOT> <!channel> which trials exclude HIV? <http://evil|click> &amp; <#C1|general>"
    assert (
        without_mention(raw, "UBOT") == "<!channel> which trials exclude HIV? <http://evil|click> &amp; <#C1|general>"
    )
    assert query_text(without_mention(raw, "UBOT")) == "which trials exclude HIV? click & #general"
    assert query_text("see <https://clinicaltrials.gov/study/NCT01724697>") == (
        "see https://clinicaltrials.gov/study/NCT01724697"
    )
    assert shown_question("<!here> a &lt; b") == "&lt;!here&gt; a &lt; b"
    assert without_mention("<@UBOT|trialqa>  hi  <@UOTHER>", "UBOT") == "hi <@UOTHER>"


def test_quote_bolds_merged_highlights_and_escapes() -> None:
    c = cit("HIV & HBV via hepatic artery <x>", [(0, 3), (14, 21), (22, 28)])
    assert quote(c, 200) == "“*HIV* &amp; HBV via *hepatic artery* &lt;x&gt;”"


def test_quote_cuts_with_an_ellipsis_within_its_limit() -> None:
    c = cit("&" * 100 + " hepatic", [(101, 108)])
    q = quote(c, 40)
    assert q == "“" + "&amp;" * 7 + "…”"
    assert len(q) <= 40


def test_answer_message_exact() -> None:
    a = Answer(
        question="which trials exclude HIV?",
        trials=(trial("NCT03209986", "A <b> trial", cit("Coinfection with HIV.", [(17, 20)])),),
        no_answer=False,
        more=(trial("NCT00713934", "Other", cit("HIV, HBV")),),
    )
    m = answer_message(a, "which trials exclude HIV?", corpus_size=5, share=True)
    assert m.text == "Q: which trials exclude HIV?\n1 trial matches: NCT03209986 (A &lt;b&gt; trial)"
    assert section_texts(m.blocks) == [
        "*Q:* which trials exclude HIV?",
        "*<https://clinicaltrials.gov/study/NCT03209986|A &lt;b&gt; trial>*  `NCT03209986`\n"
        "_Exclusion criteria_\n>“Coinfection with *HIV*.”",
        "1 trial matches (5 in the corpus)",
    ]
    actions = m.blocks[-1]["elements"]
    assert [b["action_id"] for b in actions] == [ACTION_UP, ACTION_DOWN, ACTION_MORE, ACTION_SHARE]
    assert [b["text"]["text"] for b in actions] == ["👍 Helpful", "👎 Not helpful", "More", "Share in channel"]
    assert [parse_value(b["value"]) for b in actions] == [
        {"q": "which trials exclude HIV?", "t": ["NCT03209986"]},
        {"q": "which trials exclude HIV?", "t": ["NCT03209986"]},
        {"q": "which trials exclude HIV?", "from": 1},
        {"q": "which trials exclude HIV?"},
    ]


def test_no_answer_message_with_the_reason() -> None:
    a = Answer(question="", trials=(), no_answer=True, message="NCT12345678 is not in this index (5 trials).")
    m = answer_message(a, "tell me about NCT12345678 <!here>", corpus_size=5)
    assert section_texts(m.blocks) == [
        "*Q:* tell me about NCT12345678 &lt;!here&gt;",
        "No trial in the corpus supports this.\nNCT12345678 is not in this index (5 trials).",
        "No trial matches (5 in the corpus)",
    ]
    assert m.text == "Q: tell me about NCT12345678 &lt;!here&gt;\nNo trial in the corpus supports this."
    assert [b["action_id"] for b in m.blocks[-1]["elements"]] == [ACTION_UP, ACTION_DOWN]


def test_large_answers_stay_inside_slacks_limits_and_offer_more() -> None:
    long = "<&> " * 700  # 2,800 characters that escape to 12,600
    trials = tuple(
        trial(f"NCT{i:08d}", "T" * 400 + "&", *(cit(long, [(0, 3)], section="S" * 300) for _ in range(3)))
        for i in range(12)
    )
    a = Answer(question="q", trials=trials, no_answer=False, more=trials[:3])
    m = answer_message(a, "q" * 5000, corpus_size=40)
    assert len(m.blocks) <= MAX_BLOCKS
    texts = section_texts(m.blocks)
    assert all(len(t) <= TEXT_LIMIT for t in texts) and len(m.text) <= TEXT_LIMIT
    assert not any(_ENTITY_OK.search(t) for t in texts)
    assert re.findall(r"`(NCT\d{8})`", " ".join(texts)) == [f"NCT{i:08d}" for i in range(5)]
    assert texts[-1] == "12 trials match (40 in the corpus) · showing 5; More lists the rest"
    assert texts[0].endswith("q…") and texts[1].count("…") >= 4  # question, title, headings and snippets cut
    values = [b["value"] for b in m.blocks[-1]["elements"]]
    assert all(len(v) <= MAX_VALUE for v in values)
    assert parse_value(values[2])["from"] == 5
    assert parse_value(values[0])["q"] == "q" * len(parse_value(values[0])["q"][:-1]) + "…"

    page = more_message(a, "q", 5, corpus_size=40)
    assert re.findall(r"`(NCT\d{8})`", json.dumps(page.blocks)) == [f"NCT{i:08d}" for i in range(5, 10)]
    assert section_texts(page.blocks)[-1] == "Trials 6–10 of 15"
    assert parse_value(page.blocks[-1]["elements"][0]["value"]) == {"q": "q", "from": 10}
    last = more_message(a, "q", 10, corpus_size=40)
    assert section_texts(last.blocks)[-1] == "Trials 11–15 of 15"
    assert "_Weaker candidates" in section_texts(last.blocks)[3]
    assert last.blocks[-1]["type"] == "context"  # no More after the last page
    assert more_message(a, "q", 15, corpus_size=40).text == "Nothing more to show for: q"


@settings(max_examples=200, deadline=None)
@given(
    snippet=st.text(alphabet=st.sampled_from("ab <>&|!@\n*é"), max_size=400),
    spans=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=6),
    limit=st.integers(10, 400),
)
def test_quote_is_escaped_and_bounded(snippet: str, spans: list[tuple[int, int]], limit: int) -> None:
    q = quote(cit(snippet, [(min(a, b), max(a, b)) for a, b in spans]), limit)
    assert len(q) <= limit
    assert "<" not in q and ">" not in q and "\n" not in q
    assert not _ENTITY_OK.search(q)
    if not q.endswith("…”"):
        shown = unescape(q[1:-1]).replace("*", "")
        assert shown == snippet.replace("\n", " ").replace("*", "")


@settings(max_examples=50, deadline=None)
@given(title=st.text(max_size=600), heading=st.text(max_size=300), snippet=st.text(max_size=3000))
def test_trial_text_is_bounded(title: str, heading: str, snippet: str) -> None:
    t = trial("NCT01724697", title, *(cit(snippet, section=heading) for _ in range(3)))
    text = trial_text(t)
    assert len(text) <= TEXT_LIMIT <= MAX_TEXT
    assert text.startswith("*<https://clinicaltrials.gov/study/NCT01724697|")
    assert not _ENTITY_OK.search(text)
