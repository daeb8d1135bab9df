"""The MCP server (`trialqa mcp`): the retriever as tools and resources for AI assistants and IDEs.

Tools: `ask_trials(question, k)` (the `ask --json` object), `search_trials(query, k)` (chunks with
their BM25 and dense contributions), `show_trial(nct_id)` (the trial's fields and each section's
verbatim text). Every snippet comes with its section, source file, offsets (and JSON Pointer or
XML path) and the trial's URL, so an assistant can quote it and a reader can check it. Resources:
`trial://NCT…` for each trial of the live index (JSON, as `show_trial` gives it).

Built on the official SDK's high-level `MCPServer`; stdio by default, streamable HTTP with
`--http` (on the shared uvicorn stack, with the API's bearer token when one is set). Bad input
comes back as a tool error with the CLI's message. Tools are plain functions: the SDK runs them
in worker threads.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from mcp_types import Resource as MCPResource
from pydantic import BaseModel, Field

from bot.api.models import AskResponse, SearchResponse, TrialRecord
from bot.serialize import trial_json
from bot.service import TrialService, UnknownTrial
from index import BadQuestion
from index.qa import MAX_K
from index.text.clean import MAX_QUESTION_CHARS

INSTRUCTIONS = (
    "trialqa answers questions about a corpus of clinical-trial records with verbatim, cited snippets. "
    "Use ask_trials for a question in plain English (it lists the matching trials, each with the sentences "
    "that support it); search_trials for raw passages with their scores; show_trial for one trial's record. "
    "Quote snippets exactly as given and cite the trial's URL; they are verbatim text of the source file at "
    "the given offsets. When no_answer is true, nothing in the corpus supports the question: say so."
)
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

# The limits are shown in the schema; the library checks them (with its own messages).
_TEXT_LIMITS = {"minLength": 1, "maxLength": MAX_QUESTION_CHARS}
Question = Annotated[
    str,
    Field(description="a question in plain English, e.g. which trials exclude HIV?", json_schema_extra=_TEXT_LIMITS),
]
Query = Annotated[str, Field(description="words to search for", json_schema_extra=_TEXT_LIMITS)]
K = Annotated[
    int,
    Field(description="at most this many trials or passages", json_schema_extra={"minimum": 1, "maximum": MAX_K}),
]
NctId = Annotated[str, Field(description="an NCT ID, e.g. NCT01724697")]


class SectionText(BaseModel):
    name: str
    heading: str
    field: str | None
    start: int
    end: int
    text: str = Field(description="the section's verbatim text: the source sliced at start:end (of field)")


class TrialWithText(TrialRecord):
    """A trial's record as `trialqa corpus --json` lists it, each section with its text."""

    sections: list[SectionText]  # type: ignore[assignment]


class TrialsMCP(MCPServer):
    """`MCPServer` whose resource list is the live index's trials (it follows rebuilds)."""

    def __init__(self, service: TrialService, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.service = service

    async def list_resources(self) -> list[MCPResource]:
        import anyio.to_thread

        trials = await anyio.to_thread.run_sync(lambda: list(self.service.index.trials.values()))
        return [
            MCPResource(
                uri=f"trial://{t.nct_id}",
                name=t.nct_id,
                title=t.title,
                description=f"{t.nct_id}: the trial's record (fields and each section's verbatim text)",
                mime_type="application/json",
            )
            for t in trials
        ]


def _result(payload: dict[str, Any]) -> CallToolResult:
    """The payload as structured content, and as JSON text for clients that read only text."""
    return CallToolResult(
        content=[TextContent(type="text", text=json.dumps(payload, ensure_ascii=False))], structured_content=payload
    )


def build_server(service: TrialService) -> TrialsMCP:
    mcp = TrialsMCP(
        service,
        name="trialqa",
        title="trialqa: cited answers about clinical trials",
        instructions=INSTRUCTIONS,
        version="1",
        log_level="WARNING",
    )

    @mcp.tool(annotations=READ_ONLY, structured_output=True)
    def ask_trials(question: Question, k: K = 10) -> Annotated[CallToolResult, AskResponse]:
        """Answer a question about the clinical trials with cited snippets: the matching trials (NCT ID,
        title, URL) and, for each, the verbatim sentences that support it with their section, source
        file and offsets. `no_answer` is true when nothing in the corpus supports the question."""
        try:
            return _result(service.ask(question, k).to_dict())
        except (BadQuestion, UnknownTrial) as exc:
            raise ToolError(str(exc)) from None

    @mcp.tool(annotations=READ_ONLY, structured_output=True)
    def search_trials(query: Query, k: K = 10) -> Annotated[CallToolResult, SearchResponse]:
        """Search the trial records' passages (BM25 + embeddings): the k best, each with its verbatim text,
        section, source file, offsets, trial URL, and its fused, BM25 and dense scores."""
        try:
            return _result({"query": query, "hits": service.search(query, k)})
        except BadQuestion as exc:
            raise ToolError(str(exc)) from None

    @mcp.tool(annotations=READ_ONLY, structured_output=True)
    def show_trial(nct_id: NctId) -> Annotated[CallToolResult, TrialWithText]:
        """One trial's record: its fields (title, sponsor, status, phases, enrollment, ages, conditions,
        interventions, locations, URL) and every section's verbatim text with its location in the source."""
        return _result(_trial(service, nct_id, ToolError))

    @mcp.resource("trial://{nct_id}", name="trial", mime_type="application/json")
    def trial_resource(nct_id: str) -> str:
        """A trial's record (fields and each section's verbatim text), as show_trial gives it."""
        return json.dumps(_trial(service, nct_id, ResourceNotFoundError), ensure_ascii=False)

    return mcp


def _trial(service: TrialService, nct_id: str, error: type[Exception]) -> dict[str, Any]:
    try:
        return trial_json(service.trial(nct_id), texts=True)
    except (BadQuestion, UnknownTrial) as exc:
        raise error(str(exc)) from None
