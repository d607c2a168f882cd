"""Retrieval tunables read from knowledge/settings.yml (data, not code)."""

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

REPO_ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = Path(__file__).resolve().parent / "settings.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PathSettings(_Strict):
    guidance: Path
    toolkits: Path
    index: Path
    embedding_cache: Path
    out_of_scope: Path
    synonyms: Path


class ModelSettings(_Strict):
    name: str
    max_chunk_tokens: int = Field(gt=16, le=256)
    target_chunk_tokens: int = Field(gt=0)
    batch_size: int = Field(gt=0)


class SearchSettings(_Strict):
    top_k: int = Field(ge=1)
    max_k: int = Field(ge=1)
    max_query_chars: int = Field(ge=1)
    snippet_chars: int = Field(ge=40)
    rrf_k: float = Field(gt=0)
    fusion_lexical_weight: float = Field(ge=0)
    bm25_title_repeats: int = Field(ge=0)
    question_weight: float = Field(ge=0, le=1)
    place_names: list[str]
    bm25_k1: float = Field(gt=0)
    bm25_b: float = Field(ge=0, le=1)
    spelling_min_length: int = Field(ge=1)
    spelling_max_edits_short: int = Field(ge=0)
    spelling_long_word: int = Field(ge=1)
    spelling_max_edits_long: int = Field(ge=0)


class AbstentionSettings(_Strict):
    dense_accept: float
    dense_floor: float
    min_coverage: float = Field(ge=0, le=1)
    dense_only_min_cosine: float
    lexical_only_min_coverage: float = Field(ge=0, le=1)
    out_of_scope_min_cosine: float
    out_of_scope_margin: float
    out_of_scope_max_coverage: float = Field(ge=0, le=1.01)
    model_file: Path | None = None
    never_abstain_patterns: list[str] = []
    child_patterns: list[str] = []


class KnowledgeSettings(_Strict):
    """All tunables of the knowledge package."""

    paths: PathSettings
    areas: list[str]
    model: ModelSettings
    search: SearchSettings
    abstention: AbstentionSettings

    def resolve(self, path: Path) -> Path:
        """Return `path` made absolute against the repository root."""
        return path if path.is_absolute() else REPO_ROOT / path


@lru_cache(maxsize=1)
def load_settings(settings_file: Path = SETTINGS_FILE) -> KnowledgeSettings:
    """Read and validate the settings file once per process.

    Args:
        settings_file: YAML file with the tunables.

    Returns:
        The validated settings.
    """
    with settings_file.open(encoding="utf-8") as handle:
        return KnowledgeSettings.model_validate(yaml.safe_load(handle))
