"""`trialqa fetch` as users meet it: a real process against an API v2 stand-in on 127.0.0.1,
then `trialqa index` and `trialqa ask` over what it saved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.corpus.readers.locate import resolve_json_pointer
from tests.conftest import REPO
from tests.ctgov_server import FakeCtgov, Fault, shared_studies, synthetic_studies

TRIALQA = [sys.executable, "-m", "bot.cli"]


def run(args: list[str], api: FakeCtgov | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    e = dict(os.environ, NO_COLOR="1", CTGOV_MIN_INTERVAL="0", **env)
    if api is not None:
        e["CTGOV_API_URL"] = api.base_url
    return subprocess.run(TRIALQA + args, capture_output=True, text=True, env=e, cwd=REPO, timeout=600)


@pytest.fixture
def api():
    with FakeCtgov(synthetic_studies(), page_limit=2) as server:
        yield server


CASES = {
    # corpus: fetch flags, question, the trial that answers, the cited section, last update
    "synthetic": (
        ["--condition", "liver cirrhosis"],
        "which trials infuse cells through the hepatic artery?",
        "NCT09000001",
        "Brief Title",  # "... Marrow Cells Through the Hepatic Artery in Liver Cirrhosis" states it first
        "2024-01-05",
    ),
    "shared": (
        ["--status", "completed", "unknown", "withdrawn", "not yet recruiting"],
        "which trials study dupilumab in atopic dermatitis?",
        "NCT02210780",
        "Brief Title",
        "2020-05-07",
    ),
}


@pytest.mark.parametrize("corpus", ["synthetic", pytest.param("shared", marks=pytest.mark.slow)])
def test_fetch_index_ask_end_to_end(corpus: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    if corpus == "shared":
        studies = shared_studies(request.getfixturevalue("shared_data") / "ctgov-v2")
    else:
        studies = synthetic_studies()
    flags, question, nct, section, updated = CASES[corpus]
    out, ix = tmp_path / "studies", tmp_path / "ix"
    with FakeCtgov(studies, page_limit=3) as api:
        r = run(["fetch", *flags, "--out", str(out)], api)
    assert r.returncode == 0, r.stderr
    n = len(studies)
    assert r.stdout.splitlines() == [
        f"Saved {n} new studies to {out} (0 already there; {n} match the query).",
        f"Next: trialqa index {out}",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".fetch-state.json", *(s["protocolSection"]["identificationModule"]["nctId"] + ".json" for s in studies)]
    )
    r = run(["index", str(out), "--index", str(ix)])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Indexed {n} trials (")
    r = run(["ask", "--json", "--index", str(ix), question])
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert list(d) == ["question", "no_answer", "trials"]  # the public shape is unchanged
    (t,) = d["trials"]
    assert list(t) == ["nct_id", "title", "url", "score", "citations"]
    assert t["nct_id"] == nct
    c = t["citations"][0]
    assert list(c) == ["section", "snippet", "source", "field", "start", "end"]
    assert (c["section"], c["source"]) == (section, str(out / f"{nct}.json"))
    doc = json.loads((out / f"{nct}.json").read_text("utf-8"))
    assert resolve_json_pointer(doc, c["field"])[c["start"] : c["end"]] == c["snippet"]
    text = run(["ask", "--index", str(ix), question])
    lines = text.stdout.splitlines()
    url = lines.index(f"   https://clinicaltrials.gov/study/{nct}")
    assert lines[url + 1] == f"   Last updated: {updated}"


def test_update_prints_the_report(api: FakeCtgov, tmp_path: Path) -> None:
    r = run(
        ["fetch", "--status", "recruiting,not yet recruiting", "--status", "Completed", "--out", str(tmp_path)], api
    )
    assert r.returncode == 0, r.stderr
    assert api.requests[0].params["filter.overallStatus"] == "RECRUITING,NOT_YET_RECRUITING,COMPLETED"
    api.bump("NCT09000003", "2025-01-10")
    r = run(["fetch", "--update", str(tmp_path), "--json"], api)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {
        "directory": str(tmp_path),
        "total": None,
        "added": 0,
        "changed": 1,
        "unchanged": 2,
        "withdrawn": 0,
        "skipped": 0,
        "invalid": 0,
        "requests": 5,  # two pages of dates, one refetch, two pages of matching IDs
        "ids": {"added": [], "changed": ["NCT09000003"], "withdrawn": []},
        "warnings": [],
    }
    r = run(["fetch", "--update", str(tmp_path)], api)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [f"Updated {tmp_path}: added 0, changed 0, unchanged 3, withdrawn 0."]
    api.bump("NCT09000001", "2025-01-11")
    r = run(["fetch", "--update", str(tmp_path)], api)
    assert r.stdout.splitlines() == [
        f"Updated {tmp_path}: added 0, changed 1, unchanged 2, withdrawn 0.",
        "  changed: NCT09000001",
        f"Next: trialqa index {tmp_path}",
    ]


def test_api_error_exits_4_with_the_api_message(api: FakeCtgov, tmp_path: Path) -> None:
    api.fault = lambda req: Fault(400, b"query.term: unbalanced parentheses", {"Content-Type": "text/plain"})
    r = run(["fetch", "--query", "(liver", "--out", str(tmp_path)], api)
    assert r.returncode == 4
    assert r.stderr == (
        f"trialqa: GET {api.base_url}/studies?query.term=%28liver&format=json&pageSize=1000&countTotal=true: "
        "HTTP 400 Bad Request: query.term: unbalanced parentheses\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--status", "recruting", "--out", "x"], {}, "trialqa fetch: unknown status 'recruting'; use one of: "),
        (["--out", "x"], {}, "trialqa fetch: say what to fetch with --query, --condition, --intervention or --status"),
        (["--query", "liver", "--max", "0", "--out", "x"], {}, "trialqa fetch: --max must be at least 1, got 0"),
        (["--update", "no-such-dir"], {}, "trialqa fetch: --update no-such-dir: no such directory"),
        (["--query", "liver"], {}, "error: one of the arguments --out --update is required"),
        (["--query", "liver", "--out", "x"], {"CTGOV_MIN_INTERVAL": "fast"}, "trialqa: CTGOV_MIN_INTERVAL must be a "),
        (["--query", "liver", "--out", "x"], {"CTGOV_API_URL": "clinicaltrials.gov"}, "trialqa: CTGOV_API_URL must be"),
    ],
    ids=["bad-status", "no-query", "max-0", "no-dir", "no-out", "bad-interval", "bad-url"],
)
def test_usage_errors_exit_2(args: list[str], env: dict[str, str], message: str, tmp_path: Path) -> None:
    r = subprocess.run(
        [*TRIALQA, "fetch", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CTGOV_API_URL": "http://127.0.0.1:9/api/v2", **env},
        cwd=tmp_path,
        timeout=120,
    )
    assert r.returncode == 2
    assert message in r.stderr
    assert list(tmp_path.iterdir()) == []  # nothing fetched, nothing created


def test_fetch_help_shows_an_example() -> None:
    r = run(["fetch", "--help"])
    assert r.returncode == 0
    assert "Example:\n  trialqa fetch --condition" in r.stdout and "--update DIR" in r.stdout
