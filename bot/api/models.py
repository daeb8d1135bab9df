"""Typed requests and responses of the HTTP API: the OpenAPI document is generated from these.

Requests are strict (no "5" for 5, no unknown fields). Validation that has a message of its own
in the library (an empty or over-long question, k out of range, an unreadable filter) runs the
library's check, so the API answers with the CLI's words; the JSON Schema shown for those fields
(`WithJsonSchema`) says the same thing in schema terms. Responses document what the CLI's JSON
serialisation writes (`Answer.to_dict()`, `bot.serialize`): routes return those objects as they
are, and the tests check them against these models.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator

from bot.service import check_filters, check_question
from index import BadQuestion
from index.qa import MAX_K, check_k
from index.text.clean import MAX_QUESTION_CHARS

# Something left after control and invisible characters are taken out and the rest is stripped
# (what `clean_question` requires); the same character classes in JSON Schema's regex dialect.
_SEARCHABLE = r"[^\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
MAX_FILTERS = 20
MAX_FILTER_CHARS = 200


def _text_schema(description: str, example: str) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_QUESTION_CHARS,
            "pattern": _SEARCHABLE,
            "description": description,
            "examples": [example],
        }
    )


K_SCHEMA = WithJsonSchema(
    {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_K,
        "default": 10,
        "description": f"at most this many trials (1 to {MAX_K})",
    }
)


def _k(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():  # 10.0 is an integer to JSON Schema
        value = int(value)
    try:
        return check_k(value)
    except BadQuestion as exc:
        raise ValueError(str(exc)) from None


# ``k`` of a request: checked by the library's `check_k`, documented by `K_SCHEMA`.
K = Annotated[int, BeforeValidator(_k), K_SCHEMA]


def _text(value: Any, what: str) -> Any:
    try:
        check_question(value, what)
    except BadQuestion as exc:
        raise ValueError(str(exc)) from None
    return value


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class AskRequest(_Request):
    question: Annotated[
        str,
        _text_schema(
            f"the question in plain English, at most {MAX_QUESTION_CHARS:,} characters",
            "which trials use the hepatic artery?",
        ),
    ]
    k: K = 10
    filters: Annotated[
        list[Annotated[str, Field(max_length=MAX_FILTER_CHARS)]] | None,
        Field(
            max_length=MAX_FILTERS,
            description="constraints on trial facts, as `--filter` takes them: status:recruiting phase:2 age>65 "
            'enrollment>=100 sex:female masking:double allocation:randomized country:China route:"portal vein"',
            examples=[["status:completed"]],
        ),
    ] = None
    conversation_id: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=128,
            pattern=r"^[A-Za-z0-9._:-]+$",
            description="ask in this conversation (follow-up questions build on earlier ones) where the index "
            "offers conversations; answered on its own otherwise",
        ),
    ] = None

    @field_validator("question", mode="before")
    @classmethod
    def _question(cls, v: Any) -> Any:
        return _text(v, "question")

    @field_validator("filters")
    @classmethod
    def _filters(cls, v: list[str] | None) -> list[str] | None:
        try:
            check_filters(v)
        except BadQuestion as exc:
            raise ValueError(str(exc)) from None
        return v


class SearchRequest(_Request):
    query: Annotated[
        str,
        _text_schema(f"words to search for, at most {MAX_QUESTION_CHARS:,} characters", "hepatic artery infusion"),
    ]
    k: K = 10

    @field_validator("query", mode="before")
    @classmethod
    def _query(cls, v: Any) -> Any:
        return _text(v, "query")


# -- responses -------------------------------------------------------------------------------------


class Citation(BaseModel):
    """A verbatim snippet and where it is: for text sources `snippet == file_text[start:end]`; for
    JSON `field` is the JSON Pointer of the string and `snippet == value[start:end]`; for XML
    `field` is the element path."""

    section: str = Field(description="the heading as the source shows it")
    snippet: str
    source: str = Field(description="the document's path as given to `trialqa index`")
    field: str | None
    start: int
    end: int


class TrialAnswer(BaseModel):
    nct_id: str
    title: str
    url: str
    score: float
    citations: list[Citation]


class TableRow(BaseModel):
    nct_id: str
    title: str
    value: str
    citation: Citation | None


class AskResponse(BaseModel):
    """The `trialqa ask --json` object, key for key."""

    model_config = ConfigDict(extra="allow")

    question: str
    no_answer: bool
    trials: list[TrialAnswer]
    message: str | None = Field(
        None, description="added when there is something to say: no answer, what was understood, a count"
    )
    constraints: list[str] | None = Field(None, description="fact questions: the constraints understood")
    left_out: int | None = Field(None, description="fact questions: trials whose records do not state the fact")
    count: int | None = Field(None, description='"how many" questions: the number of trials that match')
    table: list[TableRow] | None = Field(None, description='"compare" questions: one row per trial')
    compared: str | None = None
    not_stated: int | None = None


class SearchHit(BaseModel):
    """A retrieved chunk: its verbatim text and location, and the scores that ranked it."""

    nct_id: str
    title: str | None
    url: str
    section: str = Field(description="the heading as the source shows it")
    name: str = Field(description="the canonical section name")
    snippet: str
    source: str
    field: str | None
    start: int
    end: int
    score: float = Field(description="fused score (bm25_part + dense_part)")
    bm25: float = Field(description="raw BM25 score")
    dense: float = Field(description="cosine similarity of the chunk and the query")
    bm25_part: float = Field(description="BM25's contribution to score")
    dense_part: float = Field(description="the dense side's contribution to score")


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]


class SectionLocation(BaseModel):
    name: str
    heading: str
    field: str | None
    start: int
    end: int


class TrialRecord(BaseModel):
    """A trial as `trialqa corpus --json` lists it; a value the record does not state is null."""

    nct_id: str
    title: str
    sponsor: str | None
    status: str | None
    enrollment: int | None
    min_age_years: float | None
    max_age_years: float | None
    masking: str | None
    allocation: str | None
    source: str
    format: str
    sections: list[SectionLocation]
    url: str
    phases: list[str]
    study_type: str | None
    sex: str | None
    intervention_model: str | None
    conditions: list[str]
    interventions: list[str]
    locations: list[str]
    also_sources: list[str]
    warnings: list[str]


class Health(BaseModel):
    ok: bool
    trials: int = Field(description="trials in the live index")
    generation: str = Field(description="the index generation answering (changes when the index is rebuilt)")
    model: str | None = Field(description="the embedding model the index was built with")


class Ready(BaseModel):
    ready: bool


class ErrorBody(BaseModel):
    error: str = Field(description="what was wrong, in the CLI's words")
    field: str | None = Field(None, description="the request field at fault, when one is")
