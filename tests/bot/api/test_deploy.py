"""The API's deploy kit agrees with the code: the unit runs `trialqa serve`, the env example
documents every setting `ApiSettings` reads, the image documents how to serve the API."""

from __future__ import annotations

import re
from pathlib import Path

import bot.api.settings

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def test_systemd_unit_for_serve() -> None:
    unit = (DEPLOY / "trialqa-serve.service").read_text(encoding="utf-8")
    keys = dict(re.findall(r"^(\w+)=(.*)$", unit, re.M))
    assert keys["EnvironmentFile"] == "/etc/trialqa/serve.env"
    assert keys["ExecStart"] == "/opt/trialqa/venv/bin/trialqa serve"
    assert (keys["User"], keys["NoNewPrivileges"], keys["ProtectSystem"]) == ("trialqa", "yes", "strict")
    assert keys["RestartPreventExitStatus"] == "2 3"


def test_env_example_documents_every_api_setting() -> None:
    lines = (DEPLOY / "serve.env.example").read_text(encoding="utf-8").splitlines()
    names = {m.group(1) for ln in lines if (m := re.match(r"#?([A-Z][A-Z_]+)=", ln))}
    read = set(re.findall(r"TRIALQA_API_[A-Z_]+", Path(bot.api.settings.__file__).read_text(encoding="utf-8")))
    assert read == {"TRIALQA_API_HOST", "TRIALQA_API_PORT", "TRIALQA_API_TOKEN", "TRIALQA_API_CORS_ORIGINS"}
    assert read <= names
    for i, ln in enumerate(lines):
        if re.match(r"[A-Z][A-Z_]+=", ln):
            assert lines[i - 1].startswith("# "), ln
            assert ln.split("=", 1)[1] in ("", "127.0.0.1", "8000"), "no real value in the example"


def test_the_image_documents_serving_the_api() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "--entrypoint trialqa trialqa-slack serve --host 0.0.0.0 --port 8000" in text
    assert "EXPOSE 3000 8000" in text
