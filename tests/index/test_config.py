"""index.config: settings from the environment, read in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.config import REPO_ROOT, Settings
from index.errors import ConfigError


def test_defaults_in_a_checkout() -> None:
    s = Settings.from_env({})
    assert s.data_dir == REPO_ROOT / "data"
    assert s.index_dir == REPO_ROOT / "data" / "index"
    assert s.corpus == REPO_ROOT / "corpus"
    assert (s.model, s.log_level, s.index_named, s.history_file, s.no_color, s.term) == (
        "all-MiniLM-L6-v2",
        "WARNING",
        False,
        None,
        False,
        "",
    )
    assert (s.ctgov_api_url, s.ctgov_min_interval) == ("https://clinicaltrials.gov/api/v2", 1.3)


def test_every_variable() -> None:
    s = Settings.from_env(
        {
            "TRIALQA_DATA_DIR": "/d",
            "TRIALQA_INDEX": "/i",
            "TRIALQA_CORPUS": "/c",
            "TRIALQA_MODEL": "m",
            "TRIALQA_LOG_LEVEL": "info",
            "TRIALQA_HISTORY": "/h",
            "NO_COLOR": "",
            "TERM": "dumb",
            "CTGOV_API_URL": "http://127.0.0.1:9/api/v2/",
            "CTGOV_MIN_INTERVAL": "0",
        }
    )
    assert (s.data_dir, s.index_dir, s.corpus, s.history_file) == (Path("/d"), Path("/i"), Path("/c"), Path("/h"))
    assert (s.model, s.log_level, s.index_named, s.no_color, s.term) == ("m", "INFO", True, True, "dumb")
    assert (s.ctgov_api_url, s.ctgov_min_interval) == ("http://127.0.0.1:9/api/v2", 0.0)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CTGOV_API_URL", "ftp://x", "CTGOV_API_URL must be an http(s) URL up to and including /api/v2"),
        ("CTGOV_MIN_INTERVAL", "soon", "CTGOV_MIN_INTERVAL must be a number of seconds from 0 to 3600, got 'soon'"),
        ("CTGOV_MIN_INTERVAL", "nan", "CTGOV_MIN_INTERVAL must be a number of seconds from 0 to 3600, got 'nan'"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env({name: value})


def test_backend_settings() -> None:
    from index.config import Settings

    s = Settings.from_env({"TRIALQA_DATA_DIR": "/d"})
    assert (s.backend, s.milvus_uri, s.milvus_token) == ("embedded", "/d/milvus.db", "")
    assert s.milvus_index() == "trialqa"
    assert s.milvus_index("seeds") == "seeds"
    s = Settings.from_env(
        {
            "TRIALQA_DATA_DIR": "/d",
            "TRIALQA_BACKEND": "Milvus",
            "TRIALQA_MILVUS_URI": "http://127.0.0.1:19530",
            "TRIALQA_MILVUS_TOKEN": "root:Milvus",
            "TRIALQA_INDEX": "seeds",
        }
    )
    assert (s.backend, s.milvus_uri, s.milvus_token, s.milvus_index()) == (
        "milvus",
        "http://127.0.0.1:19530",
        "root:Milvus",
        "seeds",
    )
    with pytest.raises(ConfigError, match="TRIALQA_BACKEND must be one of embedded, milvus, got 'faiss'"):
        Settings.from_env({"TRIALQA_BACKEND": "faiss"})


def test_build_engine_settings() -> None:
    s = Settings.from_env({})
    assert (s.device, s.ray_cpus, s.ray_actors) == ("cpu", None, None)
    s = Settings.from_env({"TRIALQA_DEVICE": "CUDA", "TRIALQA_RAY_CPUS": "4", "TRIALQA_RAY_ACTORS": "2"})
    assert (s.device, s.ray_cpus, s.ray_actors) == ("cuda", 4, 2)
    with pytest.raises(ConfigError, match=r"^TRIALQA_DEVICE must be one of cpu, cuda, got 'tpu'$"):
        Settings.from_env({"TRIALQA_DEVICE": "tpu"})
    with pytest.raises(ConfigError, match=r"^TRIALQA_RAY_CPUS must be a whole number of at least 1, got '0'$"):
        Settings.from_env({"TRIALQA_RAY_CPUS": "0"})
    with pytest.raises(ConfigError, match=r"^TRIALQA_RAY_ACTORS must be a whole number of at least 1, got 'two'$"):
        Settings.from_env({"TRIALQA_RAY_ACTORS": "two"})
