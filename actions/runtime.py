"""What the action server loads once per process: the threshold model, the guidance service, the triage matcher."""

import os
from functools import lru_cache
from pathlib import Path

from knowledge.service import GuidanceService
from pathways.loader import load_model
from pathways.model import ThresholdModel
from pathways.semantic import SemanticMatcher, matcher_or_none

REPO_ROOT = Path(__file__).resolve().parent.parent


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


@lru_cache(maxsize=1)
def threshold_model() -> ThresholdModel:
    """Return the threshold model, loaded once."""
    return load_model(_path_from_env("HIPS_PATHWAYS_DIR", REPO_ROOT / "pathways"))


@lru_cache(maxsize=1)
def guidance_service() -> GuidanceService:
    """Return the guidance search service, loaded once (builds the index if it is missing)."""
    return GuidanceService.from_directory(
        _path_from_env("HIPS_GUIDANCE_DIR", REPO_ROOT / "knowledge" / "guidance"),
        _path_from_env("HIPS_INDEX_DIR", REPO_ROOT / "var" / "index"),
    )


@lru_cache(maxsize=1)
def triage_matcher() -> SemanticMatcher | None:
    """Return the semantic recall layer for free-text triage, sharing the guidance service's embedder."""
    return matcher_or_none(lambda: guidance_service().embedder, threshold_model().exemplars)
