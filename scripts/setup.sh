#!/usr/bin/env bash
# Create .venv/ at the repo root and install trialqa (editable) with its dev tools.
# Idempotent: re-running only installs what changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "trialqa setup: creating .venv/ with $("$py" --version)" >&2
    "$py" -m venv .venv
fi
# redis-server (Debian's package) for the tests of the bot's shared Redis state; they skip without it.
if ! command -v redis-server >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
    echo "trialqa setup: installing redis-server (apt-get)" >&2
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server; } >/dev/null \
        || echo "trialqa setup: could not install redis-server; the Redis state tests will be skipped" >&2
fi
stamp=".venv/.trialqa-install-stamp"
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && .venv/bin/python -c "import index, bot" 2>/dev/null; then
    exit 0
fi
echo "trialqa setup: installing dependencies into .venv/ (first run takes a few minutes)" >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
# torch first, pinned to the CPU build, so nothing else can pull a CUDA build.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt "torch==2.13.0"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
echo "$want" > "$stamp"
