"""Validate the guidance, then build and write the index: the one path used by the CLI and the service."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from knowledge.embedding import Embedder, EmbeddingCache
from knowledge.index_store import GuidanceIndex, build_index, write_index
from knowledge.out_of_scope import validate_out_of_scope
from knowledge.settings import KnowledgeSettings
from knowledge.synonyms import check_synonyms
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


def validate_content(
    guidance_dir: Path, out_of_scope_dir: Path | None, toolkits_file: Path, areas: list[str], *,
    today: date | None = None, strict: bool = False, synonyms_file: Path | None = None,
) -> ValidationReport:
    """Validate the guidance, the out-of-scope topics and the synonyms together, every problem in one report.

    Args:
        guidance_dir: folder of `<toolkit>/<slug>.yml` guidance items.
        out_of_scope_dir: folder of out-of-scope topic files (None or missing: no topics).
        toolkits_file: the allowed toolkits.
        areas: the allowed areas (besides `all`).
        today: date for overdue-review checks.
        strict: overdue reviews are errors.
        synonyms_file: the query expansion table (None or missing: none).

    Returns:
        Items and topics (both empty when there is any error) and every problem.
    """
    guidance = validate_guidance(guidance_dir, toolkits_file, areas, today=today, strict=strict)
    known_ids = {item.id for item in guidance.items}
    topics, problems = validate_out_of_scope(out_of_scope_dir, known_ids)
    if synonyms_file is not None:
        problems.extend(check_synonyms(synonyms_file)[1])
    errors = guidance.errors + tuple(problems)
    return ValidationReport(items=() if errors else guidance.items, errors=errors, warnings=guidance.warnings,
                            topics=() if errors else topics)


def out_of_scope_dir_of(settings: KnowledgeSettings, guidance_dir: Path) -> Path | None:
    """The configured out-of-scope folder when `guidance_dir` is the configured guidance, else None
    (other guidance folders, such as test fixtures, pass their topics folder explicitly).
    """
    if guidance_dir.resolve() == settings.resolve(settings.paths.guidance).resolve():
        return settings.resolve(settings.paths.out_of_scope)
    return None


def validate_and_build(
    guidance_dir: Path, index_dir: Path, cache_dir: Path, embedder: Embedder, settings: KnowledgeSettings, *,
    toolkits_file: Path | None = None, today: date | None = None, strict: bool = False,
    show_progress: bool = False, out_of_scope_dir: Path | None = None,
) -> BuildOutcome:
    """Validate `guidance_dir` and the out-of-scope topics; on success build the index (re-using cached
    embeddings) and write it atomically.

    Nothing is written when validation finds an error, so the last good index stays in place.
    """
    report = validate_content(
        guidance_dir, out_of_scope_dir, toolkits_file or settings.resolve(settings.paths.toolkits), settings.areas,
        today=today, strict=strict, synonyms_file=settings.resolve(settings.paths.synonyms),
    )
    if not report.ok:
        return BuildOutcome(report=report, index=None)
    index, run = build_index(
        report.items, embedder, EmbeddingCache(cache_dir, embedder.name), chunking_of(settings),
        model_path=str(getattr(embedder, "model_path", embedder.name)), batch_size=settings.model.batch_size,
        show_progress=show_progress, topics=report.topics,
    )
    write_index(index, index_dir)
    return BuildOutcome(report=report, index=index, embedded_chunks=run.embedded, reused_chunks=run.reused)
