"""Fetching and updating studies from a ClinicalTrials.gov API v2 stand-in on 127.0.0.1.

Every test runs twice: on three tiny synthetic studies (one per page) and on the ten
complete API v2 records of ../shared/data/ctgov-v2 (three per page; skipped when absent).
"""

from __future__ import annotations

import json
import math
import socket
from collections import Counter
from pathlib import Path

import pytest

from index.corpus.ctgov_api import CtgovClient
from index.corpus.fetch import CHECK_FIELDS, STATE_FILE, FetchReport, StudyQuery, fetch_studies, update
from index.errors import FetchError
from tests.ctgov_server import SHARED_IDS, FakeCtgov, Fault, Req, shared_studies, synthetic_studies, synthetic_study


@pytest.fixture(params=["synthetic", "shared"])
def studies(request: pytest.FixtureRequest) -> list[dict]:
    if request.param == "synthetic":
        return synthetic_studies()
    found = shared_studies(request.getfixturevalue("shared_data") / "ctgov-v2")
    assert [s["protocolSection"]["identificationModule"]["nctId"] for s in found] == SHARED_IDS
    return found


@pytest.fixture
def api(studies: list[dict]):
    with FakeCtgov(studies, page_limit=1 if len(studies) <= 4 else 3) as server:
        yield server


def client(api: FakeCtgov, **kw) -> CtgovClient:
    opts = {"min_interval": 0.0, "max_retries": 2, "backoff": 0.01, "timeout": 5.0} | kw
    return CtgovClient(api.base_url, **opts)


def all_statuses(api: FakeCtgov) -> StudyQuery:
    """A query every study of the server matches."""
    return StudyQuery(
        statuses=tuple(sorted({s["protocolSection"]["statusModule"]["overallStatus"] for s in api.studies.values()}))
    )


def ids(api: FakeCtgov) -> list[str]:
    return sorted(api.studies)


def pages(api: FakeCtgov) -> int:
    return math.ceil(len(api.studies) / api.page_limit)


def paged(api: FakeCtgov, params: dict[str, str]) -> list[dict[str, str]]:
    """The requests for every page of a listing of all the server's studies."""
    return [params | ({"pageToken": api.token(i * api.page_limit)} if i else {}) for i in range(pages(api))]


def saved(d: Path) -> list[str]:
    return sorted(p.stem for p in d.glob("NCT*.json"))


def hidden_temp_files(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.startswith(".") and p.name != STATE_FILE)


def state(d: Path) -> dict:
    return json.loads((d / STATE_FILE).read_text("utf-8"))


def test_fetch_follows_next_page_token_and_saves_each_study_as_returned(api: FakeCtgov, tmp_path: Path) -> None:
    out = tmp_path / "studies"
    q = all_statuses(api)
    report = fetch_studies(client(api), q, out)
    n = len(api.studies)
    assert report == FetchReport(directory=str(out), total=n, added=tuple(ids(api)), requests=pages(api))
    assert saved(out) == ids(api)
    for nct, study in api.studies.items():
        text = (out / f"{nct}.json").read_text("utf-8")
        assert text == json.dumps(study, ensure_ascii=False, indent=2) + "\n"
        assert json.loads(text) == study
    # fewer studies per page than asked: the token is followed until it is absent
    assert [r.params for r in api.requests] == [
        {
            "filter.overallStatus": ",".join(q.statuses),
            "format": "json",
            "pageSize": "1000",
            **({"pageToken": api.token(i * api.page_limit)} if i else {"countTotal": "true"}),
        }
        for i in range(pages(api))
    ]
    assert {r.user_agent for r in api.requests} == {"trialqa/0.1"}
    assert state(out) == {"query": q.to_dict(), "next_page_token": None, "seen": n, "total": n, "complete": True}
    assert hidden_temp_files(out) == []
    progress: list[tuple[str, int, int]] = []
    again = fetch_studies(client(api), q, out, progress=lambda *a: progress.append(a))
    assert (again.added, again.skipped) == ((), tuple(ids(api)))
    assert progress == [("fetch", i, n) for i in range(1, n + 1)]


