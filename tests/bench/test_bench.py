"""A small run of the benchmark machinery (the real benchmarks: `python -m tests.bench.run`)."""

from pathlib import Path

import pytest

from tests.conftest import CORPUS

pytestmark = pytest.mark.slow


def test_latency_pipeline_on_a_small_synthetic_index(tmp_path: Path, seed_index_dir: Path) -> None:
    from index.store.layout import current_generation
    from tests.bench import latency
    from tests.bench.corpus import token_stats
    from tests.bench.report import render, targets

    stats = token_stats(tmp_path / "cache", CORPUS)
    d = tmp_path / "synthetic"
    d.mkdir()
    made = latency.make(d, 3000, stats, current_generation(seed_index_dir) / "query_encoder")
    assert made["size"] == 3000 and made["trials"] >= 1
    ours = latency.ours(d, rounds=1)
    for op in ("bm25_scores", "bm25_topk", "dense_topk", "hybrid", "ask"):
        assert ours[op]["p50_ms"] > 0
    peers = {"rank_bm25": latency.rank_bm25_run(d), "bm25s": latency.bm25s_run(d, rounds=1)}
    report = {"latency": {"100000": {"index": made, "ours": ours, **peers}}}
    text = render(report)
    assert "## Query latency" in text and "rank-bm25" in text
    assert any(t[0].startswith("hybrid p50 at 100k") for t in targets(report))


def test_milvus_section_on_a_small_synthetic_index(tmp_path: Path, seed_index_dir: Path) -> None:
    pytest.importorskip("milvus_lite")
    from index.store.layout import current_generation
    from tests.bench import latency, milvusbench
    from tests.bench.corpus import token_stats
    from tests.bench.report_scale import estimate_lines, milvus_lines

    stats = token_stats(tmp_path / "cache", CORPUS)
    enc = current_generation(seed_index_dir) / "query_encoder"
    d = tmp_path / "synthetic"
    d.mkdir()
    made = latency.make(d, 2000, stats, enc)
    milvusbench.exact_top10(d)
    built = milvusbench.write(d, 2000, stats, enc)
    assert built["size"] == 2000 and built["write_s"] > 0
    assert built["dense_index"] == "FLAT" and built["client_calls_s"]["insert"] > 0  # column-based inserts timed
    res: dict = {"embedded_build": made, "milvus_build": built, "measured": {"date": "", "load_average": []}}
    for backend in ("embedded", "milvus"):
        res[backend] = milvusbench.query(d, backend, enc, rounds=1)
        for op in ("bm25_topk", "dense_topk", "hybrid", "ask"):
            assert res[backend][op]["n"] == 39
    assert res["embedded"]["dense_overlap_at_10_vs_exact"] == res["milvus"]["dense_overlap_at_10_vs_exact"] == 1.0
    assert res["milvus"]["milvus_requests_per_ask"]["search"] > 0
    report = {"milvus": {"2000": res}, "embed": {"ours": {"texts_per_s": 75.0}},
              "incremental": {"real_index": {"chunks": 3, "vectors": 1}}}  # fmt: skip
    text = "\n".join(milvus_lines(report["milvus"]) + estimate_lines(report))
    assert "| dense vectors in | int8 scan | FLAT |" in text
    assert "## Milvus Lite vs the embedded backend" in text and "## Estimate: embedding and serving 10 M" in text
