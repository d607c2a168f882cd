"""Build the dense index and its JSON metadata, write it atomically, read and verify it.

Layout: `<index>` is a symlink to `<index>.builds/<build-id>/`, which holds `manifest.json`,
`items.json`, `chunks.json` and `dense.faiss`, `questions.faiss` (one vector per question an item says it
answers, in item order, then question order: see `question_rows`), and for the out-of-scope topics `topics.json`
and `topics.faiss` (one vector per topic text, in the order of `topics.json`). A new build is written into a
fresh folder and the symlink is replaced in one `rename`, so a reader sees either the old or the new index.
"""

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from knowledge.chunking import Chunk, chunk_items
from knowledge.embedding import Embedder, EmbeddingCache, EmbeddingRun, embed_chunks
from knowledge.errors import IndexCorrupt, IndexMissing
from knowledge.out_of_scope import OutOfScopeTopic
from knowledge.schema import GuidanceItem

FORMAT_VERSION = 3
DENSE_FILE, ITEMS_FILE, CHUNKS_FILE, MANIFEST_FILE = "dense.faiss", "items.json", "chunks.json", "manifest.json"
TOPICS_FILE, TOPICS_DENSE_FILE = "topics.json", "topics.faiss"
QUESTIONS_DENSE_FILE = "questions.faiss"
BUILDS_KEPT = 3


@dataclass(frozen=True)
class Manifest:
    """What an index was built from; checked on every load."""

    version: int
    model_name: str
    model_path: str
    dimension: int
    content_hash: str
    chunking: dict[str, int]
    item_count: int
    chunk_count: int
    built_at: str
    files: dict[str, str]


@dataclass(frozen=True)
class GuidanceIndex:
    """Everything a searcher needs: items, chunks, questions and out-of-scope topics, each with an exact index.

    `question_of_row` and `topic_of_row` name the item or topic of each row of `question_dense` and `topic_dense`.
    """

    manifest: Manifest
    items: dict[str, GuidanceItem]
    chunks: list[Chunk]
    dense: faiss.Index
    topics: dict[str, OutOfScopeTopic]
    topic_of_row: list[str]
    topic_dense: faiss.Index
    question_of_row: list[str]
    question_dense: faiss.Index