def test_max_stops_after_n_studies(api: FakeCtgov, tmp_path: Path) -> None:
    report = fetch_studies(client(api), all_statuses(api), tmp_path, max_studies=2)
    assert (report.added, report.total) == (tuple(ids(api)[:2]), len(api.studies))
    assert saved(tmp_path) == ids(api)[:2]
    assert api.requests[0].params["pageSize"] == "2"
    assert state(tmp_path)["complete"] is True


def test_429_waits_as_retry_after_says(api: FakeCtgov, tmp_path: Path) -> None:
    def fault(r: Req) -> Fault | None:
        if len(api.requests) == 2:  # the second page, the first time
            return Fault(429, b"Too Many Requests", {"Retry-After": "1"})
        return None

    api.fault = fault
    report = fetch_studies(client(api), all_statuses(api), tmp_path)
    assert [r.status for r in api.requests] == [200, 429] + [200] * (pages(api) - 1)
    assert api.requests[2].params == api.requests[1].params
    waited = api.requests[2].at - api.requests[1].at
    assert 1.0 <= waited < 2.5  # Retry-After, not the 0.01 s backoff
    assert report.added == tuple(ids(api)) and saved(tmp_path) == ids(api)


def test_503_then_success(api: FakeCtgov, tmp_path: Path) -> None:
    api.fault = lambda r: Fault(503, b"Service Unavailable") if len(api.requests) == 1 else None
    report = fetch_studies(client(api), all_statuses(api), tmp_path)
    assert [r.status for r in api.requests] == [503] + [200] * pages(api)
    assert report.requests == pages(api) + 1
    assert saved(tmp_path) == ids(api)
    assert Counter(api.served()) == Counter(ids(api))


def test_5xx_gives_up_after_bounded_retries(api: FakeCtgov, tmp_path: Path) -> None:
    api.fault = lambda r: Fault(
        502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", {"Content-Type": "text/html"}
    )
    with pytest.raises(FetchError) as err:
        fetch_studies(client(api, max_retries=3), all_statuses(api), tmp_path)
    url = f"{api.base_url}/studies?"
    assert str(err.value).startswith(f"GET {url}")
    assert str(err.value).endswith(": HTTP 502 Bad Gateway: 502 Bad Gateway (gave up after 4 attempts)")
    assert len(api.requests) == 4
    assert saved(tmp_path) == [] and hidden_temp_files(tmp_path) == []


def test_malformed_page_is_a_clear_error_and_nothing_is_half_written(api: FakeCtgov, tmp_path: Path) -> None:
    second = api.token(api.page_limit)
    api.fault = lambda r: (
        Fault(200, b'{"studies": [{"protocolSection": ', {}) if r.params.get("pageToken") == second else None
    )
    with pytest.raises(FetchError) as err:
        fetch_studies(client(api), all_statuses(api), tmp_path)
    msg = str(err.value)
    assert msg.startswith(f"GET {api.base_url}/studies?") and f"pageToken={second}" in msg
    assert "the response is not valid JSON (" in msg and msg.endswith("(gave up after 3 attempts)")
    assert saved(tmp_path) == ids(api)[: api.page_limit]  # the first page only
    assert hidden_temp_files(tmp_path) == []
    assert state(tmp_path)["next_page_token"] == second
    api.fault = None
    report = fetch_studies(client(api), all_statuses(api), tmp_path)  # resumes at the second page
    assert report.added == tuple(ids(api)[api.page_limit :]) and report.skipped == ()
    assert Counter(api.served()) == Counter(ids(api))


