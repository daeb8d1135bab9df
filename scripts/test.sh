#!/usr/bin/env bash
# Set up .venv/ (idempotent) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
.venv/bin/ruff check index bot tests
exec .venv/bin/python -m pytest -q "$@"
