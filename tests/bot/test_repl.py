"""`trialqa chat` as users meet it: keys into a real pseudo-terminal, the screen out; and piped stdin."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console

from bot.render import trial_text
from bot.repl_render import answer_view
from index.results import Answer, Citation, TrialAnswer
from tests.conftest import REPO
from tests.helpers.terminal import HEPATIC_ANSWER, PROMPT_OFF, TIMEOUT, Terminal, closing

CHAT = [sys.executable, "-m", "bot.cli", "chat", "--index"]
# `trialqa chat` over an index whose answers take 60 s, to cancel one in progress
SLOW_CHAT = """
import sys, time
from bot.repl import run
from index.trial_index import TrialIndex

class SlowIndex(TrialIndex):
    def ask(self, question, k=10):
        time.sleep(60)
        return super().ask(question, k)

sys.exit(run(lambda: SlowIndex.load(sys.argv[1])))
"""
BANNER = "trialqa chat — 5 trials indexed. Ask a question, or :help. Ctrl-D to quit."
COMMANDS = "Commands: :help, :show NCT..., :sources, :more, :json, :k N, :new, :quit."
HIV_ANSWER = [
    "1. NCT03209986  Trial of Mesenchymal Stem Cell Transplantation in Decompensated Liver Cirrhosis",
    "   [Exclusion criteria] “Coinfection with HIV or other viral hepatitis.”",
    "",
    "2. NCT00713934  Autologous Bone Marrow Stem Cells in Cirrhosis Patients",
    "   [Exclusion criteria] “HIV, HBV or HCV infection”",
    "",
]


@pytest.fixture
def spawn(seed_index_dir: Path) -> Iterator[Callable[..., Terminal]]:
    """Start `trialqa chat` on the seed index in a terminal (killed at the end if still running)."""
    started: list[Terminal] = []

    def start(history: Path, argv: list[str] | None = None, **env: str) -> Terminal:
        started.append(Terminal(argv or [*CHAT, str(seed_index_dir)], history, **env))
        return started[-1]

    yield start
    for term in started:
        if term.child.isalive():
            term.child.terminate(force=True)


@pytest.fixture
def terminal(spawn: Callable[..., Terminal], tmp_path: Path) -> Terminal:
    return spawn(tmp_path / "state" / "history")


def test_a_session_on_a_terminal(terminal: Terminal, tmp_path: Path) -> None:
    assert terminal.start[-2:] == [BANNER, ""]

    lines = terminal.enter("which trials use the hepatic artery?")
    assert lines[:-1] == HEPATIC_ANSWER
    assert closing(lines) == "1 trial matched in N ms. :more shows 4 further."
    # the title is a terminal hyperlink to the trial; matched words are bold yellow
    assert "\x1b]8;id=" in terminal.raw
    assert ";https://clinicaltrials.gov/study/NCT01724697\x1b\\\x1b[1mSafety and Efficacy" in terminal.raw
    assert "via \x1b[1;33mhepatic\x1b[0m \x1b[1;33martery\x1b[0m to evaluate" in terminal.raw

    lines = terminal.enter(":show NCT01724697")
    assert lines[:3] == [
        "NCT ID:        NCT01724697",
        "Title:         Safety and Efficacy of Human Bone Marrow Stem Cells for Treatment of HBV-related Liver "
        "Cirrhosis",
        "Sponsor:       Air Force Military Medical University of People's Liberation Army",
    ]
    assert "Sections (19):" in lines

    lines = terminal.enter(":more")
    assert lines[0] == "Further trials for “which trials use the hepatic artery?” (below the listing line):"
    assert [line.split("  ")[0] for line in lines if re.match(r"\d\. ", line)] == [
        "2. NCT00713934",
        "3. NCT05106972",
        "4. NCT03209986",
        "5. NCT01218464",
    ]  # none supports the hepatic artery (a sentence about the liver names no route): retrieval order
    assert terminal.enter(":more") == ["No more trials for “which trials use the hepatic artery?”."]
    assert terminal.enter(":bogus") == [f"Unknown command :bogus. {COMMANDS}"]

    assert terminal.keys("which trials half-typed\x03") == []  # Ctrl-C drops the line: no answer, a new prompt

    assert terminal.exit_code(":quit\r") == 0
    history = (tmp_path / "state" / "history").read_text(encoding="utf-8")
    entries = [line[1:] for line in history.splitlines() if line.startswith("+")]
    # the cancelled line is not kept; a repeated line is kept once
    assert entries == ["which trials use the hepatic artery?", ":show NCT01724697", ":more", ":bogus", ":quit"]


def test_history_is_kept_across_sessions_and_ctrl_r_searches_it(spawn: Callable[..., Terminal], tmp_path: Path) -> None:
    history = tmp_path / "history"
    first = spawn(history)
    assert first.enter("which trials exclude HIV?")[:-1] == HIV_ANSWER
    assert first.exit_code("\x04") == 0  # Ctrl-D

    second = spawn(history)
    second.child.send("\x12exclude\r")  # Ctrl-R, a word, Enter: the line found is put at the prompt
    lines = second.enter("")  # and Enter sends it
    assert lines[:-1] == HIV_ANSWER
    assert closing(lines) == "2 trials matched in N ms. :more shows 3 further."
    assert second.exit_code("\x04") == 0


def test_bad_input_gets_a_helpful_line_on_a_terminal(terminal: Terminal) -> None:
    assert terminal.enter("") == ['Ask a question about the trials, e.g. "which trials use the hepatic artery?"']
    # a 6,000-character bracketed paste, as terminals send one; the trailing space is not counted
    paste = "\x1b[200~" + "liver " * 1000 + "\x1b[201~"
    assert terminal.enter(paste) == [
        'That question is 5,999 characters long; ask in under 2,000 characters, e.g. "which trials exclude HIV?"'
    ]
    assert terminal.enter("?!?") == [
        'That question has no words to search for; name what you are looking for, e.g. "which trials exclude HIV?"'
    ]
    assert terminal.enter(":k 0") == [":k takes a whole number from 1 to 100, e.g. :k 5."]
    assert terminal.enter(":k many") == [":k takes a whole number from 1 to 100, e.g. :k 5."]
    assert terminal.enter(":k 1") == ["k is now 1: answers list at most 1 trial."]
    assert terminal.enter(":show NCT99999999 liver") == [
        "NCT99999999 is not in this index (5 trials); :sources lists them.",
        "liver is not an NCT ID (e.g. NCT01724697).",
    ]
    assert terminal.enter(":json") == ["JSON output on."]
    answer = json.loads("\n".join(terminal.enter("which trials exclude HIV?")))
    assert (answer["no_answer"], [t["nct_id"] for t in answer["trials"]]) == (False, ["NCT03209986"])
    assert terminal.enter(":json") == ["JSON output off."]
    assert terminal.exit_code("\x04") == 0


def test_ctrl_c_cancels_an_answer_in_progress(
    spawn: Callable[..., Terminal], seed_index_dir: Path, tmp_path: Path
) -> None:
    # started with SIGINT ignored, as a shell's background job is (and inherited across exec):
    # the REPL still takes Ctrl-C
    ignoring = "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    term = spawn(
        tmp_path / "history",
        [
            sys.executable,
            "-c",
            SLOW_CHAT.replace("import sys, time", ignoring + "import sys, time"),
            str(seed_index_dir),
        ],
    )
    term.child.send("which trials exclude HIV?\r")
    term.child.expect_exact(PROMPT_OFF)  # the line is accepted: the answer is under way
    started = time.monotonic()
    assert term.keys("\x03") == ["^CCancelled."]  # the terminal echoes ^C
    assert time.monotonic() - started < 30
    assert term.enter(":k 2") == ["k is now 2: answers list at most 2 trials."]  # and the REPL goes on
    assert term.exit_code(":quit\r") == 0


def test_no_color_is_honoured_on_a_terminal(spawn: Callable[..., Terminal], tmp_path: Path) -> None:
    term = spawn(tmp_path / "history", NO_COLOR="1")
    assert term.enter("which trials use the hepatic artery?")[:-1] == HEPATIC_ANSWER
    colours = [
        m.group(0)
        for m in re.finditer(r"\x1b\[([0-9;]*)m", term.raw)
        if any(p.isdigit() and (30 <= int(p) <= 49 or 90 <= int(p) <= 107) for p in m.group(1).split(";"))
    ]
    assert colours == []
    assert "via \x1b[1mhepatic\x1b[0m \x1b[1martery\x1b[0m to evaluate" in term.raw  # still marked, in bold
    assert term.exit_code("\x04") == 0


def test_piped_stdin_gives_plain_text(seed_index_dir: Path, seed_index, tmp_path: Path) -> None:
    questions = [
        "which trials exclude HIV?",
        "",
        ":k 1",
        ":k 101",
        ":sources",
        ":bogus",
        ":help",
        "x" * 100_000,
        "\x1b[31mHIV\x07 [bold]exclusion[/bold] \x1b[2J",
        "!!! ???",
        ":more",
        ":show NCT01724697",
        ":json",
        "which trials exclude HIV?",
        ":quit",
        "which trials use the hepatic artery?",
    ]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    r = subprocess.run(
        [*CHAT, str(seed_index_dir)],
        input="\n".join(questions) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=dict(env, TRIALQA_HISTORY=str(tmp_path / "history")),
        timeout=TIMEOUT * 2,
    )
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout
    assert r.stderr.splitlines() == ["Loading index…", BANNER]
    assert not (tmp_path / "history").exists()  # only a terminal session keeps history
    trials = seed_index.trials
    out = r.stdout.split("\n")
    json_line = out.pop(-2)
    assert out == [
        "Q: which trials exclude HIV?",
        "2 trials match:",
        "",
        "1. NCT03209986  Trial of Mesenchymal Stem Cell Transplantation in Decompensated Liver Cirrhosis",
        "   [Exclusion criteria] “Coinfection with HIV or other viral hepatitis.”",
        "   https://clinicaltrials.gov/study/NCT03209986",
        "",
        "2. NCT00713934  Autologous Bone Marrow Stem Cells in Cirrhosis Patients",
        "   [Exclusion criteria] “HIV, HBV or HCV infection”",
        "   https://clinicaltrials.gov/study/NCT00713934",
        "",
        "Q: ",
        'Ask a question about the trials, e.g. "which trials use the hepatic artery?"',
        "",
        "k is now 1: answers list at most 1 trial.",
        ":k takes a whole number from 1 to 100, e.g. :k 5.",
        *[f"{t.nct_id}  {t.title}  {t.source}" for t in trials.values()],
        f"Unknown command :bogus. {COMMANDS}",
        "Ask a question in plain words, e.g. “which trials exclude HIV?”. Commands:",
        "  :help         this list",
        "  :show NCT...  a trial's card: key fields and sections",
        "  :sources      the indexed trials: NCT ID, title, source file",
        "  :more         further trials and snippets for the last question",
        "  :json         switch raw JSON answers on or off",
        "  :k N          list at most N trials per answer (1 to 100)",
        "  :new          a new conversation: the next question does not follow on (also :reset)",
        "  :quit         leave (or Ctrl-D)",
        "A question may follow on from the answer before (“which of them are recruiting?”, “what dose does it give?”);"
        " one that names its own subject (“which trials …”) starts afresh.",
        "Ctrl-R searches earlier questions; Ctrl-C cancels the line or the answer in progress.",
        "Q: " + "x" * 199 + "…",
        'That question is 100,000 characters long; ask in under 2,000 characters, e.g. "which trials exclude HIV?"',
        "",
        "Q: [31mHIV [bold]exclusion[/bold] [2J",
        "No trial in the corpus supports this.",
        "",
        "Q: !!! ???",
        'That question has no words to search for; name what you are looking for, e.g. "which trials exclude HIV?"',
        "",
        "No more trials for “!!! ???”.",
        *trial_text(trials["NCT01724697"]).split("\n"),
        "JSON output on.",
        "",
    ]
    answer = json.loads(json_line)
    assert (answer["question"], answer["no_answer"]) == ("which trials exclude HIV?", False)
    assert [t["nct_id"] for t in answer["trials"]] == ["NCT03209986"]  # k is 1


def test_views_take_record_text_literally() -> None:
    """Rich markup and control characters in a record are shown as text, never obeyed."""
    cite = Citation(
        section="Exclusion\x07criteria",
        name="eligibility_exclusion",
        snippet="HIV [red]or[/red]\x1b[2J HBV",
        source="f.txt",
        field=None,
        start=0,
        end=25,
        highlights=((0, 3), (22, 25)),
    )
    trial = TrialAnswer("NCT00000001", "A [bold]title[/bold]\x1b]0;pwned\x07", "https://example.org/t", 1.0, (cite,))
    answer = Answer(question="q", trials=(trial,), no_answer=False, elapsed_ms=12.4)
    plain, styled = io.StringIO(), io.StringIO()
    Console(file=plain, width=100, color_system=None).print(answer_view(answer))
    assert [line.rstrip() for line in plain.getvalue().split("\n")] == [
        "1. NCT00000001  A [bold]title[/bold] ]0;pwned",
        "   [Exclusion criteria] “HIV [red]or[/red] [2J HBV”",
        "",
        "1 trial matched in 12 ms.",
        "",
    ]
    Console(file=styled, width=100, force_terminal=True, color_system="standard").print(answer_view(answer))
    assert "“\x1b[1;33mHIV\x1b[0m [red]or[/red] [2J \x1b[1;33mHBV\x1b[0m”" in styled.getvalue()


# --- conversations ------------------------------------------------------------------------

DEV_CONVERSATIONS = REPO.parent / "shared" / "eval" / "dev_conversations.jsonl"


def chat_json(index_dir: Path, lines: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`printf 'LINES' | trialqa chat --json`."""
    return subprocess.run(
        [*CHAT, str(index_dir), "--json"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=dict(os.environ, TRIALQA_HISTORY=str(tmp_path / "history")),
        timeout=TIMEOUT * 2,
    )


def test_chat_json_scripts_a_conversation(seed_index_dir: Path, tmp_path: Path) -> None:
    r = chat_json(
        seed_index_dir,
        [
            "Which trials exclude hepatocellular carcinoma?",
            "which of them are double-blind?",
            ":k 100",
            ":new",
            "how many patients will it enrol?",
        ],
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    answers = [json.loads(line) for line in r.stdout.splitlines()]  # one object a line, nothing else
    assert len(answers) == 3
    hcc = ["NCT01724697", "NCT01218464", "NCT03209986", "NCT00713934", "NCT05106972"]  # Haikou: "liver malignant tumor"
    assert [t["nct_id"] for t in answers[0]["trials"]] == hcc
    assert [t["nct_id"] for t in answers[1]["trials"]] == ["NCT01218464"]
    assert answers[1]["context"] == {
        "scope": "previous",
        "trials": hcc,
        "reason": "“which of them” refers to the 5 trials of the previous answer",
        "asked": "which trials are double-blind?",
    }
    assert answers[2]["context"]["scope"] == "all"  # :new: "it" has nothing to refer to
    assert r.stderr.splitlines()[-2:] == [
        "k is now 100: answers list at most 100 trials.",
        "New conversation: the next question does not follow on from earlier answers.",
    ]


def test_a_follow_up_on_a_terminal(terminal: Terminal) -> None:
    assert terminal.enter("which trials exclude HIV?")[:-1] == HIV_ANSWER
    lines = terminal.enter("which of them are randomized?")
    assert lines[:2] == [
        "Understood: among the 2 trials of the previous answer.",
        "Understood: allocation: Randomized.",
    ]
    assert closing(lines) == "2 trials matched in N ms."
    lines = terminal.enter("how many patients does the Royan one enrol?")
    assert lines[:2] == ["Understood: about NCT00713934.", "Enrollment: 7."]
    assert terminal.enter(":reset") == ["New conversation: the next question does not follow on from earlier answers."]
    assert terminal.exit_code("\x04") == 0


def test_dev_conversations_through_chat_json(seed_index_dir: Path, tmp_path: Path) -> None:
    """../shared/eval/dev_conversations.jsonl, one `trialqa chat --json` for all (`:new` between
    conversations), each turn graded like a dev question."""
    from index.evaluation.conversations import grade_turn, load_conversations

    if not DEV_CONVERSATIONS.is_file():
        pytest.skip(f"../shared not present: {DEV_CONVERSATIONS} is missing")
    conversations = [c for c in load_conversations(DEV_CONVERSATIONS) if c.get("corpus", "seeds") == "seeds"]
    lines = [line for c in conversations for line in [":new", *(t["q"] for t in c["turns"])]]
    r = chat_json(seed_index_dir, lines, tmp_path)
    assert r.returncode == 0, r.stderr
    answers = iter(json.loads(line) for line in r.stdout.splitlines())
    failed = [
        f"{c['id']} turn {j}: {detail}"
        for c in conversations
        for j, t in enumerate(c["turns"], 1)
        for ok, detail in [grade_turn(t, next(answers))]
        if not ok
    ]
    assert next(answers, None) is None
    assert failed == []
