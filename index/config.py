"""Settings read in one place: flags override environment variables, which override defaults.

| variable | meaning | default |
| --- | --- | --- |
| TRIALQA_DATA_DIR | where built indexes and caches live | `<repo>/data` in a checkout, else the user data dir |
| TRIALQA_INDEX | the index directory | `$TRIALQA_DATA_DIR/index` |
| TRIALQA_CORPUS | the corpus the default index is built from | `<repo>/corpus` |
| TRIALQA_MODEL | sentence-transformers model name or path | the packaged all-MiniLM-L6-v2 |
| TRIALQA_LOG_LEVEL | logging level | WARNING |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = "all-MiniLM-L6-v2"


def _default_data_dir() -> Path:
    if (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "corpus").is_dir():
        return REPO_ROOT / "data"
    from platformdirs import user_data_dir

    return Path(user_data_dir("trialqa"))


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    index_dir: Path
    corpus: Path
    model: str
    log_level: str

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        data = Path(e["TRIALQA_DATA_DIR"]) if e.get("TRIALQA_DATA_DIR") else _default_data_dir()
        return cls(
            data_dir=data,
            index_dir=Path(e["TRIALQA_INDEX"]) if e.get("TRIALQA_INDEX") else data / "index",
            corpus=Path(e["TRIALQA_CORPUS"]) if e.get("TRIALQA_CORPUS") else REPO_ROOT / "corpus",
            model=e.get("TRIALQA_MODEL") or DEFAULT_MODEL,
            log_level=(e.get("TRIALQA_LOG_LEVEL") or "WARNING").upper(),
        )
