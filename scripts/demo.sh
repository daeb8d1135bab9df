#!/usr/bin/env bash
# Set up .venv/ (idempotent) and answer the example question over corpus/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
exec .venv/bin/trialqa ask "${@:-which trials use the hepatic artery?}"
