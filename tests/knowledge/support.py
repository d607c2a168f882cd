"""Offline test doubles and builders for the knowledge tests (no model download, no network)."""

import hashlib
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.embedding import EmbeddingCache
from knowledge.search import GuidanceSearcher
from knowledge.service import GuidanceService
from knowledge.settings import KnowledgeSettings, load_settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "guidance"
FIXTURE_ITEMS = FIXTURES / "items"
FIXTURE_TOOLKITS = FIXTURES / "toolkits.yml"


class HashingEmbedder:
    """A deterministic bag-of-words embedder: each word hashed into one of 256 dimensions, L2-normalised.

    It records every text it embeds, so tests can count model calls.
    """

    name = "test-hashing-embedder"
    dimension = 256

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                vectors[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def known_words(self) -> frozenset[str]:
        return frozenset()


def settings_for_tests(**abstention: float) -> KnowledgeSettings:
    """Real settings with abstention thresholds suited to the hashing embedder."""
    base = load_settings()
    rule = base.abstention.model_copy(
        update={"dense_accept": 0.6, "dense_floor": 0.1, "min_coverage": 0.3, "dense_only_min_cosine": 0.2}
        | abstention
    )
    return base.model_copy(update={"abstention": rule})


def copy_fixture_guidance(target: Path) -> Path:
    """Copy the fixture items into `target` (a tmp folder) and return it."""
    shutil.copytree(FIXTURE_ITEMS, target)
    return target


def make_service(tmp_path: Path, embedder: HashingEmbedder | None = None,
                 settings: KnowledgeSettings | None = None, out_of_scope_dir: Path | None = None) -> GuidanceService:
    """A GuidanceService over a private copy of the fixture guidance, with the hashing embedder
    (and the out-of-scope topics in `out_of_scope_dir`, if given)."""
    guidance = tmp_path / "guidance"
    if not guidance.exists():
        copy_fixture_guidance(guidance)
    return GuidanceService.from_directory(
        guidance, tmp_path / "index", cache_dir=tmp_path / "cache", settings=settings or settings_for_tests(),
        embedder=embedder or HashingEmbedder(), toolkits_file=FIXTURE_TOOLKITS, out_of_scope_dir=out_of_scope_dir,
    )


__all__ = ["EmbeddingCache", "GuidanceSearcher", "HashingEmbedder", "make_service", "settings_for_tests",
           "copy_fixture_guidance", "FIXTURE_ITEMS", "FIXTURE_TOOLKITS"]
