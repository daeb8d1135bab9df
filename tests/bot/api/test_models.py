"""The API's request models: the library's checks, as validation errors naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.api.models import AskRequest, SearchRequest


def errors(model: Any, body: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as exc:
        model.model_validate(body)
    return [(e["loc"], e["msg"]) for e in exc.value.errors()]


def test_a_good_ask_request_and_its_defaults() -> None:
    r = AskRequest.model_validate({"question": "which trials exclude HIV?"})
    assert (r.question, r.k, r.filters, r.conversation_id) == ("which trials exclude HIV?", 10, None, None)
    assert AskRequest.model_validate({"question": "x", "k": 10.0}).k == 10  # a whole float is an integer


def test_bad_ask_requests_name_the_field() -> None:
    assert errors(AskRequest, {"question": ""}) == [
        (("question",), 'Value error, Ask a question about the trials, e.g. "which trials use the hepatic artery?"')
    ]
    assert errors(AskRequest, {"question": "x", "k": 0}) == [
        (("k",), "Value error, k must be a whole number from 1 to 100 (the most trials to list), not 0")
    ]
    assert errors(AskRequest, {"question": "x", "extra": 1}) == [(("extra",), "Extra inputs are not permitted")]
    [(loc, msg)] = errors(AskRequest, {"question": "x", "filters": ["colour:blue"]})
    assert (loc, msg.startswith("Value error, cannot read filter 'colour:blue'; use e.g. ")) == (("filters",), True)
    [(loc, _)] = errors(AskRequest, {"question": "x", "conversation_id": "a b"})
    assert loc == ("conversation_id",)


def test_search_request() -> None:
    assert SearchRequest.model_validate({"query": "hepatic artery"}).k == 10
    [(loc, msg)] = errors(SearchRequest, {"query": 3})
    assert (loc, msg) == (("query",), "Value error, A query must be text.")