def test_400_shows_the_api_message_and_is_not_retried(api: FakeCtgov, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as err:
        fetch_studies(client(api), StudyQuery(statuses=("RECRUITING", "BOGUS")), tmp_path)
    assert err.value.status == 400
    assert str(err.value) == (
        f"GET {api.base_url}/studies?filter.overallStatus=RECRUITING,BOGUS&format=json&pageSize=1000&countTotal=true"
        ": HTTP 400 Bad Request: filter.overallStatus: unknown value(s) BOGUS"
    )
    assert len(api.requests) == 1
    api.fault = lambda r: Fault(
        400, b'{"message": "query.term: unbalanced parentheses"}', {"Content-Type": "application/json"}
    )
    with pytest.raises(FetchError, match=r": HTTP 400 Bad Request: query\.term: unbalanced parentheses$"):
        fetch_studies(client(api), StudyQuery(term="(liver"), tmp_path)
    assert saved(tmp_path) == []


def test_network_errors_are_clear(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    c = CtgovClient(f"http://127.0.0.1:{port}/api/v2", min_interval=0, max_retries=3, backoff=10.0)
    with pytest.raises(FetchError) as err:
        fetch_studies(c, StudyQuery(term="liver"), tmp_path)
    url = f"http://127.0.0.1:{port}/api/v2/studies?query.term=liver&format=json&pageSize=1000&countTotal=true"
    assert str(err.value) == f"GET {url}: could not connect (connection refused)"
    assert c.requests == 1  # a refused connection is not retried
    with FakeCtgov(synthetic_studies()) as api:
        api.fault = lambda r: Fault(delay=1.0)
        with pytest.raises(FetchError, match=r"no answer within 0\.2 s \(timed out\) \(gave up after 1 attempts\)$"):
            fetch_studies(client(api, timeout=0.2, max_retries=0), StudyQuery(term="liver"), tmp_path)
    assert saved(tmp_path) == []


def test_interrupted_run_resumes_without_refetching(api: FakeCtgov, tmp_path: Path) -> None:
    third = api.token(2 * api.page_limit)
    flaky = True
    api.fault = lambda r: Fault(drop=True) if flaky and r.params.get("pageToken") == third else None
    with pytest.raises(FetchError, match=r"the connection was dropped before the response was complete"):
        fetch_studies(client(api), all_statuses(api), tmp_path)
    first_two = ids(api)[: 2 * api.page_limit]
    assert saved(tmp_path) == first_two and hidden_temp_files(tmp_path) == []
    assert state(tmp_path)["next_page_token"] == third
    first_run = len(api.requests)
    flaky = False
    report = fetch_studies(client(api), all_statuses(api), tmp_path)
    assert report.added == tuple(ids(api)[2 * api.page_limit :]) and report.skipped == ()
    assert api.requests[first_run].params.get("pageToken") == third  # no page asked twice
    assert all("pageToken" in r.params for r in api.requests[first_run:])
    assert sorted(api.served()) == ids(api)  # each study served once in all
    assert saved(tmp_path) == ids(api)


def test_rerun_without_state_skips_saved_files(api: FakeCtgov, tmp_path: Path) -> None:
    fetch_studies(client(api), all_statuses(api), tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("NCT*.json")}
    (tmp_path / STATE_FILE).unlink()
    gone = ids(api)[-1]
    (tmp_path / f"{gone}.json").unlink()
    report = fetch_studies(client(api), all_statuses(api), tmp_path)
    assert (report.added, report.skipped) == ((gone,), tuple(ids(api)[:-1]))
    after = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("NCT*.json")}
    assert {k: v for k, v in after.items() if k != f"{gone}.json"} == {
        k: v for k, v in before.items() if k != f"{gone}.json"
    }


def test_saved_page_token_refused_starts_again(api: FakeCtgov, tmp_path: Path) -> None:
    q = all_statuses(api)
    (tmp_path / STATE_FILE).write_text(
        json.dumps({"query": q.to_dict(), "next_page_token": "expired", "seen": 1, "total": 3, "complete": False})
    )
    report = fetch_studies(client(api), q, tmp_path)
    assert [r.status for r in api.requests] == [400] + [200] * pages(api)
    assert report.added == tuple(ids(api))


@pytest.mark.parametrize(
    "damage",
    [{"next_page_token": 7}, {"seen": "many"}, {"seen": [1]}, {"seen": -1}, {"total": {"a": 1}}],
    ids=repr,
)
def test_a_damaged_state_file_starts_from_the_first_page(tmp_path: Path, damage: dict) -> None:
    with FakeCtgov(synthetic_studies(), page_limit=1) as api:
        q = all_statuses(api)
        good = {"query": q.to_dict(), "next_page_token": "tok", "seen": 1, "total": 3, "complete": False}
        (tmp_path / STATE_FILE).write_text(json.dumps(good | damage))
        report = fetch_studies(client(api), q, tmp_path)
        assert [r.params.get("pageToken") for r in api.requests] == [None, api.token(1), api.token(2)]
    assert (report.total, report.added) == (3, tuple(ids(api)))
    assert state(tmp_path) == {"query": q.to_dict(), "next_page_token": None, "seen": 3, "total": 3, "complete": True}


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"term": 5}, "query term is int, not a string"),
        ({"condition": ["a"]}, "query condition is list, not a string"),
        ({"statuses": "RECRUITING"}, "query statuses is not a list of strings"),
        ({"statuses": [1]}, "query statuses is not a list of strings"),
    ],
)
def test_update_names_a_damaged_saved_query(tmp_path: Path, query: dict, reason: str) -> None:
    (tmp_path / STATE_FILE).write_text(json.dumps({"query": query}))
    with FakeCtgov(synthetic_studies()) as api, pytest.raises(FetchError) as err:
        update(client(api), tmp_path)
    assert str(err.value) == f"{tmp_path / STATE_FILE}: the saved query is damaged ({reason}); give the query again"


