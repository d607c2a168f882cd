"""GuidanceService over fixture guidance with an offline hashing embedder: search, cache, reload, recovery."""

import json
import threading
from pathlib import Path

import pytest

from knowledge.errors import IndexUnavailable, InvalidQuery
from knowledge.index_store import read_index, read_manifest
from tests.knowledge.support import HashingEmbedder, make_service, settings_for_tests


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


def test_a_missing_index_is_built_on_start_with_a_manifest(tmp_path: Path, embedder: HashingEmbedder) -> None:
    service = make_service(tmp_path, embedder)
    index_dir = tmp_path / "index"
    assert index_dir.is_symlink()
    manifest = read_manifest(index_dir)
    assert (manifest.item_count, manifest.dimension, manifest.model_name) == (6, 256, "test-hashing-embedder")
    assert manifest.chunk_count == len(read_index(index_dir).chunks) >= 6
    assert service.get("csa-responding-to-disclosure").title == "Responding when a child tells you about abuse"
    assert service.get("no-such-item") is None
    assert all(not name.endswith(".pkl") for name in (p.name for p in index_dir.resolve().iterdir()))


def test_search_returns_each_item_once_with_its_fields(tmp_path: Path) -> None:
    response = make_service(tmp_path).search("a child told me about sexual abuse, what do I write down", k=5)
    assert not response.abstained
    ids = [hit.id for hit in response.results]
    assert ids[0] == "csa-responding-to-disclosure" and len(ids) == len(set(ids))
    top = response.results[0]
    assert top.source_url == "https://example.org/disclosure" and top.verified is True
    assert top.snippet and top.snippet in " ".join(top.snippet.split()) and "\n" not in top.snippet


@pytest.mark.parametrize(("area", "present", "absent"), [
    ("portsmouth", "mash-portsmouth-contact", "mash-southampton-contact"),
    ("southampton", "mash-southampton-contact", "mash-portsmouth-contact"),
])
def test_the_area_filter_keeps_items_for_that_area_and_for_all(tmp_path: Path, area: str, present: str,
                                                               absent: str) -> None:
    service = make_service(tmp_path)
    ids = [hit.id for hit in service.search("how do professionals contact the MASH by telephone", k=10,
                                             area=area).results]
    assert present in ids and absent not in ids
    assert "emergency-immediate-danger" in ids or "csa-responding-to-disclosure" in ids
    unfiltered = [hit.id for hit in service.search("contact the MASH by telephone", k=10).results]
    assert {"mash-portsmouth-contact", "mash-southampton-contact"} <= set(unfiltered)


@pytest.mark.parametrize("query", ["pizza delivery tonight", "reset my laptop password please"])
def test_out_of_scope_questions_abstain_with_no_results(tmp_path: Path, query: str) -> None:
    response = make_service(tmp_path).search(query)
    assert response.abstained and response.results == []


def test_abstention_needs_word_evidence_when_the_cosine_is_middling(tmp_path: Path) -> None:
    strict = settings_for_tests(dense_accept=1.01, min_coverage=1.0)
    assert make_service(tmp_path, settings=strict).search("child missing police shoes").abstained
    lenient = settings_for_tests(dense_accept=1.01, min_coverage=0.5)
    assert not make_service(tmp_path, settings=lenient).search("child missing police shoes").abstained


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"query": "   "}, "empty"), ({"query": "x" * 1001}, "longer than 1000"),
    ({"query": "neglect", "k": 0}, "between 1 and 10"), ({"query": "neglect", "k": 11}, "between 1 and 10"),
    ({"query": "neglect", "area": "gosport"}, 'unknown area "gosport"'),
])
def test_bad_queries_raise_a_domain_error(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidQuery, match=message):
        make_service(tmp_path).search(**kwargs)


def test_a_question_an_item_lists_lets_other_words_find_it_at_the_question_weight(tmp_path: Path) -> None:
    service = make_service(tmp_path)
    query, question = "kid turns up famished and whiffy", "a kid who turns up famished and whiffy every day"
    item = tmp_path / "guidance" / "neglect" / "signs-and-indicators.yml"
    item.write_text(item.read_text() + f'questions: ["{question}"]\n', encoding="utf-8")
    report = service.reload()
    assert report.ok and report.embedded_chunks == 1
    top = service.search(query, k=6, mode="dense").results[0]
    query_vector, question_vector = HashingEmbedder().embed([query, question])
    weight = service.settings.search.question_weight
    assert top.id == "neglect-signs-and-indicators"
    assert top.score == pytest.approx(weight * float(query_vector @ question_vector), abs=1e-5)
    assert service.get(top.id).questions == (question,)
    assert "kid" not in top.snippet


