"""Settings read in one place: flags override environment variables, which override defaults.

| variable | meaning | default |
| --- | --- | --- |
| TRIALQA_DATA_DIR | where built indexes and caches live | `<repo>/data` in a checkout, else the user data dir |
| TRIALQA_INDEX | the index directory | `$TRIALQA_DATA_DIR/index` |
| TRIALQA_CORPUS | the corpus the default index is built from | `<repo>/corpus` |
| TRIALQA_MODEL | sentence-transformers model name or path | the packaged all-MiniLM-L6-v2 |
| TRIALQA_LOG_LEVEL | logging level | WARNING |
| CTGOV_API_URL | ClinicalTrials.gov API base, up to and including `/api/v2` | https://clinicaltrials.gov/api/v2 |
| CTGOV_MIN_INTERVAL | minimum seconds between two API requests | 1.3 (about 46 a minute) |
| TRIALQA_BACKEND | where the index lives: `embedded` (files) or `milvus` | embedded |
| TRIALQA_MILVUS_URI | Milvus: a local path (Milvus Lite) or `http://HOST:19530` | `$TRIALQA_DATA_DIR/milvus.db` |
| TRIALQA_MILVUS_TOKEN | Milvus: auth token (`user:password` or an API key) | none |
| TRIALQA_MILVUS_DENSE_INDEX | Milvus: vector index of a full build, `FLAT` or `HNSW` | FLAT (Lite), HNSW (server) |
| TRIALQA_HISTORY | the REPL's history file | `history` in the user data dir |
| TRIALQA_DEVICE | where building embeds: `cpu` or `cuda` (flag `--device`) | cpu |
| TRIALQA_RAY_CPUS | `index --ray`: CPUs of the local Ray it starts (flag `--ray-cpus`) | all |
| TRIALQA_RAY_ACTORS | `index --ray`: embedding actors (flag `--ray-actors`) | one per CPU, or per GPU on cuda |
| NO_COLOR, TERM | no colour when NO_COLOR is set or TERM is `dumb` | colour on a terminal |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from index.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_CTGOV_API_URL = "https://clinicaltrials.gov/api/v2"
DEFAULT_CTGOV_MIN_INTERVAL = 1.3  # the API allows about 50 requests a minute per IP
BACKENDS = ("embedded", "milvus")
DEVICES = ("cpu", "cuda")
DEFAULT_MILVUS_INDEX = "trialqa"  # the collection prefix when no --index / TRIALQA_INDEX names one


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
    ctgov_api_url: str = DEFAULT_CTGOV_API_URL
    ctgov_min_interval: float = DEFAULT_CTGOV_MIN_INTERVAL
    index_named: bool = False  # TRIALQA_INDEX names an index: used as it is, never rebuilt
    history_file: Path | None = None
    no_color: bool = False  # NO_COLOR is set: no colour in terminal output
    term: str = ""  # TERM ("dumb": no escape codes at all)
    backend: str = "embedded"
    milvus_uri: str = ""
    milvus_token: str = ""
    device: str = "cpu"
    ray_cpus: int | None = None
    ray_actors: int | None = None
    milvus_dense_index: str = ""  # "" (FLAT for Milvus Lite, HNSW for a server), "FLAT" or "HNSW"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        data = Path(e["TRIALQA_DATA_DIR"]) if e.get("TRIALQA_DATA_DIR") else _default_data_dir()
        return cls(
            data_dir=data,
            index_dir=Path(e["TRIALQA_INDEX"]) if e.get("TRIALQA_INDEX") else data / "index",
            corpus=Path(e["TRIALQA_CORPUS"]) if e.get("TRIALQA_CORPUS") else REPO_ROOT / "corpus",
            model=e.get("TRIALQA_MODEL") or DEFAULT_MODEL,
            log_level=(e.get("TRIALQA_LOG_LEVEL") or "WARNING").upper(),
            ctgov_api_url=_api_url(e.get("CTGOV_API_URL") or DEFAULT_CTGOV_API_URL),
            ctgov_min_interval=_seconds("CTGOV_MIN_INTERVAL", e.get("CTGOV_MIN_INTERVAL"), DEFAULT_CTGOV_MIN_INTERVAL),
            index_named=bool(e.get("TRIALQA_INDEX")),
            history_file=Path(e["TRIALQA_HISTORY"]) if e.get("TRIALQA_HISTORY") else None,
            no_color="NO_COLOR" in e,
            term=e.get("TERM", ""),
            backend=backend_name(e.get("TRIALQA_BACKEND") or "embedded", "TRIALQA_BACKEND"),
            milvus_uri=e.get("TRIALQA_MILVUS_URI") or str(data / "milvus.db"),
            milvus_token=e.get("TRIALQA_MILVUS_TOKEN", ""),
            device=device_name(e.get("TRIALQA_DEVICE") or "cpu", "TRIALQA_DEVICE"),
            ray_cpus=_count("TRIALQA_RAY_CPUS", e.get("TRIALQA_RAY_CPUS")),
            ray_actors=_count("TRIALQA_RAY_ACTORS", e.get("TRIALQA_RAY_ACTORS")),
            milvus_dense_index=_dense_index(e.get("TRIALQA_MILVUS_DENSE_INDEX", "")),
        )

    def milvus_index(self, index: str | Path | None = None) -> str:
        """The Milvus index (collection prefix) ``--index`` or TRIALQA_INDEX names, else the default."""
        if index:
            return str(index)
        return str(self.index_dir) if self.index_named else DEFAULT_MILVUS_INDEX


def _dense_index(value: str) -> str:
    v = value.strip().upper()
    if v not in ("", "FLAT", "HNSW"):
        raise ConfigError(f"TRIALQA_MILVUS_DENSE_INDEX is FLAT or HNSW, got {value!r}")
    return v


def backend_name(value: str, where: str = "--backend") -> str:
    name = value.strip().lower()
    if name not in BACKENDS:
        raise ConfigError(f"{where} must be one of {', '.join(BACKENDS)}, got {value!r}")
    return name


def device_name(value: str, where: str = "--device") -> str:
    name = value.strip().lower()
    if name not in DEVICES:
        raise ConfigError(f"{where} must be one of {', '.join(DEVICES)}, got {value!r}")
    return name


def _count(name: str, value: str | None) -> int | None:
    """A whole number of at least 1, or None when unset."""
    if value is None or not value.strip():
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)


def _api_url(value: str) -> str:
    url = value.strip().rstrip("/")
    if not url.startswith(("http://", "https://")) or "?" in url or "#" in url:
        raise ConfigError(
            f"CTGOV_API_URL must be an http(s) URL up to and including /api/v2 "
            f"(e.g. {DEFAULT_CTGOV_API_URL}), got {value!r}"
        )
    return url


def _seconds(name: str, value: str | None, default: float) -> float:
    if value is None or not value.strip():
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:  # also rejects nan
        raise ConfigError(f"{name} must be a number of seconds from 0 to 3600, got {value!r}")
    return seconds
