"""Validate the guidance, then build and write the index: the one path used by the CLI and the service."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from knowledge.embedding import Embedder, EmbeddingCache
from knowledge.index_store import GuidanceIndex, build_index, write_index
from knowledge.settings import KnowledgeSettings
from knowledge.validate import ValidationReport, validate_guidance


@dataclass(frozen=True)
class BuildOutcome:
    """The validation report and, when it had no errors, the index written to disk."""

    report: ValidationReport
    index: GuidanceIndex | None
    embedded_chunks: int = 0
    reused_chunks: int = 0


def chunking_of(settings: KnowledgeSettings) -> dict[str, int]:
    """The chunking parameters recorded in (and checked against) the manifest."""
    return {"max_tokens": settings.model.max_chunk_tokens, "target_tokens": settings.model.target_chunk_tokens}


def validate_and_build(
    guidance_dir: Path, index_dir: Path, cache_dir: Path, embedder: Embedder, settings: KnowledgeSettings, *,
    toolkits_file: Path | None = None, today: date | None = None, strict: bool = False,
    show_progress: bool = False,
) -> BuildOutcome:
    """Validate `guidance_dir`; on success build the index (re-using cached embeddings) and write it atomically.

    Nothing is written when validation finds an error, so the last good index stays in place.
    """
    report = validate_guidance(
        guidance_dir, toolkits_file or settings.resolve(settings.paths.toolkits), settings.areas,
        today=today, strict=strict,
    )
    if not report.ok:
        return BuildOutcome(report=report, index=None)
    index, run = build_index(
        report.items, embedder, EmbeddingCache(cache_dir, embedder.name), chunking_of(settings),
        model_path=str(getattr(embedder, "model_path", embedder.name)), batch_size=settings.model.batch_size,
        show_progress=show_progress,
    )
    write_index(index, index_dir)
    return BuildOutcome(report=report, index=index, embedded_chunks=run.embedded, reused_chunks=run.reused)
