"""Building into Milvus: where the query encoder is kept, and an export that is reused."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.build.milvus import encoder_dir_for, export_encoder
from index.retrieval.embed import OnnxEncoder

MODEL = "all-MiniLM-L6-v2"


def test_encoder_dir_is_per_model(tmp_path: Path) -> None:
    assert encoder_dir_for(tmp_path, MODEL).parent == tmp_path / "query_encoder"
    assert encoder_dir_for(tmp_path, MODEL) != encoder_dir_for(tmp_path, "/models/other")


def test_an_export_of_the_same_model_is_reused(seed_index_dir: Path, tmp_path: Path) -> None:
    (made,) = sorted(seed_index_dir.glob("gen-*/query_encoder"))
    out = encoder_dir_for(tmp_path, MODEL)
    shutil.copytree(made, out)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert export_encoder(MODEL, out) == out
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert OnnxEncoder(out).model_id == MODEL