def test_update_refetches_only_the_changed_study(api: FakeCtgov, tmp_path: Path) -> None:
    q = all_statuses(api)
    fetch_studies(client(api), q, tmp_path)
    changed = ids(api)[1]
    api.bump(changed, "2025-02-03")
    n_before = len(api.requests)
    report = update(client(api), tmp_path)
    rest = tuple(n for n in ids(api) if n != changed)
    assert (report.added, report.changed, report.unchanged, report.withdrawn) == ((), (changed,), rest, ())
    assert report.counts() == {
        "added": 0,
        "changed": 1,
        "unchanged": len(rest),
        "withdrawn": 0,
        "skipped": 0,
        "invalid": 0,
    }
    assert json.loads((tmp_path / f"{changed}.json").read_text("utf-8")) == api.studies[changed]
    new = api.requests[n_before:]
    assert [r.params for r in new] == [
        *paged(api, {"filter.ids": ",".join(ids(api)), "fields": CHECK_FIELDS, "pageSize": "1000", "format": "json"}),
        {"filter.ids": changed, "pageSize": "1000", "format": "json"},
        *paged(api, {**q.params(), "fields": "NCTId", "pageSize": "1000", "format": "json"}),
    ]
    assert Counter(api.served()) == Counter([*ids(api), changed])  # one full refetch, nothing else twice
    again = update(client(api), tmp_path)
    assert (again.changed, again.unchanged) == ((), tuple(ids(api)))


def test_update_reports_added_and_withdrawn(api: FakeCtgov, tmp_path: Path) -> None:
    q = all_statuses(api)
    fetch_studies(client(api), q, tmp_path)
    live = [n for n in ids(api) if api.studies[n]["protocolSection"]["statusModule"]["overallStatus"] != "WITHDRAWN"]
    gone, withdrawn = live[:2]
    kept = [n for n in ids(api) if n not in (gone, withdrawn)]
    del api.studies[gone]
    api.bump(withdrawn, "2025-03-01", overall="WITHDRAWN")
    new = synthetic_study("NCT09999999", "A New Study", "Newly posted.", q.statuses[0], "2025-03-02", "X", "Y")
    api.studies["NCT09999999"] = new
    matching = sum(s["protocolSection"]["statusModule"]["overallStatus"] in q.statuses for s in api.studies.values())
    report = update(client(api), tmp_path)
    assert report.to_dict() == {
        "directory": str(tmp_path),
        "total": None,
        "added": 1,
        "changed": 0,
        "unchanged": len(kept),
        "withdrawn": 2,
        "skipped": 0,
        "invalid": 0,
        # check the saved ones (one is gone), refetch the withdrawn one, list matching IDs, fetch the new one
        "requests": math.ceil(len([*kept, withdrawn]) / api.page_limit) + 1 + math.ceil(matching / api.page_limit) + 1,
        "ids": {"added": ["NCT09999999"], "changed": [], "withdrawn": [gone, withdrawn]},
        "warnings": [f"{gone}: no longer returned by the API (the saved file is kept)"],
    }
    assert saved(tmp_path) == sorted([*ids(api), gone])  # nothing lost
    saved_withdrawn = json.loads((tmp_path / f"{withdrawn}.json").read_text("utf-8"))
    assert saved_withdrawn["protocolSection"]["statusModule"]["overallStatus"] == "WITHDRAWN"
    assert json.loads((tmp_path / "NCT09999999.json").read_text("utf-8")) == new


