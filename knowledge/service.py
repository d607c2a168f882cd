"""GuidanceService: the one object the API and the bot use to search and read guidance.

It serves an immutable searcher and swaps in a new one after a successful reload, under a lock;
searches in flight keep the searcher they started with, and a failed reload keeps the last good one.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from knowledge.abstention import load_abstention_model
from knowledge.embedding import Embedder, SentenceTransformerEmbedder
from knowledge.errors import IndexCorrupt, IndexMissing, IndexUnavailable, InvalidQuery
from knowledge.index_store import content_hash, read_index
from knowledge.pipeline import chunking_of, out_of_scope_dir_of, validate_and_build, validate_content
from knowledge.schema import GuidanceItem
from knowledge.search import GuidanceSearcher, Mode, SearchResponse
from knowledge.settings import KnowledgeSettings, load_settings
from knowledge.synonyms import load_synonyms

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadReport:
    """What a reload did. When `ok` is False the previous index is still being served."""

    ok: bool
    item_count: int
    chunk_count: int
    duration_seconds: float
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    embedded_chunks: int = 0
    reused_chunks: int = 0


class GuidanceService:
    """Search and read guidance items; rebuild the index on demand without interrupting searches."""

    def __init__(self, guidance_dir: Path, index_dir: Path, cache_dir: Path, settings: KnowledgeSettings,
                 embedder: Embedder, searcher: GuidanceSearcher, toolkits_file: Path | None = None,
                 out_of_scope_dir: Path | None = None) -> None:
        self.guidance_dir = guidance_dir
        self.out_of_scope_dir = out_of_scope_dir
        self.index_dir = index_dir
        self.cache_dir = cache_dir
        self.settings = settings
        self.embedder = embedder
        self.toolkits_file = toolkits_file or settings.resolve(settings.paths.toolkits)
        self._searcher = searcher
        self._reload_lock = threading.Lock()

    @classmethod
    def from_directory(
        cls, guidance_dir: Path | None = None, index_dir: Path | None = None, *, cache_dir: Path | None = None,
        settings: KnowledgeSettings | None = None, embedder: Embedder | None = None,
        toolkits_file: Path | None = None, today: date | None = None, out_of_scope_dir: Path | None = None,
    ) -> "GuidanceService":
        """Load the index at `index_dir`, building it from `guidance_dir` when missing, corrupt or stale.

        Args:
            guidance_dir: guidance folder (default from knowledge/settings.yml).
            index_dir: index location (default from knowledge/settings.yml).
            cache_dir: embedding cache (default from knowledge/settings.yml).
            settings: tunables (default: knowledge/settings.yml).
            embedder: embedding model (default: the offline all-MiniLM-L6-v2, loaded once per process).
            toolkits_file: allowed toolkits (default from knowledge/settings.yml).
            today: date for overdue-review checks (default: today).
            out_of_scope_dir: out-of-scope topics (default: the configured folder when `guidance_dir` is the
                configured guidance, else none).

        Raises:
            IndexUnavailable: no usable index on disk and the guidance cannot be built (errors listed).
        """
        settings = settings or load_settings()
        guidance_dir = guidance_dir or settings.resolve(settings.paths.guidance)
        index_dir = index_dir or settings.resolve(settings.paths.index)
        cache_dir = cache_dir or settings.resolve(settings.paths.embedding_cache)
        toolkits_file = toolkits_file or settings.resolve(settings.paths.toolkits)
        out_of_scope_dir = out_of_scope_dir or out_of_scope_dir_of(settings, guidance_dir)
        embedder = embedder or SentenceTransformerEmbedder(settings.model.name, batch_size=settings.model.batch_size)
        index = None
        try:
            index = read_index(index_dir, embedder.dimension)
        except IndexMissing:
            logger.info("no guidance index at %s: building it", index_dir)
        except IndexCorrupt as error:
            logger.warning("guidance index unusable (%s): rebuilding it", error)
        report = validate_content(guidance_dir, out_of_scope_dir, toolkits_file, settings.areas, today=today,
                                  synonyms_file=settings.resolve(settings.paths.synonyms))
        if index is not None and not report.ok:
            logger.warning("guidance has %d error(s): serving the existing index", len(report.errors))
        elif index is None or _is_stale(index.manifest, report, embedder, settings):
            outcome = validate_and_build(guidance_dir, index_dir, cache_dir, embedder, settings,
                                         toolkits_file=toolkits_file, today=today, out_of_scope_dir=out_of_scope_dir)
            if outcome.index is None:
                errors = [str(problem) for problem in outcome.report.errors]
                raise IndexUnavailable("no usable guidance index and the guidance has errors:\n" + "\n".join(errors))
            index = outcome.index
        searcher = _searcher(index, embedder, settings)
        return cls(guidance_dir, index_dir, cache_dir, settings, embedder, searcher, toolkits_file, out_of_scope_dir)

    def search(self, query: str, k: int = 3, area: str | None = None, mode: Mode = "hybrid") -> SearchResponse:
        """Search the guidance.

        Args:
            query: the question, 1..max_query_chars characters after trimming.
            k: number of items wanted, 1..max_k.
            area: one of the configured areas, or None for no area filter.
            mode: `hybrid`, or `dense`/`lexical` for the benchmark.

        Raises:
            InvalidQuery: the query, k or area is out of bounds.
        """
        limits = self.settings.search
        if not isinstance(query, str) or not query.strip():
            raise InvalidQuery("the query is empty")
        if len(query) > limits.max_query_chars:
            raise InvalidQuery(f"the query is longer than {limits.max_query_chars} characters")
        if not 1 <= k <= limits.max_k:
            raise InvalidQuery(f"k must be between 1 and {limits.max_k}")
        if area is not None and area not in self.settings.areas:
            raise InvalidQuery(f'unknown area "{area}" (known: {", ".join(self.settings.areas)})')
        searcher = self._searcher
        return searcher.search(query.strip(), k=k, area=area, mode=mode)

    def get(self, item_id: str) -> GuidanceItem | None:
        """Return the item with this id, or None."""
        return self._searcher.index.items.get(item_id)

    @property
    def item_count(self) -> int:
        """Number of items being served."""
        return len(self._searcher.index.items)

    def reload(self, today: date | None = None) -> ReloadReport:
        """Validate the guidance and rebuild the index, then swap it in; keep the old one on any error."""
        with self._reload_lock:
            started = time.perf_counter()
            outcome = validate_and_build(self.guidance_dir, self.index_dir, self.cache_dir, self.embedder,
                                         self.settings, toolkits_file=self.toolkits_file, today=today,
                                         out_of_scope_dir=self.out_of_scope_dir)
            warnings = [str(problem) for problem in outcome.report.warnings]
            if outcome.index is None:
                current = self._searcher.index
                return ReloadReport(
                    ok=False, item_count=len(current.items), chunk_count=len(current.chunks),
                    duration_seconds=time.perf_counter() - started,
                    errors=[str(problem) for problem in outcome.report.errors], warnings=warnings,
                )
            self._searcher = _searcher(outcome.index, self.embedder, self.settings)
            logger.info("guidance reloaded: %d items", len(outcome.index.items))
            return ReloadReport(
                ok=True, item_count=len(outcome.index.items), chunk_count=len(outcome.index.chunks),
                duration_seconds=time.perf_counter() - started, warnings=warnings,
                embedded_chunks=outcome.embedded_chunks, reused_chunks=outcome.reused_chunks,
            )


def _searcher(index, embedder: Embedder, settings: KnowledgeSettings) -> GuidanceSearcher:
    synonyms = load_synonyms(settings.resolve(settings.paths.synonyms))
    model_file = settings.abstention.model_file
    model = load_abstention_model(settings.resolve(model_file)) if model_file is not None else None
    return GuidanceSearcher(index, embedder, settings.search, settings.abstention, synonyms, model)


def _is_stale(manifest, report, embedder: Embedder, settings: KnowledgeSettings) -> bool:
    return (
        manifest.content_hash != content_hash(report.items, report.topics)
        or manifest.model_name != embedder.name
        or manifest.chunking != chunking_of(settings)
    )
