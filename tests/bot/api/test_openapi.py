"""The OpenAPI document fuzzed with schemathesis (its CLI, against the real server on 127.0.0.1):
no 5xx, every status documented, every response matching its schema, schema-invalid requests
rejected with a 4xx, and, with a token set, no route answering without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.api.models import AskResponse, ErrorBody
from bot.api.settings import ApiSettings
from tests.helpers.api_client import TOKEN, call

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
# Every check of the CLI but positive_data_acceptance: a question, a query or a filter can be
# valid JSON Schema and still be unanswerable as sent (a string that is no readable filter);
# that is a 422 naming the problem, not a schema error.
EXCLUDED = "positive_data_acceptance"


def fuzz(url: str, workdir: Path, *extra: str, examples: int = 40) -> subprocess.CompletedProcess[str]:
    """`schemathesis run` against the running server (its caches go to `workdir`, not the checkout)."""
    if not SCHEMATHESIS.is_file():
        pytest.skip(f"schemathesis is not installed ({SCHEMATHESIS}); install the dev extra")
    cmd = [
        str(SCHEMATHESIS),
        "run",
        f"{url}/openapi.json",
        "--max-examples",
        str(examples),
        "--seed",
        "20260716",
        "--exclude-checks",
        EXCLUDED,
        "--generation-database",
        "none",
        "--workers",
        "2",
        *extra,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=workdir)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(api: str, tmp_path: Path) -> None:
    r = fuzz(api, tmp_path)
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
    assert "No issues found" in r.stdout


def test_schemathesis_with_a_token_finds_no_route_open_without_it(serve, tmp_path: Path) -> None:
    url = serve(ApiSettings(port=0, token=TOKEN))
    r = fuzz(url, tmp_path, "-H", f"Authorization: Bearer {TOKEN}", examples=15)
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
    assert "No issues found" in r.stdout


def test_document_describes_the_routes_and_their_statuses(api: str) -> None:
    doc = call("GET", f"{api}/openapi.json").json
    ops = {(m.upper(), p): op for p, item in doc["paths"].items() for m, op in item.items()}
    assert sorted(ops) == [
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/trials/{nct_id}"),
        ("POST", "/ask"),
        ("POST", "/search"),
    ]
    assert sorted(ops["POST", "/ask"]["responses"]) == ["200", "400", "404", "413", "422", "503"]
    assert sorted(ops["GET", "/trials/{nct_id}"]["responses"]) == ["200", "404", "422", "503"]
    assert sorted(ops["GET", "/readyz"]["responses"]) == ["200", "503"]
    schemas = doc["components"]["schemas"]
    assert ops["POST", "/ask"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AskResponse"
    }
    assert set(schemas["AskResponse"]["properties"]) == set(AskResponse.model_fields)
    assert schemas["AskResponse"]["required"] == ["question", "no_answer", "trials"]
    assert schemas["ErrorBody"]["required"] == ["error"] and set(ErrorBody.model_fields) == {"error", "field"}
    ask = schemas["AskRequest"]
    assert ask["additionalProperties"] is False and ask["required"] == ["question"]
    assert ask["properties"]["k"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 10,
        "description": "at most this many trials (1 to 100)",
        "title": "K",
    }
    assert call("GET", f"{api}/docs").text.count("/openapi.json") >= 1
