"""The HTTP API over real HTTP on 127.0.0.1: the same JSON as the CLI, every route's bad input
answered with a 4xx and the CLI's message (never a 500), auth, CORS, the body limit, worker
threads, escaped logs, conversations and rebuilds."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.api.models import AskResponse, SearchResponse, TrialRecord
from bot.api.settings import ApiSettings
from bot.service import TrialService
from index import Citation, TrialIndex
from index.evaluation.verify import citation_ok
from tests.conftest import CORPUS, HEPATIC_CITATIONS, REPO
from tests.helpers.api_client import TOKEN, call, raw_status, send_until_answered

HEPATIC = "which trials use the hepatic artery?"
EMPTY = 'Ask a question about the trials, e.g. "which trials use the hepatic artery?"'
TOO_LONG = 'That question is 100,000 characters long; ask in under 2,000 characters, e.g. "which trials exclude HIV?"'
K_RANGE = "k must be a whole number from 1 to 100"
NOT_JSON = "the body is not valid JSON"
OBJECT = 'send a JSON object, e.g. {"question": "which trials exclude HIV?"}'


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True, cwd=REPO, timeout=600
    )


def test_ask_returns_the_cli_json_for_every_dev_question(api: str, dev_questions: Path, seed_index_dir: Path) -> None:
    questions = [json.loads(line)["q"] for line in dev_questions.read_text().splitlines() if line.strip()]
    assert len(questions) == 16
    r = cli("ask", "--json", "--index", str(seed_index_dir), "-", stdin="\n".join(questions) + "\n")
    assert r.returncode == 0, r.stderr
    expected = [json.loads(line) for line in r.stdout.splitlines()]
    got = []
    for q in questions:
        reply = call("POST", f"{api}/ask", {"question": q})
        assert reply.status == 200, reply.text
        assert reply.headers["content-type"] == "application/json"
        got.append(reply.json)
    assert got == expected
    for obj in got:  # every key the CLI writes is documented in the response schema
        AskResponse.model_validate(obj)
        assert set(obj) <= set(AskResponse.model_fields)
        for t in obj["trials"]:
            for c in t["citations"]:
                assert citation_ok(Citation(name="", **c)), c


def test_ask_with_k_and_filters(api: str, seed_index_dir: Path) -> None:
    reply = call("POST", f"{api}/ask", {"question": "which trials exclude HIV?", "k": 1})
    assert reply.status == 200
    assert [t["nct_id"] for t in reply.json["trials"]] == ["NCT03209986"]
    body = {"question": "which trials exclude hepatocellular carcinoma?", "filters": ["status:completed"], "k": 5}
    reply = call("POST", f"{api}/ask", body)
    r = cli(
        "ask", "--json", "--index", str(seed_index_dir), "-k", "5", "--filter", "status:completed", body["question"]
    )
    assert reply.status == 200 and reply.json == json.loads(r.stdout)
    assert reply.json["constraints"] == ["status: Completed"]
    hepatic = call("POST", f"{api}/ask", {"question": HEPATIC})
    cites = [(c["section"], c["snippet"]) for c in hepatic.json["trials"][0]["citations"]]
    assert cites == HEPATIC_CITATIONS


def test_search_gives_verbatim_hits_with_both_contributions(api: str) -> None:
    reply = call("POST", f"{api}/search", {"query": "hepatic artery", "k": 3})
    assert reply.status == 200
    body = SearchResponse.model_validate(reply.json)
    assert body.query == "hepatic artery" and len(body.hits) == 3
    top = body.hits[0]
    assert top.nct_id == "NCT01724697" and "hepatic artery" in top.snippet
    for h in body.hits:
        assert h.score == pytest.approx(h.bm25_part + h.dense_part, abs=2e-4)
        assert h.url == f"https://clinicaltrials.gov/study/{h.nct_id}"
        c = Citation(section=h.section, name=h.name, snippet=h.snippet, source=h.source, field=h.field,
                     start=h.start, end=h.end)  # fmt: skip
        assert citation_ok(c)
    assert [h.score for h in body.hits] == sorted((h.score for h in body.hits), reverse=True)
    assert body.hits[0].bm25 > 0 and body.hits[0].dense > 0


def test_trial_is_the_corpus_json_record(api: str) -> None:
    r = cli("corpus", "corpus", "--json")
    records = {t["nct_id"]: t for t in json.loads(r.stdout)["trials"]}
    for nct in records:
        reply = call("GET", f"{api}/trials/{nct}")
        assert reply.status == 200
        assert reply.json == records[nct]
        TrialRecord.model_validate(reply.json)
    assert call("GET", f"{api}/trials/nct01724697").json["nct_id"] == "NCT01724697"  # any case


def test_health_and_readiness(api: str, seed_index_dir: Path) -> None:
    h = call("GET", f"{api}/healthz")
    gen = (seed_index_dir / "CURRENT").read_text().strip()
    assert (h.status, h.json) == (200, {"ok": True, "trials": 5, "generation": gen, "model": "all-MiniLM-L6-v2"})
    assert (call("GET", f"{api}/readyz").status, call("GET", f"{api}/readyz").json) == (200, {"ready": True})


BIG = "x" * 100_000

ASK_BAD = [
    # (body as sent, content type, status, error, field)
    ("", "application/json", 400, OBJECT, None),
    ("{", "application/json", 400, NOT_JSON, None),
    ('{"question": "x",}', "application/json", 400, NOT_JSON, None),
    ('{"question": "x"}', "text/plain", 400, "send the body as JSON with Content-Type: application/json", None),
    ("[]", "application/json", 422, OBJECT, None),
    ('"which trials exclude HIV?"', "application/json", 422, OBJECT, None),
    ({}, "application/json", 422, "question is required", "question"),
    ({"question": ""}, "application/json", 422, EMPTY, "question"),
    ({"question": " \t\n\u200b\x00 "}, "application/json", 422, EMPTY, "question"),
    ({"question": BIG}, "application/json", 422, TOO_LONG, "question"),
    ({"question": 5}, "application/json", 422, "A question must be text.", "question"),
    ({"question": None}, "application/json", 422, "A question must be text.", "question"),
    ({"question": ["x"]}, "application/json", 422, "A question must be text.", "question"),
    ({"question": "x", "k": 0}, "application/json", 422, K_RANGE, "k"),
    ({"question": "x", "k": 101}, "application/json", 422, K_RANGE, "k"),
    ({"question": "x", "k": -3}, "application/json", 422, K_RANGE, "k"),
    ({"question": "x", "k": "5"}, "application/json", 422, K_RANGE, "k"),
    ({"question": "x", "k": 2.5}, "application/json", 422, K_RANGE, "k"),
    ({"question": "x", "k": True}, "application/json", 422, K_RANGE, "k"),
    ({"question": "x", "k": None}, "application/json", 422, K_RANGE, "k"),
    ({"question": "x", "k": 10**30}, "application/json", 422, K_RANGE, "k"),
    ({"question": "x", "filters": ["zz"]}, "application/json", 422, "cannot read filter 'zz'", "filters"),
    ({"question": "x", "filters": "status:completed"}, "application/json", 422, "filters: Input should be", "filters"),
    ({"question": "x", "filters": [1]}, "application/json", 422, "filters.0: Input should be", "filters.0"),
    ({"question": "x", "conversation_id": ""}, "application/json", 422, "conversation_id: String should", None),
    ({"question": "x", "colour": "red"}, "application/json", 422, "unknown field 'colour'", "colour"),
]


@pytest.mark.parametrize(("body", "ctype", "status", "error", "field"), ASK_BAD)
def test_ask_bad_input_is_a_4xx_with_a_message(api: str, body, ctype, status, error, field) -> None:
    reply = call("POST", f"{api}/ask", body, content_type=ctype)
    assert reply.status == status, reply.text
    assert reply.headers["content-type"] == "application/json"
    assert reply.json["error"].startswith(error), reply.json
    if field is not None:
        assert reply.json["field"] == field


def test_ask_naming_only_unknown_trials_is_404(api: str) -> None:
    for q in ("tell me about NCT99999999", "what dose does NCT99999999 give?"):
        reply = call("POST", f"{api}/ask", {"question": q})
        assert (reply.status, reply.json["error"]) == (404, "NCT99999999 is not in this index (5 trials).")
    ok = call("POST", f"{api}/ask", {"question": "compare NCT99999999 with NCT01724697"})
    assert ok.status == 200  # one of the two is here


SEARCH_BAD = [
    ("", 400, OBJECT),
    ("{", 400, NOT_JSON),
    ({}, 422, "query is required"),
    ({"query": ""}, 422, 'Ask a question about the trials, e.g. "which trials use the hepatic artery?"'),
    ({"query": BIG}, 422, TOO_LONG),
    ({"query": 7}, 422, "A query must be text."),
    ({"query": "x", "k": 0}, 422, K_RANGE),
    ({"query": "x", "k": "ten"}, 422, K_RANGE),
    ({"query": "x", "question": "y"}, 422, "unknown field 'question'"),
]


@pytest.mark.parametrize(("body", "status", "error"), SEARCH_BAD)
def test_search_bad_input_is_a_4xx_with_a_message(api: str, body, status: int, error: str) -> None:
    reply = call("POST", f"{api}/search", body)
    assert reply.status == status, reply.text
    assert reply.json["error"].startswith(error)


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("/trials/NCT99999999", 404, "NCT99999999 is not in the corpus (5 trials)"),
        ("/trials/NCT0172469", 422, "'NCT0172469' is not an NCT ID: NCT and 8 digits, e.g. NCT01724697"),
        ("/trials/%20", 422, "' ' is not an NCT ID"),
        ("/trials/%0Ainjected", 422, "'\\ninjected' is not an NCT ID"),
        ("/trials/" + "9" * 100_000, 422, "'" + "9" * 40 + "' is not an NCT ID"),
        ("/trials/", 404, "no such route"),
        ("/trials/NCT01724697/extra", 404, "no such route"),
        ("/nowhere", 404, "no such route"),
    ],
)
def test_trial_bad_input_is_a_4xx_with_a_message(api: str, path: str, status: int, error: str) -> None:
    reply = call("GET", f"{api}{path}")
    assert reply.status == status and reply.json["error"].startswith(error), reply.text[:300]


def test_wrong_methods_are_405(api: str) -> None:
    assert call("GET", f"{api}/ask").status == 405
    assert call("POST", f"{api}/trials/NCT01724697", {}).status == 405
    assert call("DELETE", f"{api}/search").json == {"error": "method not allowed", "field": None}


def test_a_body_over_1_mib_is_refused_before_it_is_read(api: str) -> None:
    head = f"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {2 << 20}\r\n\r\n"
    t0 = time.monotonic()
    assert raw_status(api, head).startswith(b"HTTP/1.1 413")  # and not one byte of the body was sent
    assert time.monotonic() - t0 < 5
    head = (
        f"POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {(1 << 20) + 1}\r\n\r\n"
    )
    status, body = send_until_answered(api, head, [b"{" + b"x" * (1 << 20)])
    assert status.startswith(b"HTTP/1.1 413")
    assert json.loads(body) == {"error": "the request body is over 1,048,576 bytes (1 MiB)"}


def test_a_chunked_body_over_1_mib_is_cut_off(api: str) -> None:
    head = "POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"x" * 65536
    status, body = send_until_answered(api, head, [b"10000\r\n" + chunk + b"\r\n"] * 64)  # 4 MiB offered
    assert status.startswith(b"HTTP/1.1 413")
    assert json.loads(body)["error"] == "the request body is over 1,048,576 bytes (1 MiB)"


def test_bearer_token(serve, seed_index_dir: Path) -> None:
    url = serve(ApiSettings(port=0, token=TOKEN))
    good = {"Authorization": f"Bearer {TOKEN}"}
    for method, path, body in [("POST", "/ask", {"question": HEPATIC}), ("POST", "/search", {"query": "x"}),
                               ("GET", "/trials/NCT01724697", None), ("GET", "/openapi.json", None),
                               ("GET", "/docs", None), ("GET", "/nowhere", None)]:  # fmt: skip
        for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN},
                        {"Authorization": f"Basic {TOKEN}"}):  # fmt: skip
            reply = call(method, url + path, body, headers=headers)
            assert reply.status == 401, (path, headers)
            assert reply.headers["www-authenticate"] == "Bearer"
            assert reply.json["error"] == "this server needs a token: send Authorization: Bearer <TRIALQA_API_TOKEN>"
        assert call(method, url + path, body, headers=good).status == (404 if path == "/nowhere" else 200)
    assert call("GET", f"{url}/healthz").status == 200 and call("GET", f"{url}/readyz").status == 200
    doc = call("GET", f"{url}/openapi.json", headers=good).json
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "TRIALQA_API_TOKEN",
    }
    assert doc["paths"]["/ask"]["post"]["security"] == [{"bearer": []}]
    assert "401" in doc["paths"]["/ask"]["post"]["responses"] and "security" not in doc["paths"]["/healthz"]["get"]


def test_cors_is_off_unless_configured(api: str, serve) -> None:
    origin = {"Origin": "https://dash.example.org"}
    assert "access-control-allow-origin" not in call("GET", f"{api}/healthz", headers=origin).headers
    url = serve(ApiSettings(port=0, token=TOKEN, cors_origins=("https://dash.example.org",)))
    pre = call(
        "OPTIONS",
        f"{url}/ask",
        headers=origin | {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"},
    )
    assert pre.status == 200 and pre.headers["access-control-allow-origin"] == "https://dash.example.org"
    reply = call("POST", f"{url}/ask", {"question": HEPATIC}, headers=origin | {"Authorization": f"Bearer {TOKEN}"})
    assert reply.status == 200 and reply.headers["access-control-allow-origin"] == "https://dash.example.org"
    other = call("GET", f"{url}/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


class _SlowIndex:
    """The real index, with one question that takes 8 s (as a huge index's might)."""

    def __init__(self, index: TrialIndex) -> None:
        self._index = index

    def __getattr__(self, name: str):
        return getattr(self._index, name)

    def ask(self, question: str, **kw):
        if "slow" in question:
            time.sleep(8)
        return self._index.ask(question, **kw)


def test_a_slow_question_does_not_hold_up_the_others(serve, service: TrialService) -> None:
    slow_service = TrialService(_SlowIndex(service.index))  # type: ignore[arg-type]
    slow_service.warm()
    url = serve(svc=slow_service)
    slow = threading.Thread(target=call, args=("POST", f"{url}/ask", {"question": "a slow question"}))
    slow.start()
    time.sleep(0.3)
    for _ in range(3):
        assert call("POST", f"{url}/ask", {"question": HEPATIC}).status == 200
    assert call("GET", f"{url}/healthz").status == 200
    assert slow.is_alive()  # all answered while the slow one was still being worked out
    slow.join(15)


def test_client_text_reaches_the_log_escaped(api: str, caplog: pytest.LogCaptureFixture) -> None:
    nasty = "which trials\n2099-01-01 FAKE LOG LINE \x1b[31mred\x1b[0m use the hepatic artery?"
    with caplog.at_level(logging.DEBUG, logger="trialqa"):
        call("POST", f"{api}/ask", {"question": nasty})
        call("GET", f"{api}/trials/%0AFAKE%1B[31m")
        call("POST", f"{api}/search", {"query": "x\r\nFAKE"})
        time.sleep(0.2)
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("trialqa")]
    assert any("FAKE LOG LINE" in m for m in lines) and any("/trials/" in m for m in lines)
    for m in lines:
        assert "\n" not in m and "\r" not in m and "\x1b" not in m, m


