"""The ClinicalTrials.gov API v2 client: statuses, URLs, error messages, Retry-After, pages
(against a stand-in server on 127.0.0.1)."""

from __future__ import annotations

import email.utils
import time

import pytest

from index.corpus.ctgov_api import (
    STATUSES,
    CtgovClient,
    api_message,
    network_reason,
    normalize_statuses,
    retry_after,
)
from index.errors import FetchError
from tests.ctgov_server import FakeCtgov, Fault, synthetic_studies


def client(api: FakeCtgov, **kw: float) -> CtgovClient:
    opts = {"min_interval": 0.0, "max_retries": 1, "backoff": 0.01, "timeout": 5.0} | kw
    return CtgovClient(api.base_url, **opts)


def test_statuses_accept_user_spellings() -> None:
    assert normalize_statuses(["recruiting", "not yet recruiting"]) == ("RECRUITING", "NOT_YET_RECRUITING")
    assert normalize_statuses(["RECRUITING,NOT_YET_RECRUITING", "Recruiting"]) == ("RECRUITING", "NOT_YET_RECRUITING")
    assert normalize_statuses(["active, not recruiting", "completed|terminated"]) == (
        "ACTIVE_NOT_RECRUITING",
        "COMPLETED",
        "TERMINATED",
    )
    with pytest.raises(ValueError, match=r"^unknown status 'recruting'; use one of: active not recruiting, "):
        normalize_statuses(["recruting"])


def test_api_messages_and_retry_after() -> None:
    assert api_message(b'{"message": "bad filter", "code": 400}') == "bad filter"
    assert api_message(b"  filter.ids: invalid NCT ID\n  NCTX \n") == "filter.ids: invalid NCT ID NCTX"
    assert api_message(b"<html><h1>Bad Request</h1></html>", "text/html") == "Bad Request"
    assert api_message(b"") == ""
    assert retry_after("7") == 7.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    assert retry_after("soon") is None and retry_after(None) is None


def test_statuses_are_the_apis_values() -> None:
    assert len(STATUSES) == 14 and "RECRUITING" in STATUSES and "UNKNOWN" in STATUSES
    assert normalize_statuses([]) == ()
    assert normalize_statuses(["Unknown", "withheld"]) == ("UNKNOWN", "WITHHELD")


def test_api_message_keeps_one_line_of_at_most_500_characters() -> None:
    assert api_message(b'{"errors": ["a", "b"], "detail": "d"}') == '["a", "b"]; d'
    assert api_message(b'{"other": 1}') == '{"other": 1}'
    assert api_message(b"[" * 100_000) == "[" * 499 + "…"  # too deeply nested to parse: kept as text
    assert api_message(b"\xff bad bytes") == "\ufffd bad bytes"


def test_retry_after_a_future_date_and_odd_values() -> None:
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25.0 <= (retry_after(soon) or 0.0) <= 30.0
    assert retry_after(" 2.5 ") == 2.5 and retry_after("-4") == 0.0
    assert retry_after("Mon, 31 Feb 2020 00:00:00 GMT") is None
    assert retry_after("") is None


def test_url_keeps_commas_and_bars() -> None:
    c = CtgovClient("https://example.org/api/v2/")
    assert c.url("studies", {"filter.ids": "NCT1,NCT2", "query.term": "a b|c"}) == (
        "https://example.org/api/v2/studies?filter.ids=NCT1,NCT2&query.term=a%20b|c"
    )
    assert c.url("/studies") == "https://example.org/api/v2/studies"


def test_network_reasons_in_words() -> None:
    assert network_reason(TimeoutError(), 5.0) == "no answer within 5 s (timed out)"
    assert network_reason(ConnectionRefusedError(), 5.0) == "could not connect (connection refused)"
    assert network_reason(ConnectionResetError("reset"), 5.0) == (
        "the connection was dropped before the response was complete (reset)"
    )


def test_pages_follow_next_page_token() -> None:
    with FakeCtgov(synthetic_studies(), page_limit=2) as api:
        pages = list(client(api).pages({"format": "json"}))
    assert [len(p["studies"]) for p in pages] == [2, 1]
    assert [r.params.get("pageToken") for r in api.requests] == [None, api.token(2)]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"studies": 5}', "the response is not a page of studies"),
        (b"[1]", "the response is not a page of studies"),
        (b'{"studies": [], "nextPageToken": 7}', "nextPageToken is not a string"),
    ],
)
def test_a_page_that_is_not_a_page_is_a_fetch_error(body: bytes, reason: str) -> None:
    with FakeCtgov(synthetic_studies()) as api:
        api.fault = lambda req: Fault(200, body, {"Content-Type": "application/json"})
        with pytest.raises(FetchError, match=rf"^GET {api.base_url}/studies\?format=json: {reason}$"):
            client(api).studies_page({"format": "json"})


def test_a_body_too_deeply_nested_to_parse_is_retried_then_named() -> None:
    with FakeCtgov(synthetic_studies()) as api:
        api.fault = lambda req: Fault(200, b"[" * 100_000, {"Content-Type": "application/json"})
        with pytest.raises(FetchError, match=r"the response is not valid JSON .* \(gave up after 2 attempts\)$"):
            client(api).get_json("studies", {"format": "json"})
    assert len(api.requests) == 2
