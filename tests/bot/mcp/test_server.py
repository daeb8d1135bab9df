"""The MCP server as an MCP client meets it: `trialqa mcp` started over stdio by the official
SDK's own client (list tools, call each, read resources), every citation checked against its
source file; and the streamable HTTP transport on the shared uvicorn stack."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError

from bot.api.models import AskResponse, SearchResponse
from bot.mcp.server import TrialWithText, build_server
from index import Citation
from index.evaluation.verify import citation_ok
from tests.conftest import HEPATIC_CITATIONS, REPO
from tests.helpers.api_client import TOKEN, call

HEPATIC = "which trials use the hepatic artery?"


def _text(result: Any) -> str:
    return "".join(c.text for c in result.content if getattr(c, "type", "") == "text")


async def _session(index_dir: Path) -> dict[str, Any]:
    """One stdio session: everything the tests look at, gathered in a dict."""
    env = {k: v for k, v in os.environ.items() if k.startswith(("TRIALQA_", "PYTHON", "HOME", "PATH", "LANG"))}
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "bot.cli", "mcp", "--index", str(index_dir)], env=env, cwd=str(REPO)
    )
    out: dict[str, Any] = {}
    async with Client(params) as c:
        out["server"] = c.server_info
        out["tools"] = (await c.list_tools()).tools
        out["ask"] = await c.call_tool("ask_trials", {"question": HEPATIC, "k": 5})
        out["ask_hiv"] = await c.call_tool("ask_trials", {"question": "which trials exclude HIV?"})
        out["search"] = await c.call_tool("search_trials", {"query": "portal vein infusion", "k": 4})
        out["show"] = await c.call_tool("show_trial", {"nct_id": "nct01724697"})
        out["errors"] = {
            name: await c.call_tool(tool, args)
            for name, tool, args in [
                ("empty", "ask_trials", {"question": "  "}),
                ("long", "ask_trials", {"question": "x" * 100_000}),
                ("k0", "ask_trials", {"question": HEPATIC, "k": 0}),
                ("kword", "search_trials", {"query": "x", "k": "ten"}),
                ("unknown", "show_trial", {"nct_id": "NCT99999999"}),
                ("malformed", "show_trial", {"nct_id": "NCT1"}),
                ("unknown_in_question", "ask_trials", {"question": "tell me about NCT99999999"}),
                ("missing", "ask_trials", {}),
            ]
        }
        out["resources"] = (await c.list_resources()).resources
        out["templates"] = (await c.list_resource_templates()).resource_templates
        out["resource"] = await c.read_resource("trial://NCT03209986")
        try:
            await c.read_resource("trial://NCT99999999")
            out["resource_error"] = None
        except MCPError as exc:
            out["resource_error"] = str(exc)
    return out


@pytest.fixture(scope="module")
def session(seed_index_dir: Path) -> dict[str, Any]:
    return anyio.run(_session, seed_index_dir)


def _citations(obj: dict[str, Any]) -> list[Citation]:
    return [Citation(name="", **c) for t in obj["trials"] for c in t["citations"]]


def test_lists_the_three_tools_with_schemas(session: dict[str, Any]) -> None:
    tools = {t.name: t for t in session["tools"]}
    assert sorted(tools) == ["ask_trials", "search_trials", "show_trial"]
    ask = tools["ask_trials"]
    assert ask.input_schema["required"] == ["question"]
    assert ask.input_schema["properties"]["k"]["default"] == 10
    assert ask.input_schema["properties"]["k"]["maximum"] == 100
    assert set(ask.output_schema["properties"]) == set(AskResponse.model_fields)
    assert all(t.annotations.read_only_hint for t in tools.values())
    assert session["server"].name == "trialqa"


def test_ask_trials_gives_the_ask_json_object_with_verified_citations(
    session: dict[str, Any], seed_index_dir: Path
) -> None:
    from index import TrialIndex

    r = session["ask"]
    assert not r.is_error
    expected = TrialIndex.load(seed_index_dir).ask(HEPATIC, k=5).to_dict()
    assert r.structured_content == expected
    assert json.loads(_text(r)) == expected  # the same object as text, for clients that read only text
    t = r.structured_content["trials"][0]
    assert (t["nct_id"], t["url"]) == ("NCT01724697", "https://clinicaltrials.gov/study/NCT01724697")
    assert [(c["section"], c["snippet"]) for c in t["citations"]] == HEPATIC_CITATIONS
    for answer in (r, session["ask_hiv"]):
        cites = _citations(answer.structured_content)
        assert cites and all(citation_ok(c) for c in cites)
    assert [t["nct_id"] for t in session["ask_hiv"].structured_content["trials"]] == ["NCT03209986", "NCT00713934"]


def test_search_trials_gives_hits_with_both_contributions_and_verified_snippets(session: dict[str, Any]) -> None:
    r = session["search"]
    body = SearchResponse.model_validate(r.structured_content)
    assert len(body.hits) == 4
    for h in body.hits:
        assert h.score == pytest.approx(h.bm25_part + h.dense_part, abs=2e-4)
        assert citation_ok(Citation(h.section, h.name, h.snippet, h.source, h.field, h.start, h.end))
        assert h.url.endswith(h.nct_id)


def test_show_trial_gives_the_record_and_every_section_verbatim(session: dict[str, Any]) -> None:
    t = TrialWithText.model_validate(session["show"].structured_content)
    assert t.nct_id == "NCT01724697" and t.url == "https://clinicaltrials.gov/study/NCT01724697"
    assert len(t.sections) > 10
    for s in t.sections:
        assert citation_ok(Citation(s.heading, s.name, s.text, t.source, s.field, s.start, s.end)), s


def test_bad_arguments_are_tool_errors_with_the_cli_messages(session: dict[str, Any]) -> None:
    e = session["errors"]
    assert all(r.is_error for r in e.values())
    assert _text(e["empty"]).endswith('Ask a question about the trials, e.g. "which trials use the hepatic artery?"')
    assert "That question is 100,000 characters long; ask in under 2,000 characters" in _text(e["long"])
    assert _text(e["k0"]).endswith("k must be a whole number from 1 to 100 (the most trials to list), not 0")
    assert "k" in _text(e["kword"])
    assert _text(e["unknown"]).endswith("NCT99999999 is not in the corpus (5 trials)")
    assert _text(e["malformed"]).endswith("'NCT1' is not an NCT ID: NCT and 8 digits, e.g. NCT01724697")
    assert _text(e["unknown_in_question"]).endswith("NCT99999999 is not in this index (5 trials).")
    assert "question" in _text(e["missing"])


def test_trials_are_resources(session: dict[str, Any]) -> None:
    uris = [str(r.uri) for r in session["resources"]]
    assert uris == [f"trial://{n}" for n in ("NCT01724697", "NCT03209986", "NCT00713934", "NCT05106972", "NCT01218464")]
    assert all(r.mime_type == "application/json" for r in session["resources"])
    assert [t.uri_template for t in session["templates"]] == ["trial://{nct_id}"]
    (content,) = session["resource"].contents
    record = json.loads(content.text)
    assert record["nct_id"] == "NCT03209986" and record["sections"][0]["text"]
    assert session["resource_error"] == "NCT99999999 is not in the corpus (5 trials)"


def test_streamable_http_transport(service) -> None:
    """MCP over HTTP on the shared uvicorn stack; with a token, nothing answers without it."""
    from bot.api.app import BearerAuth
    from bot.web.server import Server, listen

    servers = []
    try:
        for token in (None, TOKEN):
            app = build_server(service).streamable_http_app()
            servers.append(Server(BearerAuth(app, token, ()) if token else app, listen("127.0.0.1", 0)).start())
        open_url, guarded_url = (f"http://127.0.0.1:{s.port}/mcp" for s in servers)

        async def ask() -> Any:
            async with Client(open_url) as c:
                tools = (await c.list_tools()).tools
                return [t.name for t in tools], await c.call_tool("ask_trials", {"question": HEPATIC})

        names, result = anyio.run(ask)
        assert sorted(names) == ["ask_trials", "search_trials", "show_trial"]
        assert result.structured_content["trials"][0]["nct_id"] == "NCT01724697"
        refused = call("POST", guarded_url, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        assert refused.status == 401
    finally:
        for s in servers:
            s.stop()