def test_min_interval_between_requests(tmp_path: Path) -> None:
    with FakeCtgov(synthetic_studies(), page_limit=1) as api:
        fetch_studies(client(api, min_interval=0.25), StudyQuery(term="cirrhosis"), tmp_path)
        gaps = [b.at - a.at for a, b in zip(api.requests, api.requests[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.22  # paced from the start of each request


def test_index_after_an_update_embeds_only_the_changed_section(tmp_path: Path) -> None:
    from bot.render import answer_text
    from index.trial_index import TrialIndex

    out, ix = tmp_path / "studies", tmp_path / "ix"
    with FakeCtgov(synthetic_studies()) as api:
        fetch_studies(client(api), StudyQuery(condition="liver cirrhosis"), out)
        first = TrialIndex.build([out], ix)
        s = api.studies["NCT09000003"]
        s["protocolSection"]["descriptionModule"]["briefSummary"] = (
            "Stromal cells are infused into the portal vein twice, four weeks apart; the primary outcome is the "
            "change in albumin at 24 weeks."
        )
        api.bump("NCT09000003", "2025-04-01")
        report = update(client(api), out)
    assert (report.changed, report.unchanged) == (("NCT09000003",), ("NCT09000001", "NCT09000002"))
    second = TrialIndex.build([out], ix)
    c1, c2 = first.manifest["counts"], second.manifest["counts"]
    assert (c2["trials"], c2["chunks"]) == (3, c1["chunks"])
    assert (c2["embedded"], c2["reused"]) == (1, c1["embedded"] + c1["reused"] - 1)  # the new summary only
    a = second.ask("which trials infuse cells into the portal vein twice?")
    assert [(t.nct_id, t.last_update) for t in a.trials] == [("NCT09000003", "2025-04-01")]
    # "twice" is read as the number of doses: the updated summary states it, the title the portal vein
    assert [c.snippet for c in a.trials[0].citations] == [
        "Portal Vein Infusion of Stromal Cells in Cirrhosis",
        s["protocolSection"]["descriptionModule"]["briefSummary"],
    ]
    assert answer_text(a).splitlines()[-2:] == [
        "   https://clinicaltrials.gov/study/NCT09000003",
        "   Last updated: 2025-04-01",
    ]
    assert "last_update" not in json.dumps(a.to_dict())


def test_settings_read_the_api_url_and_interval() -> None:
    from index.config import Settings
    from index.errors import ConfigError

    s = Settings.from_env({})
    assert (s.ctgov_api_url, s.ctgov_min_interval) == ("https://clinicaltrials.gov/api/v2", 1.3)
    s = Settings.from_env({"CTGOV_API_URL": "http://127.0.0.1:8080/api/v2/", "CTGOV_MIN_INTERVAL": "0"})
    assert (s.ctgov_api_url, s.ctgov_min_interval) == ("http://127.0.0.1:8080/api/v2", 0.0)
    with pytest.raises(ConfigError, match=r"^CTGOV_MIN_INTERVAL must be a number of seconds from 0 to 3600, got '-1'$"):
        Settings.from_env({"CTGOV_MIN_INTERVAL": "-1"})
    with pytest.raises(ConfigError, match=r"^CTGOV_API_URL must be an http\(s\) URL"):
        Settings.from_env({"CTGOV_API_URL": "ftp://example.org/api/v2"})
