"""Building on Ray (`RayEngine`, a local Ray of 2 CPUs shared by the module): the same index as
the plain build (chunks, vectors, answers, read errors), the vector cache consulted so a
second or resumed run embeds only what is new, and `trialqa index --ray`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from index.build.pipeline import build_index
from index.errors import ConfigError
from index.evaluation.evaluate import load_questions
from index.store.reader import EmbeddedBackend
from index.trial_index import TrialIndex
from tests.conftest import CORPUS, REPO
from tests.helpers.resume import BATCH, interrupted_then_resumed

pytest.importorskip("ray")
from index.build.ray_pipeline import RayEngine, RayOptions

MODEL = "all-MiniLM-L6-v2"
# a few records of each shared format; the study-fields NCT01218464 is also a seed (a merged duplicate)
SHARED_FILES = (
    "ctgov-v2/NCT00023673.json",
    "ctgov-v2/NCT00465816.json",
    "ctgov-xml-aact/NCT00001177.xml",
    "ctgov-xml-aact/NCT00023673.xml",
    "ctgov-msc-studyfields/NCT01218464.json",
    "ctgov-msc-studyfields/NCT00081055.json",
)


@pytest.fixture(scope="module")
def ray_engine() -> Iterator[RayEngine]:
    with RayEngine(RayOptions(cpus=2)) as engine:
        yield engine


@dataclass
class Builds:
    paths: list[Path]
    plain: EmbeddedBackend
    ray: EmbeddedBackend
    ray_cache: Path


@pytest.fixture(scope="module")
def builds(ray_engine: RayEngine, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Builds:
    """The seeds, a few shared records and two malformed files, built both ways from empty caches."""
    tmp = tmp_path_factory.mktemp("ray-builds")
    bad = tmp / "bad"
    bad.mkdir()
    (bad / "broken.json").write_text('{"protocolSection": ')
    (bad / "empty.xml").write_text("")
    paths = [CORPUS, *(shared_data / f for f in SHARED_FILES), bad]
    plain, _ = build_index(paths, tmp / "plain", MODEL, cache_dir=tmp / "plain-cache")
    ray, _ = build_index(paths, tmp / "ray", MODEL, cache_dir=tmp / "ray-cache", engine=ray_engine)
    return Builds(paths, plain, ray, tmp / "ray-cache")


def test_the_ray_build_has_the_plain_builds_chunks_and_trials(builds: Builds) -> None:
    plain, ray = builds.plain, builds.ray
    assert ray.n_chunks == plain.n_chunks > 150
    assert [ray.chunk(i) for i in range(ray.n_chunks)] == [plain.chunk(i) for i in range(plain.n_chunks)]
    assert np.array_equal(np.asarray(ray.chunk_trial), np.asarray(plain.chunk_trial))
    assert ray.sources()["trials"] == plain.sources()["trials"]
    merged = {m[0]: Path(m[1]).parent.name for m in ray.sources()["trials"] if len(m) > 2}  # [NCT, source, *also]
    assert merged == {"NCT00023673": "ctgov-xml-aact", "NCT01218464": "ctgov-msc-studyfields"}  # the richer won


def test_the_ray_build_has_the_plain_builds_vectors(builds: Builds) -> None:
    plain, ray = builds.plain, builds.ray
    assert np.array_equal(np.asarray(ray.vector_rows), np.asarray(plain.vector_rows))
    assert np.array_equal(np.asarray(ray.vector_keys()), np.asarray(plain.vector_keys()))
    rows = np.arange(len(plain.vector_rows))
    ray_vectors, plain_vectors = np.asarray(ray.vectors[rows]), np.asarray(plain.vectors[rows])
    assert ray_vectors.dtype == np.float16 and ray_vectors.shape == (len(rows), 384)
    assert np.array_equal(ray_vectors, plain_vectors)  # the same batches: bit for bit


def test_the_ray_build_gives_the_same_answers(builds: Builds, dev_questions: Path) -> None:
    plain, ray = TrialIndex(builds.plain), TrialIndex(builds.ray)
    for q in load_questions(dev_questions):
        assert ray.ask(q["q"]).to_dict() == plain.ask(q["q"]).to_dict(), q["q"]


def test_malformed_files_are_named_and_the_rest_indexed(builds: Builds) -> None:
    plain, ray = builds.plain.manifest, builds.ray.manifest
    assert ray["errors"] == plain["errors"]
    # NCT00465816.json in the shared folder is a record cut short
    assert sorted(Path(e["source"]).name for e in ray["errors"]) == ["NCT00465816.json", "broken.json", "empty.xml"]
    assert ray["counts"] == plain["counts"]
    assert ray["counts"]["trials"] == 5 + len(SHARED_FILES) - 3  # one unread, NCT00023673 twice, NCT01218464 a seed


def test_a_second_ray_run_with_the_cache_embeds_nothing(builds: Builds, ray_engine: RayEngine, tmp_path: Path) -> None:
    again, _ = build_index(builds.paths, tmp_path / "again", MODEL, cache_dir=builds.ray_cache, engine=ray_engine)
    c = again.manifest["counts"]
    assert (
        c["embedded"] == 0
        and c["reused"] == builds.ray.manifest["counts"]["reused"] + (builds.ray.manifest["counts"]["embedded"])
    )
    rows = np.arange(len(again.vector_rows))
    assert np.array_equal(np.asarray(again.vectors[rows]), np.asarray(builds.ray.vectors[rows]))


@pytest.mark.slow
def test_an_interrupted_ray_build_resumes_embedding_only_the_rest(
    ray_engine: RayEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend, distinct = interrupted_then_resumed(tmp_path, monkeypatch, ray_engine)
    assert backend.manifest["counts"]["embedded"] == distinct - BATCH  # one batch came back before the stop


def test_a_ray_build_of_a_changed_corpus_embeds_only_the_new_file(
    ray_engine: RayEngine, shared_data: Path, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(CORPUS.iterdir())[:3]:
        (corpus / f.name).write_bytes(f.read_bytes())
    cache = tmp_path / "cache"
    first, _ = build_index([corpus], tmp_path / "ix", MODEL, cache_dir=cache, engine=ray_engine)
    before = {first.chunk(int(r)).key for r in first.vector_rows}
    (corpus / "new.json").write_bytes((shared_data / SHARED_FILES[0]).read_bytes())
    second, _ = build_index([corpus], tmp_path / "ix", MODEL, cache_dir=cache, engine=ray_engine)
    new_keys = {second.chunk(int(r)).key for r in second.vector_rows if second.chunk(int(r)).nct_id == "NCT00023673"}
    assert second.manifest["counts"]["trials"] == 4 and second.manifest["counts"]["read_files"] == 1
    assert second.manifest["counts"]["embedded"] == len(new_keys - before) > 0  # texts not seen before


def test_cuda_on_a_cluster_without_a_gpu_is_a_clear_error(ray_engine: RayEngine) -> None:
    with RayEngine(RayOptions(device="cuda")) as cuda, pytest.raises(ConfigError, match="no GPU"):
        cuda.actors()  # on the module's Ray, already running
    assert RayEngine(RayOptions(actors=3)).actors() == 3
    assert ray_engine.actors() == 2  # one per CPU
    with pytest.raises(ConfigError, match="--device"):
        RayOptions(device="tpu")
    with pytest.raises(ConfigError, match="at least 1"):
        RayOptions(cpus=0)


def test_cli_index_with_ray(builds: Builds, tmp_path: Path) -> None:
    """`trialqa index --ray PATH` (a path right after --ray is taken as one) starts its own local
    Ray; its cache is the one `builds` filled, where the study-fields record of NCT01218464 won the
    merge over the seed's: that seed's 14 texts are the new ones."""
    shutil.copytree(builds.ray_cache, tmp_path / "data" / "cache" / "embeddings")
    env = dict(os.environ, TRIALQA_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    args = ["index", "--ray", str(CORPUS), "--index", str(tmp_path / "ix"), "--ray-cpus", "1"]
    r = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert (
        r.stdout
        == f"Indexed 5 trials (131 chunks, 525 terms) from 5 files into {tmp_path / 'ix'}; embedded 14, reused 87.\n"
    )
    usage = subprocess.run(
        [sys.executable, "-m", "bot.cli", "index", str(CORPUS), "--ray-cpus", "2"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert usage.returncode == 2 and "go with --ray" in usage.stderr


def test_a_ray_build_into_milvus_answers_as_the_plain_one(
    ray_engine: RayEngine, dev_questions: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`index --backend milvus --ray`: the Ray engine feeds the Milvus writer (Milvus Lite in process)."""
    pytest.importorskip("pymilvus")
    pytest.importorskip("milvus_lite")
    monkeypatch.setenv("TRIALQA_MILVUS_URI", str(tmp_path / "milvus.db"))
    plain = TrialIndex.build([CORPUS], "plain", backend="milvus")
    ray = TrialIndex.build([CORPUS], "viaray", backend="milvus", engine=ray_engine)
    counts = {k: v for k, v in ray.manifest["counts"].items() if k not in ("embedded", "reused")}
    assert counts == {k: v for k, v in plain.manifest["counts"].items() if k not in ("embedded", "reused")}
    assert ray.manifest["counts"]["embedded"] == 0  # the plain build filled the cache they share
    for q in load_questions(dev_questions):
        assert ray.ask(q["q"]).to_dict() == plain.ask(q["q"]).to_dict(), q["q"]


def test_cli_index_on_a_running_ray_cluster(ray_engine: RayEngine, builds: Builds, tmp_path: Path) -> None:
    """`trialqa index --ray ADDRESS` connects to that cluster (here the module's Ray, by its GCS
    address) and leaves it running."""
    import ray

    address = ray.get_runtime_context().gcs_address
    shutil.copytree(builds.ray_cache, tmp_path / "data" / "cache" / "embeddings")
    env = dict(os.environ, TRIALQA_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    args = ["index", str(CORPUS), "--index", str(tmp_path / "ix"), "--ray", address, "--json"]
    r = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=300
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["counts"]["embedded"] == 14
    assert ray.is_initialized() and ray_engine.actors() == 2
