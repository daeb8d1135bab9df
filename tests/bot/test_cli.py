"""The CLI as users and scripts meet it: a real `trialqa` process, exact JSON shapes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO

TRIALQA = [sys.executable, "-m", "bot.cli"]


def run(
    args: list[str], stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    e = dict(os.environ, NO_COLOR="1", **(env or {}))
    return subprocess.run(TRIALQA + args, input=stdin, capture_output=True, text=True, env=e, cwd=cwd, timeout=600)


def test_corpus_json_shape_for_the_seeds() -> None:
    r = run(["corpus", "corpus", "--json"])
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["errors"] == []
    assert [t["nct_id"] for t in d["trials"]] == [
        "NCT01724697",
        "NCT03209986",
        "NCT00713934",
        "NCT05106972",
        "NCT01218464",
    ]
    t = d["trials"][0]
    for key in (
        "nct_id",
        "title",
        "sponsor",
        "status",
        "enrollment",
        "min_age_years",
        "max_age_years",
        "masking",
        "allocation",
        "source",
        "format",
        "sections",
    ):
        assert key in t
    assert (
        t["status"],
        t["enrollment"],
        t["min_age_years"],
        t["max_age_years"],
        t["masking"],
        t["allocation"],
        t["format"],
        t["source"],
    ) == ("Unknown", 240, 18.0, 65.0, "None (Open Label)", "Randomized", "veeva", "corpus/000_178c2bec843b439b.txt")
    sec = t["sections"][0]
    assert sec == {"name": "title", "heading": "Title", "field": None, "start": 28, "end": 124}
    text = (CORPUS / "000_178c2bec843b439b.txt").read_text("utf-8")
    assert text[28:124] == t["title"]


def test_corpus_reports_bad_files_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_text("<clinical_study><id_info>", "utf-8")
    r = run(["corpus", str(CORPUS), str(tmp_path), "--json"])
    assert r.returncode == 1
    d = json.loads(r.stdout)
    assert len(d["trials"]) == 5
    assert [e["source"] for e in d["errors"]] == [str(tmp_path / "bad.xml")]
    assert "XML" in d["errors"][0]["reason"]
    table = run(["corpus", str(tmp_path)])
    assert table.returncode == 1
    assert "bad.xml" in table.stdout and "Totals: 1 files, 0 trials" in table.stdout


def test_show_prints_fields_and_sections() -> None:
    r = run(["show", "NCT03209986", "corpus"])
    assert r.returncode == 0, r.stderr
    assert "Sponsor:       Xijing Hospital of Digestive Diseases" in r.stdout
    assert "[eligibility_exclusion] Exclusion criteria" in r.stdout
    missing = run(["show", "NCT99999999", "corpus"])
    assert missing.returncode == 1 and "NCT99999999 is not in the corpus" in missing.stderr


@pytest.fixture(scope="module")
def cli_env(seed_index_dir: Path) -> dict[str, str]:
    return {"TRIALQA_INDEX": str(seed_index_dir)}


def test_ask_json_contract(cli_env: dict[str, str]) -> None:
    r = run(["ask", "--json", "which trials use the hepatic artery?"], env=cli_env)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert list(d) == ["question", "no_answer", "trials"]
    assert d["question"] == "which trials use the hepatic artery?" and d["no_answer"] is False
    (t,) = d["trials"]
    assert t["nct_id"] == "NCT01724697"
    assert t["url"] == "https://clinicaltrials.gov/study/NCT01724697"
    c = t["citations"][0]
    assert c["source"] == "corpus/000_178c2bec843b439b.txt" and c["field"] is None
    text = (REPO / c["source"]).read_text("utf-8")
    assert text[c["start"] : c["end"]] == c["snippet"]
    assert "via hepatic artery" in c["snippet"]


def test_ask_reads_questions_from_stdin_as_json_lines(cli_env: dict[str, str]) -> None:
    r = run(
        ["ask", "--json", "-"],
        stdin="which trials exclude HIV?\n\nWhich trials evaluate a COVID-19 vaccine?\n",
        env=cli_env,
    )
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["no_answer"] for x in lines] == [False, True, True]
    assert sorted(t["nct_id"] for t in lines[0]["trials"]) == ["NCT00713934", "NCT03209986"]
    assert lines[1]["question"] == "" and "Ask a question" in lines[1]["message"]


def test_ask_plain_text(cli_env: dict[str, str]) -> None:
    r = run(["ask", "which trials use the hepatic artery?"], env=cli_env)
    assert r.returncode == 0
    assert r.stdout.splitlines()[:4] == [
        "Q: which trials use the hepatic artery?",
        "1 trial matches:",
        "",
        "1. NCT01724697  Safety and Efficacy of Human Bone Marrow Stem Cells for Treatment of HBV-related Liver "
        "Cirrhosis",
    ]
    assert "\x1b[" not in r.stdout
    assert "https://clinicaltrials.gov/study/NCT01724697" in r.stdout


def test_ask_without_index_does_not_import_torch(cli_env: dict[str, str]) -> None:
    code = (
        "import sys; from bot.cli import main; rc = main(['ask', '--json', 'hepatic artery']);"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules, 'torch imported';"
        "assert 'ray' not in sys.modules, 'ray imported'"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=dict(os.environ, **cli_env),
        timeout=120,
    )
    assert r.returncode == 0, r.stderr


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    r = run(["ask", "--index", str(tmp_path / "nope"), "hepatic artery"])
    assert r.returncode == 3
    assert "no index at" in r.stderr and "trialqa index" in r.stderr


def test_eval_dev_questions(cli_env: dict[str, str], dev_questions: Path) -> None:
    r = run(["eval", str(dev_questions)], env=cli_env)
    assert r.returncode == 0, r.stdout
    assert r.stdout.splitlines()[-1] == "16/16 passed (list 11/11, lookup 3/3, none 2/2)"


def test_help_shows_examples() -> None:
    r = run(["ask", "--help"])
    assert r.returncode == 0 and "Example:" in r.stdout and "--json" in r.stdout


def test_index_twice_says_the_second_time_that_nothing_changed(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    env = {"TRIALQA_DATA_DIR": str(tmp_path / "data")}
    first = run(["index", "corpus", "--index", str(ix)], env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"Indexed 5 trials (131 chunks, 525 terms) from 5 files into {ix}; embedded ")
    second = run(["index", "corpus", "--index", str(ix)], env=env)
    assert (second.returncode, second.stdout) == (
        0,
        f"The index at {ix} is up to date: 5 trials (131 chunks, 525 terms) from 5 files; nothing changed.\n",
    )


def test_ask_conversation_file_keeps_the_state_between_calls(cli_env: dict[str, str], tmp_path: Path) -> None:
    state = tmp_path / "conv.json"  # missing: a new conversation
    first = run(["ask", "--json", "--conversation", str(state), "Which trials exclude HIV?"], env=cli_env)
    assert first.returncode == 0, first.stderr
    assert [t["nct_id"] for t in json.loads(first.stdout)["trials"]] == ["NCT03209986", "NCT00713934"]
    saved = json.loads(state.read_text("utf-8"))
    assert (saved["group"], saved["turns"]) == (["NCT03209986", "NCT00713934"], 1)
    second = run(["ask", "--conversation", str(state), "what dose does the Xijing one give?"], env=cli_env)
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[:4] == [
        "Q: what dose does the Xijing one give?",
        "Understood: about NCT03209986.",
        "Dose: 1x10E6 MSCs/kg.",
        "Answer from the best-supported trial:",
    ]
    third = run(["ask", "--json", "--conversation", str(state), "-"], stdin="and the other one?\n", env=cli_env)
    assert third.returncode == 0, third.stderr
    d = json.loads(third.stdout)
    assert d["context"]["scope"] == "trial" and d["context"]["trials"] == ["NCT00713934"]
    assert json.loads(state.read_text("utf-8"))["turns"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conv.json", "conv.json.lock"]  # no temporary files left


def test_ask_conversation_file_that_is_not_one_is_a_usage_error(cli_env: dict[str, str], tmp_path: Path) -> None:
    for text in ("{not json", '{"version": 1, "group": ["x"]}', "[]"):
        state = tmp_path / "conv.json"
        state.write_text(text, "utf-8")
        r = run(["ask", "--conversation", str(state), "which of them are randomized?"], env=cli_env)
        assert r.returncode == 2
        assert r.stderr.startswith(f"trialqa ask: --conversation {state}: not a trialqa conversation (")
        assert r.stderr.rstrip().endswith("delete it to start a new conversation")
        assert state.read_text("utf-8") == text  # left as it was


def test_ask_json_without_a_conversation_has_no_context(cli_env: dict[str, str]) -> None:
    r = run(["ask", "--json", "-"], stdin="which trials exclude HIV?\nwhich of them are randomized?\n", env=cli_env)
    assert r.returncode == 0, r.stderr
    a, b = (json.loads(x) for x in r.stdout.splitlines())
    assert "context" not in a and "context" not in b
    assert len(b["trials"]) == 4  # not narrowed: every randomized trial


def test_eval_dev_conversations(cli_env: dict[str, str], dev_questions: Path) -> None:
    r = run(["eval", str(dev_questions.with_name("dev_conversations.jsonl"))], env=cli_env)
    assert r.returncode == 0, r.stdout
    assert r.stdout.splitlines()[-1] == "8/8 turns passed (turn 1 4/4, turn 2 4/4); 4/4 conversations passed in full"
    assert r.stdout.splitlines()[1].split() == [
        "PASS",
        "dc01",
        "2",
        "none",
        "trial",
        "what",
        "dose",
        "does",
        "it",
        "give?",
    ]