def content_hash(items: list[GuidanceItem] | tuple[GuidanceItem, ...],
                 topics: list[OutOfScopeTopic] | tuple[OutOfScopeTopic, ...] = ()) -> str:
    """sha256 over every item's and out-of-scope topic's content, independent of file order."""
    payload = json.dumps([item.to_json() for item in sorted(items, key=lambda i: i.id)]
                         + [topic.to_json() for topic in sorted(topics, key=lambda t: t.id)], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def topic_rows(topics: tuple[OutOfScopeTopic, ...] | list[OutOfScopeTopic]) -> list[Chunk]:
    """One embeddable row per topic text (title and description, then each phrasing)."""
    return [Chunk(item_id=topic.id, position=position, text=text, passage=text)
            for topic in topics for position, text in enumerate(topic.texts())]


def question_rows(items: tuple[GuidanceItem, ...] | list[GuidanceItem]) -> list[Chunk]:
    """One embeddable row per question an item answers, in item order."""
    return [Chunk(item_id=item.id, position=position, text=question, passage=question)
            for item in items for position, question in enumerate(item.questions)]


def build_index(
    items: tuple[GuidanceItem, ...], embedder: Embedder, cache: EmbeddingCache, chunking: dict[str, int],
    model_path: str, batch_size: int = 32, show_progress: bool = False, topics: tuple[OutOfScopeTopic, ...] = (),
) -> tuple[GuidanceIndex, EmbeddingRun]:
    """Chunk and embed validated items; build exact `IndexFlatIP`s over chunks, item questions and topic texts.

    Args:
        items: validated guidance items.
        topics: validated out-of-scope topics, embedded into their own exact index.
        embedder: the embedding model (its `count_tokens` sizes the chunks).
        cache: embedding cache; only chunks missing from it are embedded.
        chunking: `max_tokens` and `target_tokens` for `chunk_items`.
        model_path: recorded in the manifest.
        batch_size: texts per model call.
        show_progress: draw a progress bar while embedding.

    Returns:
        The in-memory index (not yet written) and the embedding counts.
    """
    chunks = chunk_items(items, embedder.count_tokens, chunking["max_tokens"], chunking["target_tokens"])
    questions, rows = question_rows(items), topic_rows(topics)
    run = embed_chunks([*chunks, *questions, *rows], embedder, cache, batch_size=batch_size,
                       show_progress=show_progress)
    dense, question_dense, topic_dense = (faiss.IndexFlatIP(embedder.dimension) for _ in range(3))
    ends = np.cumsum([len(chunks), len(questions), len(rows)])
    for target, start, end in ((dense, 0, ends[0]), (question_dense, ends[0], ends[1]),
                               (topic_dense, ends[1], ends[2])):
        if end > start:
            target.add(run.vectors[start:end])
    manifest = Manifest(
        version=FORMAT_VERSION, model_name=embedder.name, model_path=model_path, dimension=embedder.dimension,
        content_hash=content_hash(items, topics), chunking=dict(chunking), item_count=len(items),
        chunk_count=len(chunks), built_at=datetime.now(UTC).isoformat(timespec="seconds"), files={},
    )
    index = GuidanceIndex(manifest=manifest, items={i.id: i for i in items}, chunks=chunks, dense=dense,
                          topics={t.id: t for t in topics}, topic_of_row=[row.item_id for row in rows],
                          topic_dense=topic_dense, question_of_row=[row.item_id for row in questions],
                          question_dense=question_dense)
    return index, run


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def write_index(index: GuidanceIndex, index_dir: Path) -> Path:
    """Write `index` into a new build folder and switch the `index_dir` symlink to it atomically.

    Returns:
        The build folder now served.
    """
    builds = index_dir.parent / f"{index_dir.name}.builds"
    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    staging = builds / f".{build_id}.partial"
    staging.mkdir(parents=True)
    faiss.write_index(index.dense, str(staging / DENSE_FILE))
    _write_json(staging / ITEMS_FILE, [item.to_json() for item in index.items.values()])
    _write_json(staging / CHUNKS_FILE, [asdict(chunk) for chunk in index.chunks])
    faiss.write_index(index.question_dense, str(staging / QUESTIONS_DENSE_FILE))
    faiss.write_index(index.topic_dense, str(staging / TOPICS_DENSE_FILE))
    _write_json(staging / TOPICS_FILE, [topic.to_json() for topic in index.topics.values()])
    files = {name: _sha256(staging / name)
             for name in (DENSE_FILE, ITEMS_FILE, CHUNKS_FILE, QUESTIONS_DENSE_FILE, TOPICS_FILE, TOPICS_DENSE_FILE)}
    _write_json(staging / MANIFEST_FILE, asdict(index.manifest) | {"files": files})
    final = builds / build_id
    staging.rename(final)
    if index_dir.exists() and not index_dir.is_symlink():
        index_dir.rename(builds / f"{build_id}-legacy")
    link = index_dir.parent / f".{index_dir.name}.{build_id}.link"
    os.symlink(os.path.relpath(final, index_dir.parent), link)
    os.replace(link, index_dir)
    _prune(builds, keep=final)
    return final


def _prune(builds: Path, keep: Path) -> None:
    """Delete old builds, keeping the newest few so a reader still on one can finish."""
    done = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    for old in [p for p in done if p != keep][:-(BUILDS_KEPT - 1)]:
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(index_dir: Path) -> Manifest:
    """Read the manifest of the index `index_dir` points to.

    Raises:
        IndexMissing: nothing is there.
        IndexCorrupt: the manifest is unreadable.
    """
    if not index_dir.exists():
        raise IndexMissing(f"no index at {index_dir}")
    try:
        data = json.loads((index_dir.resolve(strict=True) / MANIFEST_FILE).read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as error:
        raise IndexCorrupt(f"unreadable manifest in {index_dir}: {error}") from None


def read_index(index_dir: Path, expected_dimension: int | None = None) -> GuidanceIndex:
    """Load an index and check it against its manifest (file hashes, counts, dimension, version).

    Raises:
        IndexMissing: no index at `index_dir`.
        IndexCorrupt: any file is missing, unreadable or does not match the manifest.
    """
    manifest = read_manifest(index_dir)
    folder = index_dir.resolve(strict=True)
    try:
        if manifest.version != FORMAT_VERSION:
            raise IndexCorrupt(f"index format {manifest.version}, this code reads {FORMAT_VERSION}")
        for name, digest in manifest.files.items():
            if _sha256(folder / name) != digest:
                raise IndexCorrupt(f"{name} does not match the manifest")
        items = [GuidanceItem.from_json(d) for d in json.loads((folder / ITEMS_FILE).read_text(encoding="utf-8"))]
        chunks = [Chunk(**d) for d in json.loads((folder / CHUNKS_FILE).read_text(encoding="utf-8"))]
        dense = faiss.read_index(str(folder / DENSE_FILE))
        question_dense = faiss.read_index(str(folder / QUESTIONS_DENSE_FILE))
        topics = [OutOfScopeTopic.from_json(d) for d in json.loads((folder / TOPICS_FILE).read_text(encoding="utf-8"))]
        topic_dense = faiss.read_index(str(folder / TOPICS_DENSE_FILE))
    except IndexCorrupt:
        raise
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as error:
        raise IndexCorrupt(f"unreadable index in {folder}: {error}") from None
    problems = []
    if dense.ntotal != len(chunks) or len(chunks) != manifest.chunk_count:
        problems.append(f"{dense.ntotal} vectors, {len(chunks)} chunks, manifest says {manifest.chunk_count}")
    if len(items) != manifest.item_count:
        problems.append(f"{len(items)} items, manifest says {manifest.item_count}")
    if dense.d != manifest.dimension or (expected_dimension and expected_dimension != dense.d):
        problems.append(f"dimension {dense.d}, manifest {manifest.dimension}, model {expected_dimension}")
    known = {item.id for item in items}
    if any(chunk.item_id not in known for chunk in chunks):
        problems.append("a chunk points to an unknown item")
    questions = question_rows(items)
    if question_dense.ntotal != len(questions) or (questions and question_dense.d != dense.d):
        problems.append(f"{question_dense.ntotal} question vectors for {len(questions)} questions")
    rows = topic_rows(topics)
    if topic_dense.ntotal != len(rows) or (rows and topic_dense.d != dense.d):
        problems.append(f"{topic_dense.ntotal} topic vectors for {len(rows)} topic texts")
    if problems:
        raise IndexCorrupt(f"index in {folder} is inconsistent: " + "; ".join(problems))
    return GuidanceIndex(manifest=manifest, items={i.id: i for i in items}, chunks=chunks, dense=dense,
                         topics={t.id: t for t in topics}, topic_of_row=[row.item_id for row in rows],
                         topic_dense=topic_dense, question_of_row=[row.item_id for row in questions],
                         question_dense=question_dense)


def dense_vectors(index: GuidanceIndex) -> np.ndarray:
    """Return the stored chunk vectors (for tests and diagnostics)."""
    return index.dense.reconstruct_n(0, index.dense.ntotal)