def test_conversation_id_uses_the_index_conversations_when_it_has_them(serve, service: TrialService) -> None:
    plain = call("POST", f"{serve(svc=service)}/ask", {"question": HEPATIC, "conversation_id": "c1"})
    assert plain.status == 200  # the first turn of conversation c1: the plain answer and its context
    body = dict(plain.json)
    context = body.pop("context")
    assert body == call("POST", f"{serve(svc=service)}/ask", {"question": HEPATIC}).json
    first = "the first question of the conversation"
    assert context == {"scope": "all", "trials": [], "reason": first, "asked": HEPATIC}

    asked: list[tuple[int, str, int]] = []

    class Conversation:
        def ask(self, question: str, k: int = 10, filters=None):
            asked.append((id(self), question, k))
            return service.index.ask(question, k=k, filters=filters)

    index = SimpleNamespace(ask=service.index.ask, trials=service.index.trials, conversation=Conversation)
    url = serve(svc=TrialService(index))  # type: ignore[arg-type]
    for cid, q in [("c1", HEPATIC), ("c2", "which trials exclude HIV?"), ("c1", "which ones are completed?")]:
        assert call("POST", f"{url}/ask", {"question": q, "conversation_id": cid, "k": 3}).status == 200
    assert [q for _, q, _ in asked] == [HEPATIC, "which trials exclude HIV?", "which ones are completed?"]
    assert asked[0][0] == asked[2][0] != asked[1][0]  # c1's second question went to c1's conversation
    assert call("POST", f"{url}/ask", {"question": HEPATIC}).status == 200
    assert len(asked) == 3  # no id: not in any conversation


def test_the_api_follows_rebuilds_of_its_index(serve, seed_index_dir: Path, tmp_path: Path) -> None:
    d = tmp_path / "index"
    shutil.copytree(seed_index_dir, d)
    svc = TrialService(TrialIndex.load(d))
    svc.warm()
    url = serve(svc=svc)
    before = call("GET", f"{url}/healthz").json
    assert before["trials"] == 5 and call("GET", f"{url}/trials/NCT05106972").status == 200
    four = tmp_path / "four"
    four.mkdir()
    for f in sorted(CORPUS.iterdir()):
        if "NCT05106972" not in f.read_text(encoding="utf-8", errors="replace"):
            shutil.copy(f, four / f.name)
    TrialIndex.build([four], d)
    after = call("GET", f"{url}/healthz").json
    assert after["trials"] == 4 and after["generation"] != before["generation"]
    assert call("GET", f"{url}/trials/NCT05106972").json["error"] == "NCT05106972 is not in the corpus (4 trials)"
    assert call("POST", f"{url}/ask", {"question": HEPATIC}).json["trials"][0]["nct_id"] == "NCT01724697"
