#!/usr/bin/env bash
# Set up .venv/ (idempotent) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
.venv/bin/ruff check index bot tests
.venv/bin/mypy  # index/ and bot/, untyped definitions disallowed (pyproject.toml [tool.mypy])
exec .venv/bin/python -m pytest -q "$@"