@pytest.mark.parametrize("mode", ["dense", "lexical"])
def test_single_modes_for_the_benchmark(tmp_path: Path, mode: str) -> None:
    response = make_service(tmp_path).search("child missing from home report to police", mode=mode)
    assert response.results[0].id == "missing-reporting-to-police"


def test_a_one_file_edit_re_embeds_only_that_files_chunks(tmp_path: Path, embedder: HashingEmbedder) -> None:
    service = make_service(tmp_path, embedder)
    total_chunks = read_manifest(tmp_path / "index").chunk_count
    assert len(embedder.embedded) == total_chunks
    embedder.embedded.clear()
    edited = tmp_path / "guidance" / "neglect" / "signs-and-indicators.yml"
    edited.write_text(edited.read_text().replace("basic physical", "basic physical, medical"), encoding="utf-8")
    report = service.reload()
    assert report.ok and report.embedded_chunks == len(embedder.embedded) >= 1
    assert report.reused_chunks == total_chunks - report.embedded_chunks
    assert all(text.startswith("Signs and indicators of neglect\n\n") for text in embedder.embedded)


def test_reload_with_invalid_content_keeps_serving_the_last_good_index(tmp_path: Path) -> None:
    service = make_service(tmp_path)
    before = read_manifest(tmp_path / "index")
    bad = tmp_path / "guidance" / "csa" / "responding-to-disclosure.yml"
    bad.write_text(bad.read_text().replace("review_by: 2027-01-10", "review_by: soon"), encoding="utf-8")
    report = service.reload()
    assert not report.ok and report.item_count == 6
    assert report.errors == [f'{bad.resolve()}:16: review_by: not a date like 2026-11-21 (got "soon")']
    assert service.search("a child told me about sexual abuse").results[0].id == "csa-responding-to-disclosure"
    assert read_manifest(tmp_path / "index") == before


def test_searches_during_a_reload_never_fail(tmp_path: Path) -> None:
    service = make_service(tmp_path)
    failures: list[BaseException] = []
    stop = threading.Event()

    def search_repeatedly() -> None:
        while not stop.is_set():
            try:
                assert service.search("child missing from home").results
            except BaseException as error:  # noqa: BLE001 - collected for the assertion below
                failures.append(error)

    worker = threading.Thread(target=search_repeatedly)
    worker.start()
    for _ in range(3):
        (tmp_path / "guidance" / "emergency" / "immediate-danger.yml").touch()
        assert service.reload().ok
    stop.set()
    worker.join()
    assert failures == []


@pytest.mark.parametrize("damaged", ["dense.faiss", "questions.faiss"])
def test_a_corrupt_index_on_disk_is_rebuilt_on_start(tmp_path: Path, damaged: str) -> None:
    make_service(tmp_path)
    folder = (tmp_path / "index").resolve()
    (folder / damaged).write_bytes(b"not an index")
    service = make_service(tmp_path)
    assert service.search("child missing from home").results
    assert read_index(tmp_path / "index").manifest.item_count == 6


def test_a_stale_index_is_rebuilt_on_start(tmp_path: Path) -> None:
    make_service(tmp_path)
    (tmp_path / "guidance" / "mash" / "portsmouth-contact.yml").unlink()
    service = make_service(tmp_path)
    assert service.get("mash-portsmouth-contact") is None and read_manifest(tmp_path / "index").item_count == 5


def test_no_index_and_invalid_guidance_raise_a_clear_domain_error(tmp_path: Path) -> None:
    make_service(tmp_path)
    (tmp_path / "index").resolve().joinpath("manifest.json").write_text("{", encoding="utf-8")
    bad = tmp_path / "guidance" / "csa" / "responding-to-disclosure.yml"
    bad.write_text(bad.read_text() + "colour: blue\n", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="colour: unknown field"):
        make_service(tmp_path)


def test_index_metadata_is_json(tmp_path: Path) -> None:
    make_service(tmp_path)
    folder = (tmp_path / "index").resolve()
    chunks = json.loads((folder / "chunks.json").read_text())
    assert {"item_id", "position", "text", "passage"} == set(chunks[0])
